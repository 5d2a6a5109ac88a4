package client

// Benchmarks of whole reads against the mock API (internal/mockapi) behind a
// real HTTP listener on 127.0.0.1, with a simulated round trip (the mock's
// Latency option) and generated logs. scripts/bench.sh runs them and checks the
// targets; BENCHMARKS.md holds the figures and what they mean.
//
// Every client is configured with the provider's defaults
// (requests_per_minute = 400 included), and the mock enforces the API's 400
// requests per minute per key; each read starts with a fresh window on both
// sides, as a read after a quiet minute does.
//
// Every read is checked for completeness (the entry count is what the mock
// holds, IDs are distinct and in the server's order) with the timer stopped,
// so a broken read cannot look fast. This file uses only the client's exported
// API, so that it also runs against earlier versions of the client for the
// before/after figures (BENCHMARKS.md says how).

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

const benchSpan = 30 * 24 * time.Hour // the generated logs cover 30 days

// benchConcurrencies: sequential, the provider's default, and the most the
// speed-up target asks about.
var benchConcurrencies = []int{1, DefaultMaxConcurrency, 16}

var benchNewest = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

type benchDataset struct {
	name    string
	session bool
	entries int
}

var benchDatasets = []benchDataset{
	{"audit-10k", false, 10_000},
	{"audit-100k", false, 100_000},
	{"sessions-20k", true, 20_000},
}

// The generated records, made once per process: 100,000 take a while.
var (
	benchRecordsMu sync.Mutex
	benchAuditLogs = map[int][]mockapi.AuditRecord{}
	benchSessLogs  = map[int][]mockapi.SessionRecord{}
)

func benchAudit(n int) []mockapi.AuditRecord {
	benchRecordsMu.Lock()
	defer benchRecordsMu.Unlock()
	if benchAuditLogs[n] == nil {
		benchAuditLogs[n] = mockapi.GenerateAudit(n, 1, benchNewest, benchSpan)
	}
	return benchAuditLogs[n]
}

func benchSessions(n int) []mockapi.SessionRecord {
	benchRecordsMu.Lock()
	defer benchRecordsMu.Unlock()
	if benchSessLogs[n] == nil {
		benchSessLogs[n] = mockapi.GenerateSessions(n, 1, benchNewest, benchSpan)
	}
	return benchSessLogs[n]
}

// benchServer is the mock API on a loopback listener, counting the response
// bytes it writes.
type benchServer struct {
	mock  *mockapi.Server
	url   string
	bytes atomic.Int64
}

func newBenchServer(b *testing.B, opts mockapi.Options, ds benchDataset) *benchServer {
	b.Helper()
	opts.RateLimit = DefaultRequestsPerMinute // the API's, enforced
	s := &benchServer{mock: mockapi.New(opts)}
	if ds.session {
		s.mock.SetSessions(benchSessions(ds.entries))
	} else {
		s.mock.SetAudit(benchAudit(ds.entries))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mock.ServeHTTP(countingWriter{w, &s.bytes}, r)
	}))
	b.Cleanup(srv.Close)
	s.url = srv.URL + "/v1"
	return s
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n.Add(int64(n))
	return n, err
}

