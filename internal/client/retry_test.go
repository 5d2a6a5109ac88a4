package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

const nginx502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

func TestRetriesThenSucceeds(t *testing.T) {
	srv := newTestAPI(t, 1500, nil)
	srv.InjectFaults(
		fault(429, "application/json", `{"message":"slow down"}`, "X-Rate-Limit-Retry-After-Seconds", "1"),
		fault(503, "", ""),
		fault(503, "text/plain", "unavailable"),
		fault(502, "text/html", nginx502),
	)
	c, log := newTestClient(t, srv.url, func(cfg *Config) { cfg.RetryWaitMax = 2 * time.Second; cfg.MaxConcurrency = 1 })
	began := time.Now()
	got, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(began); elapsed < time.Second {
		t.Errorf("took %s; the server asked for a 1s wait", elapsed)
	}
	assertIDs(t, auditIDs(t, got), descending(1500, 1))
	// page 0 took 5 attempts; then 1000, which holds the last 500 (the end).
	if stats.Requests != 6 || stats.Retries != 4 || stats.Pages != 2 || srv.RequestCount() != 6 {
		t.Errorf("stats %+v, server saw %d", stats, srv.RequestCount())
	}
	if n := log.count("warn"); n != 4 {
		t.Errorf("%d warnings, want one per retry:\n%s", n, log.text())
	}
	if w := log.lines[1]; w.level != "warn" || w.fields["wait_ms"] != int64(1000) || w.fields["attempt"] != 1 ||
		!strings.Contains(fmt.Sprint(w.fields["reason"]), "rate limited (429") {
		t.Errorf("the first retry should wait the server's 1000 ms: %+v", w)
	}
}

func TestPersistentServerErrorGivesUpAfterMaxRetries(t *testing.T) {
	srv := newTestAPI(t, 10, nil)
	srv.InjectFaults(forever(fault(500, "application/json", `{"error":"internal failure 42"}`)))
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxRetries = 3 })
	_, stats, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
	want := "reading the session log at offset 0: after 4 attempts: server error (500): retry later; if it persists contact Redis Cloud support: internal failure 42"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Path != "/v1/session-logs" {
		t.Errorf("errors.As: %#v", apiErr)
	}
	if srv.RequestCount() != 4 || stats.Requests != 4 || stats.Retries != 3 || stats.Pages != 0 {
		t.Errorf("server saw %d, stats %+v; want 4 attempts", srv.RequestCount(), stats)
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	cases := []struct {
		code        int
		ct, body    string
		wantMessage string
	}{
		{401, "text/html", "<html><head><title>401 Authorization Required</title></head><body>nginx</body></html>",
			"reading the audit log at offset 0: authentication failed (401 Unauthorized): check the API credentials: the API key is the account key, the secret key is the user key"},
		{400, "application/json", `{"description":"limit must be between 1 and 1000","status":"error"}`,
			"reading the audit log at offset 0: the API rejected the request (400 Bad Request): limit must be between 1 and 1000"},
		{403, "", "", "reading the audit log at offset 0: access denied (403 Forbidden): the API key lacks access to the account logs, or this IP address is not allowed for the key"},
		{404, "text/plain", "404 page not found", "reading the audit log at offset 0: not found (404) at /v1/logs: check the base URL; it must end with the API version, e.g. https://api.redislabs.com/v1"},
		{412, "application/json", `{"message":"feature flag off"}`, "reading the audit log at offset 0: logs are not enabled for this account (412 Precondition Failed)"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.code), func(t *testing.T) {
			srv := newTestAPI(t, 10, nil)
			srv.InjectFaults(forever(fault(tc.code, tc.ct, tc.body)))
			c, _ := newTestClient(t, srv.url, nil)
			_, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
			if err == nil || err.Error() != tc.wantMessage {
				t.Fatalf("err = %v\nwant %s", err, tc.wantMessage)
			}
			if srv.RequestCount() != 1 || stats.Requests != 1 {
				t.Errorf("%d requests, want 1 (no retry)", srv.RequestCount())
			}
		})
	}
}

