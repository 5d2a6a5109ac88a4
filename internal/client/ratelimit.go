package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// budget is the rate limit of one Client, modelled on the API's: a fixed
// window of requestsPerMinute requests per minute that lets a burst of up to
// the whole window's budget go and waits only once it is spent (as Redis's own
// Go client, rediscloud-go-api, does). The server's own count, sent as
// X-Rate-Limit-Remaining on every answer, is followed too: the key's budget is
// shared with every other plan and tool using it, so when the server says it is
// spent the client sends one request at a time until an answer says the
// window has turned, and a 429 holds every request of the Client for the wait
// the server asks for (at most retry_wait_max).
type budget struct {
	limit  int           // requests per window, ours
	window time.Duration // one minute

	mu                          sync.Mutex
	start, pausedUntil          time.Time // of our window; the end of a 429's wait
	count, serverLeft, inFlight int       // sent in our window; X-Rate-Limit-Remaining (-1 unknown); unanswered
	heard                       bool      // an answer has come: until then one request at a time
	changed                     chan struct{}
}

func newBudget(limit int, window time.Duration) *budget {
	return &budget{limit: limit, window: window, serverLeft: -1, changed: make(chan struct{})}
}

// errRateLimitWait is the client-side limit refusing to wait past the deadline.
type errRateLimitWait struct{ err error }

func (e *errRateLimitWait) Error() string { return e.err.Error() }
func (e *errRateLimitWait) Unwrap() error { return e.err }

// wait blocks until a request may go, counts it as in flight, and returns how
// long it was held (0 when it went at once). Every admitted request must be
// followed by done.
func (b *budget) wait(ctx context.Context) (waited time.Duration, probe bool, err error) {
	began := time.Now()
	for held := false; ; held = true {
		b.mu.Lock()
		now := time.Now()
		if b.start.IsZero() || now.Sub(b.start) >= b.window {
			b.start, b.count = now, 0
		}
		var until time.Time // zero: wait for an answer
		switch {
		case now.Before(b.pausedUntil):
			until = b.pausedUntil
		case b.count >= b.limit:
			until = b.start.Add(b.window)
		case !b.heard && b.inFlight > 0:
			// A new Client knows nothing of what other processes already spent of
			// the key's window (each Terraform or OpenTofu command starts the provider
			// afresh): its first request goes alone, and its answer's
			// X-Rate-Limit-Remaining sets the pace of the rest. A single read loses
			// nothing: its first page goes alone anyway.
		case b.serverLeft < 0 || b.serverLeft-b.inFlight > 0 || b.inFlight == 0:
			// Within both budgets; or the server said its budget is spent and
			// nothing is in flight: this request (a probe) finds out whether the
			// server's window has turned.
			probe := b.serverLeft >= 0 && b.serverLeft-b.inFlight <= 0
			b.count++
			b.inFlight++
			b.mu.Unlock()
			if !held {
				return 0, probe, nil
			}
			return time.Since(began), probe, nil
		}
		changed := b.changed
		b.mu.Unlock()

		if deadline, ok := ctx.Deadline(); ok && !until.IsZero() && until.After(deadline) {
			return time.Since(began), false, &errRateLimitWait{fmt.Errorf(
				"the deadline would pass while waiting for the rate limit (requests_per_minute %d, or the wait the server asked for): %w",
				b.limit, context.DeadlineExceeded)}
		}
		timer := time.NewTimer(time.Until(until))
		if until.IsZero() {
			timer.Stop()
		}
		select {
		case <-ctx.Done():
			timer.Stop()
			return time.Since(began), false, &errRateLimitWait{fmt.Errorf("waiting for the rate limit (requests_per_minute %d): %w", b.limit, ctx.Err())}
		case <-timer.C:
		case <-changed:
			timer.Stop()
		}
	}
}

// done records the answer to an admitted request (nil when none came):
// what the server says is left, and a 429's wait.
func (b *budget) done(resp *http.Response, probe bool, maxWait time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.inFlight--
	if resp != nil {
		b.heard = true
		// Answers overtake each other: within one window of the server the
		// count only goes down, and only a probe's answer (nothing else in
		// flight) can say that the window has turned.
		n, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("X-Rate-Limit-Remaining")))
		switch {
		case err != nil || n < 0:
			b.serverLeft = -1
		case probe || b.serverLeft < 0 || n < b.serverLeft:
			b.serverLeft = n
		}
		if resp.StatusCode == http.StatusTooManyRequests {
			b.serverLeft = 0
			wait := min(max(retryAfter(resp.Header, time.Now()), time.Second), maxWait)
			if until := time.Now().Add(wait); until.After(b.pausedUntil) {
				b.pausedUntil = until
			}
		}
	}
	close(b.changed)
	b.changed = make(chan struct{})
}

// callState is what one get learns from its attempts; the transport fills it.
type callState struct {
	attempts int
	waited   time.Duration // on the rate limit
	began    time.Time     // the current attempt
}

type callStateKey struct{}

// transport wraps every HTTP attempt, redirects included: it waits on the
// budget, bounds the attempt by request_timeout (the body read included: the
// timeout ends when the body is closed), and tells the budget what the server
// answered.
type transport struct {
	base    http.RoundTripper
	budget  *budget
	timeout time.Duration
	maxWait time.Duration
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	st, ok := req.Context().Value(callStateKey{}).(*callState)
	if !ok {
		st = &callState{}
	}
	waited, probe, err := t.budget.wait(req.Context())
	st.waited += waited
	if err != nil {
		return nil, err
	}
	st.began = time.Now()
	// A request the caller cancelled before it was on the wire (read ahead past
	// the end of the log) never reached the server: it is not counted.
	var wrote atomic.Bool
	ctx, cancel := context.WithTimeout(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) { wrote.Store(i.Err == nil) },
	}), t.timeout)
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if wrote.Load() || resp != nil || req.Context().Err() == nil {
		st.attempts++
	}
	t.budget.done(resp, probe, t.maxWait)
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error { defer c.cancel(); return c.ReadCloser.Close() }

func isRateLimitWait(err error) (*errRateLimitWait, bool) {
	var w *errRateLimitWait
	return w, errors.As(err, &w)
}
