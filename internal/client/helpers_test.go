package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testAPIKey = "acct-key-7f3a9c41d2"
	testSecret = "user-secret-K9x2QzP0w"
)

var testNewest = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// fakeEntry is one log entry of the test server; entries are a minute apart.
type fakeEntry struct {
	id   int
	time time.Time
}

// logServer is a small in-test Redis Cloud logs API: entries newest first,
// offset/limit paging, optional page cap, time filter, head inserts and
// failure injection.
type logServer struct {
	t      *testing.T
	srv    *httptest.Server
	shape  string // "official" or "seed"
	idsAre string // "number" (default), "string", or "mixed" (numbers on request 1 only)

	pageCap      int  // 0: none; else the most entries per page whatever the limit
	honourWindow bool // apply startTime/endTime
	// inserts adds this many new entries at the head before each of the first
	// insertRequests requests takes its snapshot.
	inserts, insertRequests int
	// delay, when set, runs before the snapshot of a page (to order snapshots).
	delay func(offset int) time.Duration
	// inject may answer request number n (1-based) itself and return true.
	inject func(w http.ResponseWriter, r *http.Request, n int) bool

	mu          sync.Mutex
	entries     []fakeEntry
	nextID      int
	queries     []url.Values
	inFlight    int
	maxInFlight int
}

func newLogServer(t *testing.T, n int, setup func(*logServer)) *logServer {
	t.Helper()
	s := &logServer{t: t, shape: "official"}
	for i := n; i >= 1; i-- {
		s.entries = append(s.entries, fakeEntry{id: i, time: testNewest.Add(-time.Duration(n-i) * time.Minute)})
	}
	s.nextID = n + 1
	if setup != nil {
		setup(s)
	}
	s.srv = httptest.NewServer(s) // listens on 127.0.0.1
	t.Cleanup(s.srv.Close)
	return s
}

func (s *logServer) url() string { return s.srv.URL + "/v1" }

func (s *logServer) requestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queries)
}

func (s *logServer) offsets() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []int
	for _, q := range s.queries {
		o, _ := strconv.Atoi(q.Get("offset"))
		out = append(out, o)
	}
	return out
}

