package client

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// AuditLogQuery selects audit log entries. Start, End (inclusive) and
// ResourceID are sent to the server, which narrows the pages; older servers
// ignore them. The client does not apply them itself: the window and the
// resource are applied in Keep, which the caller builds from the same values
// (the provider passes its logquery filter), so that each entry is tested once.
// Start still ends the read early on a server that ignores it: pages come
// newest first, and once a page reaches past Start the rest is older.
type AuditLogQuery struct {
	Start, End *time.Time
	ResourceID *int64
	// Keep, when set, is called once per distinct entry, in the server's order,
	// from one goroutine at a time, as pages are merged; false drops the entry,
	// so that memory grows with kept entries only. This is where the time window
	// and every other filter are applied. If a concurrent read has to be redone,
	// Keep sees the entries again in the new pass.
	Keep func(*AuditEntry) bool
	// Restart, when set, is called when a concurrent read starts over (see
	// ListAuditLogs), before Keep sees the entries again, so that a caller who
	// counts in Keep can start from zero.
	Restart func()
}

// SessionLogQuery selects session log entries; see AuditLogQuery.
type SessionLogQuery struct {
	Start, End *time.Time
	Keep       func(*SessionEntry) bool
	Restart    func()
}

// ListStats tells what a listing cost. Requests counts HTTP attempts, retries
// included; Pages counts successful page responses; Scanned counts distinct
// entries decoded in the pass that produced the result, in the window or not.
type ListStats struct {
	Requests int
	Pages    int
	Scanned  int
	Retries  int
	// RateLimitWait sums the time requests waited on the rate limit (the
	// Client's budget, or the pause after a 429) before they were sent.
	RateLimitWait time.Duration
}

// ListAuditLogs returns every audit entry matching q, newest first (the
// server's order), without duplicates.
//
// Pages are read by offset, each decoded as it arrives and merged in offset
// order. The first page goes alone. Pages are read ahead only after full
// pages, and never more than the full pages read so far (nor MaxConcurrency),
// so that a short log costs what a sequential read costs. The read ends at an
// empty page, or at a short one once a page of the full limit has shown that
// the server does not cap pages below it. New entries arriving at the head
// shift the offsets: overlaps are removed by ID; and since a gap between two
// pages read at once always comes with at least as many duplicates elsewhere,
// a read ahead that met any duplicate is done again one page at a time.
// When q.Start is set and pages are in time order, the read stops at the first
// page reaching past Start.
func (c *Client) ListAuditLogs(ctx context.Context, q AuditLogQuery) ([]AuditEntry, ListStats, error) {
	return list(ctx, c, auditLog, query{start: q.Start, end: q.End, resourceID: q.ResourceID}, q.Keep, q.Restart)
}

// ListSessionLogs returns every session entry matching q, newest first,
// without duplicates; it pages like ListAuditLogs.
func (c *Client) ListSessionLogs(ctx context.Context, q SessionLogQuery) ([]SessionEntry, ListStats, error) {
	return list(ctx, c, sessionLog, query{start: q.Start, end: q.End}, q.Keep, q.Restart)
}

// logKind describes one endpoint: where it is and how its entries decode.
type logKind[E any] struct {
	name      string // for messages: "audit log"
	path      string
	pageLimit int
	decode    func(body []byte, contentType string) ([]element[E], int, error)
	id        func(*E) *string
	time      func(*E) *time.Time
}

var auditLog = &logKind[AuditEntry]{
	name: "audit log", path: "/logs", pageLimit: AuditPageLimit,
	decode: func(body []byte, ct string) ([]element[AuditEntry], int, error) {
		return decodePage(body, ct, &auditBody{})
	},
	id:   func(e *AuditEntry) *string { return e.ID },
	time: func(e *AuditEntry) *time.Time { return e.Time },
}

var sessionLog = &logKind[SessionEntry]{
	name: "session log", path: "/session-logs", pageLimit: SessionPageLimit,
	decode: func(body []byte, ct string) ([]element[SessionEntry], int, error) {
		return decodePage(body, ct, &sessionBody{})
	},
	id:   func(e *SessionEntry) *string { return e.ID },
	time: func(e *SessionEntry) *time.Time { return e.Time },
}

// query is what is sent with every page request.
type query struct {
	start, end *time.Time
	resourceID *int64
}

const apiTimeLayout = "2006-01-02T15:04:05Z"

