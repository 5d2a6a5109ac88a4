package provider

import (
	"fmt"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

const (
	testAPIKey    = "acc-test-api-key-5f1e"
	testSecretKey = "acc-test-secret-key-9c2d"
)

// testAccProtoV6ProviderFactories runs the provider in-process for the Terraform CLI
// that terraform-plugin-testing drives.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"rediscloud": NewServer("test"),
}

// testMock starts the mock API on 127.0.0.1 for one test.
func testMock(t *testing.T, opts mockapi.Options) (*mockapi.Server, string) {
	t.Helper()
	if opts.APIKey == "" {
		opts.APIKey = testAPIKey
	}
	if opts.SecretKey == "" {
		opts.SecretKey = testSecretKey
	}
	mock := mockapi.New(opts)
	srv := httptest.NewServer(mock)
	t.Cleanup(srv.Close)
	return mock, srv.URL + "/v1"
}

// providerBlock configures the provider for the mock, with fast retries so that fault
// tests stay quick. extra holds more arguments, one per line; one of the tuning
// arguments below given there replaces its default.
func providerBlock(url, extra string) string {
	tuning := map[string]string{"retry_wait_min": `"10ms"`, "retry_wait_max": `"50ms"`}
	for _, line := range strings.Split(extra, "\n") {
		name, _, _ := strings.Cut(line, "=")
		delete(tuning, strings.TrimSpace(name))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "provider \"rediscloud\" {\n  url = %q\n  api_key = %q\n  secret_key = %q\n", url, testAPIKey, testSecretKey)
	for _, name := range []string{"retry_wait_min", "retry_wait_max"} {
		if v, ok := tuning[name]; ok {
			fmt.Fprintf(&b, "  %s = %s\n", name, v)
		}
	}
	b.WriteString(extra + "\n}\n")
	return b.String()
}

