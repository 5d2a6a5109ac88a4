package mockapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func statuses(reqs []Request) []int {
	out := make([]int, len(reqs))
	for i, r := range reqs {
		out[i] = r.Status
	}
	return out
}

func TestFaultsAreFIFOAndCounted(t *testing.T) {
	s := New(Options{})
	u := startServer(t, s)
	s.InjectFaults(
		Fault{Path: AuditPath, Status: http.StatusServiceUnavailable, Times: 2},
		Fault{Status: http.StatusTooManyRequests, Header: http.Header{"x-rate-limit-retry-after-seconds": {"1"}, "Retry-After": {"1"}}},
		Fault{Path: AuditPath, Status: http.StatusInternalServerError},
	)

	// /session-logs skips the /v1/logs-only fault and takes the next one.
	r := call(t, u, "/session-logs", "")
	if r.status != http.StatusTooManyRequests || r.header.Get("X-Rate-Limit-Retry-After-Seconds") != "1" || r.header.Get("Retry-After") != "1" {
		t.Fatalf("session-logs: status %d headers %v", r.status, r.header)
	}
	want := []int{503, 503, 500, 200}
	for i, w := range want {
		if r := call(t, u, "/logs", ""); r.status != w {
			t.Errorf("logs request %d: status %d, want %d", i, r.status, w)
		}
	}
	if got := statuses(s.Requests()); !slices.Equal(got, []int{429, 503, 503, 500, 200}) {
		t.Errorf("recorded statuses %v", got)
	}
}

func TestFaultsComeBeforeAuthAndRouting(t *testing.T) {
	s := New(Options{})
	u := startServer(t, s)
	s.InjectFaults(Fault{Status: http.StatusBadGateway, Body: "<html>bad gateway</html>", ContentType: "text/html", Times: 2})
	if r := call(t, u, "/logs", "", "x-api-key", ""); r.status != http.StatusBadGateway || string(r.body) != "<html>bad gateway</html>" || r.header.Get("Content-Type") != "text/html" {
		t.Errorf("unauthenticated request: %d %q %q", r.status, r.header.Get("Content-Type"), r.body)
	}
	if r := call(t, u, "/nowhere", ""); r.status != http.StatusBadGateway {
		t.Errorf("unknown path: %d", r.status)
	}
}

func TestFaultBodiesAreRaw(t *testing.T) {
	s := New(Options{})
	u := startServer(t, s)
	s.InjectFaults(
		Fault{Status: http.StatusOK, Body: `{"entries":[{"id":1,"ti`},
		Fault{Status: http.StatusInternalServerError},
		Fault{Status: http.StatusOK, Body: `{"entries":[]}`, ContentType: "application/json", Header: http.Header{"X-Rate-Limit-Remaining": {"0"}}},
	)
	r := call(t, u, "/logs", "")
	if r.status != http.StatusOK || string(r.body) != `{"entries":[{"id":1,"ti` {
		t.Errorf("truncated JSON: %d %q", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "" {
		t.Errorf("Content-Type %q sent although the fault named none", ct)
	}
	if r := call(t, u, "/logs", ""); r.status != 500 || len(r.body) != 0 {
		t.Errorf("empty 500: %d %q", r.status, r.body)
	}
	if r := call(t, u, "/logs", ""); r.header.Get("X-Rate-Limit-Remaining") != "0" {
		t.Errorf("fault header did not override X-Rate-Limit-Remaining: %v", r.header)
	}
}

func TestFaultForeverAndClear(t *testing.T) {
	s := New(Options{})
	u := startServer(t, s)
	s.InjectFaults(Fault{Path: SessionPath, Status: http.StatusPreconditionFailed, Times: -1})
	for range 5 {
		if r := call(t, u, "/session-logs", ""); r.status != http.StatusPreconditionFailed {
			t.Fatalf("status %d, want 412 for ever", r.status)
		}
	}
	if r := call(t, u, "/logs", ""); r.status != http.StatusOK {
		t.Errorf("other path: %d", r.status)
	}
	s.ClearFaults()
	if r := call(t, u, "/session-logs", ""); r.status != http.StatusOK {
		t.Errorf("after ClearFaults: %d", r.status)
	}
}

func TestFaultReset(t *testing.T) {
	s := New(Options{})
	s.SetAudit(simpleAudit(1))
	u := startServer(t, s)
	s.InjectFaults(Fault{Path: AuditPath, Reset: true})
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(u + "/logs")
	if err == nil {
		_ = resp.Body.Close()
		t.Fatalf("want a connection error, got status %d", resp.StatusCode)
	}
	if r := call(t, u, "/logs", ""); r.status != http.StatusOK {
		t.Errorf("after the reset: %d", r.status)
	}
	if got := statuses(s.Requests()); !slices.Equal(got, []int{0, 200}) {
		t.Errorf("recorded statuses %v, want [0 200]", got)
	}
}

func TestFaultDelayEndsWithTheClient(t *testing.T) {
	s := New(Options{})
	u := startServer(t, s)
	s.InjectFaults(Fault{Status: http.StatusServiceUnavailable, Delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u+"/logs", nil)
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want the client's deadline", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.RequestCount() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := statuses(s.Requests()); !slices.Equal(got, []int{0}) {
		t.Errorf("recorded %v, want one unanswered request", got)
	}

	s.InjectFaults(Fault{Status: http.StatusServiceUnavailable, Delay: 20 * time.Millisecond})
	start := time.Now()
	if r := call(t, u, "/logs", ""); r.status != http.StatusServiceUnavailable || time.Since(start) < 20*time.Millisecond {
		t.Errorf("delayed fault: %d after %v", r.status, time.Since(start))
	}
}

func TestFaultsMatchTheirQuery(t *testing.T) {
	s := New(Options{})
	u := startServer(t, s)
	s.SetAudit(simpleAudit(3))
	s.InjectFaults(Fault{Query: url.Values{"offset": {"1", "2"}}, Status: http.StatusBadRequest, Times: -1})
	for query, want := range map[string]int{q("offset", "0"): 200, q("offset", "1"): 400, q("offset", "2", "limit", "5"): 400, "": 200} {
		if r := call(t, u, "/logs", query); r.status != want {
			t.Errorf("?%s: status %d, want %d", query, r.status, want)
		}
	}
}

func TestCloseFaultEndsTheConnectionWithoutAReset(t *testing.T) {
	s := New(Options{})
	u := startServer(t, s)
	s.InjectFaults(Fault{Close: true}, Fault{Reset: true}) // on new connections: no silent retry
	for _, want := range []string{"EOF", "connection reset"} {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, u+"/logs", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v, want %q", err, want)
		}
	}
}
