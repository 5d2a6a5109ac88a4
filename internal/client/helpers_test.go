package client

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

const (
	testAPIKey = "acct-key-7f3a9c41d2"
	testSecret = "user-secret-K9x2QzP0w"
)

var testNewest = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// testAPI is internal/mockapi on 127.0.0.1 with the test keys, holding the same
// n entries in both logs: IDs n..1, a minute apart, the newest (n) at
// testNewest. Like an API older than the 2025 filters, it ignores startTime,
// endTime and resourceId unless the options given say otherwise.
type testAPI struct {
	*mockapi.Server
	url string // the base URL, ending in /v1
	srv *httptest.Server
	n   int

	mu   sync.Mutex
	next int // the ID insert gives next
}

func newTestAPI(t *testing.T, n int, setup func(*mockapi.Options)) *testAPI {
	t.Helper()
	opts := mockapi.Options{APIKey: testAPIKey, SecretKey: testSecret, IgnoreFilters: true}
	if setup != nil {
		setup(&opts)
	}
	a := &testAPI{Server: mockapi.New(opts), n: n, next: n + 1}
	audit, sessions := make([]mockapi.AuditRecord, n), make([]mockapi.SessionRecord, n)
	for i := range n {
		audit[i], sessions[i] = a.records(n - i)
	}
	a.SetAudit(audit)
	a.SetSessions(sessions)
	a.srv = httptest.NewServer(a)
	t.Cleanup(a.srv.Close)
	a.url = a.srv.URL + "/v1"
	return a
}

// records returns the entry with this ID in either log. IDs above n are
// entries inserted later, a second apart, newer than the newest.
func (a *testAPI) records(id int) (mockapi.AuditRecord, mockapi.SessionRecord) {
	at := testNewest.Add(-time.Duration(a.n-id) * time.Minute)
	if id > a.n {
		at = testNewest.Add(time.Duration(id-a.n) * time.Second)
	}
	who := strconv.Itoa(id % 7)
	return mockapi.AuditRecord{
			ID: int64(id), Time: at, Action: "database.update", Type: "Database", UserName: "user" + who,
			UserEmail: "u" + who + "@example.com", Resource: "db", ResourceID: int64(1000 + id%3),
			Details: "changed " + strconv.Itoa(id), Status: "success",
		}, mockapi.SessionRecord{
			ID: strconv.Itoa(id), Time: at, UserEmail: "u@example.com", UserRole: "owner",
			IPAddress: "192.0.2.1", Type: "api", Action: "Successful login",
		}
}

// insert adds k new entries at the head of both logs.
func (a *testAPI) insert(k int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for range k {
		audit, session := a.records(a.next)
		a.PrependAudit(audit)
		a.PrependSessions(session)
		a.next++
	}
}

// insertBefore returns an OnRequest hook that inserts k entries before each of
// the first m requests takes its snapshot.
func (a *testAPI) insertBefore(k, m int) func(*http.Request) {
	var n atomic.Int32
	return func(*http.Request) {
		if int(n.Add(1)) <= m {
			a.insert(k)
		}
	}
}

// queries are the requests' queries in the order they arrived.
func (a *testAPI) queries() []url.Values {
	reqs := a.Requests()
	slices.SortStableFunc(reqs, func(x, y mockapi.Request) int { return x.Time.Compare(y.Time) })
	out := make([]url.Values, len(reqs))
	for i, r := range reqs {
		out[i] = r.Query
	}
	return out
}

func (a *testAPI) offsets() []int {
	var out []int
	for _, q := range a.queries() {
		o, _ := strconv.Atoi(q.Get("offset"))
		out = append(out, o)
	}
	return out
}

// fault is an answer of the status, content type, body and headers (name,
// value, ...) given, for the first matching request.
func fault(code int, contentType, body string, headers ...string) mockapi.Fault {
	f := mockapi.Fault{Status: code, ContentType: contentType, Body: body, Header: http.Header{}}
	for i := 0; i+1 < len(headers); i += 2 {
		f.Header.Set(headers[i], headers[i+1])
	}
	return f
}

// offset makes f answer only the page at offset o.
func offset(o int, f mockapi.Fault) mockapi.Fault {
	f.Query = url.Values{"offset": {strconv.Itoa(o)}}
	return f
}

// forever makes f answer every matching request.
func forever(f mockapi.Fault) mockapi.Fault {
	f.Times = -1
	return f
}

// offsetOf is the offset a request asks for.
func offsetOf(r *http.Request) int {
	o, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	return o
}

// setQuery changes a parameter of a request's query, as a server that
// ignores it would read it.
func setQuery(r *http.Request, name, value string) {
	q := r.URL.Query()
	q.Set(name, value)
	r.URL.RawQuery = q.Encode()
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