func (s *logServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.queries = append(s.queries, r.URL.Query())
	n := len(s.queries)
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()

	if s.inject != nil && s.inject(w, r, n) {
		return
	}
	if r.Header.Get("x-api-key") != testAPIKey || r.Header.Get("x-api-secret-key") != testSecret {
		http.Error(w, `{"description":"bad credentials"}`, http.StatusUnauthorized)
		return
	}
	session := r.URL.Path == "/v1/session-logs"
	if !session && r.URL.Path != "/v1/logs" {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	limit, err := strconv.Atoi(q.Get("limit"))
	maxLimit := map[bool]int{false: AuditPageLimit, true: SessionPageLimit}[session]
	if err != nil || limit < 1 || limit > maxLimit {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"description":"limit must be between 1 and %d"}`, maxLimit)
		return
	}
	if s.delay != nil {
		time.Sleep(s.delay(offset))
	}

	s.mu.Lock()
	if n <= s.insertRequests {
		for range s.inserts {
			s.entries = slices.Insert(s.entries, 0, fakeEntry{id: s.nextID, time: s.entries[0].time.Add(time.Second)})
			s.nextID++
		}
	}
	var matching []fakeEntry
	for _, e := range s.entries {
		if s.honourWindow && !inWindowQuery(q, e.time) {
			continue
		}
		matching = append(matching, e)
	}
	s.mu.Unlock()

	if s.pageCap > 0 {
		limit = min(limit, s.pageCap)
	}
	page := matching[min(offset, len(matching)):min(offset+limit, len(matching))]
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(s.render(page, session, n))
}

func inWindowQuery(q url.Values, t time.Time) bool {
	if v := q.Get("startTime"); v != "" {
		if st, err := time.Parse(time.RFC3339, v); err == nil && t.Before(st) {
			return false
		}
	}
	if v := q.Get("endTime"); v != "" {
		if et, err := time.Parse(time.RFC3339, v); err == nil && t.After(et) {
			return false
		}
	}
	return true
}

func (s *logServer) render(page []fakeEntry, session bool, request int) map[string]any {
	items := []map[string]any{}
	for _, e := range page {
		var id any = e.id
		if s.idsAre == "string" || (s.idsAre == "mixed" && request > 1) {
			id = strconv.Itoa(e.id)
		}
		ts := e.time.Format(time.RFC3339)
		var m map[string]any
		switch {
		case !session && s.shape == "official":
			m = map[string]any{"id": id, "time": ts, "originator": "user" + strconv.Itoa(e.id%7), "type": "Database",
				"resourceId": 1000 + e.id%3, "description": "changed " + strconv.Itoa(e.id)}
		case !session:
			m = map[string]any{"id": id, "timestamp": ts, "action": "database.update",
				"user":     map[string]any{"email": "u" + strconv.Itoa(e.id%7) + "@example.com"},
				"resource": "db", "resourceId": strconv.Itoa(1000 + e.id%3), "status": "success"}
		case s.shape == "official":
			m = map[string]any{"id": id, "time": ts, "user": "u@example.com", "userRole": "owner",
				"ipAddress": "192.0.2.1", "type": "Console", "action": "Successful login"}
		default:
			m = map[string]any{"sessionId": id, "startTime": ts, "endTime": nil, "type": "api",
				"user": map[string]any{"email": "u@example.com"}}
		}
		items = append(items, m)
	}
	switch {
	case s.shape == "official":
		return map[string]any{"entries": items, "links": []any{}}
	case session:
		return map[string]any{"sessions": items}
	default:
		return map[string]any{"logs": items}
	}
}

// newTestClient returns a fast client: tiny backoff, no effective rate limit.
func newTestClient(t *testing.T, baseURL string, mod func(*Config)) (*Client, *recLogger) {
	t.Helper()
	log := &recLogger{}
	cfg := Config{
		BaseURL: baseURL, APIKey: testAPIKey, SecretKey: testSecret, UserAgent: "client-test/1.0",
		MaxRetries: 5, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
		RequestTimeout: 5 * time.Second, RequestsPerMinute: 600000, MaxConcurrency: 4, Logger: log,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, log
}

// recLogger records every log line.
type recLogger struct {
	mu    sync.Mutex
	lines []logLine
}

type logLine struct {
	level, msg string
	fields     map[string]any
}

func (l *recLogger) Debug(_ context.Context, msg string, f map[string]any) { l.add("debug", msg, f) }
func (l *recLogger) Warn(_ context.Context, msg string, f map[string]any)  { l.add("warn", msg, f) }

func (l *recLogger) add(level, msg string, f map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	cp := map[string]any{}
	for k, v := range f {
		cp[k] = v
	}
	l.lines = append(l.lines, logLine{level, msg, cp})
}

func (l *recLogger) count(level string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if line.level == level {
			n++
		}
	}
	return n
}

func (l *recLogger) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, line := range l.lines {
		fmt.Fprintf(&b, "%s %s %v\n", line.level, line.msg, line.fields)
	}
	return b.String()
}

func auditIDs(t *testing.T, es []AuditEntry) []int {
	t.Helper()
	var out []int
	for _, e := range es {
		out = append(out, atoiPtr(t, e.ID))
	}
	return out
}

func sessionIDs(t *testing.T, es []SessionEntry) []int {
	t.Helper()
	var out []int
	for _, e := range es {
		out = append(out, atoiPtr(t, e.ID))
	}
	return out
}

func atoiPtr(t *testing.T, s *string) int {
	t.Helper()
	if s == nil {
		t.Fatal("entry without ID")
	}
	n, err := strconv.Atoi(*s)
	if err != nil {
		t.Fatalf("ID %q is not a decimal integer", *s)
	}
	return n
}

// descending returns hi, hi-1, ..., lo.
func descending(hi, lo int) []int {
	var out []int
	for i := hi; i >= lo; i-- {
		out = append(out, i)
	}
	return out
}

func assertIDs(t *testing.T, got, want []int) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("got %d IDs %s, want %d IDs %s", len(got), summarize(got), len(want), summarize(want))
	}
}

func summarize(ids []int) string {
	if len(ids) <= 12 {
		return fmt.Sprint(ids)
	}
	return fmt.Sprintf("%v … %v", ids[:6], ids[len(ids)-6:])
}

// inWindow is the time window as the provider's filter applies it in Keep:
// inclusive, and an entry without a time is outside any window.
func inWindow(start, end *time.Time) func(*AuditEntry) bool {
	return func(e *AuditEntry) bool {
		return e.Time != nil && (start == nil || !e.Time.Before(*start)) && (end == nil || !e.Time.After(*end))
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}
