package provider

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// Every class of API error ends the plan with one clear error; none becomes a shorter list.
func TestAccLogs_apiErrors(t *testing.T) {
	htmlPage := func(code int) string {
		return fmt.Sprintf("<html><head><title>%d</title></head><body><center><h1>%d %s</h1></center><hr><center>nginx</center></body></html>",
			code, code, http.StatusText(code))
	}
	cases := map[string]struct {
		fault mockapi.Fault
		want  string
	}{
		"400 with the server's text": {mockapi.Fault{Status: 400, Body: `{"description":"limit is out of range"}`, ContentType: "application/json"}, `(?s)400.*limit is out of range`},
		"403 source IP":              {mockapi.Fault{Status: 403, Body: htmlPage(403), ContentType: "text/html"}, `(?s)access denied.*403.*IP address`},
		"404":                        {mockapi.Fault{Status: 404, Body: ""}, `(?s)not found.*404.*url`},
		"412 logs disabled":          {mockapi.Fault{Status: 412, Body: `{"description":"Feature flag for this flow is off"}`, ContentType: "application/json"}, `(?s)not enabled.*412`},
		"500 persistent":             {mockapi.Fault{Status: 500, Body: htmlPage(500), ContentType: "text/html", Times: -1}, `(?s)after 3 attempts.*server error \(500\)`},
		"429 persistent":             {mockapi.Fault{Status: 429, Times: -1, Header: http.Header{"X-Rate-Limit-Retry-After-Seconds": {"0"}}}, `(?s)rate limited.*429`},
		"HTML on a 200":              {mockapi.Fault{Status: 200, Body: htmlPage(200), ContentType: "text/html"}, `(?s)not valid JSON`},
		"truncated JSON":             {mockapi.Fault{Status: 200, Body: `{"entries":[{"id":1,`, ContentType: "application/json"}, `(?s)Unable to Read`},
	}
	for name, tc := range cases {
		for _, ds := range []string{"rediscloud_audit_logs", "rediscloud_session_logs"} {
			t.Run(name+"/"+ds, func(t *testing.T) {
				mock, url := testMock(t, mockapi.Options{})
				mock.SetAudit(auditFixture(fixtureBase))
				mock.SetSessions(sessionFixture(fixtureBase))
				mock.InjectFaults(tc.fault)
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
					Steps: []resource.TestStep{{
						Config:      providerBlock(url, "max_retries = 2") + fmt.Sprintf("data %q \"test\" {}\n", ds),
						ExpectError: errorPattern(tc.want),
					}},
				})
			})
		}
	}
}

func TestAccLogs_wrongCredentials(t *testing.T) {
	_, url := testMock(t, mockapi.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "rediscloud" {
  url        = %q
  api_key    = "not-the-key"
  secret_key = "not-the-secret"
}
data "rediscloud_session_logs" "test" {}
`, url),
			// The user reads what to check, not the nginx page the API sends.
			ExpectError: errorPattern(`(?s)authentication failed \(401 Unauthorized\): check the API credentials`),
		}},
	})
}

func TestAccLogs_forbiddenKey(t *testing.T) {
	_, url := testMock(t, mockapi.Options{ForbiddenAPIKey: testAPIKey})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      providerBlock(url, "") + `data "rediscloud_audit_logs" "test" {}`,
			ExpectError: errorPattern(`(?s)access denied \(403 Forbidden\)`),
		}},
	})
}

// A run that meets a 429 with x-rate-limit-retry-after-seconds, two 503s and an HTML 502
// still returns every entry.
func TestAccLogs_transientFaultsLoseNothing(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.SetAudit(mockapi.GenerateAudit(2200, 11, fixtureBase, 7*24*time.Hour))
	mock.InjectFaults(
		mockapi.Fault{Status: 429, Header: http.Header{"X-Rate-Limit-Retry-After-Seconds": {"1"}}},
		mockapi.Fault{Status: 503, Body: "Service Unavailable"},
		mockapi.Fault{Status: 503},
		mockapi.Fault{Status: 502, Body: "<html><body><h1>502 Bad Gateway</h1></body></html>", ContentType: "text/html"},
		mockapi.Fault{Reset: true},
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, `retry_wait_max = "2s"`) + `data "rediscloud_audit_logs" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				attrEquals(auditAddr, "total_count", knownvalue.Int64Exact(2200)),
			},
		}},
	})
	// The 429 asked for one second; the retry must not come sooner.
	requests := mock.Requests()
	for i, r := range requests[:len(requests)-1] {
		if r.Status == http.StatusTooManyRequests {
			if wait := requests[i+1].Time.Sub(r.Time); wait < 900*time.Millisecond {
				t.Errorf("retried %v after a 429 that asked for 1s", wait)
			}
			return
		}
	}
	t.Error("the mock saw no 429: the faults were not met")
}

