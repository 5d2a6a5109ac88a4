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

	stats ListStats
	// What the current pass has learned; reset starts each pass afresh.
	out               []E
	seenPrev, seenCur map[string]struct{} // IDs of the last two pages: enough to remove overlaps
	earlyStopOK       bool                // false once any page was out of time order
	lastTime          *time.Time          // of the last entry merged, to check the order
	staleRun          int                 // non-empty pages in a row without a new entry
	dups, idless      int                 // entries met twice, entries without an ID
	readAhead         bool                // pages were in flight together
	wake              chan struct{}       // a page is done
}

// reset starts a pass: only the query and the stats (Scanned aside) carry over.
func (s *scan[E]) reset() {
	stats := s.stats
	stats.Scanned = 0
	*s = scan[E]{c: s.c, kind: s.kind, q: s.q, keep: s.keep, stats: stats,
		out: []E{}, seenPrev: map[string]struct{}{}, seenCur: map[string]struct{}{}, earlyStopOK: true,
		wake: make(chan struct{}, 1)}
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

// pass reads the log from offset 0 to its end, merging pages in offset order
// while prefetch keeps the pages ahead requested; pages requested past the end
// are cancelled and awaited before it returns.
func (s *scan[E]) pass(ctx context.Context, concurrency int) error {
	s.reset()
	p := newPrefetch(ctx, s, concurrency)
	defer p.close()
	for {
		p.fill()
		f := p.nextDone()
		if f == nil { // a page further ahead is done: it may have freed a place
			continue
		}
		if err := s.wait(f); err != nil {
			return err
		}
		info := s.merge(ctx, f)
		if err := s.checkOffsetsMove(f.offset, info); err != nil {
			return err
		}
		if p.ended(info.n) || s.pastStart(info) {
			return nil
		}
		p.learn(f.offset, info.n)
	}
}

// checkOffsetsMove is the rule against a server that ignores offset and sends
// the same page again: three non-empty pages in a row holding only entries
// already read (all with IDs) are an error, not an endless read.
func (s *scan[E]) checkOffsetsMove(offset int, info pageInfo) error {
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

// pastStart is the early stop: in a log that has been in time order so far, the
// page that reaches past the start time is the last one holding entries in the
// window. The server may not filter on the start time itself.
func (s *scan[E]) pastStart(info pageInfo) bool {
	return s.earlyStopOK && s.q.start != nil && info.oldest != nil && info.oldest.Before(*s.q.start)
}

// prefetch holds the pages of one pass requested ahead of the merge, and the
// rules for how many: a ramp that earns concurrency with each full page, and a
// stride that follows the page size the server shows.
type prefetch[E any] struct {
	s           *scan[E]
	concurrency int
	parent      context.Context
	ctx         context.Context    // of the pages ahead; cancelled by drop
	cancel      context.CancelFunc // of ctx
	pages       []*fetched[E]      // requested and not merged, in offset order
	size        int                // the server's page size: the stride of the offsets requested
	sizeKnown   bool               // a full page has shown size, so a shorter one ends the log
	full        int                // full pages in a row: how far ahead the log has earned reading
	next, prevN int                // the offset after the last page merged; that page's length (-1: none yet)
}

func newPrefetch[E any](ctx context.Context, s *scan[E], concurrency int) *prefetch[E] {
	p := &prefetch[E]{s: s, concurrency: concurrency, parent: ctx, size: s.kind.pageLimit, prevN: -1}
	p.ctx, p.cancel = context.WithCancel(ctx)
	return p
}

// want is the ramp: the pages to keep in flight after 0, 1, 2, 3, 4, 5 full
// pages in a row are 1, 1, 2, 4, 8, 16, up to the concurrency. A log of two
// pages and a half costs what a sequential read costs; a long one reaches its
// concurrency within four round trips.
func (p *prefetch[E]) want() int {
	if p.concurrency <= 1 || p.full == 0 {
		return 1
	}
	return min(p.concurrency, max(p.full, 1<<min(p.full-1, 8)))
}

// fill requests pages at the current stride until want are in flight. Pages
// done but not merged do not count, so a page done before the one ahead of it
// frees its place at once, up to twice want waiting to be merged (one at a time
// stays one at a time). Once a page ahead came back short or failed, the log or
// the read ends there: no more are requested. The page to merge next always is.
func (p *prefetch[E]) fill() {
	want := p.want()
	inFlight, shortAhead, unmerged := 0, false, want*min(want, 2)
	for _, g := range p.pages {
		select {
		case <-g.done:
			shortAhead = shortAhead || g.err != nil || g.n < p.size
		default:
			inFlight++
		}
	}
	for ; (inFlight < want && len(p.pages) < unmerged && !shortAhead) || len(p.pages) == 0; inFlight++ {
		p.pages = append(p.pages, p.s.start(p.ctx, p.next+len(p.pages)*p.size, p.s.kind.pageLimit))
	}
	p.s.readAhead = p.s.readAhead || len(p.pages) > 1
}

// nextDone waits until the page to merge next is done and takes it, or until
// any other page is done (nil): that one may have freed a place in flight.
func (p *prefetch[E]) nextDone() *fetched[E] {
	select {
	case <-p.pages[0].done:
	case <-p.s.wake:
		return nil
	}
	f := p.pages[0]
	p.pages = p.pages[1:]
	return f
}

// ended is the end-of-log rule on the page just merged, of n elements: an
// empty page ends the log, and so does a shorter one once a full page has shown
// the server's page size (before that, a short page may be the server's cap).
func (p *prefetch[E]) ended(n int) bool {
	return n == 0 || (p.sizeKnown && n < p.size)
}

// learn takes the stride from the page just merged (at offset, n elements). It
// is full when it holds the limit, the size the server has shown, or as many as
// the page before (a server that caps pages below the limit shows its cap
// twice): a full page fixes the size and climbs the ramp, and pages requested at
// another stride are dropped. Any other page may be a cap of the server's: the
// size is unknown again, the ramp starts over and the pages ahead are dropped.
func (p *prefetch[E]) learn(offset, n int) {
	switch {
	case n == p.s.kind.pageLimit || (p.sizeKnown && n == p.size) || n == p.prevN:
		if n != p.size && len(p.pages) > 0 {
			p.drop()
		}
		p.sizeKnown, p.size = true, n
		p.full++
	default:
		p.sizeKnown, p.full = false, 0
		p.drop()
	}
	p.next, p.prevN = offset+n, n
}

// drop cancels the pages ahead and waits for them; their requests are counted.
func (p *prefetch[E]) drop() {
	p.cancel()
	for _, f := range p.pages {
		_ = p.s.wait(f) // the result is not needed
	}
	p.pages = nil
	p.ctx, p.cancel = context.WithCancel(p.parent)
}

// close ends the pass's requests.
func (p *prefetch[E]) close() {
	p.drop()
	p.cancel()
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
