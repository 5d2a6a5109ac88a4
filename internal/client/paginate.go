package client

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// AuditLogQuery selects audit log entries. Start, End (inclusive) and
// ResourceID are sent to the server, which narrows the pages; older servers
// ignore them, so the caller applies them in Keep (the provider passes its
// logquery filter), and the client tests each entry once, there. Start still
// ends a read early on a server that ignores it: pages come newest first.
type AuditLogQuery struct {
	Start, End *time.Time
	ResourceID *int64
	// Keep, when set, is called once per distinct entry, in the server's order,
	// from one goroutine at a time; false drops the entry, so memory grows with
	// kept entries only.
	Keep func(*AuditEntry) bool
	// Restart, when set, is called when a concurrent read starts over (see
	// ListAuditLogs), before Keep sees the entries again.
	Restart func()
}

// SessionLogQuery selects session log entries; see AuditLogQuery.
type SessionLogQuery struct {
	Start, End *time.Time
	Keep       func(*SessionEntry) bool
	Restart    func()
}

// ListStats tells what a listing cost. Requests counts HTTP attempts, retries
// included; Pages counts page responses; Scanned counts distinct entries of the
// pass that produced the result; RateLimitWait sums the time requests waited
// on the budget or after a 429 before they were sent.
type ListStats struct {
	Requests, Pages, Scanned, Retries int
	RateLimitWait                     time.Duration
}

// ListAuditLogs returns every audit entry matching q, newest first (the
// server's order), without duplicates. Pages are read by offset and merged in
// offset order; DESIGN.md ("Paging") explains the read-ahead, the end of the
// log, and why a read ahead that met a duplicate is done again one page at a
// time.
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
	name, path string // "audit log", "/logs"
	pageLimit  int
	decode     func(body []byte, contentType string) ([]E, int, error)
	id         func(*E) *string
	time       func(*E) *time.Time
}

var auditLog = &logKind[AuditEntry]{
	name: "audit log", path: "/logs", pageLimit: AuditPageLimit,
	decode: func(body []byte, ct string) ([]AuditEntry, int, error) {
		return decodePage(body, ct, []string{"entries", "logs"}, (*rawAudit).entry)
	},
	id:   func(e *AuditEntry) *string { return e.ID },
	time: func(e *AuditEntry) *time.Time { return e.Time },
}

var sessionLog = &logKind[SessionEntry]{
	name: "session log", path: "/session-logs", pageLimit: SessionPageLimit,
	decode: func(body []byte, ct string) ([]SessionEntry, int, error) {
		return decodePage(body, ct, []string{"entries", "sessions"}, (*rawSession).entry)
	},
	id:   func(e *SessionEntry) *string { return e.ID },
	time: func(e *SessionEntry) *time.Time { return e.Time },
}

// query is what every page request sends.
type query struct {
	start, end *time.Time
	resourceID *int64
}