func TestCancelDuringBackoffReturnsPromptly(t *testing.T) {
	srv := newTestAPI(t, 10, nil)
	srv.InjectFaults(forever(fault(503, "", "")))
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.RetryWaitMin, cfg.RetryWaitMax = 30*time.Second, 30*time.Second })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	began := time.Now()
	_, _, err := c.ListAuditLogs(ctx, AuditLogQuery{})
	if elapsed := time.Since(began); elapsed > time.Second {
		t.Errorf("took %s after cancel", elapsed)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || !strings.Contains(err.Error(), "stopped after 1 attempt") {
		t.Errorf("err = %v; want the 503 being retried kept in the chain", err)
	}
}

func TestConnectionResetIsRetried(t *testing.T) {
	srv := newTestAPI(t, 5, nil)
	srv.InjectFaults(mockapi.Fault{Close: true, Times: 2}) // no response at all
	c, log := newTestClient(t, srv.url, nil)
	got, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, auditIDs(t, got), descending(5, 1))
	if stats.Retries != 2 || stats.Requests != 4 || srv.RequestCount() != 4 {
		t.Errorf("stats %+v, server saw %d; want 2 retries of page 0, then the probe", stats, srv.RequestCount())
	}
	if !strings.Contains(log.text(), "EOF") {
		t.Errorf("retry reason not logged:\n%s", log.text())
	}
}

func TestAttemptTimeoutIsRetried(t *testing.T) {
	srv := newTestAPI(t, 3, nil)
	srv.InjectFaults(mockapi.Fault{Delay: time.Minute}) // hang until the client gives up
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.RequestTimeout = 100 * time.Millisecond })
	got, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || stats.Retries != 1 {
		t.Errorf("%d entries, stats %+v", len(got), stats)
	}
}

func TestRateLimitIsAFixedWindowThatAllowsBursts(t *testing.T) {
	srv := newTestAPI(t, 0, nil)
	c, _ := newTestClient(t, srv.url, nil)
	// 10 requests per 400 ms window (the Client's window is a minute; shortened
	// here): 10 go at once, the 11th waits for the next window, and 25 take
	// two waits.
	c.budget = newBudget(10, 400*time.Millisecond) // the transport reads it from c
	began := time.Now()
	var waited time.Duration
	for i := range 25 {
		_, stats, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
		if err != nil {
			t.Fatal(err)
		}
		waited += stats.RateLimitWait
		if i == 9 && time.Since(began) > 200*time.Millisecond {
			t.Errorf("the first 10 requests took %s; a burst of the whole window's budget should not wait", time.Since(began))
		}
	}
	if elapsed := time.Since(began); elapsed < 790*time.Millisecond || elapsed > 3*time.Second {
		t.Errorf("25 requests at 10 per 400 ms took %s, want about 800 ms (two window waits)", elapsed)
	}
	if waited < 700*time.Millisecond {
		t.Errorf("RateLimitWait sums to %s, want the two waits", waited)
	}
}