// errorPattern compiles an ExpectError pattern in which each space also matches the
// line breaks and indentation that Terraform adds when it wraps a long message.
func errorPattern(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`))
}

// fixtureBase anchors the hand-written fixtures, so expected answers are plain constants.
var fixtureBase = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// auditFixture: six entries, newest first, ids 110..105, each planted for a filter test.
func auditFixture(base time.Time) []mockapi.AuditRecord {
	return []mockapi.AuditRecord{
		{ID: 110, Time: base, Action: "database.delete", Type: "Database", UserEmail: "bob@example.com", UserName: "Bob", Resource: "db-prod", ResourceID: 501, Details: "Database db-prod deleted", Status: "success"},
		{ID: 109, Time: base.Add(-1 * time.Hour), Action: "apiKey.create", Type: "ApiKey", UserEmail: "carol@example.com", UserName: "Carol", APIKeyName: "ci-pipeline", Resource: "api-key", ResourceID: 9001, Details: "API key ci-pipeline created", Status: "success"},
		{ID: 108, Time: base.Add(-2 * time.Hour), Action: "database.update", Type: "Database", UserEmail: "alice@example.com", UserName: "Alice", Resource: "db-prod", ResourceID: 501, Details: "Database db-prod memory changed", Status: "failure"},
		{ID: 107, Time: base.Add(-3 * time.Hour), Action: "subscription.create", Type: "Subscription", UserEmail: "alice@example.com", UserName: "Alice", Resource: "sub-main", ResourceID: 77, Details: "Subscription sub-main created", Status: "success"},
		{ID: 106, Time: base.Add(-24 * time.Hour), Action: "user.remove", Type: "User", UserEmail: "bob@example.com", UserName: "Bob", Resource: "user", ResourceID: 3003, Details: "User dave removed", Status: "success"},
		{ID: 105, Time: base.Add(-48 * time.Hour), Action: "database.create", Type: "Database", UserEmail: "carol@example.com", UserName: "Carol", Resource: "db-cache", ResourceID: 502, Details: "Database db-cache created", Status: "failure"},
	}
}

// sessionFixture: five sessions, newest first.
func sessionFixture(base time.Time) []mockapi.SessionRecord {
	end := func(d time.Duration) *time.Time { t := base.Add(d); return &t }
	return []mockapi.SessionRecord{
		{ID: "s-6", Time: base, EndTime: nil, UserEmail: "alice@example.com", UserName: "Alice", UserRole: "owner", IPAddress: "198.51.100.10", UserAgent: "Mozilla/5.0", Type: "console", Action: "Successful login"},
		{ID: "s-5", Time: base.Add(-1 * time.Hour), EndTime: end(-30 * time.Minute), UserEmail: "bob@example.com", UserName: "Bob", UserRole: "member", IPAddress: "203.0.113.66", UserAgent: "curl/8.0", Type: "api", Action: "Successful login"},
		{ID: "s-4", Time: base.Add(-2 * time.Hour), EndTime: end(-2 * time.Hour), UserEmail: "carol@example.com", UserName: "Carol", UserRole: "viewer", IPAddress: "2001:db8:100::5", UserAgent: "Mozilla/5.0", Type: "console", Action: "Failed login"},
		{ID: "s-3", Time: base.Add(-24 * time.Hour), EndTime: end(-23 * time.Hour), UserEmail: "alice@example.com", UserName: "Alice", UserRole: "owner", IPAddress: "198.51.100.11", UserAgent: "terraform", Type: "api", Action: "Logout"},
		{ID: "s-2", Time: base.Add(-48 * time.Hour), EndTime: end(-47 * time.Hour), UserEmail: "bob@example.com", UserName: "Bob", UserRole: "member", IPAddress: "::ffff:198.51.100.12", UserAgent: "Mozilla/5.0", Type: "console", Action: "Successful login"},
	}
}

// entryIDs checks the exact list of entry ids, in order.
func entryIDs(address string, ids ...string) statecheck.StateCheck {
	checks := make([]knownvalue.Check, 0, len(ids))
	for _, id := range ids {
		checks = append(checks, knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}))
	}
	return statecheck.ExpectKnownValue(address, tfjsonpath.New("entries"), knownvalue.ListExact(checks))
}

func attrEquals(address, attribute string, value knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, tfjsonpath.New(attribute), value)
}

func TestProvider_schemaIsValid(t *testing.T) {
	server, err := testAccProtoV6ProviderFactories["rediscloud"]()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("schema diagnostic: %s: %s", d.Summary, d.Detail)
	}
	for _, name := range []string{"rediscloud_audit_logs", "rediscloud_session_logs"} {
		if _, ok := resp.DataSourceSchemas[name]; !ok {
			t.Errorf("data source %s is not registered", name)
		}
	}
}

func TestAccProvider_environmentVariables(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.SetAudit(auditFixture(fixtureBase))
	config := `
data "rediscloud_audit_logs" "test" {}
`
	check := []statecheck.StateCheck{attrEquals("data.rediscloud_audit_logs.test", "total_count", knownvalue.Int64Exact(6))}

	t.Run("official names", func(t *testing.T) {
		t.Setenv(envURL, url)
		t.Setenv(envAPIKey, testAPIKey)
		t.Setenv(envSecretKey, testSecretKey)
		t.Setenv(envSeedAPIKey, "")
		t.Setenv(envSeedSecretKey, "")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: check}},
		})
	})
	t.Run("seed names", func(t *testing.T) {
		t.Setenv(envURL, url)
		t.Setenv(envAPIKey, "")
		t.Setenv(envSecretKey, "")
		t.Setenv(envSeedAPIKey, testAPIKey)
		t.Setenv(envSeedSecretKey, testSecretKey)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: check}},
		})
	})
	t.Run("official names win", func(t *testing.T) {
		t.Setenv(envURL, url)
		t.Setenv(envAPIKey, testAPIKey)
		t.Setenv(envSecretKey, testSecretKey)
		t.Setenv(envSeedAPIKey, "wrong-key")
		t.Setenv(envSeedSecretKey, "wrong-secret")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: check}},
		})
	})
	t.Run("arguments win over variables", func(t *testing.T) {
		t.Setenv(envURL, "http://127.0.0.1:1/v1")
		t.Setenv(envAPIKey, "wrong-key")
		t.Setenv(envSecretKey, "wrong-secret")
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps:                    []resource.TestStep{{Config: providerBlock(url, "") + config, ConfigStateChecks: check}},
		})
	})
}

func TestAccProvider_missingCredentials(t *testing.T) {
	_, url := testMock(t, mockapi.Options{})
	for _, name := range []string{envAPIKey, envSecretKey, envSeedAPIKey, envSeedSecretKey, envURL} {
		t.Setenv(name, "")
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      fmt.Sprintf("provider \"rediscloud\" {\n  url = %q\n}\ndata \"rediscloud_audit_logs\" \"test\" {}\n", url),
				ExpectError: errorPattern(`(?s)Missing API Key.*api_key.*REDISCLOUD_ACCESS_KEY.*REDIS_API_KEY`),
			},
			{
				Config:      fmt.Sprintf("provider \"rediscloud\" {\n  url = %q\n  api_key = \"k\"\n}\ndata \"rediscloud_session_logs\" \"test\" {}\n", url),
				ExpectError: errorPattern(`(?s)Missing Secret Key.*secret_key.*REDISCLOUD_SECRET_KEY.*REDIS_API_SECRET`),
			},
		},
	})
}

func TestAccProvider_httpsRequired(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
provider "rediscloud" {
  url        = "http://api.example.invalid/v1"
  api_key    = "k"
  secret_key = "s"
}
data "rediscloud_audit_logs" "test" {}
`,
			ExpectError: errorPattern(diagPattern("Invalid API URL", `the base URL "http://api.example.invalid/v1" uses plain http://, which would send the API keys unencrypted`) + `.*allow_insecure_http\s+=\s+true`),
		}},
	})
}

