package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	maxPageBytes  = 64 << 20 // a full audit page is well under 1 MiB
	maxErrorBytes = 64 << 10
)

var errResponseTooLarge = errors.New("the response is larger than 64 MiB; this is not a log page")

// rawPage is a 2xx body, read within its attempt.
type rawPage struct {
	body        []byte
	contentType string
}

// readBody reads a 2xx body of at most maxPageBytes.
func readBody(r io.Reader) (rawPage, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxPageBytes+1))
	if err == nil && len(body) > maxPageBytes {
		err = errResponseTooLarge
	}
	return rawPage{body: body}, err
}

// get performs GET pathAndQuery: one attempt, then up to maxRetries more while
// the failure is one a retry can help with (see attempt), each after backoff's
// wait. Every attempt waits on the budget first and is bounded by the request
// timeout, body included: its hops go through st (see callState).
func (c *Client) get(ctx context.Context, pathAndQuery string) (rawPage, *callState, error) {
	st := &callState{c: c}
	hc := *c.httpClient
	hc.Transport = st
	path := c.basePath + pathAndQuery
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+pathAndQuery, nil)
	if err != nil {
		return rawPage{}, st, fmt.Errorf("building the request for %s: %w", path, err)
	}
	req.Header = http.Header{"X-Api-Key": {c.apiKey}, "X-Api-Secret-Key": {c.secretKey}, "Accept": {"application/json"}}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	var failure error // of the newest attempt that was not cancelled
	for retries := 0; ; retries++ {
		a := c.attempt(ctx, &hc, req, path, st)
		if a.cancelled {
			break
		}
		if a.err == nil {
			return a.page, st, nil
		}
		failure = a.err
		if !a.retry || retries >= c.maxRetries {
			break
		}
		wait := c.backoff(st.attempts, a.serverWait)
		c.logger.Warn(ctx, "retrying Redis Cloud API request", map[string]any{
			"path": path, "attempt": st.attempts, "reason": c.redact(failure.Error()), "wait_ms": wait.Milliseconds(),
		})
		if !sleep(ctx, wait) {
			break
		}
	}
	return rawPage{}, st, gaveUp(ctx, st, failure)
}

// attemptResult is what one attempt came to.
type attemptResult struct {
	page       rawPage
	err        error         // why there is no page; nil when there is one
	retry      bool          // whether another attempt may succeed
	serverWait time.Duration // the wait the answer asked for before the next attempt
	cancelled  bool          // the caller's context ended: the attempt tells nothing
}

// attempt sends req once and reads the answer within the attempt. It retries
// 429, 500, 502-504, dropped connections and attempt timeouts; nothing that
// the caller cancelled or that the budget refused to wait for.
func (c *Client) attempt(ctx context.Context, hc *http.Client, req *http.Request, path string, st *callState) (a attemptResult) {
	resp, err := hc.Do(req)
	if resp != nil {
		defer func() { _ = resp.Body.Close() }()
	}
	if ctx.Err() != nil {
		return attemptResult{cancelled: true}
	}
	if w, ok := isRateLimitWait(err); ok {
		return attemptResult{err: w} // not an attempt: nothing was sent
	}
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	defer func() { c.logAttempt(ctx, path, st, status, a.err) }()
	if err == nil && status >= 200 && status <= 299 {
		if a.page, err = readBody(resp.Body); err == nil {
			a.page.contentType = resp.Header.Get("Content-Type")
			return a
		}
		if !errors.Is(err, errResponseTooLarge) {
			err = fmt.Errorf("reading the response: %w", err)
		}
	}
	if resp != nil { // a 2xx whose body failed, or an error status
		a.serverWait = retryAfter(resp.Header, time.Now())
	}
	if err != nil {
		a.err, a.retry = c.transportError(ctx, err), retryableTransport(ctx, err)
		return a
	}
	// The status decides the error; a body that fails to read only loses the message.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBytes))
	a.err, a.retry = newAPIError(status, resp.Request.URL.Path, body, resp.Header.Get("Content-Type"), c.redact), retryableStatus(status)
	return a
}

// sleep waits d, or until ctx ends (false).
func sleep(ctx context.Context, d time.Duration) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// gaveUp is the error of a get without a page: the last failure, bare when it
// came of the only attempt or of the budget, with the count of attempts when
// retries did not help, and with the caller's cancellation when that ended them.
func gaveUp(ctx context.Context, st *callState, failure error) error {
	_, waited := isRateLimitWait(failure)
	switch {
	case failure == nil:
		return ctx.Err()
	case waited || (st.attempts <= 1 && ctx.Err() == nil):
		return failure
	case ctx.Err() != nil: // keep both errors in the chain
		return fmt.Errorf("stopped after %d attempt%s: %w (last error: %w)", st.attempts, map[bool]string{true: "s"}[st.attempts != 1], ctx.Err(), failure)
	}
	return fmt.Errorf("after %d attempts: %w", st.attempts, failure)
}

func (c *Client) logAttempt(ctx context.Context, path string, st *callState, status int, err error) {
	fields := map[string]any{"method": http.MethodGet, "path": path, "attempt": st.attempts, "status": status,
		"duration_ms": time.Since(st.began).Milliseconds()}
	if err != nil {
		fields["error"] = c.redact(err.Error())
	}
	c.logger.Debug(ctx, "Redis Cloud API request", fields)
}

// transportError names the request timeout in an attempt's bare "context deadline exceeded".
func (c *Client) transportError(ctx context.Context, err error) error {
	if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return settingError{SettingRequestTimeout, fmt.Errorf("no complete response within the request timeout (%s): %w", c.requestTimeout, err)}
	}
	return err
}

func retryableStatus(code int) bool {
	return code == http.StatusTooManyRequests || (code >= 500 && code <= 504 && code != http.StatusNotImplemented)
}

// retryableTransport: a dropped connection or an attempt's timeout, not the
// caller's cancellation.
func retryableTransport(ctx context.Context, err error) bool {
	if ctx.Err() != nil || errors.Is(err, errResponseTooLarge) {
		return false
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	// Platforms whose errno values do not match the syscall constants.
	msg := err.Error()
	return strings.Contains(msg, "connection reset") || strings.Contains(msg, "forcibly closed")
}

// backoff: exponential from retryWaitMin, equal jitter, ≥ serverWait, ≤ retryWaitMax.
func (c *Client) backoff(retry int, serverWait time.Duration) time.Duration {
	step := c.retryWaitMax
	if shift := retry - 1; shift < 32 {
		if d := c.retryWaitMin << shift; d > 0 && d < c.retryWaitMax {
			step = d
		}
	}
	wait := step/2 + rand.N(step/2+1)
	wait = max(wait, serverWait)
	return min(wait, c.retryWaitMax)
}

// retryAfter: the longer of x-rate-limit-retry-after-seconds and Retry-After.
func retryAfter(h http.Header, now time.Time) time.Duration {
	var wait time.Duration
	seconds := func(v string) (time.Duration, bool) {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n < 0 {
			return 0, false
		}
		return time.Duration(min(n, 24*3600)) * time.Second, true
	}
	if d, ok := seconds(h.Get("X-Rate-Limit-Retry-After-Seconds")); ok {
		wait = d
	}
	if v := h.Get("Retry-After"); v != "" {
		if d, ok := seconds(v); ok {
			wait = max(wait, d)
		} else if t, err := http.ParseTime(v); err == nil {
			wait = max(wait, t.Sub(now))
		}
	}
	return wait
}