// path renders a page request. The window is widened to whole seconds (start
// down, end up) so the server never drops an entry the exact window keeps.
func (q query) path(kind string, offset, limit int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s?offset=%d&limit=%d", kind, offset, limit)
	if q.start != nil {
		b.WriteString("&startTime=" + q.start.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z"))
	}
	if q.end != nil {
		end := q.end.UTC()
		if t := end.Truncate(time.Second); !t.Equal(end) {
			end = t.Add(time.Second)
		}
		b.WriteString("&endTime=" + end.Format("2006-01-02T15:04:05Z"))
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
		c.debug(ctx, "entries moved between pages read at once (new entries arrived); reading the log again one page at a time",
			map[string]any{"log": kind.name, "requests_so_far": s.stats.Requests})
		if restart != nil {
			restart()
		}
		err = s.pass(ctx, 1)
	}
	if err != nil {
		return nil, s.stats, err
	}
	if s.out == nil {
		s.out = []E{}
	}
	return s.out, s.stats, nil
}

// scan is one listing. Only the goroutine running it changes it; the
// goroutines fetching pages read c, kind and q.
type scan[E any] struct {
	c    *Client
	kind *logKind[E]
	q    query
	keep func(*E) bool

	stats             ListStats
	out               []E
	seenPrev, seenCur map[string]struct{} // IDs of the last two pages: enough to remove overlaps
	earlyStopOK       bool                // false once any page was out of time order
	lastTime          *time.Time          // of the last distinct entry, to check order across pages
	staleRun          int                 // non-empty pages in a row without a new entry
	dups, idless      int                 // entries met twice, entries without an ID, in this pass
	readAhead         bool                // this pass had pages in flight together
	wake              chan struct{}       // a page is done
}

// pageInfo is what one merged page tells the pass.
type pageInfo struct {
	n, entries, ids, fresh int // elements, objects, with an ID, not seen on the last two pages
	oldest                 *time.Time
}

// fetched is one page read and decoded in its own goroutine.
type fetched[E any] struct {
	offset, n, attempts int
	done                chan struct{}
	entries             []E
	waited              time.Duration
	err                 error
}

func (s *scan[E]) start(ctx context.Context, offset, limit int) *fetched[E] {
	f := &fetched[E]{offset: offset, done: make(chan struct{})}
	wake := s.wake // of this pass
	go func() {
		defer func() {
			close(f.done)
			select { // non-blocking: one pending wake-up is enough
			case wake <- struct{}{}:
			default:
			}
		}()
		body, st, err := s.c.get(ctx, s.q.path(s.kind.path, offset, limit))
		f.attempts, f.waited, f.err = st.attempts, st.waited, err
		if err == nil {
			f.entries, f.n, f.err = s.kind.decode(body.body, body.contentType)
			if f.err != nil { // decode errors quote the body, which comes from the server
				f.err = errors.New(s.c.redact(f.err.Error()))
			}
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

// pass reads the log from offset 0 to its end. Pages requested past the end
// are cancelled and awaited before it returns.
func (s *scan[E]) pass(ctx context.Context, concurrency int) error {
	s.out, s.lastTime, s.staleRun, s.dups, s.idless, s.readAhead = nil, nil, 0, 0, 0, false
	s.seenPrev, s.seenCur, s.earlyStopOK, s.stats.Scanned = map[string]struct{}{}, map[string]struct{}{}, true, 0
	s.wake = make(chan struct{}, 1)
	var ahead []*fetched[E] // in offset order
	aheadCtx, cancelAhead := context.WithCancel(ctx)
	drop := func() {
		cancelAhead()
		for _, f := range ahead {
			_ = s.wait(f) // counted; the result is not needed
		}
		ahead = nil
		aheadCtx, cancelAhead = context.WithCancel(ctx)
	}
	defer func() { drop(); cancelAhead() }()
	limit := s.kind.pageLimit
	size, sizeKnown := limit, false // the server's page size; once known, a shorter page ends the log
	full, next, prevN := 0, 0, -1   // full pages in a row: how far ahead the log has earned reading
	for {
		// Pages in flight after 0, 1, 2, 3, 4, 5 full pages: 1, 1, 2, 4, 8, 16,
		// up to concurrency. A short log costs what a sequential read costs; a
		// long one reaches concurrency within four round trips. Pages in
		// flight, not pages unmerged, are what want bounds, so that a page done
		// before the one ahead of it frees its place at once (up to 2×want
		// unmerged). None is added once a page read ahead came back short: the
		// log ends there.
		want := 1
		if concurrency > 1 && full > 0 {
			want = min(concurrency, max(full, 1<<min(full-1, 8)))
		}
		inFlight, ended, unmerged := 0, false, want
		if want > 1 {
			unmerged = 2 * want
		}
		for _, g := range ahead {
			select {
			case <-g.done:
				ended = ended || g.err != nil || g.n < size
			default:
				inFlight++
			}
		}
		for ; (inFlight < want && len(ahead) < unmerged && !ended) || len(ahead) == 0; inFlight++ {
			ahead = append(ahead, s.start(aheadCtx, next+len(ahead)*size, limit))
		}
		s.readAhead = s.readAhead || len(ahead) > 1
		select {
		case <-ahead[0].done:
		case <-s.wake:
			continue
		}
		f := ahead[0]
		ahead = ahead[1:]
		if err := s.wait(f); err != nil {
			return err
		}
		info := s.merge(ctx, f)
		if info.entries > 0 && info.fresh == 0 && info.ids == info.entries {
			s.staleRun++
		} else {
			s.staleRun = 0
		}
		if s.staleRun >= 3 {
			return fmt.Errorf("reading the %s at offset %d: the server returned only entries already read for 3 pages in a row; it seems to ignore the offset parameter", s.kind.name, f.offset)
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
		default: // a short first page, or one of another size: the server may cap pages
			sizeKnown, full = false, 0
			drop()
		}
		next, prevN = f.offset+info.n, info.n
	}
}

// merge takes a page entry by entry: de-duplicates, checks the time order,
// applies Keep, and stores what is kept.
func (s *scan[E]) merge(ctx context.Context, f *fetched[E]) pageInfo {
	s.seenPrev, s.seenCur = s.seenCur, make(map[string]struct{}, len(s.seenCur))
	info := pageInfo{n: f.n}
	ordered := true
	var prev *time.Time
	info.entries = len(f.entries)
	for i := range f.entries {
		e := &f.entries[i]
		t := s.kind.time(e)
		if t != nil {
			ordered = ordered && (prev == nil || !t.After(*prev))
			prev, info.oldest = t, t
		}
		if id := s.kind.id(e); id != nil && *id != "" {
			info.ids++
			_, cur := s.seenCur[*id]
			_, old := s.seenPrev[*id]
			s.seenCur[*id] = struct{}{} // even when seen: the set holds what the last pages showed
			if cur || old {
				s.dups++
				continue
			}
		} else {
			s.idless++
		}
		info.fresh++
		s.stats.Scanned++
		if t != nil {
			ordered = ordered && (s.lastTime == nil || !t.After(*s.lastTime))
			s.lastTime = t
		}
		if s.keep == nil || s.keep(e) {
			s.out = append(s.out, *e)
		}
	}
	f.entries = nil
	if !ordered && s.earlyStopOK {
		s.earlyStopOK = false
		s.c.debug(ctx, "log entries are not in time order; reading to the end instead of stopping at the start time",
			map[string]any{"log": s.kind.name, "offset": f.offset})
	}
	return info
}
