package mockapi

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAuthentication(t *testing.T) {
	s := New(Options{APIKey: "acct", SecretKey: "user", ForbiddenAPIKey: "ip-restricted"})
	s.SetAudit(simpleAudit(3))
	u := startServer(t, s)

	cases := []struct {
		name        string
		key, secret string
		want        int
	}{
		{"no headers", "", "", http.StatusUnauthorized},
		{"key only", "acct", "", http.StatusUnauthorized},
		{"wrong secret", "acct", "nope", http.StatusUnauthorized},
		{"wrong key", "nope", "user", http.StatusUnauthorized},
		{"default credentials are not these", DefaultAPIKey, DefaultSecretKey, http.StatusUnauthorized},
		{"forbidden key, right secret", "ip-restricted", "user", http.StatusForbidden},
		{"forbidden key, any secret", "ip-restricted", "whatever", http.StatusForbidden},
		{"right credentials", "acct", "user", http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, u, "/logs", "", "x-api-key", tc.key, "x-api-secret-key", tc.secret)
			if r.status != tc.want {
				t.Fatalf("status %d, want %d (body %s)", r.status, tc.want, r.body)
			}
			switch tc.want {
			case http.StatusUnauthorized:
				if got := r.header.Get("Content-Type"); got != "text/html" {
					t.Errorf("Content-Type %q, want text/html", got)
				}
				if string(r.body) != nginx401 {
					t.Errorf("body %q, want the nginx page", r.body)
				}
			case http.StatusForbidden:
				if got := description(t, r); got != "Not allowed to access requested resource" {
					t.Errorf("description %q", got)
				}
			}
			if r.header.Get("X-Rate-Limit-Remaining") == "" {
				t.Error("X-Rate-Limit-Remaining missing")
			}
		})
	}
}

func TestDefaultCredentials(t *testing.T) {
	u := startServer(t, New(Options{}))
	if r := call(t, u, "/session-logs", ""); r.status != http.StatusOK {
		t.Fatalf("status %d with test-api-key/test-secret-key", r.status)
	}
}

func TestRoutingAndMethods(t *testing.T) {
	u := startServer(t, New(Options{}))
	r := call(t, u, "/log", "")
	if r.status != http.StatusNotFound || description(t, r) == "" {
		t.Errorf("/v1/log: status %d body %s, want 404 with a JSON description", r.status, r.body)
	}
	r = call(t, strings.TrimSuffix(u, "/v1"), "/logs", "")
	if r.status != http.StatusNotFound {
		t.Errorf("/logs without /v1: status %d, want 404", r.status)
	}
	r = callMethod(t, http.MethodPost, u, "/logs", "")
	if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != http.MethodGet {
		t.Errorf("POST: status %d Allow %q, want 405 and GET", r.status, r.header.Get("Allow"))
	}
}

func TestQueryValidation(t *testing.T) {
	u := startServer(t, New(Options{}))
	cases := []struct {
		path, query, want string // want "" means 200
	}{
		{"/logs", "limit=0", "limit must be between 1 and 1000"},
		{"/logs", "limit=1001", "limit must be between 1 and 1000"},
		{"/logs", "limit=-5", "limit must be between 1 and 1000"},
		{"/logs", "limit=ten", "limit must be an integer between 1 and 1000"},
		{"/logs", "limit=1000", ""},
		{"/logs", "limit=1", ""},
		{"/session-logs", "limit=101", "limit must be between 1 and 100"},
		{"/session-logs", "limit=100", ""},
		{"/logs", "offset=-1", "offset must be a non-negative integer"},
		{"/logs", "offset=1.5", "offset must be a non-negative integer"},
		{"/logs", "offset=999999999", ""},
		{"/logs", "startTime=yesterday", "startTime must be an ISO-8601 date-time such as 2025-01-31T23:59:59Z"},
		{"/session-logs", "endTime=2025-13-01T00:00:00Z", "endTime must be an ISO-8601 date-time such as 2025-01-31T23:59:59Z"},
		{"/logs", "startTime=2025-01-01T00:00:00Z&endTime=2025-01-31T23:59:59.5%2B02:00", ""},
		{"/logs", "startTime=2025-01-01", ""},
		{"/logs", "resourceId=abc", "resourceId must be a 32-bit integer"},
		{"/logs", "resourceId=12", ""},
		{"/logs", "resourceId=3000000000", "resourceId must be a 32-bit integer"},
		{"/session-logs", "resourceId=12", "unknown parameter resourceId"},
	}
	for _, tc := range cases {
		r := call(t, u, tc.path, tc.query)
		if tc.want == "" {
			if r.status != http.StatusOK {
				t.Errorf("%s?%s: status %d (%s), want 200", tc.path, tc.query, r.status, r.body)
			}
			continue
		}
		if r.status != http.StatusBadRequest {
			t.Errorf("%s?%s: status %d, want 400", tc.path, tc.query, r.status)
			continue
		}
		if got := description(t, r); got != tc.want {
			t.Errorf("%s?%s: description %q, want %q", tc.path, tc.query, got, tc.want)
		}
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s?%s: Content-Type %q", tc.path, tc.query, ct)
		}
	}
}

