package provider

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// Bad data from the server is named, not lost: entries whose time or address the
// filters cannot read are counted in a warning that quotes one of them, and the
// results hold only what could be placed.

// badTimesPage is an official audit page: one entry in any 2025 window, two whose
// time is not RFC 3339.
const badTimesPage = `{"entries":[
 {"id":1,"time":"2025-06-01T10:00:00Z","originator":"Alice","type":"Database","description":"deleted"},
 {"id":2,"time":"yesterday","originator":"Bob","type":"Database","description":"deleted"},
 {"id":3,"time":1748772000,"originator":"Carol","type":"Database","description":"deleted"}]}`

// badAddressPage is an official session page: one address in 198.51.100.0/24, one
// outside, one that is not an address and one missing.
const badAddressPage = `{"entries":[
 {"id":"s1","time":"2025-06-01T10:00:00Z","user":"alice@example.com","ipAddress":"198.51.100.7"},
 {"id":"s2","time":"2025-06-01T10:00:00Z","user":"bob@example.com","ipAddress":"203.0.113.66"},
 {"id":"s3","time":"2025-06-01T10:00:00Z","user":"carol@example.com","ipAddress":"10.0.0.300"},
 {"id":"s4","time":"2025-06-01T10:00:00Z","user":"dave@example.com"}]}`

// pageFaults answer up to 12 reads with body as the log's one page: the page, then
// the empty page past it that ends the read.
func pageFaults(path, body string) []mockapi.Fault {
	var faults []mockapi.Fault
	for range 12 {
		faults = append(faults, mockapi.Fault{Path: path, Status: 200, Body: body, ContentType: "application/json"},
			mockapi.Fault{Path: path, Status: 200, Body: `{"entries":[]}`, ContentType: "application/json"})
	}
	return faults
}

