package client

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// AuditLogQuery selects audit log entries. Start, End (inclusive) and
// ResourceID narrow the pages on servers that know them; the client does not
// apply them, Keep does. Start ends a read early where the server ignores it.
type AuditLogQuery struct {
	Start, End *time.Time
	ResourceID *int64
	// Keep is called once per distinct entry, in order, from one goroutine at
	// a time; false drops it. Restart is called when a read starts over, before
	// Keep sees the entries again. Either may be nil.
	Keep    func(*AuditEntry) bool
	Restart func()
}

// SessionLogQuery selects session log entries; see AuditLogQuery.
type SessionLogQuery struct {
	Start, End *time.Time
	Keep       func(*SessionEntry) bool
	Restart    func()
}

// ListStats tells what a listing cost: HTTP attempts, page answers, distinct
// entries of the pass that produced the result, retries, and the time spent
// waiting on the budget or a 429.
type ListStats struct {
	Requests, Pages, Scanned, Retries int
	RateLimitWait                     time.Duration
}

// ListAuditLogs returns every audit entry matching q, newest first (the
// server's order), without duplicates. DESIGN.md ("Paging") tells how.
func (c *Client) ListAuditLogs(ctx context.Context, q AuditLogQuery) ([]AuditEntry, ListStats, error) {
	return list(ctx, c, auditLog, query{start: q.Start, end: q.End, resourceID: q.ResourceID}, q.Keep, q.Restart)
}

// ListSessionLogs is ListAuditLogs for the session log.
func (c *Client) ListSessionLogs(ctx context.Context, q SessionLogQuery) ([]SessionEntry, ListStats, error) {
	return list(ctx, c, sessionLog, query{start: q.Start, end: q.End}, q.Keep, q.Restart)
}

// logKind describes one endpoint: where it is and how its entries decode.
type logKind[E any] struct {
	name, path string // "audit log", "/logs"
	pageLimit  int
	decode     func(body []byte, contentType string) ([]E, int, error)
	key        func(*E) (id *string, t *time.Time)
}

var auditLog = &logKind[AuditEntry]{
	name: "audit log", path: "/logs", pageLimit: AuditPageLimit,
	decode: func(body []byte, ct string) ([]AuditEntry, int, error) {
		return decodePage(body, ct, []string{"entries", "logs"}, (*rawAudit).entry)
	},
	key: func(e *AuditEntry) (*string, *time.Time) { return e.ID, e.Time },
}

var sessionLog = &logKind[SessionEntry]{
	name: "session log", path: "/session-logs", pageLimit: SessionPageLimit,
	decode: func(body []byte, ct string) ([]SessionEntry, int, error) {
		return decodePage(body, ct, []string{"entries", "sessions"}, (*rawSession).entry)
	},
	key: func(e *SessionEntry) (*string, *time.Time) { return e.ID, e.Time },
}

// query is what every page request sends.
type query struct {
	start, end *time.Time
	resourceID *int64
}

// path renders a page request; the window goes out to whole seconds, Keep is exact.
func (q query) path(kind string, offset, limit int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s?offset=%d&limit=%d", kind, offset, limit)
	if q.start != nil {
		b.WriteString("&startTime=" + q.start.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z"))
	}
	if q.end != nil {
		b.WriteString("&endTime=" + q.end.UTC().Add(time.Second-1).Truncate(time.Second).Format("2006-01-02T15:04:05Z"))
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
		c.logger.Debug(ctx, "entries moved between pages read at once (new entries arrived); reading the log again one page at a time",
			map[string]any{"log": kind.name, "requests_so_far": s.stats.Requests})
		if restart != nil {
			restart()
		}
		err = s.pass(ctx, 1)
	}
	if err != nil {
		return nil, s.stats, err
	}
	return s.out, s.stats, nil
}

// scan is one listing; only the goroutine running it changes it.
type scan[E any] struct {
	c    *Client
	kind *logKind[E]
	q    query
	keep func(*E) bool

	stats             ListStats
	out               []E
	seenPrev, seenCur map[string]struct{} // IDs of the last two pages: enough to remove overlaps
	earlyStopOK       bool                // false once any page was out of time order
	lastTime          *time.Time          // of the last entry merged, to check the order
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

// pass reads the log from offset 0 to its end; pages requested past the end are
// cancelled and awaited before it returns.
func (s *scan[E]) pass(ctx context.Context, concurrency int) error {
	s.out, s.lastTime, s.staleRun, s.dups, s.idless, s.readAhead = []E{}, nil, 0, 0, 0, false
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
		// Pages in flight after 0, 1, 2, 3, 4, 5 full pages: 1, 1, 2, 4, 8, 16, up
		// to concurrency; up to twice as many unmerged; none added once a page
		// ahead came back short (DESIGN.md, "Paging").
		want := 1
		if concurrency > 1 && full > 0 {
			want = min(concurrency, max(full, 1<<min(full-1, 8)))
		}
		inFlight, ended, unmerged := 0, false, want*min(want, 2) // one at a time stays one at a time
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

// merge de-duplicates a page, checks its time order and applies Keep.
func (s *scan[E]) merge(ctx context.Context, f *fetched[E]) pageInfo {
	s.seenPrev, s.seenCur = s.seenCur, make(map[string]struct{}, len(s.seenCur))
	info, ordered := pageInfo{n: f.n, entries: len(f.entries)}, true
	for i := range f.entries {
		e := &f.entries[i]
		id, t := s.kind.key(e)
		if t != nil { // duplicates too: a log in time order is in order across pages
			ordered = ordered && (s.lastTime == nil || !t.After(*s.lastTime))
			s.lastTime, info.oldest = t, t
		}
		if id != nil && *id != "" {
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
		if s.keep == nil || s.keep(e) {
			s.out = append(s.out, *e)
		}
	}
	f.entries = nil
	if !ordered && s.earlyStopOK {
		s.earlyStopOK = false
		s.c.logger.Debug(ctx, "log entries are not in time order; reading to the end instead of stopping at the start time",
			map[string]any{"log": s.kind.name, "offset": f.offset})
	}
	return info
}
