package mockapi

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"
)

// outcome sends one GET without keep-alives (so that net/http cannot silently resend a
// request whose connection was reset) and describes what came back.
func outcome(t *testing.T, baseURL, pathAndQuery string) string {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, baseURL+pathAndQuery, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-api-key", DefaultAPIKey)
	req.Header.Set("x-api-secret-key", DefaultSecretKey)
	resp, err := client.Do(req)
	if err != nil {
		return "error"
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, resp.Body)
	return strconv.Itoa(resp.StatusCode) + resp.Header.Get("X-Rate-Limit-Retry-After-Seconds") + "/" + resp.Header.Get("Retry-After")
}

// Every kind but the slow page and the insertion, so that the outcome names the kind.
var answerKinds = map[FaultKind]int{
	FaultRateLimited: 1, FaultRateLimitedRetryAfter: 1, FaultInternalServerError: 1, FaultBadGateway: 1,
	FaultServiceUnavailable: 1, FaultGatewayTimeout: 1, FaultConnectionReset: 1,
}

func TestRandomFaultsDependOnTheSeedNotOnArrivalOrder(t *testing.T) {
	run := func(seed uint64, reverse bool) map[string]string {
		s := New(Options{})
		s.SetAudit(simpleAudit(10))
		u := startServer(t, s)
		s.SetRandomFaults(RandomFaults{Seed: seed, Rate: 0.5, Weights: answerKinds})
		keys := make([]string, 0, 60)
		for offset := range 30 {
			key := fmt.Sprintf("/logs?offset=%d&limit=5", offset)
			keys = append(keys, key, key) // the second request with the same query draws anew
		}
		if reverse {
			slices.Reverse(keys)
		}
		got := map[string]string{}
		seen := map[string]int{}
		for _, k := range keys {
			// Requests with the same query keep their order, as a client's retries do.
			got[fmt.Sprintf("%s#%d", k, seen[k])] = outcome(t, u, k)
			seen[k]++
		}
		return got
	}
	forward := run(42, false)
	if backward := run(42, true); !mapsEqual(forward, backward) {
		t.Errorf("same seed, other arrival order, other faults:\n%v\n%v", forward, backward)
	}
	if other := run(43, false); mapsEqual(forward, other) {
		t.Error("another seed drew the very same faults")
	}
	faults := 0
	for _, o := range forward {
		if o != "200/" {
			faults++
		}
	}
	if faults < 15 || faults > 45 {
		t.Errorf("%d faults in 60 requests at a rate of 0.5", faults)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestRandomFaultKinds(t *testing.T) {
	for _, tc := range []struct {
		kind FaultKind
		want string
	}{
		{FaultRateLimited, "4292/"},
		{FaultRateLimitedRetryAfter, "429/2"},
		{FaultInternalServerError, "500/"},
		{FaultBadGateway, "502/"},
		{FaultServiceUnavailable, "503/"},
		{FaultGatewayTimeout, "504/"},
		{FaultConnectionReset, "error"},
		{FaultSlowPage, "200/"},
		{FaultInsert, "200/"},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			s := New(Options{})
			s.SetAudit(simpleAudit(3))
			u := startServer(t, s)
			s.SetRandomFaults(RandomFaults{Seed: 1, Rate: 1, Weights: map[FaultKind]int{tc.kind: 1},
				RetryAfterSeconds: 2, SlowDelay: 100 * time.Millisecond, InsertCount: 2,
				InsertAudit: AuditRecord{Type: "Inserted", UserEmail: "new@example.com"}})
			began := time.Now()
			if got := outcome(t, u, "/logs"); got != tc.want {
				t.Errorf("answer %q, want %q", got, tc.want)
			}
			if took := time.Since(began); tc.kind == FaultSlowPage && took < 100*time.Millisecond {
				t.Errorf("slow page answered after %v", took)
			}
			stats := s.FaultStats()
			if stats.Requests != 1 || stats.Injected[tc.kind] != 1 {
				t.Errorf("stats %+v", stats)
			}
			s.SetRandomFaults(RandomFaults{})
			ids := auditIDs(t, call(t, u, "/logs", ""))
			wantIDs := []int64{3, 2, 1}
			if tc.kind == FaultInsert {
				wantIDs = []int64{5, 4, 3, 2, 1}
			}
			if !slices.Equal(ids, wantIDs) {
				t.Errorf("ids afterwards %v, want %v", ids, wantIDs)
			}
		})
	}
}

func TestFaultStatsLongestRun(t *testing.T) {
	s := New(Options{})
	s.SetAudit(simpleAudit(3))
	u := startServer(t, s)
	if stats := s.FaultStats(); stats.Requests != 0 || len(stats.Injected) != 0 {
		t.Fatalf("stats without random faults: %+v", stats)
	}
	s.SetRandomFaults(RandomFaults{Seed: 7, Rate: 1, Weights: map[FaultKind]int{FaultServiceUnavailable: 1}})
	for range 3 {
		outcome(t, u, "/logs?offset=0")
	}
	outcome(t, u, "/session-logs?offset=0")
	outcome(t, u, "/nowhere") // not an API path: never drawn for
	stats := s.FaultStats()
	if stats.LongestRun != 3 || stats.Requests != 4 || stats.Injected[FaultServiceUnavailable] != 4 {
		t.Errorf("stats %+v", stats)
	}
	s.ResetFaultStats()
	if stats := s.FaultStats(); stats.LongestRun != 0 || stats.Requests != 0 {
		t.Errorf("after reset: %+v", stats)
	}
	// An insertion answers normally, so it ends a run.
	s.SetRandomFaults(RandomFaults{Seed: 7, Rate: 1, Weights: map[FaultKind]int{FaultInsert: 1}})
	outcome(t, u, "/logs?offset=0")
	if stats := s.FaultStats(); stats.LongestRun != 0 || stats.Injected[FaultInsert] != 1 {
		t.Errorf("after an insertion: %+v", stats)
	}
}