func TestReadWarnsOnUnparseableTimes(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.InjectFaults(pageFaults(mockapi.AuditPath, badTimesPage)...)
	read, schemaType, _ := protocolRead(t, url, nil, "rediscloud_audit_logs", map[string]tftypes.Value{
		"start_time": tftypes.NewValue(tftypes.String, "2025-01-01T00:00:00Z"),
	})
	d := findDiagnostic(read.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Unparseable Values In Entries")
	if d == nil {
		t.Fatalf("no unparseable-values warning among %v", read.Diagnostics)
	}
	if want := `2 entries had a time that is not an RFC 3339 timestamp, such as "yesterday"; they cannot match a time window`; !strings.Contains(d.Detail, want) ||
		d.Attribute.String() != `AttributeName("start_time")` {
		t.Errorf("warning %q on %v, want %q on start_time", d.Detail, d.Attribute, want)
	}
	if got := findDiagnostic(read.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Filter Field Missing From Entries"); got != nil {
		t.Errorf("an unparseable time is reported as missing: %v", got)
	}
	state, err := decodeReadState(read, schemaType)
	if err != nil {
		t.Fatal(err)
	}
	if state.total != 1 {
		t.Errorf("total_count %d, want 1", state.total)
	}

	// Without a window nothing needs the time: no warning, every entry, the time null.
	read, _, _ = protocolRead(t, url, nil, "rediscloud_audit_logs", nil)
	if len(read.Diagnostics) != 0 {
		t.Errorf("no window: diagnostics %v", read.Diagnostics)
	}
}

func TestReadWarnsOnUnparseableAddresses(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.InjectFaults(pageFaults(mockapi.SessionPath, badAddressPage)...)
	read, _, _ := protocolRead(t, url, nil, "rediscloud_session_logs", map[string]tftypes.Value{
		"ip_cidrs": tfStrings("198.51.100.0/24"),
	})
	d := findDiagnostic(read.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Unparseable Values In Entries")
	if d == nil {
		t.Fatalf("no unparseable-values warning among %v", read.Diagnostics)
	}
	if want := `1 sessions had an IP address that does not parse, such as "10.0.0.300"; they cannot match ip_cidrs`; !strings.Contains(d.Detail, want) ||
		d.Attribute.String() != `AttributeName("ip_cidrs")` {
		t.Errorf("warning %q on %v, want %q on ip_cidrs", d.Detail, d.Attribute, want)
	}
	// The session without an address is missing its field, and said so apart.
	expectMissingFieldWarning(t, read.Diagnostics, "ip_cidrs", "1")
}

// The same reads through Terraform: the results hold exactly what could be placed.
func TestAccLogs_unparseableValues(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.InjectFaults(pageFaults(mockapi.AuditPath, badTimesPage)...)
	mock.InjectFaults(pageFaults(mockapi.SessionPath, badAddressPage)...)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + `
data "rediscloud_audit_logs" "test" {
  start_time = "2025-01-01T00:00:00Z"
}
data "rediscloud_session_logs" "test" {
  ip_cidrs = ["198.51.100.0/24"]
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.rediscloud_audit_logs.test", tfjsonpath.New("total_count"), knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownValue("data.rediscloud_audit_logs.test", tfjsonpath.New("entries").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact("1")),
				statecheck.ExpectKnownValue("data.rediscloud_session_logs.test", tfjsonpath.New("distinct_users"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("alice@example.com")})),
			},
		}},
	})
}

// resource_id beyond the API's int32 is matched by the provider alone: sent as
// resourceId, the API (and the mock) would refuse the request.
func TestAccAuditLogs_resourceIDBeyondInt32(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{Shape: mockapi.ShapeOfficial})
	records := auditFixture(fixtureBase)
	records[0].ResourceID = 3_000_000_000
	mock.SetAudit(records)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + `data "rediscloud_audit_logs" "test" { resource_id = "3000000000" }`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.rediscloud_audit_logs.test", tfjsonpath.New("total_count"), knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownValue("data.rediscloud_audit_logs.test", tfjsonpath.New("entries").AtSliceIndex(0).AtMapKey("resource_id"),
					knownvalue.StringExact("3000000000")),
			},
		}},
	})
	for _, r := range mock.Requests() {
		if r.Query.Has("resourceId") {
			t.Errorf("resourceId sent: %s", r.Query.Encode())
		}
	}
}

// A 401 quotes the server's own words after the advice: when the keys are right,
// they are the clue (here, a header the server did not get).
func TestAccLogs_unauthorizedQuotesTheServer(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.InjectFaults(mockapi.Fault{Status: 401, Body: `{"error":{"code":"UNAUTHORIZED","description":"Invalid security scheme used"}}`,
		ContentType: "application/json", Times: -1})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      providerBlock(url, "") + `data "rediscloud_audit_logs" "test" {}`,
			ExpectError: errorPattern(`(?s)check the API credentials.*The API said: "Invalid security scheme used"`),
		}},
	})
}

// A key with a line break is reported on its own attribute at validate, never as a
// bad url; from the environment, with the variable's name.
func TestAccProvider_keyWithLineBreak(t *testing.T) {
	_, url := testMock(t, mockapi.Options{})
	for _, attr := range []string{"api_key", "secret_key"} {
		t.Run(attr, func(t *testing.T) {
			other := map[string]string{"api_key": "secret_key", "secret_key": "api_key"}[attr]
			summary := map[string]string{"api_key": "Invalid API Key", "secret_key": "Invalid Secret Key"}[attr]
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
provider "rediscloud" {
  url    = %q
  %s = "abc\ndef"
  %s = "x"
}
data "rediscloud_audit_logs" "test" {}
`, url, attr, other),
					PlanOnly:    true,
					ExpectError: errorPattern(`(?is)` + summary + `.*the value holds a line break or another control character, which cannot be sent in an HTTP header`),
				}},
			})
		})
	}
}

func TestProviderKeyFromEnvironmentWithLineBreak(t *testing.T) {
	_, url := testMock(t, mockapi.Options{})
	t.Setenv(envAPIKey, "abc\n")
	p := configureServerDiagnostics(t, url, map[string]tftypes.Value{"api_key": tftypes.NewValue(tftypes.String, nil)})
	d := findDiagnostic(p, tfprotov6.DiagnosticSeverityError, "Invalid API Key")
	if d == nil || !strings.Contains(d.Detail, "The environment variable "+envAPIKey+" contains characters that cannot be sent") ||
		d.Attribute.String() != `AttributeName("api_key")` {
		t.Fatalf("diagnostics %v, want Invalid API Key on api_key naming %s", p, envAPIKey)
	}
}

// configureServerDiagnostics configures the provider with args over the test
// credentials and returns what ConfigureProvider said.
func configureServerDiagnostics(t *testing.T, url string, args map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	server, err := testAccProtoV6ProviderFactories["rediscloud"]()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]tftypes.Value{
		"url": tftypes.NewValue(tftypes.String, url), "api_key": tftypes.NewValue(tftypes.String, testAPIKey),
		"secret_key": tftypes.NewValue(tftypes.String, testSecretKey),
	}
	maps.Copy(set, args)
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.11.4", Config: dynamicValue(t, objectOf(t, schemas.Provider.ValueType(), set)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}