func TestAccLogs_readTimeout(t *testing.T) {
	_, url := testMock(t, mockapi.Options{Latency: 3 * time.Second})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + `
data "rediscloud_session_logs" "test" {
  timeouts = {
    read = "1s"
  }
}`,
			ExpectError: errorPattern(`(?s)timeouts\.read`),
		}},
	})
}

// Each validation rule is an error on its attribute, before anything is read.
func TestAccLogs_validation(t *testing.T) {
	cases := map[string]validationCase{
		"start_time malformed":       {"rediscloud_audit_logs", `start_time = "2025-13-01"`, `(?s)Invalid.*start_time.*RFC 3339`},
		"end_time malformed":         {"rediscloud_session_logs", `end_time = "yesterday"`, `(?s)Invalid.*end_time.*RFC 3339`},
		"end_time before start_time": {"rediscloud_audit_logs", `start_time = "2025-02-01T00:00:00Z"` + "\n" + `end_time = "2025-01-01T00:00:00Z"`, `(?s)end_time.*must not be before start_time`},
		"lookback malformed":         {"rediscloud_audit_logs", `lookback = "a week"`, `(?s)Invalid.*lookback`},
		"lookback negative":          {"rediscloud_session_logs", `lookback = "-24h"`, `(?s)Invalid.*lookback`},
		"lookback with start_time":   {"rediscloud_audit_logs", `lookback = "24h"` + "\n" + `start_time = "2025-01-01T00:00:00Z"`, `(?s)(lookback|start_time).*(cannot|conflict|together)`},
		"glob in actions":            {"rediscloud_audit_logs", `actions = ["database.[delete"]`, `(?s)actions.*(?i:glob|pattern)`},
		"glob in exclude_actions":    {"rediscloud_audit_logs", `exclude_actions = [""]`, `(?s)exclude_actions`},
		"glob in users":              {"rediscloud_session_logs", `users = ["[z-a]*"]`, `(?s)users`},
		"glob in exclude_users":      {"rediscloud_audit_logs", `exclude_users = ["bob[@"]`, `(?s)exclude_users`},
		"glob in session actions":    {"rediscloud_session_logs", `actions = ["[login"]`, `(?s)actions`},
		"CIDR in ip_cidrs":           {"rediscloud_session_logs", `ip_cidrs = ["10.0.0.0/33"]`, `(?s)ip_cidrs.*CIDR`},
		"CIDR in exclude_ip_cidrs":   {"rediscloud_session_logs", `exclude_ip_cidrs = ["office"]`, `(?s)exclude_ip_cidrs.*CIDR`},
		"max_results negative":       {"rediscloud_session_logs", `max_results = -5`, `(?s)max_results.*at least 0`},
		"empty resource_id":          {"rediscloud_audit_logs", `resource_id = ""`, `(?s)resource_id`},
		"empty status":               {"rediscloud_audit_logs", `status = ""`, `(?s)status`},
		"timeouts.read malformed":    {"rediscloud_audit_logs", `timeouts = { read = "forever" }`, `(?s)(?i:timeout|duration)`},
	}
	runValidationCases(t, cases)
}

// validationCase is one invalid argument: the data source, its arguments and the error
// expected on the attribute at fault.
type validationCase struct{ ds, args, want string }

// runValidationCases plans each case against a fresh mock and checks that it fails with
// its error before a single request is sent.
func runValidationCases(t *testing.T, cases map[string]validationCase) {
	t.Helper()
	runValidationCasesAs(t, "data", nil, cases)
}

// runValidationCasesAs is runValidationCases with each case in a block of kind block
// ("data" or "ephemeral"), run by the CLIs that checks let through.
func runValidationCasesAs(t *testing.T, block string, checks []tfversion.TerraformVersionCheck, cases map[string]validationCase) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			mock, url := testMock(t, mockapi.Options{})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   checks,
				Steps: []resource.TestStep{{
					Config:      providerBlock(url, "") + fmt.Sprintf("%s %q \"test\" {\n%s\n}\n", block, tc.ds, tc.args),
					ExpectError: errorPattern(tc.want),
				}},
			})
			if n := mock.RequestCount(); n != 0 {
				t.Errorf("invalid configuration still sent %d requests", n)
			}
		})
	}
}