// path renders the page request. The window sent is widened to whole seconds
// (start down, end up) so the server never drops an entry that the exact
// window, applied by Keep, keeps.
func (q query) path(kind string, offset, limit int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s?offset=%d&limit=%d", kind, offset, limit)
	if q.start != nil {
		b.WriteString("&startTime=" + q.start.UTC().Truncate(time.Second).Format(apiTimeLayout))
	}
	if q.end != nil {
		end := q.end.UTC()
		if t := end.Truncate(time.Second); !t.Equal(end) {
			end = t.Add(time.Second)
		}
		b.WriteString("&endTime=" + end.Format(apiTimeLayout))
	}
	if q.resourceID != nil {
		fmt.Fprintf(&b, "&resourceId=%d", *q.resourceID)
	}
	return b.String()
}

func list[E any](ctx context.Context, c *Client, kind *logKind[E], q query, keep func(*E) bool, restart func()) ([]E, ListStats, error) {
	s := &scan[E]{c: c, kind: kind, q: q, keep: keep}
	err := s.pass(ctx, c.concurrency)
	if err == nil && s.readAhead && (s.dups > 0 || s.idless > 0) {
		c.debug(ctx, "entries moved between pages read at once (new entries arrived); reading the log again one page at a time", map[string]any{
			"log": kind.name, "requests_so_far": s.stats.Requests,
		})
		if restart != nil {
			restart()
		}
		err = s.pass(ctx, 1)
	}
	if err != nil {
		return nil, s.stats, c.scrub(err)
	}
	if s.out == nil {
		s.out = []E{}
	}
	return s.out, s.stats, nil
}

// scan is one listing: its results, the IDs of the last two pages (enough to
// remove the overlap that new entries cause, without remembering every ID),
// and what it has learnt about the server's order. Only the goroutine running
// the scan changes it; the goroutines fetching pages read c, kind and q.
type scan[E any] struct {
	c    *Client
	kind *logKind[E]
	q    query
	keep func(*E) bool

	stats       ListStats
	out         []E
	seenPrev    map[string]struct{}
	seenCur     map[string]struct{}
	earlyStopOK bool       // false once any page was out of time order
	lastTime    *time.Time // time of the last distinct entry, to check order across pages
	staleRun    int        // consecutive non-empty pages without a new entry
	dups        int        // entries met twice in this pass
	idless      int        // entries without an ID in this pass (their duplicates cannot be seen)
	readAhead   bool       // this pass had pages in flight together
}

// pageInfo is what one merged page tells the pass.
type pageInfo struct {
	n       int // list elements, as the server counts them for offsets
	entries int // elements that were objects
	ids     int // entries with an ID
	fresh   int // entries not seen on the last two pages
	oldest  *time.Time
}

// fetched is one page read and decoded in its own goroutine.
type fetched[E any] struct {
	offset   int
	done     chan struct{}
	elements []element[E]
	n        int
	attempts int
	waited   time.Duration
	err      error
}

func (s *scan[E]) start(ctx context.Context, offset, limit int) *fetched[E] {
	f := &fetched[E]{offset: offset, done: make(chan struct{})}
	go func() {
		defer close(f.done)
		body, st, err := s.c.get(ctx, s.q.path(s.kind.path, offset, limit))
		f.attempts, f.waited, f.err = st.attempts, st.waited, err
		if f.err != nil {
			return
		}
		f.elements, f.n, f.err = s.kind.decode(body.body, body.contentType)
		body.release()
		if f.err != nil {
			// Decode errors quote the body, which comes from the server: redact it here.
			f.err = fmt.Errorf("%s", s.c.redact(f.err.Error()))
		}
	}()
	return f
}

// wait waits for f and adds its requests to the stats.
func (s *scan[E]) wait(f *fetched[E]) error {
	<-f.done
	s.stats.Requests += f.attempts
	s.stats.Retries += max(0, f.attempts-1)
	s.stats.RateLimitWait += f.waited
	if f.err != nil {
		return fmt.Errorf("reading the %s at offset %d: %w", s.kind.name, f.offset, f.err)
	}
	s.stats.Pages++
	return nil
}

