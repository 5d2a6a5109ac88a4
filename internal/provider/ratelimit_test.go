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

// Ten data sources of one provider configuration share one rate limit: Terraform
// reads them in parallel, and together they must follow the key's budget. The mock
// enforces 50 requests per 1 s window (the API's 400 per minute, sped up so that the
// test takes seconds), and each Terraform command needs about 7 windows. Sharing
// shows in the 429s: when the server says the window is spent, the configuration
// sends one request to learn whether it has turned, and a 429 holds every data
// source for the server's wait. Ten data sources with a limiter each would find
// the spent window ten times over.
func TestAccLogs_rateLimitSharedByDataSources(t *testing.T) {
	const perWindow, window = 50, time.Second
	mock, url := testMock(t, mockapi.Options{RateLimit: perWindow, RateLimitWindow: window})
	mock.SetSessions(mockapi.GenerateSessions(3000, 5, fixtureBase, 14*24*time.Hour))

	var config strings.Builder
	config.WriteString(providerBlock(url, `retry_wait_max = "5s"`))
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

	requests := mock.Requests()
	if len(requests) < 3*perWindow {
		t.Fatalf("only %d requests: too few to spend the window", len(requests))
	}
	span := requests[len(requests)-1].Time.Sub(requests[0].Time)
	windows := int(span/window) + 1
	limited := mock.RateLimited()
	t.Logf("%d requests in %s (%d windows of %d), %d answered 429", len(requests), span.Round(time.Millisecond), windows, perWindow, limited)
	if limited > windows+2 {
		t.Fatalf("%d answers were 429 over %d windows: the data sources do not share the key's budget (one 429 per window at most, when the window turns)", limited, windows)
	}
}
