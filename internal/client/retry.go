package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	maxPageBytes  = 64 << 20 // a full audit page is well under 1 MiB
	maxErrorBytes = 64 << 10
)

// errResponseTooLarge is returned for a 2xx body beyond maxPageBytes.
var errResponseTooLarge = errors.New("the response is larger than 64 MiB; this is not a log page")

// rawPage is a 2xx body read in full. Reading the whole body inside the attempt
// lets the per-attempt timeout and the retry cover it, and lets concurrent
// pages be decoded while others are in flight.
type rawPage struct {
	body        []byte
	contentType string
	buf         *bytes.Buffer // holds body; nil when body is not pooled
}

// pageBuffers recycles page bodies, which a long read would otherwise allocate
// afresh for every page (io.ReadAll: about twice the bytes received) and leave
// to the garbage collector.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps an unusually large body from staying in the pool.
const maxPooledBuffer = 4 << 20

// release returns the body's buffer to the pool. The page must not be used
// afterwards: nothing decoded from it may alias its body.
func (p *rawPage) release() {
	if p.buf != nil && p.buf.Cap() <= maxPooledBuffer {
		pageBuffers.Put(p.buf)
	}
	*p = rawPage{}
}

// readBody reads a 2xx body of at most maxPageBytes into a pooled buffer;
// contentLength, when known, sizes the buffer in one go.
func readBody(r io.Reader, contentLength int64) (rawPage, error) {
	buf, ok := pageBuffers.Get().(*bytes.Buffer)
	if !ok {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	if contentLength > 0 && contentLength <= maxPageBytes {
		buf.Grow(int(contentLength) + bytes.MinRead) // ReadFrom wants MinRead spare to see EOF
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, maxPageBytes+1)); err != nil {
		pageBuffers.Put(buf)
		return rawPage{}, err
	}
	if buf.Len() > maxPageBytes {
		return rawPage{}, errResponseTooLarge // the oversized buffer is left to the collector
	}
	return rawPage{body: buf.Bytes(), buf: buf}, nil
}

// get performs GET pathAndQuery with retries and returns the page, how many
// HTTP attempts were made, and the final error. Every attempt waits on the
// shared rate limiter first.
func (c *Client) get(ctx context.Context, pathAndQuery string) (rawPage, int, error) {
	var lastErr error
	attempts := 0
	for {
		if err := c.limiter.Wait(ctx); err != nil {
			if ctx.Err() == nil {
				// rate.Limiter refuses up front when the deadline would pass first.
				err = fmt.Errorf("the deadline would pass while waiting for the client-side rate limit (%d requests per minute): %w", c.rpm, context.DeadlineExceeded)
			}
			return rawPage{}, attempts, stopped(err, attempts, lastErr)
		}
		attempts++
		page, retryable, serverWait, err := c.attempt(ctx, pathAndQuery, attempts)
		if err == nil {
			return page, attempts, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			return rawPage{}, attempts, stopped(ctx.Err(), attempts, lastErr)
		}
		if !retryable || attempts > c.maxRetries {
			if attempts > 1 {
				err = fmt.Errorf("after %d attempts: %w", attempts, err)
			}
			return rawPage{}, attempts, err
		}
		wait := c.backoff(attempts, serverWait)
		c.warn(ctx, "retrying Redis Cloud API request", map[string]any{
			"path":    c.basePath + pathAndQuery,
			"attempt": attempts,
			"reason":  c.redact(err.Error()),
			"wait_ms": wait.Milliseconds(),
		})
		if err := sleep(ctx, wait); err != nil {
			return rawPage{}, attempts, stopped(err, attempts, lastErr)
		}
	}
}

// stopped reports that the caller's context ended the work, keeping both the
// context error and the failure being retried (if any) in the chain.
func stopped(ctxErr error, attempts int, lastErr error) error {
	if lastErr == nil {
		return ctxErr
	}
	return fmt.Errorf("stopped after %s: %w (last error: %w)", plural(attempts, "attempt"), ctxErr, lastErr)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// attempt makes one HTTP exchange under its own timeout. It reports whether a
// failure is worth retrying and how long the server asked to wait.
func (c *Client) attempt(ctx context.Context, pathAndQuery string, n int) (page rawPage, retryable bool, serverWait time.Duration, err error) {
	actx, cancel := context.WithTimeout(ctx, c.requestTimeout)
	defer cancel()
	req, err := c.newRequest(actx, pathAndQuery)
	if err != nil {
		return rawPage{}, false, 0, err
	}
	began := time.Now()
	fields := map[string]any{"method": req.Method, "path": c.basePath + pathAndQuery, "attempt": n}
	logDone := func(status int, err error) {
		fields["status"] = status
		fields["duration_ms"] = time.Since(began).Milliseconds()
		if err != nil {
			fields["error"] = c.redact(err.Error())
		}
		c.debug(ctx, "Redis Cloud API request", fields)
	}

	resp, err := c.httpClient.Do(req)
	if err != nil {
		err = c.transportError(ctx, actx, err)
		logDone(0, err)
		return rawPage{}, retryableTransport(ctx, err), 0, err
	}
	defer func() { _ = resp.Body.Close() }() // nothing to do about a failed close of a read body
	contentType := resp.Header.Get("Content-Type")

	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		page, err := readBody(resp.Body, resp.ContentLength)
		if errors.Is(err, errResponseTooLarge) {
			logDone(resp.StatusCode, err)
			return rawPage{}, false, 0, err
		}
		if err != nil {
			err = fmt.Errorf("reading the response: %w", c.transportError(ctx, actx, err))
			logDone(resp.StatusCode, err)
			return rawPage{}, retryableTransport(ctx, err), 0, err
		}
		logDone(resp.StatusCode, nil)
		page.contentType = contentType
		return page, false, 0, nil
	}

	// The status decides the error; a body that fails to read only loses the message.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBytes))
	apiErr := newAPIError(resp.StatusCode, req.URL.Path, body, contentType, c.redact)
	logDone(resp.StatusCode, apiErr)
	return rawPage{}, retryableStatus(resp.StatusCode), retryAfter(resp.Header, time.Now()), apiErr
}

// transportError rewrites the timeout of one attempt, which net/http reports
// as a bare "context deadline exceeded", into something a user can act on.
func (c *Client) transportError(ctx, actx context.Context, err error) error {
	if ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("no complete response within %s (request_timeout): %w", c.requestTimeout, err)
	}
	return err
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableTransport accepts failures of the connection or of one attempt's
// time budget; the caller's own cancellation is never retried.
func retryableTransport(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
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

// backoff returns the wait before retry number `retry` (1-based): exponential
// from retryWaitMin with equal jitter (never less than half the step, so the
// spacing still grows), at least what the server asked for, capped at retryWaitMax.
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

// retryAfter reads x-rate-limit-retry-after-seconds (Redis Cloud's) and
// Retry-After (seconds or an HTTP date) and returns the longer; 0 when absent.
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

// sleep waits d or until ctx ends, whichever is first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
