package mockapi

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

func TestRateLimitIsEnforcedPerKeyAndWindow(t *testing.T) {
	s := New(Options{RateLimit: 3, RateLimitWindow: 1500 * time.Millisecond})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	get := func(key string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+AuditPath, nil)
		req.Header.Set("x-api-key", key)
		req.Header.Set("x-api-secret-key", DefaultSecretKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp
	}
	for i, want := range []string{"2", "1", "0"} {
		if r := get(DefaultAPIKey); r.StatusCode != 200 || r.Header.Get("X-Rate-Limit-Remaining") != want {
			t.Fatalf("request %d: %d, remaining %q; want 200, %s", i+1, r.StatusCode, r.Header.Get("X-Rate-Limit-Remaining"), want)
		}
	}
	r := get(DefaultAPIKey)
	retry, _ := strconv.Atoi(r.Header.Get("X-Rate-Limit-Retry-After-Seconds"))
	if r.StatusCode != http.StatusTooManyRequests || retry < 1 || retry > 2 || r.Header.Get("Retry-After") == "" ||
		r.Header.Get("X-Rate-Limit-Remaining") != "0" {
		t.Fatalf("fourth request: %d %v; want 429 with a wait of 1-2 s", r.StatusCode, r.Header)
	}
	if r := get("another-key"); r.StatusCode != http.StatusUnauthorized || r.Header.Get("X-Rate-Limit-Remaining") != "2" {
		t.Errorf("another key has its own window: %d %v", r.StatusCode, r.Header)
	}
	if s.RateLimited() != 1 {
		t.Errorf("RateLimited = %d, want 1", s.RateLimited())
	}
	time.Sleep(1600 * time.Millisecond)
	if r := get(DefaultAPIKey); r.StatusCode != 200 || r.Header.Get("X-Rate-Limit-Remaining") != "2" {
		t.Errorf("after the window: %d %v", r.StatusCode, r.Header)
	}
	s.ResetRateLimit()
	if r := get(DefaultAPIKey); r.Header.Get("X-Rate-Limit-Remaining") != "2" {
		t.Errorf("after ResetRateLimit: %v", r.Header)
	}
}

func TestSetRateLimitKeepsTheWindow(t *testing.T) {
	s := New(Options{RateLimit: 1})
	u := startServer(t, s)
	if r := call(t, u, "/logs", ""); r.status != 200 || r.header.Get("X-Rate-Limit-Remaining") != "0" {
		t.Fatalf("first request: %d %v", r.status, r.header)
	}
	if r := call(t, u, "/logs", ""); r.status != http.StatusTooManyRequests {
		t.Fatalf("second request: %d, want 429", r.status)
	}
	s.SetRateLimit(10, 0) // the window goes on: one request spent in it
	if r := call(t, u, "/logs", ""); r.status != 200 || r.header.Get("X-Rate-Limit-Remaining") != "8" {
		t.Errorf("after SetRateLimit(10): %d %v", r.status, r.header)
	}
	s.SetRateLimit(0, 0) // back to the API's 400, not enforced
	if r := call(t, u, "/logs", ""); r.status != 200 || r.header.Get("X-Rate-Limit-Remaining") != "397" {
		t.Errorf("after SetRateLimit(0): %d %v", r.status, r.header)
	}
}