func TestOffsetAndLimitWalkTheWholeLog(t *testing.T) {
	s := New(Options{})
	records := simpleAudit(250)
	s.SetAudit(records)
	u := startServer(t, s)

	if got := len(auditIDs(t, call(t, u, "/logs", ""))); got != 100 {
		t.Fatalf("default limit gave %d entries, want 100", got)
	}
	var all []int64
	for offset := 0; ; offset += 70 {
		ids := auditIDs(t, call(t, u, "/logs", q("offset", strconv.Itoa(offset), "limit", "70")))
		all = append(all, ids...)
		if len(ids) < 70 {
			break
		}
	}
	if len(all) != 250 || all[0] != 250 || all[249] != 1 {
		t.Fatalf("walked %d ids (%v...), want 250..1", len(all), all[:min(len(all), 3)])
	}
	if !slices.IsSortedFunc(all, func(a, b int64) int { return int(b - a) }) {
		t.Error("ids not newest first")
	}
	r := call(t, u, "/logs", q("offset", "250"))
	if !strings.Contains(string(r.body), `"entries":[]`) {
		t.Errorf("past the end: body %s, want an empty (not null) entries array", r.body)
	}
}

func TestStoredNewestFirstAndCopied(t *testing.T) {
	s := New(Options{})
	in := []AuditRecord{
		{ID: 1, Time: base.Add(-time.Hour)},
		{ID: 3, Time: base},
		{ID: 2, Time: base}, // same second as 3: the higher ID comes first
		{ID: 4, Time: base.Add(-time.Minute).Add(999 * time.Millisecond)},
	}
	s.SetAudit(in)
	in[0].ID = 99 // the server keeps its own copy
	u := startServer(t, s)
	r := call(t, u, "/logs", "")
	if got := auditIDs(t, r); !slices.Equal(got, []int64{3, 2, 4, 1}) {
		t.Fatalf("order %v, want [3 2 4 1]", got)
	}
	if !strings.Contains(string(r.body), `"time":"2025-03-14T11:59:00Z"`) {
		t.Errorf("sub-second time not truncated to whole seconds: %s", r.body)
	}
}

func TestTimeWindowIsInclusive(t *testing.T) {
	s := New(Options{})
	s.SetAudit(simpleAudit(10)) // ids 10..1 at base, base-1m, ... base-9m
	s.SetSessions([]SessionRecord{
		{ID: "a", Time: base}, {ID: "b", Time: base.Add(-time.Minute)}, {ID: "c", Time: base.Add(-2 * time.Minute)},
	})
	u := startServer(t, s)
	cases := []struct {
		query string
		want  []int64
	}{
		{q("startTime", "2025-03-14T11:57:00Z", "endTime", "2025-03-14T11:59:00Z"), []int64{9, 8, 7}},
		{q("startTime", "2025-03-14T11:57:00Z"), []int64{10, 9, 8, 7}},
		{q("endTime", "2025-03-14T11:52:00Z"), []int64{2, 1}},
		{q("startTime", "2025-03-14T11:56:30Z", "endTime", "2025-03-14T11:58:30Z"), []int64{8, 7}},
		{q("startTime", "2025-03-14T13:57:00+02:00", "endTime", "2025-03-14T13:57:00+02:00"), []int64{7}},
		{q("startTime", "2025-03-14T11:57:00.5Z", "endTime", "2025-03-14T11:58:00Z"), []int64{8}},
		{q("startTime", "2025-03-14T12:00:01Z"), nil},
		{q("startTime", "2025-03-14T11:59:00Z", "endTime", "2025-03-14T11:50:00Z"), nil},
		{q("startTime", "2025-03-14T11:50:00Z", "endTime", "2025-03-14T11:59:00Z", "offset", "1", "limit", "2"), []int64{8, 7}},
	}
	for _, tc := range cases {
		if got := auditIDs(t, call(t, u, "/logs", tc.query)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: ids %v, want %v", tc.query, got, tc.want)
		}
	}
	entries := decodeEntries(t, call(t, u, "/session-logs", q("startTime", "2025-03-14T11:58:00Z", "endTime", "2025-03-14T11:59:00Z")))
	if len(entries) != 2 || entries[0]["id"] != "b" || entries[1]["id"] != "c" {
		t.Errorf("session window: %v, want b and c", entries)
	}
}

