package provider

import (
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// httpProviderVersion is the hashicorp/http provider planned against: the newest
// that `go install` builds with this toolchain.
const httpProviderVersion = "v1.2.0"

var planDatabaseIDs = regexp.MustCompile(`(?m)^\s*\+ database_ids\s*=\s*(\d+)\s*$`)

// databaseIDsHCL is the filter both sides plan: the number of Database entries of list.
func databaseIDsHCL(list string) string {
	return fmt.Sprintf(`length([for e in %s : e.id if e.type == "Database"])`, list)
}

// BenchmarkPlanVersusHTTP times `terraform plan` of this provider's
// rediscloud_audit_logs against the `http` data source plus `jsondecode` on the
// same 1,000-entry page of the mock API (generated dataset, official shape, no
// added round trip) and the same HCL filter; and this provider's plan of 10,000
// entries against its plan of 1,000. Both providers run as binaries through
// dev_overrides: this one from TF_BENCH_PROVIDER_BINARY (or built now), the http
// provider from bin/terraform-provider-http (installed there with `go install` when
// missing). Each configuration is planned once unmeasured first (a cold file cache
// is no one's cost), and both 1,000-entry plans must give the same non-zero answer,
// or the benchmark fails. Each iteration plans provider 1k, http 1k, provider 10k,
// provider 1k, in that order; the metrics are the medians over the iterations
// (-benchtime=5x: five each, ten for provider 1k) and the ratios the targets apply
// to: ratio-provider/http (at most 1.3) and ratio-10k/1k (at most 10).
// The provider runs at its defaults, as a user's configuration would.
func BenchmarkPlanVersusHTTP(b *testing.B) {
	terraform := benchTerraform(b)
	providerDir := benchProviderDir(b)
	httpDir := benchHTTPProviderDir(b)
	url1k, url10k := planMockURL(b, 1_000), planMockURL(b, 10_000)

	rc := filepath.Join(b.TempDir(), "dev.tfrc")
	writeDevOverrides(b, rc, "redis-logs/rediscloud="+providerDir, "hashicorp/http="+httpDir)
	type side struct {
		name, dir string
		answer    int
		ms        []float64
	}
	// Each side's configuration: its provider's settings, its read, and the filter.
	newSide := func(name, provider, read, list string) *side {
		s := &side{name: name, dir: b.TempDir()}
		writeFile(b, filepath.Join(s.dir, "main.tf"), fmt.Sprintf("terraform {\n  required_providers {\n    %s\n  }\n}\n\n%s\n\n"+
			"output \"database_ids\" {\n  value = %s\n}\n", provider, read, databaseIDsHCL(list)))
		return s
	}
	rediscloud := func(name, url string) *side {
		return newSide(name, `rediscloud = { source = "redis-logs/rediscloud" }`, fmt.Sprintf(`provider "rediscloud" {
  url        = %q
  api_key    = %q
  secret_key = %q
}

data "rediscloud_audit_logs" "all" {}`, url, testAPIKey, testSecretKey), "data.rediscloud_audit_logs.all.entries")
	}
	provider1k, provider10k := rediscloud("provider-1k", url1k), rediscloud("provider-10k", url10k)
	http1k := newSide("http-1k", `http = { source = "hashicorp/http" }`, fmt.Sprintf(`data "http" "logs" {
  url = "%s/logs?offset=0&limit=1000"
  request_headers = {
    "x-api-key"        = %q
    "x-api-secret-key" = %q
  }
}`, url1k, testAPIKey, testSecretKey), "jsondecode(data.http.logs.body).entries")

	for _, s := range []*side{provider1k, http1k, provider10k} { // unmeasured
		_, s.answer = planDatabaseCount(b, terraform, s.dir, rc)
	}
	b.Logf("Database entries in the plan output: provider %d, http + jsondecode %d; provider, 10,000 entries: %d",
		provider1k.answer, http1k.answer, provider10k.answer)
	if provider1k.answer == 0 || provider1k.answer != http1k.answer || provider10k.answer == 0 {
		b.Fatalf("the plans disagree or found nothing (provider %d, http + jsondecode %d, provider 10k %d): the comparison would mean nothing",
			provider1k.answer, http1k.answer, provider10k.answer)
	}

	for run := 1; b.Loop(); run++ {
		var line string
		for _, s := range []*side{provider1k, http1k, provider10k, provider1k} {
			took, answer := planDatabaseCount(b, terraform, s.dir, rc)
			if answer != s.answer {
				b.Fatalf("%s planned %d Database entries, %d before", s.name, answer, s.answer)
			}
			s.ms = append(s.ms, float64(took.Milliseconds()))
			line += fmt.Sprintf(", %s %d ms", s.name, took.Milliseconds())
		}
		b.Logf("run %d%s", run, line)
	}
	p, h, p10k := planMedian(provider1k.ms), planMedian(http1k.ms), planMedian(provider10k.ms)
	b.ReportMetric(p, "provider-1k-ms")
	b.ReportMetric(h, "http-1k-ms")
	b.ReportMetric(p10k, "provider-10k-ms")
	b.ReportMetric(p/h, "ratio-provider/http")
	b.ReportMetric(p10k/p, "ratio-10k/1k")
}

// planDatabaseCount runs `terraform plan` in dir and returns its wall time and the
// database_ids output it plans.
func planDatabaseCount(tb testing.TB, terraform, dir, rc string) (time.Duration, int) {
	tb.Helper()
	cmd := exec.Command(terraform, "plan", "-input=false", "-lock=false", "-no-color")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_LOG=")
	began := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(began)
	if err != nil {
		tb.Fatalf("terraform plan in %s: %v\n%s", dir, err, out)
	}
	m := planDatabaseIDs.FindSubmatch(out)
	if m == nil {
		tb.Fatalf("no database_ids in the plan of %s:\n%s", dir, out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return took, n
}

// planMockURL serves n generated audit entries, official shape, with no added
// round trip, as cmd/mockapi does by default; it returns the base URL.
func planMockURL(tb testing.TB, n int) string {
	tb.Helper()
	mock := mockapi.New(mockapi.Options{APIKey: testAPIKey, SecretKey: testSecretKey, Shape: mockapi.ShapeOfficial})
	mock.SetAudit(mockapi.GenerateAudit(n, 1, benchNewest, 30*24*time.Hour))
	srv := httptest.NewServer(mock)
	tb.Cleanup(srv.Close)
	return srv.URL + "/v1"
}

// benchHTTPProviderDir returns a directory holding the http provider: the binary in
// the repository's bin/, installed there with `go install` first when missing.
func benchHTTPProviderDir(tb testing.TB) string {
	tb.Helper()
	bin, err := filepath.Abs(filepath.Join("..", "..", "bin"))
	if err != nil {
		tb.Fatal(err)
	}
	binary := filepath.Join(bin, "terraform-provider-http")
	if _, err := os.Stat(binary); err != nil {
		tb.Logf("installing the http provider %s into %s", httpProviderVersion, bin)
		cmd := exec.Command("go", "install", "github.com/terraform-providers/terraform-provider-http@"+httpProviderVersion)
		cmd.Env = append(os.Environ(), "GOBIN="+bin)
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("go install the http provider: %v\n%s", err, out)
		}
	}
	dir := tb.TempDir()
	if err := os.Symlink(binary, filepath.Join(dir, "terraform-provider-http")); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// planMedian returns the median of v (the mean of the middle two for an even count).
func planMedian(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
