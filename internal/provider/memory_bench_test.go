package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// BenchmarkReadMemory is the peak resident set size of the provider process
// during one `terraform plan` of one rediscloud_audit_logs read, as a user's CI
// runner meets it: the provider binary (TF_BENCH_PROVIDER_BINARY, or built now)
// runs under testdata/peakrss, which records the peak RSS of that process alone.
// Reads of N = 100,000, 300,000 and 1,000,000 entries keep 10 (max_results =
// 10); one of 100,000 keeps them all. The mock answers with a 20 ms round trip
// and requests_per_minute is lifted: the budget changes how long a read takes,
// not what it holds. maxrss-MiB is each read's peak; ratio-1M/100k the figure the
// target (at most 1.25) applies to.
func BenchmarkReadMemory(b *testing.B) {
	cases := []struct {
		name       string
		n          int
		maxResults string // HCL, "null" keeps all
	}{
		{"100k-keep10", 100_000, "10"},
		{"300k-keep10", 300_000, "10"},
		{"1M-keep10", 1_000_000, "10"},
		{"100k-keepall", 100_000, "null"},
	}
	terraform := benchTerraform(b)
	wrapped := peakRSSProvider(b, benchProviderDir(b))
	rss := map[string]int64{}
	for b.Loop() {
		for _, c := range cases {
			api := benchAPI(b, mockapi.GenerateAudit(c.n, 3, benchNewest, 90*24*time.Hour))
			kb := planPeakRSS(b, terraform, wrapped, api.url, c.maxResults, c.n)
			rss[c.name] += kb
			runtime.GC() // the records of this case go before the next case's are made
		}
	}
	for _, c := range cases {
		b.ReportMetric(float64(rss[c.name])/float64(b.N)/1024, c.name+"-maxrss-MiB")
	}
	b.ReportMetric(float64(rss["1M-keep10"])/float64(rss["100k-keep10"]), "ratio-1M/100k")
}

// peakRSSProvider returns a directory whose terraform-provider-rediscloud runs
// the provider in providerDir under testdata/peakrss.
func peakRSSProvider(tb testing.TB, providerDir string) string {
	tb.Helper()
	dir := tb.TempDir()
	wrapper := filepath.Join(dir, "peakrss")
	if out, err := exec.Command("go", "build", "-o", wrapper, "./testdata/peakrss").CombinedOutput(); err != nil {
		tb.Fatalf("go build testdata/peakrss: %v\n%s", err, out)
	}
	binary := filepath.Join(providerDir, "terraform-provider-rediscloud")
	writeFile(tb, filepath.Join(dir, "terraform-provider-rediscloud"),
		fmt.Sprintf("#!/bin/sh\nexec %q %q \"$@\"\n", wrapper, binary))
	if err := os.Chmod(filepath.Join(dir, "terraform-provider-rediscloud"), 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// planPeakRSS runs terraform plan of one audit read against url and returns the
// provider's peak RSS in KiB.
func planPeakRSS(tb testing.TB, terraform, providerDir, url, maxResults string, n int) int64 {
	tb.Helper()
	work := tb.TempDir()
	rc := writePlanConfig(tb, work, providerDir, url, fmt.Sprintf(`data "rediscloud_audit_logs" "all" {
  max_results = %s
  timeouts = { read = "30m" }
}`, maxResults))
	rssFile := filepath.Join(work, "peakrss")
	cmd := exec.Command(terraform, "plan", "-input=false", "-no-color", "-lock=false")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "PEAKRSS_OUT="+rssFile)
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("terraform plan: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`\+ total\s*=\s*` + strconv.Itoa(n) + `\b`).Match(out) {
		tb.Fatalf("the plan does not show total = %d:\n%s", n, out)
	}
	// Terraform stops the provider when the plan ends; the wrapper writes as it exits.
	var text []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if text, err = os.ReadFile(rssFile); err == nil && len(text) > 0 {
			break
		}
	}
	kb, err := strconv.ParseInt(strings.TrimSpace(string(text)), 10, 64)
	if err != nil || kb <= 0 {
		tb.Fatalf("no peak RSS from the provider (%q, %v)", text, err)
	}
	return kb
}

// TestReadMemoryIsFlat pins what BenchmarkReadMemory measures, without timing:
// a read that keeps max_results = 10 holds as much live heap after scanning
// 50,000 entries as after scanning 5,000, give or take a bound far below the
// 20 MB or so that the 45,000 extra entries need when a read holds them. Pages
// are read one at a time (max_concurrency = 1), and the live heap is taken
// after a forced collection as every fifth page is asked for: at the same
// points of the read whatever the machine's speed.
func TestReadMemoryIsFlat(t *testing.T) {
	peak := func(n int) uint64 {
		mock := mockapi.New(mockapi.Options{APIKey: testAPIKey, SecretKey: testSecretKey})
		mock.SetAudit(mockapi.GenerateAudit(n, 3, benchNewest, 30*24*time.Hour))
		var baseline, most uint64
		var requests int
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if requests++; requests%5 == 0 { // one page at a time: no lock needed
				most = max(most, liveHeap()-min(liveHeap(), baseline))
			}
			mock.ServeHTTP(w, r)
		}))
		defer srv.Close()
		baseline = liveHeap()
		read, _, _ := protocolRead(t, srv.URL+"/v1", map[string]tftypes.Value{
			"max_concurrency": tftypes.NewValue(tftypes.Number, 1),
		}, "rediscloud_audit_logs", map[string]tftypes.Value{
			"max_results": tftypes.NewValue(tftypes.Number, 10),
		})
		for _, d := range read.Diagnostics {
			if d.Summary != "Results Truncated" {
				t.Fatalf("read: %s: %s", d.Summary, d.Detail)
			}
		}
		if requests < n/1000 {
			t.Fatalf("%d requests for %d entries", requests, n)
		}
		return most
	}
	small, large := peak(5_000), peak(50_000)
	t.Logf("live heap during the read: %.1f MiB at 5,000 entries, %.1f MiB at 50,000", float64(small)/(1<<20), float64(large)/(1<<20))
	const bound = 3 << 20
	if large > small+bound {
		t.Errorf("scanning 10x more entries kept %.1f MiB more live heap (bound %.0f MiB): the read holds what it scans",
			float64(large-small)/(1<<20), float64(bound)/(1<<20))
	}
}

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
