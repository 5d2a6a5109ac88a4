package client

// Benchmarks of whole reads against the mock API (internal/mockapi) behind a
// real HTTP listener on 127.0.0.1, with a simulated round trip (the mock's
// Latency option) and generated logs. scripts/bench.sh runs them and checks the
// targets; BENCHMARKS.md holds the figures and what they mean.
//
// The client-side rate limit is set to benchRequestsPerMinute: at the default
// of 400 requests per minute the limiter, not the client, would set every figure
// (100 pages take 15 s at that pace whatever else happens).
//
// Every read is checked for completeness (the entry count is what the mock
// holds, IDs are distinct and in the server's order, the request count matches
// the server's) with the timer stopped, so a broken read cannot look fast.

import (
	"bytes"
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

const (
	benchRequestsPerMinute = 1_000_000
	// benchConcurrency is the MaxConcurrency of the concurrent reads the
	// speed-up target applies to.
	benchConcurrency = 16
	benchSpan        = 30 * 24 * time.Hour // the generated logs cover 30 days
)

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

// newBenchClient is a client as the provider configures it, but for the rate limit.
func newBenchClient(b *testing.B, url string, concurrency int) *Client {
	b.Helper()
	c, err := New(Config{
		BaseURL: url, APIKey: mockapi.DefaultAPIKey, SecretKey: mockapi.DefaultSecretKey,
		UserAgent: "client-bench", MaxRetries: DefaultMaxRetries,
		RequestsPerMinute: benchRequestsPerMinute, MaxConcurrency: concurrency,
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
	bytes   int64
	check   func() error // completeness, run with the timer stopped
}

// readLog reads the whole log of ds with c and checks the result against ds.
func readLog(b *testing.B, srv *benchServer, c *Client, ds benchDataset) benchRead {
	b.Helper()
	requestsBefore, bytesBefore := srv.mock.RequestCount(), srv.bytes.Load()
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
	if served := srv.mock.RequestCount() - requestsBefore; served != r.stats.Requests {
		b.Fatalf("the client counted %d requests, the server %d", r.stats.Requests, served)
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

// BenchmarkFullRead reads each generated log whole, one page at a time
// (seq) and with benchConcurrency pages in flight (conc16), at each round trip.
// ns/op is the wall time of one read; requests/op counts HTTP requests, the
// head re-read included; resp-bytes/op the response bytes the server wrote.
// B/op and allocs/op cover the whole process, the in-process mock server
// included.
func BenchmarkFullRead(b *testing.B) {
	for _, ds := range benchDatasets {
		for _, rtt := range benchRTTs {
			srv := newBenchServer(b, mockapi.Options{Latency: rtt}, ds)
			for _, conc := range []int{1, benchConcurrency} {
				mode := "seq"
				if conc > 1 {
					mode = fmt.Sprintf("conc%d", conc)
				}
				b.Run(fmt.Sprintf("%s/rtt-%s/%s", ds.name, rtt, mode), func(b *testing.B) {
					c := newBenchClient(b, srv.url, conc)
					var requests, bytes int64
					runtime.GC()
					b.ReportAllocs()
					for b.Loop() {
						r := readLog(b, srv, c, ds)
						r.mustBeComplete(b)
						requests += int64(r.stats.Requests)
						bytes += r.bytes
					}
					b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
					b.ReportMetric(float64(bytes)/float64(b.N), "resp-bytes/op")
					b.ReportMetric(float64(ds.entries), "entries/op")
				})
			}
		}
	}
}

// BenchmarkDecodeAuditPage splits, parses and merges one official-shape page
// of 1000 generated audit entries: the client's CPU cost per page, without
// the network.
func BenchmarkDecodeAuditPage(b *testing.B) {
	ds := benchDataset{"audit-1k", false, 1000}
	srv := newBenchServer(b, mockapi.Options{}, ds)
	c := newBenchClient(b, srv.url, 1)
	page, _, err := c.get(context.Background(), "/logs?offset=0&limit=1000")
	if err != nil {
		b.Fatal(err)
	}
	body := bytes.Clone(page.body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		s := &scan[AuditEntry]{c: c, kind: auditLog}
		s.reset()
		info, err := s.process(context.Background(), rawPage{body: body, contentType: "application/json"}, 0)
		if err != nil || info.n != ds.entries || len(s.out) != ds.entries {
			b.Fatalf("%d elements, %d kept: %v", info.n, len(s.out), err)
		}
	}
}

// BenchmarkSpeedup reads the 100,000-entry audit log at a 20 ms round trip
// sequentially and concurrently, in turn within each iteration so that both
// meet the same machine load, and reports how many times faster each
// concurrent read is (speedup-cN = sequential time / time with N in flight).
// The target applies to speedup-c16; c4 is the provider's default.
func BenchmarkSpeedup(b *testing.B) {
	ds := benchDataset{"audit-100k", false, 100_000}
	srv := newBenchServer(b, mockapi.Options{Latency: 20 * time.Millisecond}, ds)
	concurrencies := []int{4, 8, benchConcurrency}
	seq := newBenchClient(b, srv.url, 1)
	clients := make([]*Client, len(concurrencies))
	for i, n := range concurrencies {
		clients[i] = newBenchClient(b, srv.url, n)
	}
	var seqTime time.Duration
	concTime := make([]time.Duration, len(concurrencies))
	runtime.GC()
	for b.Loop() {
		r := readLog(b, srv, seq, ds)
		r.mustBeComplete(b)
		seqTime += r.elapsed
		for i, c := range clients {
			runtime.GC() // each read starts from the same heap
			r := readLog(b, srv, c, ds)
			r.mustBeComplete(b)
			concTime[i] += r.elapsed
		}
	}
	b.ReportMetric(float64(seqTime.Milliseconds())/float64(b.N), "seq-ms/op")
	for i, n := range concurrencies {
		b.ReportMetric(float64(concTime[i].Milliseconds())/float64(b.N), fmt.Sprintf("c%d-ms/op", n))
		b.ReportMetric(seqTime.Seconds()/concTime[i].Seconds(), fmt.Sprintf("speedup-c%d", n))
	}
}

// BenchmarkDefaultRateLimit reads the 100,000-entry audit log at a 20 ms round
// trip with the default rate limit (400 requests per minute) instead of the
// benchmarks' 1,000,000, at several MaxConcurrency: what a user who keeps the
// default gets.
func BenchmarkDefaultRateLimit(b *testing.B) {
	ds := benchDataset{"audit-100k", false, 100_000}
	srv := newBenchServer(b, mockapi.Options{Latency: 20 * time.Millisecond}, ds)
	for _, conc := range []int{1, DefaultMaxConcurrency, benchConcurrency} {
		b.Run(fmt.Sprintf("c%d", conc), func(b *testing.B) {
			c, err := New(Config{
				BaseURL: srv.url, APIKey: mockapi.DefaultAPIKey, SecretKey: mockapi.DefaultSecretKey,
				MaxRetries: DefaultMaxRetries, MaxConcurrency: conc, // RequestsPerMinute: the default
			})
			if err != nil {
				b.Fatal(err)
			}
			var requests int64
			for b.Loop() {
				r := readLog(b, srv, c, ds)
				r.mustBeComplete(b)
				requests += int64(r.stats.Requests)
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
		})
	}
}

// BenchmarkOneHourWindow reads one hour out of 100,000 audit entries spread
// over 30 days, from a server that applies startTime/endTime and from one that
// ignores them (as servers before the 2025 filters do), where only the
// client's early stop keeps the read short. "last-hour" is start = newest - 1h
// and no end (what lookback = "1h" sends); "day-15" is an hour 15 days back,
// with both bounds. MaxConcurrency is the provider's default (4). requests/op
// is the figure the target applies to.
func BenchmarkOneHourWindow(b *testing.B) {
	ds := benchDataset{"audit-100k", false, 100_000}
	records := benchAudit(ds.entries)
	windows := []struct {
		name       string
		start, end *time.Time
	}{
		{"last-hour", ptr(benchNewest.Add(-time.Hour)), nil},
		{"day-15", ptr(benchNewest.Add(-15 * 24 * time.Hour)), ptr(benchNewest.Add(-15*24*time.Hour + time.Hour))},
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
			b.Run(server.name+"/"+w.name, func(b *testing.B) {
				c := newBenchClient(b, srv.url, DefaultMaxConcurrency) // the provider's default
				var requests int64
				for b.Loop() {
					before := srv.mock.RequestCount()
					got, stats, err := c.ListAuditLogs(context.Background(), AuditLogQuery{Start: w.start, End: w.end})
					if err != nil {
						b.Fatal(err)
					}
					if len(got) != want || want == 0 {
						b.Fatalf("read %d entries in the window, the mock holds %d", len(got), want)
					}
					if served := srv.mock.RequestCount() - before; served != stats.Requests {
						b.Fatalf("the client counted %d requests, the server %d", stats.Requests, served)
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
		RequestsPerMinute: benchRequestsPerMinute, // MaxConcurrency: the default, as the provider's
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