// newBenchClient is a client as the provider configures it by default.
func newBenchClient(b *testing.B, url string, concurrency int) *Client {
	b.Helper()
	c, err := New(Config{
		BaseURL: url, APIKey: mockapi.DefaultAPIKey, SecretKey: mockapi.DefaultSecretKey,
		UserAgent: "client-bench", MaxRetries: DefaultMaxRetries, RetryWaitMin: DefaultRetryWaitMin,
		RetryWaitMax: DefaultRetryWaitMax, RequestTimeout: DefaultRequestTimeout,
		RequestsPerMinute: DefaultRequestsPerMinute, MaxConcurrency: concurrency,
	})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// benchRead is one complete read and what it cost.
type benchRead struct {
	elapsed time.Duration
	stats   ListStats
	served  int // requests the server saw (some read ahead past the end may be cancelled before they arrive)
	limited int // of which answered 429
	bytes   int64
	check   func() error // completeness, run with the timer stopped
}

// readLog reads the whole log of ds with c and checks the result against ds.
// Each read gets a fresh client and a fresh rate-limit window at the mock.
func readLog(b *testing.B, srv *benchServer, concurrency int, ds benchDataset) benchRead {
	b.Helper()
	c := newBenchClient(b, srv.url, concurrency)
	srv.mock.ResetRateLimit()
	requestsBefore, limitedBefore, bytesBefore := srv.mock.RequestCount(), srv.mock.RateLimited(), srv.bytes.Load()
	var r benchRead
	var err error
	began := time.Now()
	if ds.session {
		var got []SessionEntry
		got, r.stats, err = c.ListSessionLogs(context.Background(), SessionLogQuery{})
		r.check = func() error { return checkSessions(got, ds.entries) }
	} else {
		var got []AuditEntry
		got, r.stats, err = c.ListAuditLogs(context.Background(), AuditLogQuery{})
		r.check = func() error { return checkAudit(got, ds.entries) }
	}
	r.elapsed = time.Since(began)
	if err != nil {
		b.Fatal(err)
	}
	r.bytes = srv.bytes.Load() - bytesBefore
	time.Sleep(20 * time.Millisecond) // requests cancelled past the end are recorded once the mock notices
	r.served, r.limited = srv.mock.RequestCount()-requestsBefore, srv.mock.RateLimited()-limitedBefore
	if r.served > r.stats.Requests {
		b.Fatalf("the client counted %d requests, the server %d", r.stats.Requests, r.served)
	}
	return r
}

// checkAudit: n entries, IDs distinct integers strictly descending (GenerateAudit
// numbers them so), as the server holds them.
func checkAudit(got []AuditEntry, n int) error {
	if len(got) != n {
		return fmt.Errorf("read %d audit entries, the mock holds %d", len(got), n)
	}
	last := int64(-1)
	for i, e := range got {
		if e.ID == nil || e.Time == nil {
			return fmt.Errorf("entry %d has no id or time", i)
		}
		id, err := strconv.ParseInt(*e.ID, 10, 64)
		if err != nil || (last >= 0 && id >= last) {
			return fmt.Errorf("entry %d: id %s out of order after %d", i, *e.ID, last)
		}
		last = id
	}
	return nil
}

func checkSessions(got []SessionEntry, n int) error {
	if len(got) != n {
		return fmt.Errorf("read %d sessions, the mock holds %d", len(got), n)
	}
	seen := make(map[string]struct{}, n)
	for i, e := range got {
		if e.ID == nil || e.Time == nil {
			return fmt.Errorf("session %d has no id or time", i)
		}
		if _, dup := seen[*e.ID]; dup {
			return fmt.Errorf("session %s read twice", *e.ID)
		}
		seen[*e.ID] = struct{}{}
		if i > 0 && e.Time.After(*got[i-1].Time) {
			return fmt.Errorf("session %d is newer than the one before it", i)
		}
	}
	return nil
}

func (r benchRead) mustBeComplete(b *testing.B) {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	if err := r.check(); err != nil {
		b.Fatal(err)
	}
}

var benchRTTs = []time.Duration{20 * time.Millisecond, 100 * time.Millisecond}

func concName(conc int) string {
	if conc == 1 {
		return "seq"
	}
	return fmt.Sprintf("c%d", conc)
}

// BenchmarkFullRead reads each generated log whole at each round trip and
// concurrency. ns/op is the wall time of one read; requests/op counts the HTTP
// requests the client sent, served/op those the server saw, waited-ms/op the
// time requests spent waiting on the rate limit; resp-bytes/op the response
// bytes the server wrote. B/op and allocs/op cover the whole process, the
// in-process mock server included.
func BenchmarkFullRead(b *testing.B) {
	for _, ds := range benchDatasets {
		for _, rtt := range benchRTTs {
			srv := newBenchServer(b, mockapi.Options{Latency: rtt}, ds)
			for _, conc := range benchConcurrencies {
				b.Run(fmt.Sprintf("%s/rtt-%s/%s", ds.name, rtt, concName(conc)), func(b *testing.B) {
					var requests, served, bytes int64
					var waited time.Duration
					runtime.GC()
					b.ReportAllocs()
					for b.Loop() {
						r := readLog(b, srv, conc, ds)
						r.mustBeComplete(b)
						requests += int64(r.stats.Requests)
						served += int64(r.served)
						bytes += r.bytes
						waited += rateLimitWait(r.stats)
					}
					b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
					b.ReportMetric(float64(served)/float64(b.N), "served/op")
					b.ReportMetric(float64(waited.Milliseconds())/float64(b.N), "waited-ms/op")
					b.ReportMetric(float64(bytes)/float64(b.N), "resp-bytes/op")
					b.ReportMetric(float64(ds.entries), "entries/op")
				})
			}
		}
	}
}

// BenchmarkSpeedup reads the 100,000-entry audit log (101 pages) with the
// provider's defaults at MaxConcurrency 1, 4 and 16, in turn within each
// iteration so that all meet the same machine load, at a 100 ms round trip (a
// CI runner to a SaaS API) and at 20 ms. speedup-cN = sequential time / time
// with N in flight; waited-ms is the longest time any read of the iteration
// spent waiting on the rate limit (the target: none); limited counts 429s.
func BenchmarkSpeedup(b *testing.B) {
	ds := benchDataset{"audit-100k", false, 100_000}
	for _, rtt := range []time.Duration{100 * time.Millisecond, 20 * time.Millisecond} {
		b.Run("rtt-"+rtt.String(), func(b *testing.B) {
			srv := newBenchServer(b, mockapi.Options{Latency: rtt}, ds)
			elapsed := make([]time.Duration, len(benchConcurrencies))
			requests := make([]int, len(benchConcurrencies))
			var waited time.Duration
			limited := 0
			for b.Loop() {
				for i, conc := range benchConcurrencies {
					runtime.GC() // each read starts from the same heap
					r := readLog(b, srv, conc, ds)
					r.mustBeComplete(b)
					elapsed[i] += r.elapsed
					requests[i] += r.stats.Requests
					waited = max(waited, rateLimitWait(r.stats))
					limited += r.limited
				}
			}
			for i, conc := range benchConcurrencies {
				b.ReportMetric(float64(elapsed[i].Milliseconds())/float64(b.N), concName(conc)+"-ms/op")
				b.ReportMetric(float64(requests[i])/float64(b.N), concName(conc)+"-requests/op")
				if conc > 1 {
					b.ReportMetric(elapsed[0].Seconds()/elapsed[i].Seconds(), fmt.Sprintf("speedup-c%d", conc))
				}
			}
			b.ReportMetric(float64(waited.Milliseconds()), "waited-ms")
			b.ReportMetric(float64(limited), "limited")
		})
	}
}

// BenchmarkRequestsPerRead counts the requests of one full read of N audit
// entries (pages of 1000) at MaxConcurrency 1, 4 and 16, at a 20 ms round
// trip: requests/op as the client counts them (every request sent), served/op
// as the server saw them, bound/op = ceil(N/1000)+1, the requests of a
// sequential read that ends at an empty page.
func BenchmarkRequestsPerRead(b *testing.B) {
	for _, n := range []int{0, 10, 1000, 1001, 2500, 10_000, 100_000} {
		ds := benchDataset{fmt.Sprintf("audit-%d", n), false, n}
		srv := newBenchServer(b, mockapi.Options{Latency: 20 * time.Millisecond}, ds)
		for _, conc := range benchConcurrencies {
			b.Run(fmt.Sprintf("n-%d/%s", n, concName(conc)), func(b *testing.B) {
				var requests, served int
				for b.Loop() {
					r := readLog(b, srv, conc, ds)
					r.mustBeComplete(b)
					requests += r.stats.Requests
					served += r.served
				}
				b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
				b.ReportMetric(float64(served)/float64(b.N), "served/op")
				b.ReportMetric(float64((n+999)/1000+1), "bound/op")
			})
		}
	}
}

// BenchmarkOneHourWindow reads one hour out of 100,000 audit entries spread
// over 30 days, from a server that applies startTime/endTime and from one that
// ignores them (as servers before the 2025 filters do), where only the
// client's early stop keeps the read short. "last-hour" is start = newest - 1h
// and no end (what lookback = "1h" sends); "day-15" is an hour 15 days back,
// with both bounds. Keep applies the window, as the provider's filter does.
// MaxConcurrency is the provider's default (4). requests/op is the figure the
// target applies to.
func BenchmarkOneHourWindow(b *testing.B) {
	ds := benchDataset{"audit-100k", false, 100_000}
	records := benchAudit(ds.entries)
	at := func(t time.Time) *time.Time { return &t }
	windows := []struct {
		name       string
		start, end *time.Time
	}{
		{"last-hour", at(benchNewest.Add(-time.Hour)), nil},
		{"day-15", at(benchNewest.Add(-15 * 24 * time.Hour)), at(benchNewest.Add(-15*24*time.Hour + time.Hour))},
	}
	for _, server := range []struct {
		name   string
		ignore bool
	}{{"server-filters", false}, {"server-ignores-filters", true}} {
		srv := newBenchServer(b, mockapi.Options{Latency: 20 * time.Millisecond, IgnoreFilters: server.ignore}, ds)
		for _, w := range windows {
			want := 0
			for _, r := range records {
				if !r.Time.Before(*w.start) && (w.end == nil || !r.Time.After(*w.end)) {
					want++
				}
			}
			inWindow := func(e *AuditEntry) bool {
				return e.Time != nil && !e.Time.Before(*w.start) && (w.end == nil || !e.Time.After(*w.end))
			}
			b.Run(server.name+"/"+w.name, func(b *testing.B) {
				var requests int64
				for b.Loop() {
					c := newBenchClient(b, srv.url, DefaultMaxConcurrency)
					srv.mock.ResetRateLimit()
					got, stats, err := c.ListAuditLogs(context.Background(), AuditLogQuery{Start: w.start, End: w.end, Keep: inWindow})
					if err != nil {
						b.Fatal(err)
					}
					if len(got) != want || want == 0 {
						b.Fatalf("read %d entries in the window, the mock holds %d", len(got), want)
					}
					requests += int64(stats.Requests)
				}
				b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
				b.ReportMetric(float64(want), "matched/op")
			})
		}
	}
}

// The client's own peak memory, in a child process (this test binary, re-run
// for TestPeakMemoryClientChild only) so that the mock and its records, which
// stay in the parent, do not count. Informational: the target applies to the
// provider (internal/provider BenchmarkPeakMemory), whose figure includes the
// Terraform framework's state. The kept cases keep the entries of one user,
// which the server cannot filter; keep-all-100k turns Keep off to show what
// filtering while decoding saves.
const envMemoryChild = "REDISCLOUD_BENCH_CLIENT_MEMORY" // "url keep-user|all"

const benchMatchUser = "bench-match@example.com"

// matchEvery returns n generated audit records of which every k-th, and only
// those, belongs to benchMatchUser.
func matchEvery(n, k int) []mockapi.AuditRecord {
	records := mockapi.GenerateAudit(n, 3, benchNewest, benchSpan)
	for i := range records {
		if i%k == 0 {
			records[i].UserEmail, records[i].UserName, records[i].APIKeyName = benchMatchUser, "", ""
		}
	}
	return records
}

func BenchmarkPeakMemoryClient(b *testing.B) {
	cases := []struct {
		name             string
		scanned, matched int
		keepAll          bool
	}{
		{"scanned-100k-kept-1k", 100_000, 1_000, false},
		{"scanned-1k-kept-1k", 1_000, 1_000, false},
		{"scanned-100k-kept-100k", 100_000, 100_000, true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			mock := mockapi.New(mockapi.Options{Latency: 20 * time.Millisecond})
			if c.keepAll {
				mock.SetAudit(benchAudit(c.scanned))
			} else {
				mock.SetAudit(matchEvery(c.scanned, c.scanned/c.matched))
			}
			srv := httptest.NewServer(mock)
			defer srv.Close()
			mode := "keep-user"
			if c.keepAll {
				mode = "all"
			}
			var rss int64
			for b.Loop() {
				kb, kept, scanned := runClientMemoryChild(b, srv.URL+"/v1 "+mode)
				if kept != c.matched || scanned != c.scanned {
					b.Fatalf("the child kept %d of %d scanned, want %d of %d", kept, scanned, c.matched, c.scanned)
				}
				rss += kb
			}
			b.ReportMetric(float64(rss)/float64(b.N)/1024, "maxrss-MiB")
		})
	}
}

