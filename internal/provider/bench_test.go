package provider

// Benchmarks of the provider as Terraform meets it: a read through the plugin
// protocol in-process, `terraform plan` with the built provider binary, and the
// peak memory of a read in a child process. The mock API (internal/mockapi)
// runs in this process on 127.0.0.1 with a simulated 20 ms round trip. The
// provider's requests_per_minute is set to 1,000,000 (the default of 400 would
// make every figure the rate limiter's); max_concurrency keeps its default.
// scripts/bench.sh runs them; BENCHMARKS.md explains the figures.

import (
	"bufio"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

const (
	benchRequestsPerMinute = 1_000_000
	benchRTT               = 20 * time.Millisecond
	benchMatchUser         = "bench-match@example.com"
)

var benchNewest = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// benchMock serves audit records on 127.0.0.1 with the test credentials.
func benchMock(tb testing.TB, records []mockapi.AuditRecord) (*mockapi.Server, string) {
	api := benchAPI(tb, records)
	return api.mock, api.url
}

// timedAPI is the mock API that also notes when it took its first request in
// and sent its last answer out: the span of a read's HTTP traffic.
type timedAPI struct {
	mock        *mockapi.Server
	url         string
	mu          sync.Mutex
	first, last time.Time
}

func benchAPI(tb testing.TB, records []mockapi.AuditRecord) *timedAPI {
	tb.Helper()
	api := &timedAPI{mock: mockapi.New(mockapi.Options{APIKey: testAPIKey, SecretKey: testSecretKey, Latency: benchRTT})}
	api.mock.SetAudit(records)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		began := time.Now()
		api.mock.ServeHTTP(w, r)
		api.mu.Lock()
		defer api.mu.Unlock()
		if api.first.IsZero() {
			api.first = began
		}
		api.last = time.Now()
	}))
	tb.Cleanup(srv.Close)
	api.url = srv.URL + "/v1"
	return api
}

// httpSpan returns the span since the last call (or the start).
func (a *timedAPI) httpSpan() time.Duration {
	a.mu.Lock()
	defer a.mu.Unlock()
	d := a.last.Sub(a.first)
	a.first, a.last = time.Time{}, time.Time{}
	return d
}

// matchEvery returns n generated audit records of which every k-th, and only
// those, belongs to benchMatchUser (the official shape sends it as originator).
func matchEvery(n, k int) []mockapi.AuditRecord {
	records := mockapi.GenerateAudit(n, 3, benchNewest, 30*24*time.Hour)
	for i := range records {
		if i%k == 0 {
			records[i].UserEmail, records[i].UserName, records[i].APIKeyName = benchMatchUser, "", ""
		}
	}
	return records
}

// auditRead reads rediscloud_audit_logs with args through the plugin protocol and
// returns the total_count and the number of entries in the state the provider returned,
// and how long the ReadDataSource call took.
func auditRead(tb testing.TB, url string, args map[string]tftypes.Value) (total, entries int, took time.Duration) {
	tb.Helper()
	read, schemaType, took := protocolRead(tb, url, map[string]tftypes.Value{
		"requests_per_minute": tftypes.NewValue(tftypes.Number, benchRequestsPerMinute),
	}, "rediscloud_audit_logs", args)
	for _, d := range read.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			tb.Fatalf("read: %s: %s", d.Summary, d.Detail)
		}
	}
	state, err := read.State.Unmarshal(schemaType)
	if err != nil {
		tb.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	var count big.Float
	var list []tftypes.Value
	if err := state.As(&attrs); err != nil {
		tb.Fatal(err)
	}
	if err := attrs["total_count"].As(&count); err != nil {
		tb.Fatal(err)
	}
	if err := attrs["entries"].As(&list); err != nil {
		tb.Fatal(err)
	}
	n, _ := count.Int64()
	return int(n), len(list), took
}

