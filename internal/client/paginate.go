package client

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// AuditLogQuery selects audit log entries. Start and End (inclusive) and
// ResourceID are sent to the server; Start and End are applied here as well,
// because older servers ignore them.
type AuditLogQuery struct {
	Start, End *time.Time
	ResourceID *int64 // not applied here: the caller filters the ResourceID string
	// Keep, when set, is called once per distinct entry inside the time window,
	// from one goroutine at a time, while pages are decoded; false drops the entry
	// so that memory grows with kept entries only. If a concurrent read has to be
	// redone (see ListAuditLogs), Keep sees the entries again in the new pass.
	Keep func(*AuditEntry) bool
}

// SessionLogQuery selects session log entries; see AuditLogQuery.
type SessionLogQuery struct {
	Start, End *time.Time
	Keep       func(*SessionEntry) bool
}

// ListStats tells what a listing cost. Requests counts HTTP attempts, retries
// included; Pages counts successful page responses; Scanned counts distinct
// entries decoded in the pass that produced the result, in the window or not.
type ListStats struct {
	Requests int
	Pages    int
	Scanned  int
	Retries  int
}

// ListAuditLogs returns every audit entry matching q, newest first (the
// server's order), without duplicates.
//
// Pages are read by offset. The first page shows the server's page size; the
// following pages are then read MaxConcurrency at a time and merged in offset
// order. New entries arriving at the head shift the offsets: overlaps are
// removed by ID, and a possible gap between concurrent pages is detected by
// re-reading the newest entry at the end, in which case the log is read again
// one page at a time. When q.Start is set and pages are in time order, the
// read stops at the first page reaching past Start.
func (c *Client) ListAuditLogs(ctx context.Context, q AuditLogQuery) ([]AuditEntry, ListStats, error) {
	return list(ctx, c, auditLog, filters{start: q.Start, end: q.End, resourceID: q.ResourceID}, q.Keep)
}

// ListSessionLogs returns every session entry matching q, newest first,
// without duplicates; it pages like ListAuditLogs.
func (c *Client) ListSessionLogs(ctx context.Context, q SessionLogQuery) ([]SessionEntry, ListStats, error) {
	return list(ctx, c, sessionLog, filters{start: q.Start, end: q.End}, q.Keep)
}

// logKind describes one endpoint: where it is and how its entries decode.
type logKind[E any] struct {
	name      string // for messages: "audit log"
	path      string
	pageLimit int
	listKeys  []string
	parse     func(raw []byte) (E, bool)
	id        func(*E) *string
	time      func(*E) *time.Time
}

var auditLog = &logKind[AuditEntry]{
	name: "audit log", path: "/logs", pageLimit: AuditPageLimit, listKeys: []string{"entries", "logs"},
	parse: parseAuditEntry,
	id:    func(e *AuditEntry) *string { return e.ID },
	time:  func(e *AuditEntry) *time.Time { return e.Time },
}

var sessionLog = &logKind[SessionEntry]{
	name: "session log", path: "/session-logs", pageLimit: SessionPageLimit, listKeys: []string{"entries", "sessions"},
	parse: parseSessionEntry,
	id:    func(e *SessionEntry) *string { return e.ID },
	time:  func(e *SessionEntry) *time.Time { return e.Time },
}

func list[E any](ctx context.Context, c *Client, kind *logKind[E], f filters, keep func(*E) bool) ([]E, ListStats, error) {
	if f.start != nil && f.end != nil && f.start.After(*f.end) {
		return nil, ListStats{}, fmt.Errorf("the start time %s is after the end time %s, so no entry can match; swap them",
			f.start.UTC().Format(time.RFC3339), f.end.UTC().Format(time.RFC3339))
	}
	s := &scan[E]{c: c, kind: kind, f: f, keep: keep}
	if err := s.run(ctx); err != nil {
		return nil, s.stats, c.scrub(err)
	}
	if s.out == nil {
		s.out = []E{}
	}
	return s.out, s.stats, nil
}

// scan is one listing: its results, the IDs of the last two pages or waves
// (enough to remove the overlap that new entries cause, without remembering
// every ID), and what it has learnt about the server's order.
type scan[E any] struct {
	c    *Client
	kind *logKind[E]
	f    filters
	keep func(*E) bool

	stats       ListStats
	out         []E
	seenPrev    map[string]struct{}
	seenCur     map[string]struct{}
	earlyStopOK bool       // false once any page was out of time order
	lastTime    *time.Time // time of the last distinct entry, to check order across pages
	staleRun    int        // consecutive non-empty pages without a new entry
}

