package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// The retry rules, asserted on what the server saw and what the client said:
// which statuses are retried, how long each retry waits, and the words of the
// error when the retries or the caller's time run out.

func TestWhichStatusesAreRetried(t *testing.T) {
	for code, retried := range map[int]bool{
		429: true, 500: true, 502: true, 503: true, 504: true,
		501: false, 505: false, 599: false, 408: false, 400: false, 404: false, 409: false, 418: false,
	} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			srv := newTestAPI(t, 1, nil)
			srv.InjectFaults(forever(fault(code, "application/json", `{"description":"no"}`, "X-Rate-Limit-Retry-After-Seconds", "0")))
			c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxRetries = 2; cfg.RetryWaitMax = time.Millisecond })
			_, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != code {
				t.Fatalf("err = %v, want the %d", err, code)
			}
			want := map[bool]int{true: 3, false: 1}[retried]
			if srv.RequestCount() != want || stats.Requests != want || stats.Retries != want-1 {
				t.Errorf("server saw %d requests, stats %+v; want %d", srv.RequestCount(), stats, want)
			}
			if retried != strings.Contains(err.Error(), "after 3 attempts") {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestRetryWaitsWhatTheServerAsks(t *testing.T) {
	// retry_wait_min 1 ms gives the first retry a jittered wait of at most
	// 1 ms; a server's wait, in either header and either form of Retry-After,
	// raises it, up to retry_wait_max (40 ms here, so the test stays fast).
	date := func(d time.Duration) string { return time.Now().Add(d).UTC().Format(http.TimeFormat) }
	for _, tc := range []struct {
		name    string
		code    int
		headers []string
		wantMS  int64 // -1: the jittered wait, 0 or 1 ms
	}{
		{"no header", 503, nil, -1},
		{"Retry-After seconds", 503, []string{"Retry-After", "1"}, 40},
		{"Retry-After date", 503, []string{"Retry-After", date(10 * time.Second)}, 40},
		{"Retry-After date in the past", 503, []string{"Retry-After", date(-time.Hour)}, -1},
		{"Retry-After zero", 503, []string{"Retry-After", "0"}, -1},
		{"x-rate-limit-retry-after-seconds", 503, []string{"X-Rate-Limit-Retry-After-Seconds", "2"}, 40},
		{"429 with seconds", 429, []string{"Retry-After", "3"}, 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newTestAPI(t, 1, nil)
			srv.InjectFaults(fault(tc.code, "", "", tc.headers...))
			c, log := newTestClient(t, srv.url, func(cfg *Config) { cfg.RetryWaitMax = 40 * time.Millisecond })
			if _, _, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{}); err != nil {
				t.Fatal(err)
			}
			var waits []int64
			log.mu.Lock()
			for _, l := range log.lines {
				if l.level == "warn" {
					ms, _ := l.fields["wait_ms"].(int64)
					waits = append(waits, ms)
				}
			}
			log.mu.Unlock()
			if len(waits) != 1 {
				t.Fatalf("%d retries logged, want 1:\n%s", len(waits), log.text())
			}
			if (tc.wantMS < 0 && waits[0] > 1) || (tc.wantMS >= 0 && waits[0] != tc.wantMS) {
				t.Errorf("waited %d ms, want %d (-1: the jittered 0 or 1)", waits[0], tc.wantMS)
			}
		})
	}
}

func TestBackoffNeverOverflowsToAShortWait(t *testing.T) {
	for _, tc := range []struct {
		name  string
		min   time.Duration
		retry int
	}{
		{"a retry past 32 doublings", time.Nanosecond, 33},
		{"a doubling that wraps to zero", 1 << 33, 32}, // (1<<33) << 31 is 2^64: 0 in an int64
		{"a doubling that wraps negative", 1 << 32, 32},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Client{retryWaitMin: tc.min, retryWaitMax: time.Hour}
			for range 20 {
				if d := c.backoff(tc.retry, 0); d < 30*time.Minute || d > time.Hour {
					t.Fatalf("backoff(%d) with retry_wait_min %s = %s, want the jittered maximum (30 to 60 minutes)", tc.retry, tc.min, d)
				}
			}
		})
	}
}

func TestTheShortestBackoffsStayWithinTheirStep(t *testing.T) {
	// Equal jitter: half the step plus up to the other half, for steps of a
	// nanosecond or two as for any other.
	for _, step := range []time.Duration{1, 2, 3} {
		c := &Client{retryWaitMin: step, retryWaitMax: time.Hour}
		for range 20 {
			if d := c.backoff(1, 0); d < step/2 || d > step {
				t.Fatalf("backoff(1) with a step of %dns = %dns, want %d to %d", step, d, step/2, step)
			}
		}
	}
}

func TestGiveUpWordsCountTheAttempts(t *testing.T) {
	for _, tc := range []struct {
		failures int
		want     string
	}{
		{1, "stopped after 1 attempt: context canceled (last error: server error (503)"},
		{2, "stopped after 2 attempts: context canceled (last error: server error (503)"},
	} {
		t.Run(fmt.Sprint(tc.failures), func(t *testing.T) {
			// The last failure asks for 10 s; the caller cancels during that wait.
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			srv := newTestAPI(t, 1, nil)
			for range tc.failures - 1 {
				srv.InjectFaults(fault(503, "", ""))
			}
			srv.InjectFaults(fault(503, "", "", "Retry-After", "10"), forever(fault(503, "", "")))
			var n atomic.Int32
			srv.OnRequest(func(*http.Request) {
				if int(n.Add(1)) == tc.failures {
					time.AfterFunc(20*time.Millisecond, cancel)
				}
			})
			c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.RetryWaitMax = 10 * time.Second })
			_, _, err := c.get(ctx, "/logs?offset=0&limit=1000")
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("err = %v\nwant it to start with %q", err, tc.want)
			}
		})
	}
}

func TestAttemptTimeoutIsNamed(t *testing.T) {
	srv := newTestAPI(t, 1, nil)
	srv.InjectFaults(mockapi.Fault{Delay: time.Minute, Times: -1}) // no answer until the client gives up
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxRetries = 1; cfg.RequestTimeout = 50 * time.Millisecond })
	_, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
	want := "reading the audit log at offset 0: after 2 attempts: no complete response within the request timeout (50ms): "
	if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v\nwant it to start with %s", err, want)
	}
	if stats.Requests != 2 || stats.Retries != 1 {
		t.Errorf("stats %+v, want 2 attempts", stats)
	}
}

func TestEvery2xxIsAPage(t *testing.T) {
	for _, code := range []int{200, 203, 299} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			srv := newTestAPI(t, 1, nil)
			srv.InjectFaults(fault(code, "application/json", `{"entries":[{"id":7}]}`))
			c, _ := newTestClient(t, srv.url, nil)
			got, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
			if err != nil || len(got) != 1 || *got[0].ID != "7" || stats.Requests != 2 || stats.Retries != 0 {
				t.Fatalf("entries %v, stats %+v, err %v; want entry 7 of the %d, then the empty page", auditIDs(t, got), stats, err, code)
			}
		})
	}
}
