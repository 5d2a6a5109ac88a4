package client

import (
	"cmp"
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

	"github.com/hashicorp/go-retryablehttp"
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

// get performs GET pathAndQuery through go-retryablehttp, each attempt waiting
// on the budget first (see transport). CheckRetry reads a 2xx body within its
// attempt, so that the attempt's timeout and retries cover it, and retries 429,
// 500, 502-504, dropped connections and attempt timeouts; Backoff waits at least
// what x-rate-limit-retry-after-seconds or Retry-After asks.
func (c *Client) get(ctx context.Context, pathAndQuery string) (rawPage, *callState, error) {
	st := &callState{}
	ctx = context.WithValue(ctx, callStateKey{}, st)
	path := c.basePath + pathAndQuery
	var page rawPage
	var failure error // of the newest attempt; nil once a page was read
	checkRetry := func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		if w, ok := isRateLimitWait(err); ok {
			failure = w
			return false, nil
		}
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		defer func() { c.logAttempt(ctx, path, st, status, failure) }()
		if err == nil && status >= 200 && status <= 299 {
			if page, err = readBody(resp.Body); err == nil {
				page.contentType, failure = resp.Header.Get("Content-Type"), nil
				return false, nil
			}
			if !errors.Is(err, errResponseTooLarge) {
				err = fmt.Errorf("reading the response: %w", err)
			}
		}
		if err != nil {
			failure = c.transportError(ctx, err)
			return retryableTransport(ctx, err), nil
		}
		// The status decides the error; a body that fails to read only loses the message.
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBytes))
		failure = newAPIError(status, resp.Request.URL.Path, body, resp.Header.Get("Content-Type"), c.redact)
		return retryableStatus(status), nil
	}
	rc := &retryablehttp.Client{
		HTTPClient: c.httpClient, RetryWaitMin: c.retryWaitMin, RetryWaitMax: c.retryWaitMax, RetryMax: c.maxRetries,
		CheckRetry: checkRetry,
		Backoff: func(_, _ time.Duration, _ int, resp *http.Response) time.Duration {
			var serverWait time.Duration
			if resp != nil {
				serverWait = retryAfter(resp.Header, time.Now())
			}
			wait := c.backoff(st.attempts, serverWait)
			c.logger.Warn(ctx, "retrying Redis Cloud API request", map[string]any{
				"path": path, "attempt": st.attempts, "reason": c.redact(failure.Error()), "wait_ms": wait.Milliseconds(),
			})
			return wait
		},
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+pathAndQuery, nil)
	if err != nil {
		return rawPage{}, st, fmt.Errorf("building the request for %s: %w", path, err)
	}
	req.Header = http.Header{"X-Api-Key": {c.apiKey}, "X-Api-Secret-Key": {c.secretKey}, "Accept": {"application/json"}}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	resp, err := rc.Do(req)
	if resp != nil {
		_ = resp.Body.Close() // read in checkRetry
	}
	switch _, waited := isRateLimitWait(failure); {
	case err == nil && failure == nil:
		return page, st, nil
	case failure == nil:
		return rawPage{}, st, cmp.Or(ctx.Err(), err)
	case waited || (st.attempts <= 1 && ctx.Err() == nil):
		return rawPage{}, st, failure
	case ctx.Err() != nil: // the caller's context ended the work: keep both errors in the chain
		return rawPage{}, st, fmt.Errorf("stopped after %d attempt%s: %w (last error: %w)", st.attempts, map[bool]string{true: "s"}[st.attempts != 1], ctx.Err(), failure)
	}
	return rawPage{}, st, fmt.Errorf("after %d attempts: %w", st.attempts, failure)
}

func (c *Client) logAttempt(ctx context.Context, path string, st *callState, status int, err error) {
	fields := map[string]any{"method": http.MethodGet, "path": path, "attempt": st.attempts, "status": status,
		"duration_ms": time.Since(st.began).Milliseconds()}
	if err != nil {
		fields["error"] = c.redact(err.Error())
	}
	c.logger.Debug(ctx, "Redis Cloud API request", fields)
}

// transportError names request_timeout in an attempt's bare "context deadline exceeded".
func (c *Client) transportError(ctx context.Context, err error) error {
	if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("no complete response within %s (request_timeout): %w", c.requestTimeout, err)
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
