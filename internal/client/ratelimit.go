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

// budget is the rate limit of one Client, modelled on the API's and on
// rediscloud-go-api's: a fixed window of limit requests per minute, spent in
// bursts, that also follows the key's X-Rate-Limit-Remaining (other plans and
// tools share the key) and holds every request for a 429's wait.
type budget struct {
	limit  int
	window time.Duration

	mu                          sync.Mutex
	start, pausedUntil          time.Time // of our window; the end of a 429's wait
	count, serverLeft, inFlight int       // sent in our window; X-Rate-Limit-Remaining (-1 unknown); unanswered
	heard                       bool      // an answer has come
	changed                     chan struct{}
}

func newBudget(limit int, window time.Duration) *budget {
	return &budget{limit: limit, window: window, serverLeft: -1, changed: make(chan struct{})}
}

// errRateLimitWait: the budget would wait past the deadline, or was cancelled.
type errRateLimitWait struct{ error }

func (e errRateLimitWait) Unwrap() error    { return e.error }
func (e errRateLimitWait) setting() Setting { return SettingRateLimit }

func isRateLimitWait(err error) (errRateLimitWait, bool) {
	var w errRateLimitWait
	return w, errors.As(err, &w)
}

// wait admits a request (done must follow); a probe goes alone into a spent window.
func (b *budget) wait(ctx context.Context) (waited time.Duration, probe bool, err error) {
	began := time.Now()
	for held := false; ; held = true {
		b.mu.Lock()
		now := time.Now()
		if now.Sub(b.start) >= b.window {
			b.start, b.count = now, 0
		}
		until := b.pausedUntil // zero: wait for an answer
		if !now.Before(until) {
			until = time.Time{}
			if b.count >= b.limit {
				until = b.start.Add(b.window)
			}
		}
		// A new Client knows nothing of what other processes spent of the key's
		// window: its first request goes alone, and the answer sets the pace.
		spent := b.serverLeft >= 0 && b.serverLeft <= b.inFlight
		if until.IsZero() && (b.inFlight == 0 || (b.heard && !spent)) {
			b.count++
			b.inFlight++
			b.mu.Unlock()
			if held {
				waited = time.Since(began)
			}
			return waited, spent, nil
		}
		changed := b.changed
		b.mu.Unlock()

		if deadline, ok := ctx.Deadline(); ok && !until.IsZero() && until.After(deadline) {
			return time.Since(began), false, errRateLimitWait{fmt.Errorf(
				"the deadline would pass while waiting for the rate limit (%d requests per minute, or the wait the server asked for): %w",
				b.limit, context.DeadlineExceeded)}
		}
		var timeout <-chan time.Time // nil: wait for an answer
		if !until.IsZero() {
			timeout = time.After(time.Until(until)) // collected once unreferenced (Go 1.23+)
		}
		select {
		case <-ctx.Done():
			return time.Since(began), false, errRateLimitWait{fmt.Errorf("waiting for the rate limit (%d requests per minute): %w", b.limit, ctx.Err())}
		case <-timeout:
		case <-changed:
		}
	}
}

// done records the answer (nil when none came) to an admitted request.
func (b *budget) done(resp *http.Response, probe bool, maxWait time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.inFlight--
	if resp != nil {
		b.heard = true
		// Answers overtake each other: within one window of the server the
		// count only goes down, and only a probe's answer can say it has turned.
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

// callState is one get: the RoundTripper of its HTTP hops, redirects included, and
// what they came to. Each hop waits on the budget, is bounded by the request
// timeout, body included, and tells the budget what the server answered.
type callState struct {
	c        *Client
	attempts int
	waited   time.Duration // on the rate limit
	began    time.Time     // the current attempt
}

func (st *callState) RoundTrip(req *http.Request) (*http.Response, error) {
	c := st.c
	waited, probe, err := c.budget.wait(req.Context())
	st.waited += waited
	if err != nil {
		return nil, err
	}
	st.began = time.Now()
	// A request cancelled before it was on the wire (read ahead past the end of
	// the log) never reached the server: it is not counted.
	var wrote atomic.Bool
	ctx, cancel := context.WithTimeout(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) { wrote.Store(i.Err == nil) },
	}), c.requestTimeout)
	resp, err := c.httpClient.Transport.RoundTrip(req.WithContext(ctx))
	if wrote.Load() || resp != nil || req.Context().Err() == nil {
		st.attempts++
	}
	c.budget.done(resp, probe, c.retryWaitMax)
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