func TestResourceIDFilter(t *testing.T) {
	s := New(Options{})
	s.SetAudit(simpleAudit(12)) // resourceId 100 for ids 12, 9, 6, 3
	u := startServer(t, s)
	if got := auditIDs(t, call(t, u, "/logs", q("resourceId", "100"))); !slices.Equal(got, []int64{12, 9, 6, 3}) {
		t.Errorf("resourceId=100: %v", got)
	}
	if got := auditIDs(t, call(t, u, "/logs", q("resourceId", "100", "offset", "1", "limit", "2"))); !slices.Equal(got, []int64{9, 6}) {
		t.Errorf("resourceId=100 offset 1 limit 2: %v", got)
	}
	if got := auditIDs(t, call(t, u, "/logs", q("resourceId", "100", "endTime", "2025-03-14T11:58:00Z"))); !slices.Equal(got, []int64{9, 6, 3}) {
		t.Errorf("resourceId with endTime: %v", got)
	}
	if got := auditIDs(t, call(t, u, "/logs", q("resourceId", "7"))); len(got) != 0 {
		t.Errorf("unknown resourceId: %v", got)
	}
}

func TestIgnoreFilters(t *testing.T) {
	s := New(Options{IgnoreFilters: true})
	s.SetAudit(simpleAudit(5))
	s.SetSessions([]SessionRecord{{ID: "a", Time: base}})
	u := startServer(t, s)
	got := auditIDs(t, call(t, u, "/logs", q("startTime", "2025-03-14T11:59:00Z", "endTime", "2025-03-14T11:59:00Z", "resourceId", "100", "limit", "3")))
	if !slices.Equal(got, []int64{5, 4, 3}) {
		t.Errorf("filters applied by an old server: %v, want [5 4 3]", got)
	}
	if r := call(t, u, "/session-logs", q("resourceId", "1", "startTime", "not-a-time")); r.status != http.StatusOK {
		t.Errorf("old server rejected filters it does not know: %d %s", r.status, r.body)
	}
	if r := call(t, u, "/logs", q("limit", "5000")); r.status != http.StatusBadRequest {
		t.Errorf("limit still validated: status %d, want 400", r.status)
	}
}

func TestPageCap(t *testing.T) {
	s := New(Options{PageCap: 7})
	s.SetAudit(simpleAudit(20))
	u := startServer(t, s)
	if got := auditIDs(t, call(t, u, "/logs", q("limit", "100", "offset", "2"))); !slices.Equal(got, []int64{18, 17, 16, 15, 14, 13, 12}) {
		t.Errorf("capped page %v", got)
	}
	if got := auditIDs(t, call(t, u, "/logs", q("limit", "3"))); len(got) != 3 {
		t.Errorf("limit under the cap gave %d entries", len(got))
	}
}

func TestPrependAuditShiftsOffsets(t *testing.T) {
	s := New(Options{})
	s.SetAudit(simpleAudit(30))
	u := startServer(t, s)
	first := auditIDs(t, call(t, u, "/logs", q("limit", "10")))
	s.PrependAudit(AuditRecord{Action: "database.delete"}, AuditRecord{Action: "user.remove"}, AuditRecord{Action: "apiKey.delete"})
	second := auditIDs(t, call(t, u, "/logs", q("offset", "10", "limit", "10")))
	// The three new entries pushed everything down: the second page repeats the
	// last three of the first.
	if !slices.Equal(second[:3], first[7:]) {
		t.Fatalf("after prepend, page 2 starts %v, want %v", second[:3], first[7:])
	}
	head := auditIDs(t, call(t, u, "/logs", q("limit", "4")))
	if !slices.Equal(head, []int64{33, 32, 31, 30}) {
		t.Errorf("head %v, want the prepended ids 33 32 31 then 30", head)
	}
}

func TestPrependSessionsAndHookMidScan(t *testing.T) {
	s := New(Options{})
	s.SetSessions([]SessionRecord{{ID: "old-1", Time: base.Add(-time.Minute)}, {ID: "old-2", Time: base.Add(-2 * time.Minute)}})
	u := startServer(t, s)
	var once sync.Once
	s.OnRequest(func(r *http.Request) {
		if r.URL.Query().Get("offset") == "1" {
			once.Do(func() { s.PrependSessions(SessionRecord{}) })
		}
	})
	page := decodeEntries(t, call(t, u, "/session-logs", q("offset", "1", "limit", "5")))
	if len(page) != 2 || page[0]["id"] != "old-1" {
		t.Fatalf("hook did not prepend before answering: %v", page)
	}
	s.OnRequest(nil)
	head := decodeEntries(t, call(t, u, "/session-logs", q("limit", "1")))
	if head[0]["id"] != "prepended-000001" {
		t.Errorf("head %v, want the prepended session", head[0])
	}
}