// pass reads the log from offset 0 to its end with up to concurrency pages in
// flight. Pages requested past the end, when the read stops, are cancelled and
// awaited before pass returns.
func (s *scan[E]) pass(ctx context.Context, concurrency int) error {
	s.out, s.lastTime, s.staleRun, s.dups, s.idless, s.readAhead = nil, nil, 0, 0, 0, false
	s.seenPrev, s.seenCur = map[string]struct{}{}, map[string]struct{}{}
	s.earlyStopOK = true
	s.stats.Scanned = 0

	var ahead []*fetched[E] // in offset order, all started with aheadCtx
	var aheadCtx context.Context
	cancelAhead := func() {}
	newAhead := func() { aheadCtx, cancelAhead = context.WithCancel(ctx) }
	drop := func() { // requests past the end: cancelled, counted, their result unused
		cancelAhead()
		for _, f := range ahead {
			_ = s.wait(f)
		}
		ahead = nil
		newAhead()
	}
	newAhead()
	defer func() { drop(); cancelAhead() }()
	limit := s.kind.pageLimit
	size := limit      // the page size the server gives: limit, or its cap
	sizeKnown := false // a page of size arrived twice, or one of the limit: a shorter one ends the log
	full := 0          // full pages read in a row: how far ahead the log has earned reading
	next, prevN := 0, -1
	for {
		want := 1
		if concurrency > 1 && full > 0 {
			want = min(concurrency, full)
		}
		for len(ahead) < want {
			ahead = append(ahead, s.start(aheadCtx, next+len(ahead)*size, limit))
		}
		if len(ahead) > 1 {
			s.readAhead = true
		}
		f := ahead[0]
		ahead = ahead[1:]
		if err := s.wait(f); err != nil {
			return err
		}
		info := s.merge(ctx, f, f.offset)
		if err := s.checkStale(info, f.offset); err != nil {
			return err
		}
		stop := s.earlyStopOK && s.q.start != nil && info.oldest != nil && info.oldest.Before(*s.q.start)
		switch {
		case info.n == 0 || stop || (sizeKnown && info.n < size):
			return nil
		case info.n == limit || (sizeKnown && info.n == size) || info.n == prevN:
			if info.n != size && len(ahead) > 0 { // read ahead at another stride
				drop()
			}
			sizeKnown, size = true, info.n
			full++
		default:
			// A short page first, or one of another size: the server may cap pages
			// below the limit. Go on one page at a time from where this one ended.
			sizeKnown, full = false, 0
			if len(ahead) > 0 {
				drop()
			}
		}
		next, prevN = f.offset+info.n, info.n
	}
}

func (s *scan[E]) rotate() {
	s.seenPrev, s.seenCur = s.seenCur, make(map[string]struct{}, len(s.seenCur))
}

func (s *scan[E]) seen(id string) bool {
	_, cur := s.seenCur[id]
	_, prev := s.seenPrev[id]
	return cur || prev
}

// merge takes a decoded page entry by entry: de-duplicates, checks the time
// order, applies Keep, and stores what is kept.
func (s *scan[E]) merge(ctx context.Context, f *fetched[E], offset int) pageInfo {
	s.rotate()
	info := pageInfo{n: f.n}
	ordered := true
	var prev *time.Time
	for i := range f.elements {
		if !f.elements[i].object {
			continue
		}
		e := &f.elements[i].entry
		info.entries++
		t := s.kind.time(e)
		if t != nil {
			if prev != nil && t.After(*prev) {
				ordered = false
			}
			prev, info.oldest = t, t
		}
		if id := s.kind.id(e); id != nil && *id != "" {
			info.ids++
			dup := s.seen(*id)
			s.seenCur[*id] = struct{}{} // even when dup: the set holds what the last pages showed
			if dup {
				s.dups++
				continue
			}
		} else {
			s.idless++
		}
		info.fresh++
		s.stats.Scanned++
		if t != nil {
			if s.lastTime != nil && t.After(*s.lastTime) {
				ordered = false
			}
			s.lastTime = t
		}
		if s.keep != nil && !s.keep(e) {
			continue
		}
		s.out = append(s.out, *e)
	}
	f.elements = nil
	if !ordered && s.earlyStopOK {
		s.earlyStopOK = false
		s.c.debug(ctx, "log entries are not in time order; reading to the end instead of stopping at the start time",
			map[string]any{"log": s.kind.name, "offset": offset})
	}
	return info
}

// checkStale stops a server that ignores offset from keeping the read going forever.
func (s *scan[E]) checkStale(info pageInfo, offset int) error {
	if info.entries > 0 && info.fresh == 0 && info.ids == info.entries {
		s.staleRun++
	} else {
		s.staleRun = 0
	}
	if s.staleRun >= 3 {
		return fmt.Errorf("reading the %s at offset %d: the server returned only entries already read for 3 pages in a row; it seems to ignore the offset parameter", s.kind.name, offset)
	}
	return nil
}