// pageInfo is what one decoded page tells the pager.
type pageInfo struct {
	n       int // list elements, as the server counts them for offsets
	entries int // elements that were objects
	ids     int // entries with an ID
	fresh   int // entries not seen on the last two pages or waves
	oldest  *time.Time
	ordered bool   // times never increase along the page or from the last page
	head    string // identifies the first element, for the gap check
}

func (s *scan[E]) reset() {
	s.out, s.lastTime, s.staleRun = nil, nil, 0
	s.seenPrev, s.seenCur = map[string]struct{}{}, map[string]struct{}{}
	s.earlyStopOK = true
	s.stats.Scanned = 0
}

// run reads the whole log, concurrently when allowed, and redoes the read one
// page at a time when new entries arrived while concurrent pages were in flight:
// only then can offsets have shifted between two of them and opened a gap.
func (s *scan[E]) run(ctx context.Context) error {
	s.reset()
	head, waves, err := s.pass(ctx, s.c.concurrency)
	if err != nil || waves == 0 {
		return err
	}
	page, err := s.fetch(ctx, 0, 1)
	if err != nil {
		return err
	}
	now, err := s.headOf(page)
	if err != nil {
		return err
	}
	if now == head {
		return nil
	}
	s.c.debug(ctx, "new entries arrived during a concurrent read; reading the log again one page at a time", map[string]any{
		"log": s.kind.name, "requests_so_far": s.stats.Requests,
	})
	s.reset()
	_, _, err = s.pass(ctx, 1)
	return err
}

// pass reads pages from offset 0 until the end and returns the first page's
// head and how many concurrent waves ran.
func (s *scan[E]) pass(ctx context.Context, concurrency int) (head string, waves int, err error) {
	pg := pager{limit: s.kind.pageLimit, size: s.kind.pageLimit}
	for !pg.done {
		if concurrency > 1 && pg.canWave() {
			if err := s.wave(ctx, &pg, concurrency); err != nil {
				return "", waves, err
			}
			waves++
			continue
		}
		offset := pg.next
		page, err := s.fetch(ctx, offset, pg.limit)
		if err != nil {
			return "", waves, err
		}
		s.rotate()
		info, err := s.process(ctx, page, offset)
		if err != nil {
			return "", waves, err
		}
		if offset == 0 {
			head = info.head
		}
		if _, err := s.advance(&pg, info, offset); err != nil {
			return "", waves, err
		}
	}
	return head, waves, nil
}

// wave reads the next m pages at once, assuming full pages of pg.size, and
// merges them in offset order. The first page that is not exactly full (or
// that ends the read) invalidates the offsets after it: those are dropped.
func (s *scan[E]) wave(ctx context.Context, pg *pager, m int) error {
	base, size := pg.next, pg.size
	pages := s.fetchConcurrently(ctx, base, size, pg.limit, m)
	s.rotate() // the wave is one unit for de-duplication
	for k, r := range pages {
		if r.err != nil {
			return r.err
		}
		info, err := s.process(ctx, r.page, base+k*size)
		if err != nil {
			return err
		}
		if full, err := s.advance(pg, info, base+k*size); err != nil || !full {
			return err
		}
	}
	return nil
}

type fetched struct {
	page rawPage
	err  error
}

// fetchConcurrently gets m pages at base, base+size, ... When one fails, the
// pages after it are cancelled: they cannot be used without it. The pages
// before it go on, since one of them may end the read and make the failure moot.
func (s *scan[E]) fetchConcurrently(ctx context.Context, base, size, limit, m int) []fetched {
	results := make([]fetched, m)
	ctxs := make([]context.Context, m)
	cancels := make([]context.CancelFunc, m)
	for k := range m {
		ctxs[k], cancels[k] = context.WithCancel(ctx)
	}
	defer func() {
		for _, cancel := range cancels {
			cancel()
		}
	}()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for k := range m {
		wg.Go(func() {
			offset := base + k*size
			page, attempts, err := s.c.get(ctxs[k], s.kind.path+s.f.query(offset, limit))
			mu.Lock()
			defer mu.Unlock()
			results[k] = fetched{page: page, err: s.count(offset, attempts, err)}
			if err != nil {
				for _, cancel := range cancels[k+1:] {
					cancel()
				}
			}
		})
	}
	wg.Wait()
	return results
}