func TestRequestsAreRecorded(t *testing.T) {
	s := New(Options{})
	u := startServer(t, s)
	call(t, u, "/logs", q("limit", "5", "startTime", "2025-01-01T00:00:00Z"))
	call(t, u, "/session-logs", "", "x-api-key", "")
	reqs := s.Requests()
	if len(reqs) != 2 || s.RequestCount() != 2 {
		t.Fatalf("recorded %d (count %d), want 2", len(reqs), s.RequestCount())
	}
	if reqs[0].Path != AuditPath || reqs[0].Query.Get("limit") != "5" || reqs[0].Status != http.StatusOK || reqs[0].Time.IsZero() {
		t.Errorf("first request %+v", reqs[0])
	}
	if reqs[1].Path != SessionPath || reqs[1].Status != http.StatusUnauthorized {
		t.Errorf("second request %+v", reqs[1])
	}
	reqs[0].Query.Set("limit", "changed")
	if s.Requests()[0].Query.Get("limit") != "5" {
		t.Error("Requests() shares its query maps with the server")
	}
	s.ResetRequests()
	if s.RequestCount() != 0 {
		t.Error("ResetRequests kept requests")
	}
}

func TestLatencyAndCancellation(t *testing.T) {
	s := New(Options{Latency: 30 * time.Millisecond})
	u := startServer(t, s)
	start := time.Now()
	call(t, u, "/logs", "")
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("answered in %v, want at least the 30ms latency", d)
	}

	s.SetLatency(time.Hour)
	client := &http.Client{Timeout: 50 * time.Millisecond}
	start = time.Now()
	if _, err := client.Get(u + "/logs"); err == nil {
		t.Fatal("want a client timeout")
	}
	// The handler must give up its hour-long sleep once the client is gone.
	deadline := time.Now().Add(5 * time.Second)
	for s.RequestCount() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if s.RequestCount() != 2 || s.Requests()[1].Status != 0 {
		t.Fatalf("abandoned request not recorded with status 0: %+v", s.Requests())
	}
	if time.Since(start) > 5*time.Second {
		t.Error("latency sleep ignored the cancelled request")
	}
}

func TestConcurrentUse(t *testing.T) {
	s := New(Options{})
	s.SetAudit(GenerateAudit(2000, 1, base, 24*time.Hour))
	s.SetSessions(GenerateSessions(200, 1, base, 24*time.Hour))
	u := startServer(t, s)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 10 {
				path := "/logs"
				if (i+j)%2 == 0 {
					path = "/session-logs"
				}
				if r := call(t, u, path, q("offset", strconv.Itoa(j*10), "limit", "50")); r.status != http.StatusOK {
					t.Errorf("status %d", r.status)
				}
			}
		}()
	}
	for i := range 20 {
		s.PrependAudit(AuditRecord{Action: "database.update"})
		s.PrependSessions(SessionRecord{})
		if i%5 == 0 {
			s.SetShape(ShapeSeed)
		} else {
			s.SetShape(ShapeOfficial)
		}
		_ = s.Requests()
	}
	wg.Wait()
	if s.RequestCount() != 80 {
		t.Errorf("recorded %d requests, want 80", s.RequestCount())
	}
}

func TestHookMayRewriteTheQueryAndInFlightIsCounted(t *testing.T) {
	s := New(Options{})
	s.SetAudit(simpleAudit(5))
	u := startServer(t, s)
	release := make(chan struct{})
	s.OnRequest(func(r *http.Request) {
		<-release // hold every request until three are in flight
		v := r.URL.Query()
		v.Set("offset", "0") // a server that ignores offset
		r.URL.RawQuery = v.Encode()
	})
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ids := auditIDs(t, call(t, u, "/logs", q("offset", "3", "limit", "1"))); !slices.Equal(ids, []int64{5}) {
				t.Errorf("ids %v, want the page at offset 0", ids)
			}
		}()
	}
	for deadline := time.Now().Add(5 * time.Second); s.MaxInFlight() < 3 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if s.MaxInFlight() != 3 || s.Requests()[0].Query.Get("offset") != "3" {
		t.Errorf("MaxInFlight %d, recorded %+v; want 3, and the query as sent", s.MaxInFlight(), s.Requests()[0])
	}
	s.ResetRequests()
	if s.MaxInFlight() != 0 {
		t.Errorf("MaxInFlight %d after ResetRequests, want 0", s.MaxInFlight())
	}
}
