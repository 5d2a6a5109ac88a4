package client

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

func TestNewValidatesConfig(t *testing.T) {
	ok := []struct {
		url      string
		insecure bool
		wantBase string
	}{
		{"", false, "https://api.redislabs.com/v1"},
		{"https://api.redislabs.com/v1/", false, "https://api.redislabs.com/v1"},
		{"  https://proxy.example.com/redis/v1//  ", false, "https://proxy.example.com/redis/v1"},
		{"http://127.0.0.1:8080/v1", false, "http://127.0.0.1:8080/v1"},
		{"http://127.9.9.9/v1", false, "http://127.9.9.9/v1"},
		{"http://localhost:1234/v1", false, "http://localhost:1234/v1"},
		{"http://[::1]:1234/v1", false, "http://[::1]:1234/v1"},
		{"http://mock.internal/v1", true, "http://mock.internal/v1"},
	}
	for _, tc := range ok {
		c, err := New(Config{BaseURL: tc.url, AllowInsecureHTTP: tc.insecure})
		if err != nil {
			t.Errorf("New(%q): %v", tc.url, err)
			continue
		}
		if c.baseURL != tc.wantBase {
			t.Errorf("New(%q): base %q, want %q", tc.url, c.baseURL, tc.wantBase)
		}
	}

	bad := []struct {
		cfg  Config
		want string
	}{
		{Config{BaseURL: "http://api.redislabs.com/v1"}, "uses plain http://, which would send the API keys unencrypted"},
		{Config{BaseURL: "http://128.0.0.1/v1"}, "uses plain http://"},
		{Config{BaseURL: "api.redislabs.com/v1"}, "must be an absolute https:// address"},
		{Config{BaseURL: "ftp://api.redislabs.com/v1"}, "must be an absolute https:// address"},
		{Config{BaseURL: "https:///v1"}, "has no host name"},
		{Config{BaseURL: "https://user:hunter2pass@api.redislabs.com/v1"}, "must not contain a user name or password"},
		{Config{BaseURL: "https://api.redislabs.com/v1?x=1"}, "must not contain a query string"},
		{Config{BaseURL: "https://api.redis labs.com/%zz"}, "is not a valid URL"},
		{Config{SecretKey: testSecret + "\n"}, "the secret key contains characters that cannot be sent in an HTTP header"},
	}
	for _, tc := range bad {
		_, err := New(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error containing %q", tc.cfg.BaseURL, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), "hunter2pass") || strings.Contains(err.Error(), testSecret) {
			t.Errorf("error leaks a secret: %v", err)
		}
	}
}

func TestNewDefaults(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if c.maxRetries != 0 || c.retryWaitMin != time.Second || c.retryWaitMax != 30*time.Second || c.requestTimeout != time.Minute ||
		c.concurrency != 4 || c.budget.limit != 400 || c.budget.window != time.Minute || c.httpClient == nil || c.httpClient == http.DefaultClient {
		t.Errorf("defaults: %+v", c)
	}
	// The provider validates the numbers on their attributes; New reads
	// out-of-range ones as the defaults rather than misbehave.
	c, err = New(Config{MaxRetries: -1, RetryWaitMin: -time.Second, RetryWaitMax: -1, RequestTimeout: -1, RequestsPerMinute: -5, MaxConcurrency: -1})
	if err != nil {
		t.Fatal(err)
	}
	if c.maxRetries != 0 || c.retryWaitMin != time.Second || c.retryWaitMax != 30*time.Second || c.requestTimeout != time.Minute ||
		c.concurrency != 4 || c.budget.limit != 400 {
		t.Errorf("negative values: %+v", c)
	}
	if c, _ = New(Config{RetryWaitMin: time.Minute}); c.retryWaitMax != time.Minute {
		t.Errorf("retry_wait_max %s below retry_wait_min 1m", c.retryWaitMax)
	}
}

func TestRequestShape(t *testing.T) {
	var mu sync.Mutex
	var seen []*http.Request
	srv := newTestAPI(t, 2, nil)
	srv.OnRequest(func(r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Clone(r.Context()))
		mu.Unlock()
	})
	c, _ := newTestClient(t, srv.url+"/", nil)
	start := time.Date(2025, 1, 1, 1, 2, 3, 500e6, time.FixedZone("CET", 3600))
	end := time.Date(2025, 1, 31, 23, 59, 59, 1, time.UTC)
	rid := int64(1234)
	if _, _, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{Start: &start, End: &end, ResourceID: &rid}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 4 {
		t.Fatalf("%d requests", len(seen))
	}
	r := seen[0]
	// The start rounds down and the end up to whole seconds, so the server
	// never drops what the exact window keeps.
	if want := "/v1/logs?offset=0&limit=1000&startTime=2025-01-01T00:02:03Z&endTime=2025-02-01T00:00:00Z&resourceId=1234"; r.URL.RequestURI() != want {
		t.Errorf("request %s\nwant    %s", r.URL.RequestURI(), want)
	}
	if r.Method != http.MethodGet || r.Header.Get("x-api-key") != testAPIKey || r.Header.Get("x-api-secret-key") != testSecret ||
		r.Header.Get("Accept") != "application/json" || r.Header.Get("User-Agent") != "client-test/1.0" {
		t.Errorf("headers %v", r.Header)
	}
	if want := "/v1/session-logs?offset=0&limit=100"; seen[2].URL.RequestURI() != want {
		t.Errorf("request %s, want %s", seen[2].URL.RequestURI(), want)
	}
}