func (s *scan[E]) fetch(ctx context.Context, offset, limit int) (rawPage, error) {
	page, attempts, err := s.c.get(ctx, s.kind.path+s.f.query(offset, limit))
	return page, s.count(offset, attempts, err)
}

// count adds one fetch to the stats and names the page in its error.
func (s *scan[E]) count(offset, attempts int, err error) error {
	s.stats.Requests += attempts
	s.stats.Retries += max(0, attempts-1)
	if err != nil {
		return fmt.Errorf("reading the %s at offset %d: %w", s.kind.name, offset, err)
	}
	s.stats.Pages++
	return nil
}

func (s *scan[E]) rotate() {
	s.seenPrev, s.seenCur = s.seenCur, make(map[string]struct{}, len(s.seenCur))
}

func (s *scan[E]) seen(id string) bool {
	_, cur := s.seenCur[id]
	_, prev := s.seenPrev[id]
	return cur || prev
}

// process decodes one page, entry by entry: de-duplicates, checks the time
// order, applies the window and Keep, and stores what is kept.
func (s *scan[E]) process(ctx context.Context, page rawPage, offset int) (pageInfo, error) {
	info := pageInfo{ordered: true}
	var prev *time.Time
	n, err := decodePage(page.body, page.contentType, s.kind.listKeys, func(raw json.RawMessage) {
		e, ok := s.kind.parse(raw)
		if info.n++; info.n == 1 {
			info.head = s.headKey(e, ok, raw)
		}
		if !ok {
			return
		}
		info.entries++
		t := s.kind.time(&e)
		if t != nil {
			if prev != nil && t.After(*prev) {
				info.ordered = false
			}
			prev, info.oldest = t, t
		}
		if id := s.kind.id(&e); id != nil && *id != "" {
			info.ids++
			dup := s.seen(*id)
			s.seenCur[*id] = struct{}{} // even when dup: the window holds what the last pages showed
			if dup {
				return
			}
		}
		info.fresh++
		s.stats.Scanned++
		if t != nil {
			if s.lastTime != nil && t.After(*s.lastTime) {
				info.ordered = false
			}
			s.lastTime = t
		}
		if !s.f.contains(t) || (s.keep != nil && !s.keep(&e)) {
			return
		}
		s.out = append(s.out, e)
	})
	if err != nil {
		// Decode errors quote the body, which comes from the server: redact it here.
		return info, fmt.Errorf("reading the %s at offset %d: %s", s.kind.name, offset, s.c.redact(err.Error()))
	}
	info.n = n
	if !info.ordered && s.earlyStopOK {
		s.earlyStopOK = false
		s.c.debug(ctx, "log entries are not in time order; reading to the end instead of stopping at the start time",
			map[string]any{"log": s.kind.name, "offset": offset})
	}
	return info, nil
}

func (s *scan[E]) headKey(e E, ok bool, raw json.RawMessage) string {
	if ok {
		if id := s.kind.id(&e); id != nil && *id != "" {
			return "id:" + *id
		}
	}
	return "raw:" + string(raw)
}

// headOf identifies the newest entry of page without storing anything.
func (s *scan[E]) headOf(page rawPage) (string, error) {
	head := ""
	_, err := decodePage(page.body, page.contentType, s.kind.listKeys, func(raw json.RawMessage) {
		if head == "" {
			e, ok := s.kind.parse(raw)
			head = s.headKey(e, ok, raw)
		}
	})
	if err != nil {
		return "", fmt.Errorf("reading the newest %s entry: %s", s.kind.name, s.c.redact(err.Error()))
	}
	return head, nil
}

// advance moves the pager past a processed page; see pager.consume. It also
// stops a server that ignores offset from keeping the read going forever.
func (s *scan[E]) advance(pg *pager, info pageInfo, offset int) (full bool, err error) {
	if info.entries > 0 && info.fresh == 0 && info.ids == info.entries {
		s.staleRun++
	} else {
		s.staleRun = 0
	}
	if s.staleRun >= 3 {
		return false, fmt.Errorf("reading the %s at offset %d: the server returned only entries already read for 3 pages in a row; it seems to ignore the offset parameter", s.kind.name, offset)
	}
	stop := s.earlyStopOK && s.f.start != nil && info.oldest != nil && info.oldest.Before(*s.f.start)
	return pg.consume(info.n, stop), nil
}
