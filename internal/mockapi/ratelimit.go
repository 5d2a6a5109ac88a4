package mockapi

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// rateLimitPerMinute is the documented budget per account API key. Without
// Options.RateLimit the mock only counts it down in X-Rate-Limit-Remaining and
// never answers 429 by itself.
const rateLimitPerMinute = 400

// rateWindows counts requests per x-api-key in fixed windows, as the API
// does: a window starts with the first request after the last one ended.
type rateWindows struct {
	limit   int
	window  time.Duration
	enforce bool

	mu      sync.Mutex
	windows map[string]*rateWindow
	refused int
}

type rateWindow struct {
	start time.Time
	count int
}

func newRateWindows(opts Options) *rateWindows {
	w := &rateWindows{windows: map[string]*rateWindow{}}
	w.set(opts.RateLimit, opts.RateLimitWindow)
	return w
}

// set is Options.RateLimit and RateLimitWindow; w.mu must be held once w is shared.
func (w *rateWindows) set(limit int, window time.Duration) {
	w.limit, w.window, w.enforce = rateLimitPerMinute, time.Minute, limit > 0
	if limit > 0 {
		w.limit = limit
		if window > 0 {
			w.window = window
		}
	}
}

// take counts one request of key. With the limit enforced, a request past the
// window's budget is refused: it is not counted, and retryAfter says when the
// window ends (whole seconds, rounded up, at least 1).
func (w *rateWindows) take(key string) (remaining int, refused bool, retryAfter int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	win := w.windows[key]
	if win == nil || now.Sub(win.start) >= w.window {
		win = &rateWindow{start: now}
		w.windows[key] = win
	}
	if w.enforce && win.count >= w.limit {
		w.refused++
		left := win.start.Add(w.window).Sub(now)
		return 0, true, max(1, int((left+time.Second-1)/time.Second))
	}
	win.count++
	return max(w.limit-win.count, 0), false, 0
}

// rateLimited is the 429 the API sends once the key's window is spent.
func rateLimited(retryAfter int) reply {
	rep := errorReply(http.StatusTooManyRequests, "Too many requests: the rate limit of this API key is spent; retry later")
	s := strconv.Itoa(retryAfter)
	rep.header = http.Header{"X-Rate-Limit-Retry-After-Seconds": {s}, "Retry-After": {s}}
	return rep
}

// ResetRateLimit forgets every key's window, as if a quiet minute had passed.
func (s *Server) ResetRateLimit() {
	s.rate.mu.Lock()
	s.rate.windows = map[string]*rateWindow{}
	s.rate.mu.Unlock()
}

// SetRateLimit changes the limit from the next request on, as Options.RateLimit
// and RateLimitWindow set it (0: the API's 400 per minute, counted down, not
// enforced); each key's current window keeps its start and its count, as when
// the key's plan changes mid-window.
func (s *Server) SetRateLimit(limit int, window time.Duration) {
	s.rate.mu.Lock()
	s.rate.set(limit, window)
	s.rate.mu.Unlock()
}

// RateLimited counts the answers that were 429 because a key's window was
// spent (queued faults not included).
func (s *Server) RateLimited() int {
	s.rate.mu.Lock()
	defer s.rate.mu.Unlock()
	return s.rate.refused
}