var clientChildLine = regexp.MustCompile(`peak-memory-client-child: maxrss_kb=(\d+) vmhwm=(\d+) kept=(\d+) scanned=(\d+)`)

func runClientMemoryChild(b *testing.B, arg string) (maxRSSKB int64, kept, scanned int) {
	b.Helper()
	// Through a shell that forks it: on Linux a child exec'ed straight from this
	// process would report this process's peak RSS as its ru_maxrss (os/exec
	// uses vfork, and execve keeps the shared memory's high-water mark).
	cmd := exec.Command("sh", "-c", `"$0" "$@"; exit $?`, os.Args[0],
		"-test.run=^TestPeakMemoryClientChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), envMemoryChild+"="+arg)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("child: %v\n%s", err, out)
	}
	m := clientChildLine.FindSubmatch(out)
	if m == nil {
		b.Fatalf("the child printed no result:\n%s", out)
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	hwm, _ := strconv.ParseInt(string(m[2]), 10, 64)
	if kb < hwm-4096 || kb > hwm+4096 {
		b.Fatalf("the child's ru_maxrss is %d KiB but its VmHWM %d KiB: ru_maxrss does not measure the child alone", kb, hwm)
	}
	kept, _ = strconv.Atoi(string(m[3]))
	scanned, _ = strconv.Atoi(string(m[4]))
	return kb, kept, scanned
}

// TestPeakMemoryClientChild is the child of BenchmarkPeakMemoryClient; it
// skips unless run as one.
func TestPeakMemoryClientChild(t *testing.T) {
	arg := os.Getenv(envMemoryChild)
	if arg == "" {
		t.Skip("run by BenchmarkPeakMemoryClient only")
	}
	url, mode, _ := strings.Cut(arg, " ")
	c, err := New(Config{
		BaseURL: url, APIKey: mockapi.DefaultAPIKey, SecretKey: mockapi.DefaultSecretKey,
		// every other setting: the default, as the provider's
	})
	if err != nil {
		t.Fatal(err)
	}
	q := AuditLogQuery{}
	if mode == "keep-user" {
		q.Keep = func(e *AuditEntry) bool { return e.UserEmail != nil && *e.UserEmail == benchMatchUser }
	}
	got, stats, err := c.ListAuditLogs(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	status, _ := os.ReadFile("/proc/self/status")
	hwm := regexp.MustCompile(`VmHWM:\s*(\d+) kB`).FindSubmatch(status)
	if hwm == nil {
		t.Fatal("no VmHWM in /proc/self/status")
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatalf("getrusage: %v", err)
	}
	fmt.Printf("peak-memory-client-child: maxrss_kb=%d vmhwm=%s kept=%d scanned=%d\n", ru.Maxrss, hwm[1], len(got), stats.Scanned)
}
