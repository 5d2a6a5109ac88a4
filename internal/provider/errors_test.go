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

// readError starts the pattern of a failed read of either data source: the summary, then
// the client's error for the first page.
const readError = `(?s)Error: Unable to Read (Audit|Session) Logs.*reading the (audit|session) log at offset 0: `

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
		"400 with the server's text": {mockapi.Fault{Status: 400, Body: `{"description":"limit is out of range"}`, ContentType: "application/json"}, readError + `the API rejected the request \(400 Bad Request\): limit is out of range`},
		"403 source IP":              {mockapi.Fault{Status: 403, Body: htmlPage(403), ContentType: "text/html"}, readError + `access denied \(403 Forbidden\): the API key lacks access to the account logs, or this IP address is not allowed for the key`},
		"404":                        {mockapi.Fault{Status: 404, Body: ""}, readError + `not found \(404\) at /v1/(logs|session-logs): check the base URL.*The base URL is the provider's url argument`},
		"412 logs disabled":          {mockapi.Fault{Status: 412, Body: `{"description":"Feature flag for this flow is off"}`, ContentType: "application/json"}, readError + `logs are not enabled for this account \(412 Precondition Failed\)`},
		"500 persistent":             {mockapi.Fault{Status: 500, Body: htmlPage(500), ContentType: "text/html", Times: -1}, readError + `after 3 attempts: server error \(500\): retry later`},
		"429 persistent":             {mockapi.Fault{Status: 429, Times: -1, Header: http.Header{"X-Rate-Limit-Retry-After-Seconds": {"0"}}}, readError + `after 3 attempts: rate limited \(429 Too Many Requests\)`},
		"HTML on a 200":              {mockapi.Fault{Status: 200, Body: htmlPage(200), ContentType: "text/html"}, readError + `the response was not valid JSON \(content type "text/html"`},
		"truncated JSON":             {mockapi.Fault{Status: 200, Body: `{"entries":[{"id":1,`, ContentType: "application/json"}, readError + `the response was not valid JSON \(content type "application/json"`},
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
			ExpectError: errorPattern(diagPattern("Unable to Read Session Logs", "The read did not finish within timeouts.read: ")),
		}},
	})
}

// Each validation rule is an error on its attribute, before anything is read.
func TestAccLogs_validation(t *testing.T) {
	cases := map[string]validationCase{
		"start_time malformed":       {"rediscloud_audit_logs", `start_time = "2025-13-01"`, diagPattern("Invalid Timestamp", `"2025-13-01" is not an RFC 3339 timestamp such as "2025-01-31T23:59:59Z".`)},
		"end_time malformed":         {"rediscloud_session_logs", `end_time = "yesterday"`, diagPattern("Invalid Timestamp", `"yesterday" is not an RFC 3339 timestamp`)},
		"end_time before start_time": {"rediscloud_audit_logs", `start_time = "2025-02-01T00:00:00Z"` + "\n" + `end_time = "2025-01-01T00:00:00Z"`, diagPattern("Invalid Time Range", "end_time must not be before start_time: end_time is 2025-01-01T00:00:00Z, start_time is 2025-02-01T00:00:00Z.")},
		"lookback malformed":         {"rediscloud_audit_logs", `lookback = "a week"`, diagPattern("Invalid Lookback", `"a week" is not a valid lookback: expected a number at "a week"; expected a positive duration such as "24h"`)},
		"lookback negative":          {"rediscloud_session_logs", `lookback = "-24h"`, diagPattern("Invalid Lookback", `"-24h" is not a valid lookback: it must be positive`)},
		"lookback with start_time":   {"rediscloud_audit_logs", `lookback = "24h"` + "\n" + `start_time = "2025-01-01T00:00:00Z"`, diagPattern("Invalid Attribute Combination", `Attribute "lookback" cannot be specified when "start_time" is specified`)},
		"glob in actions":            {"rediscloud_audit_logs", `actions = ["database.[delete"]`, diagPattern("Invalid Glob Pattern", `"database.[delete" is not a valid glob pattern: a character class has no closing ]`)},
		"glob in exclude_actions":    {"rediscloud_audit_logs", `exclude_actions = [""]`, diagPattern("Invalid Glob Pattern", `glob pattern is empty; use "*" to match everything.`)},
		"glob in users":              {"rediscloud_session_logs", `users = ["[z-a]*"]`, diagPattern("Invalid Glob Pattern", `"[z-a]*" is not a valid glob pattern: the range z-a is backwards`)},
		"glob in exclude_users":      {"rediscloud_audit_logs", `exclude_users = ["bob[@"]`, diagPattern("Invalid Glob Pattern", `"bob[@" is not a valid glob pattern: a character class has no closing ]`)},
		"glob in session actions":    {"rediscloud_session_logs", `actions = ["[login"]`, diagPattern("Invalid Glob Pattern", `"[login" is not a valid glob pattern`)},
		"CIDR in ip_cidrs":           {"rediscloud_session_logs", `ip_cidrs = ["10.0.0.0/33"]`, diagPattern("Invalid CIDR Range", `"10.0.0.0/33" is not an IPv4/IPv6 CIDR range`)},
		"CIDR in exclude_ip_cidrs":   {"rediscloud_session_logs", `exclude_ip_cidrs = ["office"]`, diagPattern("Invalid CIDR Range", `"office" is not an IPv4/IPv6 CIDR range`)},
		"max_results negative":       {"rediscloud_session_logs", `max_results = -5`, diagPattern("Invalid Attribute Value", "Attribute max_results value must be at least 0, got: -5")},
		"empty resource_id":          {"rediscloud_audit_logs", `resource_id = ""`, diagPattern("Invalid Attribute Value Length", "Attribute resource_id string length must be at least 1, got: 0")},
		"empty status":               {"rediscloud_audit_logs", `status = ""`, diagPattern("Invalid Attribute Value Match", `Attribute status value must be one of: ["success" "failure"], got: ""`)},
		"timeouts.read malformed":    {"rediscloud_audit_logs", `timeouts = { read = "forever" }`, diagPattern("Invalid Attribute Value Time Duration", `"forever" must be a string containing a sequence of decimal numbers`)},
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