// BenchmarkProtocolRead reads 10,000 audit entries, all matched, through the
// plugin protocol in this process: the provider's whole Read (HTTP, decoding,
// filtering, building the state) without Terraform. read-ms/op times the
// ReadDataSource call alone; http-ms/op is the span of its HTTP traffic, from
// the first request in to the last answer out, at the server. ns/op, B/op and
// allocs/op also cover configuring the provider and decoding the state here.
func BenchmarkProtocolRead(b *testing.B) {
	const n = 10_000
	api := benchAPI(b, mockapi.GenerateAudit(n, 3, benchNewest, 30*24*time.Hour))
	b.ReportAllocs()
	var requests int
	var readTime, httpTime time.Duration
	for b.Loop() {
		before := api.mock.RequestCount()
		api.httpSpan()
		total, entries, took := auditRead(b, api.url, nil)
		if total != n || entries != n {
			b.Fatalf("total_count %d and %d entries, want %d", total, entries, n)
		}
		requests += api.mock.RequestCount() - before
		readTime += took
		httpTime += api.httpSpan()
	}
	b.ReportMetric(float64(readTime.Milliseconds())/float64(b.N), "read-ms/op")
	b.ReportMetric(float64(httpTime.Milliseconds())/float64(b.N), "http-ms/op")
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
	b.ReportMetric(n, "matched/op")
}

// BenchmarkTerraformPlan runs `terraform plan` on a configuration reading
// 10,000 audit entries, all matched, with the provider binary built by `go
// build` (or TF_BENCH_PROVIDER_BINARY) installed through dev_overrides, and
// the Terraform CLI from TF_BENCH_TERRAFORM or scripts/ensure-terraform.sh.
// plan-ms/op is the wall time of the command; provider-ms/op the provider's
// own Read, from the elapsed_ms of its "read audit logs" DEBUG line, and
// provider-% its share; http-ms/op the span of the HTTP traffic within it.
func BenchmarkTerraformPlan(b *testing.B) {
	const n = 10_000
	terraform := benchTerraform(b)
	providerDir := benchProviderDir(b)
	api := benchAPI(b, mockapi.GenerateAudit(n, 3, benchNewest, 30*24*time.Hour))
	mock, url := api.mock, api.url

	work := b.TempDir()
	rc := writePlanConfig(b, work, providerDir, url, `data "rediscloud_audit_logs" "all" {}`)

	var planTime, providerTime, httpTime time.Duration
	var requests int
	for i := 0; b.Loop(); i++ {
		logFile := filepath.Join(work, fmt.Sprintf("provider-%d.log", i))
		cmd := exec.Command(terraform, "plan", "-input=false", "-no-color", "-lock=false")
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
			"TF_LOG=", "TF_LOG_CORE=", "TF_LOG_PROVIDER=DEBUG", "TF_LOG_PATH="+logFile)
		before := mock.RequestCount()
		api.httpSpan()
		began := time.Now()
		out, err := cmd.CombinedOutput()
		elapsed := time.Since(began)
		if err != nil {
			b.Fatalf("terraform plan: %v\n%s", err, out)
		}
		if !regexp.MustCompile(`\+ total\s*=\s*` + strconv.Itoa(n) + `\b`).Match(out) {
			b.Fatalf("the plan does not show total = %d:\n%s", n, out)
		}
		read := readLogLine(b, logFile, "read audit logs")
		if read["matched"] != n || read["scanned"] != n {
			b.Fatalf("the provider matched %d of %d scanned, want %d of %d", read["matched"], read["scanned"], n, n)
		}
		if served := mock.RequestCount() - before; served != read["requests"] {
			b.Fatalf("the provider counted %d requests, the server %d", read["requests"], served)
		}
		planTime += elapsed
		httpTime += api.httpSpan()
		providerTime += time.Duration(read["elapsed_ms"]) * time.Millisecond
		requests += read["requests"]
	}
	b.ReportMetric(float64(planTime.Milliseconds())/float64(b.N), "plan-ms/op")
	b.ReportMetric(float64(providerTime.Milliseconds())/float64(b.N), "provider-ms/op")
	b.ReportMetric(100*providerTime.Seconds()/planTime.Seconds(), "provider-%")
	b.ReportMetric(float64(httpTime.Milliseconds())/float64(b.N), "http-ms/op")
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
	b.ReportMetric(n, "matched/op")
}

