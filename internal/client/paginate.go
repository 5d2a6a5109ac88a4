package client

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// AuditLogQuery selects audit log entries. Start and End (inclusive) and
// ResourceID are sent to the server; Start and End are applied here as well,
// because older servers ignore them.
type AuditLogQuery struct {
	Start, End *time.Time
	ResourceID *int64 // not applied here: the caller filters the ResourceID string
	// Keep, when set, is called once per distinct entry inside the time window,
	// in the server's order, from one goroutine at a time, as pages are merged;
	// false drops the entry, so that memory grows with kept entries only (plus at
	// most two waves of decoded pages; see ListAuditLogs). If a concurrent read
	// has to be redone, Keep sees the entries again in the new pass.
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
}

// ListAuditLogs returns every audit entry matching q, newest first (the
// server's order), without duplicates.
//
// Pages are read by offset. The first page shows the server's page size; the
// following pages are then read in waves of MaxConcurrency, each page decoded
// as it arrives and merged in offset order; a wave whose pages have all arrived
// full starts the next one while it is being merged (see wave). New entries
// arriving at the head shift the offsets: overlaps are removed by ID, and a
// possible gap between concurrent pages is detected by re-reading the newest
// entry at the end, in which case the log is read again one page at a time.
// When q.Start is set and pages are in time order, the read stops at the first
// page reaching past Start.
func (c *Client) ListAuditLogs(ctx context.Context, q AuditLogQuery) ([]AuditEntry, ListStats, error) {
	return list(ctx, c, auditLog, filters{start: q.Start, end: q.End, resourceID: q.ResourceID}, q.Keep, q.Restart)
}

// ListSessionLogs returns every session entry matching q, newest first,
// without duplicates; it pages like ListAuditLogs.
func (c *Client) ListSessionLogs(ctx context.Context, q SessionLogQuery) ([]SessionEntry, ListStats, error) {
	return list(ctx, c, sessionLog, filters{start: q.Start, end: q.End}, q.Keep, q.Restart)
}

// logKind describes one endpoint: where it is and how its entries decode.
type logKind[E any] struct {
	name      string // for messages: "audit log"
	path      string
	pageLimit int
	listKeys  []string
	parse     func(raw []byte) (E, bool) // for an element decodePage visits
	id        func(*E) *string
	time      func(*E) *time.Time
}

var auditLog = &logKind[AuditEntry]{
	name: "audit log", path: "/logs", pageLimit: AuditPageLimit, listKeys: []string{"entries", "logs"},
	parse: parseAuditElement,
	id:    func(e *AuditEntry) *string { return e.ID },
	time:  func(e *AuditEntry) *time.Time { return e.Time },
}

var sessionLog = &logKind[SessionEntry]{
	name: "session log", path: "/session-logs", pageLimit: SessionPageLimit, listKeys: []string{"entries", "sessions"},
	parse: parseSessionElement,
	id:    func(e *SessionEntry) *string { return e.ID },
	time:  func(e *SessionEntry) *time.Time { return e.Time },
}