func TestServerRemainingSlowsTheClientDown(t *testing.T) {
	// The key's budget is shared: the server says 2 requests are left. The
	// client sends what is left, then one request at a time to learn whether
	// the window has turned; the 429 that answers it holds every request of the
	// Client for the server's wait, and nothing else is answered 429. Once the
	// window has turned the pages go ahead again, several at once.
	//
	// The mock enforces 3 requests in the key's window, and its first 429
	// turns the window: from the next request on, 100 are allowed.
	//
	// In flight counts a request from its arrival until just before its answer
	// is written (after a 10 ms delay for a page), so that requests overlap and
	// an answer never reaches the client before its request stops counting.
	var mu sync.Mutex
	admitted, inFlight, maxLimited, maxTurned := 0, 0, 0, 0
	var intoSpent []int // in flight when a request arrived with nothing left
	turned := false
	srv := newTestAPI(t, 3000, func(o *mockapi.Options) { o.RateLimit, o.RateLimitWindow = 3, time.Minute })
	srv.OnRequest(func(*http.Request) {
		mu.Lock()
		inFlight++ // this request included
		if !turned && srv.RateLimited() > 0 {
			srv.SetRateLimit(100, time.Minute)
			turned = true
		}
		if turned {
			maxTurned = max(maxTurned, inFlight)
		} else {
			maxLimited = max(maxLimited, inFlight)
		}
		if !turned && admitted == 3 { // the mock answers 429
			if inFlight > 1 {
				intoSpent = append(intoSpent, inFlight)
			}
			inFlight--
			mu.Unlock()
			return
		}
		admitted++
		mu.Unlock()
		time.Sleep(10 * time.Millisecond)
		mu.Lock()
		inFlight--
		mu.Unlock()
	})
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 4; cfg.RetryWaitMax = 2 * time.Second })
	began := time.Now()
	got, _, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, sessionIDs(t, got), descending(3000, 1))
	mu.Lock() // pages requested past the end may still be arriving
	defer mu.Unlock()
	if limited := srv.RateLimited(); limited == 0 || limited > 2 {
		t.Errorf("%d answers were 429; want 1 (the request that found the window spent), or 2", limited)
	}
	if len(intoSpent) > 0 {
		t.Errorf("requests arrived with nothing left while others were in flight (%v in flight): only a lone probe may", intoSpent)
	}
	// Before the turn the server allowed 3 requests in all, and said so after each.
	if maxLimited > 2 {
		t.Errorf("%d requests in flight at once before the window turned; the server never had more than 2 left for them", maxLimited)
	}
	if maxTurned < 3 {
		t.Errorf("at most %d requests in flight after the window turned; want the read back at full speed (MaxConcurrency 4)", maxTurned)
	}
	if time.Since(began) < time.Second {
		t.Errorf("took %s; the server asked for a wait of at least 1 s", time.Since(began))
	}
}

func TestRateLimitWaitStopsOnCancel(t *testing.T) {
	srv := newTestAPI(t, 0, nil)
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.RequestsPerMinute = 1 })
	if _, _, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{}); err != nil { // spends the minute's budget
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, _, err := c.ListSessionLogs(ctx, SessionLogQuery{})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(began) > time.Second {
		t.Fatalf("err = %v after %s", err, time.Since(began))
	}
	if !strings.Contains(err.Error(), "rate limit") {
		t.Errorf("err = %v; should name the client-side rate limit", err)
	}
}

func TestBackoff(t *testing.T) {
	c := &Client{retryWaitMin: 100 * time.Millisecond, retryWaitMax: time.Second}
	for retry, bounds := range map[int][2]time.Duration{
		1:  {50 * time.Millisecond, 100 * time.Millisecond},
		2:  {100 * time.Millisecond, 200 * time.Millisecond},
		4:  {400 * time.Millisecond, 800 * time.Millisecond},
		5:  {500 * time.Millisecond, time.Second},
		80: {500 * time.Millisecond, time.Second},
	} {
		for range 50 {
			if d := c.backoff(retry, 0); d < bounds[0] || d > bounds[1] {
				t.Fatalf("backoff(%d) = %s, want within %v", retry, d, bounds)
			}
		}
	}
	if d := c.backoff(1, 10*time.Second); d != time.Second {
		t.Errorf("a server wait is capped at RetryWaitMax: got %s", d)
	}
	if d := c.backoff(1, 700*time.Millisecond); d != 700*time.Millisecond {
		t.Errorf("a server wait is honoured: got %s", d)
	}
}

func TestRetryAfterHeaders(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		headers map[string]string
		want    time.Duration
	}{
		{map[string]string{"X-Rate-Limit-Retry-After-Seconds": "3"}, 3 * time.Second},
		{map[string]string{"Retry-After": "7"}, 7 * time.Second},
		{map[string]string{"Retry-After": now.Add(20 * time.Second).Format(http.TimeFormat)}, 20 * time.Second},
		{map[string]string{"Retry-After": "soon", "X-Rate-Limit-Retry-After-Seconds": "-4"}, 0},
		{map[string]string{"Retry-After": "2", "X-Rate-Limit-Retry-After-Seconds": "5"}, 5 * time.Second},
		{map[string]string{}, 0},
	}
	for _, tc := range cases {
		h := http.Header{}
		for k, v := range tc.headers {
			h.Set(k, v)
		}
		if got := retryAfter(h, now); got != tc.want {
			t.Errorf("retryAfter(%v) = %s, want %s", tc.headers, got, tc.want)
		}
	}
}