// writePlanConfig writes, in work, a configuration that reads dataSource (an HCL block
// named "all") from url with the benchmarks' provider settings and outputs its
// total_count, and a CLI config with dev_overrides for providerDir; it returns the
// CLI config's path.
func writePlanConfig(tb testing.TB, work, providerDir, url, dataSource string) string {
	tb.Helper()
	rc := filepath.Join(work, "dev.tfrc")
	writeDevOverrides(tb, rc, "redis-logs/rediscloud="+providerDir)
	writeFile(tb, filepath.Join(work, "main.tf"), fmt.Sprintf(`terraform {
  required_providers {
    rediscloud = { source = "redis-logs/rediscloud" }
  }
}

provider "rediscloud" {
  url                 = %q
  api_key             = %q
  secret_key          = %q
  requests_per_minute = %d
}

%s

output "total" {
  value = data.rediscloud_audit_logs.all.total_count
}
`, url, testAPIKey, testSecretKey, benchRequestsPerMinute, dataSource))
	return rc
}

// writeDevOverrides writes at rc a CLI config that takes each provider of overrides
// ("namespace/type=directory") from its directory, and every other one as usual.
// Terraform resolves a source to registry.terraform.io, OpenTofu (the CLI that
// scripts/ensure-terraform.sh picks when no terraform is on PATH) to registry.opentofu.org.
func writeDevOverrides(tb testing.TB, rc string, overrides ...string) {
	tb.Helper()
	var s strings.Builder
	s.WriteString("provider_installation {\n  dev_overrides {\n")
	for _, o := range overrides {
		source, dir, _ := strings.Cut(o, "=")
		for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
			fmt.Fprintf(&s, "    %q = %q\n", host+"/"+source, dir)
		}
	}
	s.WriteString("  }\n  direct {}\n}\n")
	writeFile(tb, rc, s.String())
}

func writeFile(tb testing.TB, path, content string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		tb.Fatal(err)
	}
}

// benchTerraform finds the Terraform CLI, or skips.
func benchTerraform(tb testing.TB) string {
	tb.Helper()
	for _, env := range []string{"TF_BENCH_TERRAFORM", "TF_ACC_TERRAFORM_PATH"} {
		if p := os.Getenv(env); p != "" {
			return p
		}
	}
	out, err := exec.Command("bash", filepath.Join("..", "..", "scripts", "ensure-terraform.sh")).Output()
	if err != nil {
		tb.Skipf("no Terraform CLI (scripts/ensure-terraform.sh: %v); set TF_BENCH_TERRAFORM", err)
	}
	return strings.TrimSpace(string(out))
}