func list[E any](ctx context.Context, c *Client, kind *logKind[E], f filters, keep func(*E) bool, restart func()) ([]E, ListStats, error) {
	if f.start != nil && f.end != nil && f.start.After(*f.end) {
		return nil, ListStats{}, fmt.Errorf("the start time %s is after the end time %s, so no entry can match; swap them",
			f.start.UTC().Format(time.RFC3339), f.end.UTC().Format(time.RFC3339))
	}
	s := &scan[E]{c: c, kind: kind, f: f, keep: keep, restart: restart}
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
// every ID), and what it has learnt about the server's order. Only the
// goroutine running the scan changes it; the goroutines of a wave read c, kind
// and f, nothing else.
type scan[E any] struct {
	c       *Client
	kind    *logKind[E]
	f       filters
	keep    func(*E) bool
	restart func()

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
	if s.restart != nil {
		s.restart()
	}
	_, _, err = s.pass(ctx, 1)
	return err
}

// pass reads pages from offset 0 until the end and returns the first page's
// head and how many concurrent waves ran. A wave that a finished wave started
// ahead of time (see startWave) and that turns out not to be needed is
// cancelled and awaited before pass returns.
func (s *scan[E]) pass(ctx context.Context, concurrency int) (head string, waves int, err error) {
	ctx, cancel := context.WithCancel(ctx)
	var ahead *wave[E] // started before it was needed, at pg.next
	defer func() {
		cancel()
		s.discard(ahead)
	}()
	pg := pager{limit: s.kind.pageLimit, size: s.kind.pageLimit}
	for !pg.done {
		if concurrency > 1 && pg.canWave() {
			w := ahead
			ahead = nil
			if w == nil || w.base != pg.next || w.size != pg.size {
				s.discard(w)
				w = s.startWave(ctx, pg.next, pg.size, pg.limit, concurrency)
			}
			allFull, err := s.runWave(ctx, &pg, w)
			ahead = w.takeNext()
			if err != nil {
				return "", waves, err // the deferred cancel stops ahead
			}
			if !allFull {
				s.discard(ahead) // not expected: ahead starts only after full pages
				ahead = nil
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

func (s *scan[E]) fetch(ctx context.Context, offset, limit int) (rawPage, error) {
	page, attempts, err := s.c.get(ctx, s.kind.path+s.f.query(offset, limit))
	return page, s.count(offset, attempts, err)
}

// count adds one fetch to the stats and names the page in its error. Only the
// goroutine that runs the scan calls it.
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

// decodedPage is one page decoded but not yet merged into the scan. Decoding
// touches nothing of the scan, so concurrent pages decode in parallel, each in
// the goroutine that fetched it; merging happens in offset order.
type decodedPage[E any] struct {
	elements []decodedElement[E]
	n        int        // list elements, as the server counts them for offsets
	head     string     // identifies the first element, for the gap check
	oldest   *time.Time // time of the last entry that has one
	err      error      // the body could not be decoded (elements holds what came before)
}

type decodedElement[E any] struct {
	entry    E
	isObject bool
}

// splitPage is a page body checked and cut into its list elements, which
// alias the body; see decodePage for err.
type splitPage struct {
	raws [][]byte
	n    int
	err  error
}

func (s *scan[E]) split(page rawPage) splitPage {
	var sp splitPage
	sp.n, sp.err = decodePage(page.body, page.contentType, s.kind.listKeys, func(raw json.RawMessage) {
		sp.raws = append(sp.raws, raw)
	})
	return sp
}

// parse decodes the elements of a split page; the result does not alias the body.
func (s *scan[E]) parse(sp splitPage, offset int) decodedPage[E] {
	d := decodedPage[E]{n: sp.n, elements: make([]decodedElement[E], len(sp.raws))}
	for i, raw := range sp.raws {
		e, ok := s.kind.parse(raw)
		if i == 0 {
			d.head = s.headKey(e, ok, raw)
		}
		if ok {
			if t := s.kind.time(&e); t != nil {
				d.oldest = t
			}
		}
		d.elements[i] = decodedElement[E]{entry: e, isObject: ok}
	}
	if sp.err != nil {
		// Decode errors quote the body, which comes from the server: redact it here.
		d.err = fmt.Errorf("reading the %s at offset %d: %s", s.kind.name, offset, s.c.redact(sp.err.Error()))
	}
	return d
}

// decode splits and parses a page, then releases its body.
func (s *scan[E]) decode(page rawPage, offset int) decodedPage[E] {
	d := s.parse(s.split(page), offset)
	page.release()
	return d
}

// process decodes one page and merges it.
func (s *scan[E]) process(ctx context.Context, page rawPage, offset int) (pageInfo, error) {
	return s.merge(ctx, s.decode(page, offset), offset)
}

// merge takes a decoded page entry by entry: de-duplicates, checks the time
// order, applies the window and Keep, and stores what is kept.
func (s *scan[E]) merge(ctx context.Context, d decodedPage[E], offset int) (pageInfo, error) {
	info := pageInfo{ordered: true, n: d.n, head: d.head}
	var prev *time.Time
	for i := range d.elements {
		if !d.elements[i].isObject {
			continue
		}
		e := &d.elements[i].entry
		info.entries++
		t := s.kind.time(e)
		if t != nil {
			if prev != nil && t.After(*prev) {
				info.ordered = false
			}
			prev, info.oldest = t, t
		}
		if id := s.kind.id(e); id != nil && *id != "" {
			info.ids++
			dup := s.seen(*id)
			s.seenCur[*id] = struct{}{} // even when dup: the window holds what the last pages showed
			if dup {
				continue
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
		if !s.f.contains(t) || (s.keep != nil && !s.keep(e)) {
			continue
		}
		s.out = append(s.out, *e)
	}
	if d.err != nil {
		return info, d.err
	}
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
	defer page.release()
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
