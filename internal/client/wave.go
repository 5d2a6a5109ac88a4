package client

import (
	"context"
	"sync"
)

// A wave is m pages at base, base+size, ... read at once, on the assumption
// that every page before them was full. Each page is decoded in the goroutine
// that fetched it; the scan merges them in offset order as they arrive.
//
// Waves are chained so that the network wait of one overlaps the merging of
// the last: once every page of a wave has arrived full (and none reaches past
// the start time) and the scan has begun merging it, the wave starts the next
// one, which is the very wave the scan would start after merging these pages.
// So there are never more than m requests in flight nor more than two waves of
// decoded pages in memory, and no request is made that reading wave after wave
// would not make, unless the scan then fails (a server that ignores offset, say).
type wave[E any] struct {
	base, size, limit, m int
	arrivals             []chan fetched[E] // one result each, in offset order

	mu       sync.Mutex
	cancels  []context.CancelFunc // one per page
	pending  int                  // pages not yet arrived
	allFull  bool                 // every page so far arrived whole and exactly full
	merging  bool                 // the scan has begun merging this wave
	next     *wave[E]
	nextUsed bool // takeNext was called: too late to start a next wave
}

type fetched[E any] struct {
	page     decodedPage[E]
	attempts int
	err      error
}

func (w *wave[E]) offset(k int) int { return w.base + k*w.size }

// startWave starts fetching and decoding the m pages of a wave. When one page
// fails, the pages after it are cancelled: they cannot be used without it. The
// pages before it go on, since one of them may end the read and make the
// failure moot.
func (s *scan[E]) startWave(ctx context.Context, base, size, limit, m int) *wave[E] {
	w := &wave[E]{base: base, size: size, limit: limit, m: m, pending: m, allFull: true}
	w.arrivals = make([]chan fetched[E], m)
	ctxs := make([]context.Context, m)
	cancels := make([]context.CancelFunc, m)
	for k := range m {
		w.arrivals[k] = make(chan fetched[E], 1)
		ctxs[k], cancels[k] = context.WithCancel(ctx)
	}
	w.cancels = cancels
	for k := range m {
		go func() {
			offset := w.offset(k)
			var r fetched[E]
			page, attempts, err := s.c.get(ctxs[k], s.kind.path+s.f.query(offset, limit))
			r.attempts, r.err = attempts, err
			switch {
			case err != nil:
				s.arrived(ctx, w, false, cancels[k+1:])
			case s.f.start == nil:
				// Whether the page leads on is known before it is parsed: the
				// next wave's wait overlaps the parsing.
				sp := s.split(page)
				s.arrived(ctx, w, sp.err == nil && sp.n == size, nil)
				r.page = s.parse(sp, offset)
				page.release()
			default:
				r.page = s.decode(page, offset)
				s.arrived(ctx, w, s.leadsOn(r.page, size), nil)
			}
			w.arrivals[k] <- r
		}()
	}
	return w
}

// arrived records that one page of w has arrived, and whether it leads on (see
// leadsOn). A failed page cancels the pages after it (later). The last page to
// arrive releases the pages' contexts and may start the next wave, before its
// result is handed over, so the scan, which waits for every page, always finds
// the next wave decided.
func (s *scan[E]) arrived(ctx context.Context, w *wave[E], leadsOn bool, later []context.CancelFunc) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, cancel := range later {
		cancel()
	}
	w.allFull = w.allFull && leadsOn
	if w.pending--; w.pending == 0 {
		for _, cancel := range w.cancels {
			cancel()
		}
		s.startNextLocked(ctx, w)
	}
}

// startNextLocked starts the wave after w once w has wholly arrived, all full,
// and is being merged. w.mu is held.
func (s *scan[E]) startNextLocked(ctx context.Context, w *wave[E]) {
	if w.pending == 0 && w.allFull && w.merging && w.next == nil && !w.nextUsed && ctx.Err() == nil {
		w.next = s.startWave(ctx, w.base+w.m*w.size, w.size, w.limit, w.m)
	}
}

// leadsOn reports that merging page will not end the wave: it decoded, it is
// exactly full, and it does not reach past the start time (where the scan may
// stop early).
func (s *scan[E]) leadsOn(page decodedPage[E], size int) bool {
	if page.err != nil || page.n != size {
		return false
	}
	return s.f.start == nil || page.oldest == nil || !page.oldest.Before(*s.f.start)
}

// runWave merges the pages of w in offset order, each as soon as it and those
// before it have arrived. The first page that is not exactly full (or that
// ends the read) invalidates the offsets after it: those are dropped. Every
// page is awaited and counted before runWave returns, used or not, so that no
// request outlives the read. allFull reports that the read goes on after w.
func (s *scan[E]) runWave(ctx context.Context, pg *pager, w *wave[E]) (allFull bool, err error) {
	received := 0
	defer func() {
		for k := received; k < w.m; k++ {
			r := <-w.arrivals[k]
			_ = s.count(w.offset(k), r.attempts, r.err) // a page after the end: its failure is moot
		}
	}()
	w.mu.Lock()
	w.merging = true
	s.startNextLocked(ctx, w)
	w.mu.Unlock()
	s.rotate() // the wave is one unit for de-duplication
	for k := range w.m {
		r := <-w.arrivals[k]
		received++
		if err := s.count(w.offset(k), r.attempts, r.err); err != nil {
			return false, err
		}
		info, err := s.merge(ctx, r.page, w.offset(k))
		if err != nil {
			return false, err
		}
		if full, err := s.advance(pg, info, w.offset(k)); err != nil || !full {
			return false, err
		}
	}
	return true, nil
}

// takeNext returns the wave w started after itself, if any, and stops it from
// starting one later.
func (w *wave[E]) takeNext() *wave[E] {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.nextUsed = true
	next := w.next
	w.next = nil
	return next
}

// discard waits for a wave the read does not need, and for any wave it
// started in turn, and counts their requests: they were made. The caller has
// cancelled their context, or will before long.
func (s *scan[E]) discard(w *wave[E]) {
	for w != nil {
		for k := range w.m {
			r := <-w.arrivals[k]
			_ = s.count(w.offset(k), r.attempts, r.err)
		}
		w = w.takeNext()
	}
}
