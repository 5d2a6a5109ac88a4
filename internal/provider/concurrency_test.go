package provider

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// TestAccLogs_sixteenPagesInFlightWithMasks reads both data sources through Terraform,
// each in many pages with up to 16 in flight, while the provider logs with the secrets
// masked. Before the logger adapter logged through a private copy of the logger options,
// concurrent page goroutines wrote to one shared field map while masking
// (hashicorp/terraform-plugin-log#246): under -race this test then fails with
// "WARNING: DATA RACE" in LoggerOpts.ApplyMask, and without -race the provider could
// crash with "concurrent map writes".
func TestAccLogs_sixteenPagesInFlightWithMasks(t *testing.T) {
	mock := mockapi.New(mockapi.Options{APIKey: testAPIKey, SecretKey: testSecretKey, PageCap: 25, Latency: 20 * time.Millisecond})
	mock.SetAudit(mockapi.GenerateAudit(2000, 17, fixtureBase, 30*24*time.Hour))       // 80 pages
	mock.SetSessions(mockapi.GenerateSessions(1200, 17, fixtureBase, 30*24*time.Hour)) // 48 pages
	var inFlight, peak atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		mock.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(srv.URL+"/v1", "max_concurrency = 16\n  requests_per_minute = 1000000") + `
data "rediscloud_audit_logs" "test" {}
data "rediscloud_session_logs" "test" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				attrEquals(auditAddr, "total_count", knownvalue.Int64Exact(2000)),
				attrEquals(auditAddr, "entries", knownvalue.ListSizeExact(2000)),
				attrEquals(sessionAddr, "total_count", knownvalue.Int64Exact(1200)),
				attrEquals(sessionAddr, "entries", knownvalue.ListSizeExact(1200)),
			},
		}},
	})
	// Four is the default: more shows that max_concurrency = 16 put pages in flight together.
	if p := peak.Load(); p <= 4 {
		t.Errorf("at most %d requests were in flight at once: the reads did not run 16 pages concurrently", p)
	}
	t.Logf("up to %d requests in flight at once", peak.Load())
}
