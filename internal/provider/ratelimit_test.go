package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// Ten data sources of one provider configuration share one rate limit: Terraform reads
// them in parallel, and together they must stay under requests_per_minute.
func TestAccLogs_rateLimitSharedByDataSources(t *testing.T) {
	const perMinute = 2400 // 40 a second, so the test takes seconds, not minutes
	mock, url := testMock(t, mockapi.Options{})
	mock.SetSessions(mockapi.GenerateSessions(3000, 5, fixtureBase, 14*24*time.Hour))

	var config strings.Builder
	config.WriteString(providerBlock(url, fmt.Sprintf("requests_per_minute = %d", perMinute)))
	checks := []statecheck.StateCheck{}
	for i := range 10 {
		// Different arguments, so Terraform cannot treat them as one read.
		fmt.Fprintf(&config, "data \"rediscloud_session_logs\" \"s%d\" {\n  max_results = %d\n}\n", i, i+1)
		checks = append(checks, attrEquals(fmt.Sprintf("data.rediscloud_session_logs.s%d", i), "total_count", knownvalue.Int64Exact(3000)))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config.String(), ConfigStateChecks: checks}},
	})

	// terraform-plugin-testing runs several Terraform commands per step, and each one
	// starts the provider afresh with a full bucket. Check each command's requests on
	// their own: they are separated by idle gaps far longer than the 25 ms between two
	// requests of one command.
	operations := splitAtGaps(mock.Requests(), 400*time.Millisecond)
	largest := 0
	for _, op := range operations {
		largest = max(largest, len(op))
		assertRate(t, op, perMinute)
	}
	if largest < 300 {
		t.Fatalf("no Terraform command made 300 requests or more (largest %d): too few to say anything about the rate", largest)
	}
}

func splitAtGaps(requests []mockapi.Request, gap time.Duration) [][]mockapi.Request {
	var out [][]mockapi.Request
	start := 0
	for i := 1; i <= len(requests); i++ {
		if i == len(requests) || requests[i].Time.Sub(requests[i-1].Time) >= gap {
			out = append(out, requests[start:i])
			start = i
		}
	}
	return out
}

// assertRate checks that no window of the recorded requests holds more than the token
// bucket allows: burst (one second's worth) plus the rate times the window's length.
func assertRate(t *testing.T, requests []mockapi.Request, perMinute int) {
	t.Helper()
	perSecond := float64(perMinute) / 60
	burst := max(1, perMinute/60)
	const slack = 1 // the mock stamps a request a hair after the limiter let it go
	// The mock stamps arrivals, not the limiter's grants: between the two lie the dial, the
	// transport and the scheduler, which under the race detector on a busy machine vary by
	// tens of milliseconds and shorten a window by as much. A broken limiter overshoots by
	// far more than this allows for.
	const jitter = 0.1 // seconds
	for i := range requests {
		for j := i + 1; j < len(requests); j++ {
			window := requests[j].Time.Sub(requests[i].Time).Seconds()
			allowed := float64(burst) + perSecond*(window+jitter) + slack
			if n := float64(j - i + 1); n > allowed {
				t.Fatalf("%d requests within %.2fs (from request %d): more than the %d/minute limit allows (%.0f)",
					j-i+1, window, i, perMinute, allowed)
			}
		}
	}
	if len(requests) > 1 {
		total := requests[len(requests)-1].Time.Sub(requests[0].Time)
		t.Logf("%d requests in %v: %.1f per second against a limit of %.1f", len(requests),
			total.Round(time.Millisecond), float64(len(requests)-1)/total.Seconds(), perSecond)
	}
}