// benchProviderDir returns the directory holding the provider binary: the one
// TF_BENCH_PROVIDER_BINARY names, or one built now with `go build`.
func benchProviderDir(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("TF_BENCH_PROVIDER_BINARY"); p != "" {
		return filepath.Dir(p)
	}
	dir := tb.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-rediscloud"), ".")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

var logField = regexp.MustCompile(`\b(requests|scanned|matched|elapsed_ms)=(\d+)`)

// readLogLine returns the integer fields of the one log line holding msg.
func readLogLine(tb testing.TB, path, msg string) map[string]int {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var found map[string]int
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.Contains(line, "[DEBUG]") || !strings.Contains(line, ": "+msg+":") {
			continue
		}
		if found != nil {
			tb.Fatalf("more than one %q line in %s", msg, path)
		}
		found = map[string]int{}
		for _, m := range logField.FindAllStringSubmatch(line, -1) {
			found[m[1]], _ = strconv.Atoi(m[2])
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if found == nil || len(found) != 4 {
		tb.Fatalf("no complete %q line in %s (got %v)", msg, path, found)
	}
	return found
}

// The peak-memory benchmark runs the read in a child process (this test
// binary, re-executed to run TestPeakMemoryChild only) so that its ru_maxrss
// is the provider's alone: the mock API and its records stay in the parent.
const (
	envMemoryChildURL  = "REDISCLOUD_BENCH_MEMORY_URL"
	memoryChildPattern = "^TestPeakMemoryChild$"
)

var memoryChildLine = regexp.MustCompile(`peak-memory-child: maxrss_kb=(\d+) total_count=(\d+) entries=(\d+) vmhwm=(\d+)`)

// BenchmarkPeakMemory compares the provider's peak memory (ru_maxrss of the
// child) reading 100,000 entries of which 1,000 match with reading 1,000
// entries that all match: with filtering while decoding, the first should
// cost little more than the second. rss-ratio is the figure the target
// (under 2) applies to. The filter is users, which the server cannot apply.
func BenchmarkPeakMemory(b *testing.B) {
	cases := []struct {
		name             string
		scanned, matched int
	}{
		{"scanned-100k", 100_000, 1_000},
		{"scanned-1k", 1_000, 1_000},
	}
	rss := make([]int64, len(cases))
	urls := make([]string, len(cases))
	mocks := make([]*mockapi.Server, len(cases))
	for i, c := range cases {
		mocks[i], urls[i] = benchMock(b, matchEvery(c.scanned, c.scanned/c.matched))
	}
	for b.Loop() {
		for i, c := range cases { // alternately, so that both meet the same machine
			mocks[i].ResetRequests()
			kb, total := runMemoryChild(b, urls[i])
			if total != c.matched {
				b.Fatalf("%s: total_count %d, want %d", c.name, total, c.matched)
			}
			if last := lastOffset(mocks[i]); last < c.scanned {
				b.Fatalf("%s: the read stopped at offset %d of %d entries", c.name, last, c.scanned)
			}
			rss[i] += kb
		}
	}
	for i, c := range cases {
		b.ReportMetric(float64(rss[i])/float64(b.N)/1024, c.name+"-maxrss-MiB")
	}
	b.ReportMetric(float64(rss[0])/float64(rss[1]), "rss-ratio")
}

func lastOffset(mock *mockapi.Server) int {
	last := -1
	for _, r := range mock.Requests() {
		if off, err := strconv.Atoi(r.Query.Get("offset")); err == nil && r.Status == 200 {
			last = max(last, off)
		}
	}
	return last
}

func runMemoryChild(b *testing.B, url string) (maxRSSKB int64, total int) {
	b.Helper()
	cmd := childCommand(os.Args[0], "-test.run="+memoryChildPattern, "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), envMemoryChildURL+"="+url)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("child: %v\n%s", err, out)
	}
	m := memoryChildLine.FindSubmatch(out)
	if m == nil {
		b.Fatalf("the child printed no result:\n%s", out)
	}
	kb, _ := strconv.ParseInt(string(m[1]), 10, 64)
	total, _ = strconv.Atoi(string(m[2]))
	if entries, _ := strconv.Atoi(string(m[3])); entries != total {
		b.Fatalf("the state holds %d entries for total_count %d", entries, total)
	}
	// Both are the peak of the child's own memory, give or take the kernel's
	// lazily summed counters; they differ by far more when ru_maxrss has picked
	// up another process's (see childCommand).
	if hwm, _ := strconv.ParseInt(string(m[4]), 10, 64); kb < hwm-4096 || kb > hwm+4096 {
		b.Fatalf("the child's ru_maxrss is %d KiB but its VmHWM %d KiB: ru_maxrss does not measure the child alone", kb, hwm)
	}
	return kb, total
}

// childCommand starts name through a shell that forks it. On Linux a child
// started straight from this process inherits this process's peak RSS as its
// own ru_maxrss (os/exec forks with vfork, and execve records the shared
// memory's high-water mark), so it would measure the parent and the mock's
// records; the shell's fork starts the count afresh.
func childCommand(name string, args ...string) *exec.Cmd {
	return exec.Command("sh", append([]string{"-c", `"$0" "$@"; exit $?`, name}, args...)...)
}

// TestPeakMemoryChild is the child of BenchmarkPeakMemory; it skips unless run
// as one. It reads through the plugin protocol, filtering on benchMatchUser,
// and prints its peak resident set size.
func TestPeakMemoryChild(t *testing.T) {
	url := os.Getenv(envMemoryChildURL)
	if url == "" {
		t.Skip("run by BenchmarkPeakMemory only")
	}
	total, entries, _ := auditRead(t, url, map[string]tftypes.Value{
		"users": tftypes.NewValue(tftypes.List{ElementType: tftypes.String},
			[]tftypes.Value{tftypes.NewValue(tftypes.String, benchMatchUser)}),
	})
	// VmHWM, the peak RSS of this address space alone, checks ru_maxrss.
	status, _ := os.ReadFile("/proc/self/status")
	hwm := regexp.MustCompile(`VmHWM:\s*(\d+) kB`).FindSubmatch(status)
	if hwm == nil {
		t.Fatal("no VmHWM in /proc/self/status")
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatalf("getrusage: %v", err)
	}
	fmt.Printf("peak-memory-child: maxrss_kb=%d total_count=%d entries=%d vmhwm=%s\n", ru.Maxrss, total, entries, hwm[1]) // Linux: KiB
}