func TestSecretsNeverInErrorsOrLogs(t *testing.T) {
	echo := fmt.Sprintf("bad key %s / %s", testAPIKey, testSecret)
	answers := []mockapi.Fault{
		fault(401, "application/json", `{"message":"`+echo+`"}`),
		fault(400, "application/json", `{"description":"`+echo+`"}`),
		fault(500, "text/plain", echo),
		fault(418, "text/plain", echo),
		fault(200, "text/plain", echo),
		fault(200, "application/json", `{"unexpected":"`+echo+`"}`),
	}
	for i, answer := range answers {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			srv := newTestAPI(t, 1, nil)
			srv.InjectFaults(forever(answer))
			c, log := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxRetries = 1 })
			_, _, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
			if err == nil {
				t.Fatal("no error")
			}
			for _, text := range []string{err.Error(), log.text(), fmt.Sprintf("%+v", err)} {
				if strings.Contains(text, testSecret) || strings.Contains(text, testAPIKey) {
					t.Errorf("a key leaked: %s", text)
				}
			}
		})
	}
}

func TestDebugLogPerRequest(t *testing.T) {
	srv := newTestAPI(t, 3, nil)
	c, log := newTestClient(t, srv.url, nil)
	if _, _, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{}); err != nil {
		t.Fatal(err)
	}
	if log.count("debug") != 2 {
		t.Fatalf("want 2 debug lines:\n%s", log.text())
	}
	f := log.lines[0].fields
	if f["method"] != "GET" || f["path"] != "/v1/logs?offset=0&limit=1000" || f["status"] != 200 || f["attempt"] != 1 {
		t.Errorf("fields %v", f)
	}
	if _, ok := f["duration_ms"].(int64); !ok {
		t.Errorf("duration_ms missing: %v", f)
	}
}

func TestAPIErrorMessages(t *testing.T) {
	cases := []struct {
		code     int
		ct, body string
		want     string
	}{
		{400, "", "", "the API rejected the request (400 Bad Request)"},
		{400, "application/json", `{"error":{"message":"offset must be >= 0"}}`, "the API rejected the request (400 Bad Request): offset must be >= 0"},
		{400, "text/html", "<p>bad</p>", "the API rejected the request (400 Bad Request): (HTML error page omitted)"},
		{429, "", "", "rate limited (429 Too Many Requests): wait and retry, or lower the rate limit"},
		{503, "text/html", nginx502, "server error (503): retry later; if it persists contact Redis Cloud support"},
		{502, "", "  upstream\n\treset  ", "server error (502): retry later; if it persists contact Redis Cloud support: upstream reset"},
		{504, "", strings.Repeat("x", 500), "server error (504): retry later; if it persists contact Redis Cloud support"},
		{418, "", "teapot", "unexpected response (418 I'm a teapot) at /v1/logs: teapot"},
	}
	for _, tc := range cases {
		e := newAPIError(tc.code, "/v1/logs", []byte(tc.body), tc.ct, func(s string) string { return s })
		if got := e.Error(); got != tc.want {
			t.Errorf("%d %q:\n got %s\nwant %s", tc.code, tc.body, got, tc.want)
		}
	}
	long := errorMessage([]byte(strings.Repeat("é", 1000)), "text/plain")
	if n := len([]rune(long)); n > maxMessageRunes+1 {
		t.Errorf("message of %d runes not shortened", n)
	}
}

func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	other := newTestAPI(t, 1, nil)
	srv := newTestAPI(t, 1, nil)
	srv.InjectFaults(forever(fault(http.StatusFound, "", "", "Location", strings.Replace(other.url, "127.0.0.1", "localhost", 1)+"/logs?offset=0&limit=1000")))
	c, _ := newTestClient(t, srv.url, nil)
	_, _, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
	if err == nil || !strings.Contains(err.Error(), "does not send the API keys to another host") {
		t.Fatalf("err = %v", err)
	}
	if other.RequestCount() != 0 {
		t.Error("the keys were sent to the other host")
	}
}
