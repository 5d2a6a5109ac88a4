package client

import (
	"fmt"
	"strings"
	"time"
)

// filters are the query's time window and resource.
type filters struct {
	start, end *time.Time
	resourceID *int64
}

const apiTimeLayout = "2006-01-02T15:04:05Z"

// query renders the page request. The window sent is widened to whole
// seconds (start down, end up) so the server never drops an entry that the
// exact window, applied here, keeps.
func (f filters) query(offset, limit int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "?offset=%d&limit=%d", offset, limit)
	if f.start != nil {
		b.WriteString("&startTime=" + f.start.UTC().Truncate(time.Second).Format(apiTimeLayout))
	}
	if f.end != nil {
		end := f.end.UTC()
		if t := end.Truncate(time.Second); !t.Equal(end) {
			end = t.Add(time.Second)
		}
		b.WriteString("&endTime=" + end.Format(apiTimeLayout))
	}
	if f.resourceID != nil {
		fmt.Fprintf(&b, "&resourceId=%d", *f.resourceID)
	}
	return b.String()
}

// contains applies the window; an entry without a time cannot be placed in one.
func (f filters) contains(t *time.Time) bool {
	if f.start == nil && f.end == nil {
		return true
	}
	return t != nil && (f.start == nil || !t.Before(*f.start)) && (f.end == nil || !t.After(*f.end))
}

// pager tracks offsets. Only an empty page ends the read: a short page may
// just mean the server caps pages below the limit asked for.
type pager struct {
	limit     int // asked for on every request
	size      int // page size the server gives: limit, or its cap
	next      int // offset of the next page
	lastLen   int
	lastShort bool
	started   bool
	done      bool
}

// canWave: concurrent offsets can be computed only after a full page.
func (p *pager) canWave() bool {
	return p.started && !p.lastShort && p.lastLen == p.size
}

// consume records a page of n elements read at p.next and reports whether it
// was exactly full, so that the next offset of a wave is still right.
func (p *pager) consume(n int, stop bool) (full bool) {
	sizeBefore := p.size
	p.started = true
	if n == 0 {
		p.done = true
		return false
	}
	if p.lastShort {
		p.size = max(p.lastLen, n) // a short page followed by more: the server caps pages
	}
	p.size = max(p.size, n)
	p.next += n
	p.lastShort, p.lastLen = n < p.size, n
	p.done = stop
	return n == sizeBefore && !stop
}