func TestAccProvider_invalidArguments(t *testing.T) {
	cases := map[string]struct{ config, want string }{
		"max_retries":         {`max_retries = -1`, diagPattern("Invalid Attribute Value", "Attribute max_retries value must be between 0 and 20, got: -1")},
		"requests_per_minute": {`requests_per_minute = 0`, diagPattern("Invalid Attribute Value", "Attribute requests_per_minute value must be at least 1, got: 0")},
		"max_concurrency":     {`max_concurrency = 0`, diagPattern("Invalid Attribute Value", "Attribute max_concurrency value must be between 1 and 32, got: 0")},
		"request_timeout":     {`request_timeout = "soon"`, diagPattern("Invalid Duration", `"soon" is not a valid duration; expected a positive duration`)},
		"retry_wait_min":      {`retry_wait_min = "-1s"`, diagPattern("Invalid Duration", `"-1s" is not a valid duration: it is negative`)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      "provider \"rediscloud\" {\n  " + tc.config + "\n}\ndata \"rediscloud_audit_logs\" \"test\" {}\n",
					ExpectError: errorPattern(tc.want),
				}},
			})
		})
	}
}

// TestAccProvider_negativeDurationSaysDuration: a negative wait is reported as a bad
// duration, in words that say what a duration is, not as a bad lookback.
func TestAccProvider_negativeDurationSaysDuration(t *testing.T) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: "provider \"rediscloud\" {\n  retry_wait_min = \"-1s\"\n}\ndata \"rediscloud_audit_logs\" \"test\" {}\n",
			ExpectError: errorPattern(`(?s)Invalid Duration.*retry_wait_min.*"-1s" is not a valid duration: it is negative; ` +
				`expected a positive duration: a number and a unit, such as "500ms", "30s", "2m" or "1h30m"`),
		}},
	})
}

// TestDurationOrDefault covers a duration only known when the provider is configured:
// it is parsed as a duration and reported as one, never replaced by the default.
func TestDurationOrDefault(t *testing.T) {
	var diags diag.Diagnostics
	if got := durationOrDefault(types.StringNull(), time.Second, "retry_wait_min", &diags); got != time.Second || diags.HasError() {
		t.Fatalf("null: %v, %v; want the default and no error", got, diags)
	}
	if got := durationOrDefault(types.StringValue("1m30s"), time.Second, "retry_wait_min", &diags); got != 90*time.Second || diags.HasError() {
		t.Fatalf("1m30s: %v, %v", got, diags)
	}
	durationOrDefault(types.StringValue("-1s"), time.Second, "retry_wait_min", &diags)
	if len(diags) != 1 {
		t.Fatalf("-1s: %d diagnostics, want 1: %v", len(diags), diags)
	}
	d := diags[0]
	if d.Summary() != "Invalid Duration" || !strings.Contains(d.Detail(), `"-1s" is not a valid duration: it is negative`) ||
		strings.Contains(d.Detail(), "lookback") {
		t.Errorf("-1s: %q: %q; want Invalid Duration, a detail that says what a duration is and no lookback", d.Summary(), d.Detail())
	}
	if p, ok := d.(diag.DiagnosticWithPath); !ok || !p.Path().Equal(path.Root("retry_wait_min")) {
		t.Errorf("-1s: the error is not on retry_wait_min: %v", d)
	}
}

// TestAccProvider_secretsNeverLogged captures the provider's TRACE log of a run that
// reads both data sources and meets an error, and fails if either key appears in it.
func TestAccProvider_secretsNeverLogged(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.SetAudit(auditFixture(fixtureBase))
	mock.SetSessions(sessionFixture(fixtureBase))
	logFile := t.TempDir() + "/provider.log"
	t.Setenv("TF_LOG_PROVIDER", "TRACE")
	t.Setenv("TF_LOG_PATH", logFile)
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	t.Setenv("TF_LOG", "TRACE")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
provider "rediscloud" {
  url        = %q
  api_key    = %q
  secret_key = "wrong-%s"
}
data "rediscloud_audit_logs" "test" {}
`, url, testAPIKey, testSecretKey),
				ExpectError: errorPattern(`authentication failed`),
			},
			{
				Config: providerBlock(url, "") + `
data "rediscloud_audit_logs" "test" {}
data "rediscloud_session_logs" "test" {}
`,
			},
		},
	})
	assertNoSecrets(t, logFile, testAPIKey, testSecretKey)
}

// assertNoSecrets fails when a secret appears in any record of the log except the one in
// which the test harness itself prints the test's configuration (that holds the keys by
// design and is not written by Terraform or the provider).
func assertNoSecrets(t *testing.T, logFile string, secrets ...string) {
	t.Helper()
	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatalf("reading the trace log: %v", err)
	}
	logs := string(raw)
	for _, want := range []string{"Redis Cloud API request", "read audit logs", "read session logs", "status=401"} {
		if !strings.Contains(logs, want) {
			t.Fatalf("the trace log lacks %q: the provider's logs were not captured, so the test would prove nothing", want)
		}
	}
	record := regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT`)
	starts := record.FindAllStringIndex(logs, -1)
	checked := 0
	for i, start := range starts {
		end := len(logs)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		entry := logs[start[0]:end]
		if strings.Contains(entry, "sdk.helper_resource: Setting Terraform configuration") {
			continue
		}
		checked++
		for _, s := range secrets {
			if strings.Contains(entry, s) {
				t.Errorf("secret %q...%q appears in a TRACE log record: %.200s", s[:4], s[len(s)-2:], entry)
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d log records checked: the test would prove nothing", checked)
	}
}
