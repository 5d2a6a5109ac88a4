package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// A gate that cannot pass by mistake: in a compliance check zero matches reads as
// "pass", so every way of asking for something the log cannot hold is named.

// A value the log never holds ("API Key" for ApiKey) warns with the values it does
// hold and the close one; the line in unmatched_filters says the same without values.
func TestReadWarnsWhenAFilterMatchesNothing(t *testing.T) {
	_, url := demoMock(t, mockapi.ShapeOfficial)
	read, schemaType, _ := protocolRead(t, url, nil, "rediscloud_audit_logs", map[string]tftypes.Value{
		"types": tfStrings("API Key"),
	})
	d := findDiagnostic(read.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Filter Matched Nothing")
	if d == nil {
		t.Fatalf("no matched-nothing warning among %v", read.Diagnostics)
	}
	for _, want := range []string{"types matched none of the ", " entries that have a type", `Values seen: "`, `"ApiKey" (`,
		`Did you mean "ApiKey" for "API Key"?`} {
		if !strings.Contains(d.Detail, want) {
			t.Errorf("warning %q lacks %q", d.Detail, want)
		}
	}
	if d.Attribute.String() != `AttributeName("types")` {
		t.Errorf("warning on %v, want types", d.Attribute)
	}
	state, err := decodeReadStateValue(read, schemaType)
	if err != nil {
		t.Fatal(err)
	}
	lines := state["unmatched_filters"]
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "types: matched none of ") || !strings.HasSuffix(lines[0], `entries (did you mean "ApiKey"?)`) {
		t.Errorf("unmatched_filters = %q", lines)
	}
}

// Users: a substring where globs match the whole value suggests the glob; the values
// (people) are not repeated; e-mail globs on the official audit log, whose users are
// display names, say so.
func TestReadWarnsOnUserGlobsThatMatchNothing(t *testing.T) {
	_, url := demoMock(t, mockapi.ShapeOfficial)
	for _, tc := range []struct{ users, want string }{
		{"carol", `Did you mean "*carol*" for "carol"?`},
		{"*@nowhere.example", "the official audit log names users by display name"},
	} {
		read, _, _ := protocolRead(t, url, nil, "rediscloud_audit_logs", map[string]tftypes.Value{"users": tfStrings(tc.users)})
		d := findDiagnostic(read.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Filter Matched Nothing")
		if d == nil {
			t.Fatalf("%s: no matched-nothing warning among %v", tc.users, read.Diagnostics)
		}
		if !strings.Contains(d.Detail, tc.want) || !strings.Contains(d.Detail, "The values are not shown") || strings.Contains(d.Detail, "Carol Diaz") {
			t.Errorf("%s: warning %q, want %q and no names", tc.users, d.Detail, tc.want)
		}
	}
}

// A glob that looks like a regular expression warns at validate, on its element.
func TestValidateWarnsOnRegexLikeGlobs(t *testing.T) {
	p := configureProtocolProvider(t, "http://127.0.0.1:1/v1", nil)
	for _, glob := range []string{".*@example\\.com", "database.delete|user.remove", "^database.*"} {
		schemaType := p.schemaType("rediscloud_audit_logs")
		resp, err := p.server.ValidateDataResourceConfig(context.Background(), &tfprotov6.ValidateDataResourceConfigRequest{
			TypeName: "rediscloud_audit_logs", Config: dynamicValue(t, objectOf(t, schemaType, map[string]tftypes.Value{"actions": tfStrings("ok.*", glob)})),
		})
		if err != nil {
			t.Fatal(err)
		}
		d := findDiagnostic(resp.Diagnostics, tfprotov6.DiagnosticSeverityWarning, "Glob Looks Like a Regular Expression")
		if d == nil || d.Attribute.String() != `AttributeName("actions").ElementKeyInt(1)` || !strings.Contains(d.Detail, "Write a glob") {
			for _, d := range resp.Diagnostics {
				t.Logf("%s %v: %s", d.Summary, d.Attribute, d.Detail)
			}
			t.Errorf("%q: no warning on actions[1]", glob)
		}
	}
}

// Mistakes the configuration alone shows fail at validate or plan, on the argument.
func TestAccLogs_gateMistakesAreErrors(t *testing.T) {
	past := time.Now().Add(-48 * time.Hour).UTC().Format(time.RFC3339)
	runValidationCases(t, map[string]validationCase{
		"status failed": {"rediscloud_audit_logs", `status = "failed"`,
			`(?s)Invalid Attribute Value Match.*status.*value must be one of.*"success".*"failure"`},
		"empty window": {"rediscloud_session_logs", fmt.Sprintf("lookback = \"1h\"\nend_time = %q", past),
			`(?s)Empty Time Window.*end_time.*is before now minus lookback`},
		"cidr host bits": {"rediscloud_session_logs", `ip_cidrs = ["198.51.100.0/2"]`,
			`(?s)Invalid CIDR Range.*ip_cidrs.*"198.51.100.0/2" has bits set beyond /2; the network is 192.0.0.0/2 — did you mean /24\?`},
		"exclude cidr host bits": {"rediscloud_session_logs", `exclude_ip_cidrs = ["198.51.100.1/24"]`,
			`(?s)Invalid CIDR Range.*exclude_ip_cidrs.*has bits set beyond /24; the network is 198.51.100.0/24`},
		"on_unmatchable value": {"rediscloud_audit_logs", `on_unmatchable = "fail"`,
			`(?s)Invalid Attribute Value Match.*on_unmatchable.*value must be one of`},
	})
}

func TestAccFunctionCIDRContains_hostBits(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   functionsSupported,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      `output "x" { value = provider::rediscloud::cidr_contains(["198.51.100.1/24"], "198.51.100.7") }`,
			ExpectError: errorPattern(`(?s)cidrs.*"198.51.100.1/24" has bits set beyond /24; the network is 198.51.100.0/24`),
		}},
	})
}

// With on_unmatchable = "error" a filter that cannot match fails the read; with the
// default, unmatched_filters lists it for a postcondition, and type_counts shows what
// types holds.
func TestAccAuditLogs_strictGateAndSummaries(t *testing.T) {
	_, url := demoMock(t, mockapi.ShapeOfficial)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(url, "") + `data "rediscloud_audit_logs" "test" {
  types          = ["API Key"]
  on_unmatchable = "error"
}`,
				ExpectError: errorPattern(`(?s)Filter Matched Nothing.*types matched none of.*Did you mean "ApiKey".*on_unmatchable = "error"`),
			},
			{
				Config: providerBlock(url, "") + `data "rediscloud_audit_logs" "test" {
  types          = ["ApiKey"]
  status         = "failure"
  on_unmatchable = "error"
}`,
				ExpectError: errorPattern(`(?s)Filter Field Missing From Entries.*for the field that status filters on.*on_unmatchable = "error"`),
			},
			{
				Config: providerBlock(url, "") + `
data "rediscloud_audit_logs" "test" {
  types = ["API Key"]
}
data "rediscloud_audit_logs" "all" {
  max_results = 0
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.rediscloud_audit_logs.test", tfjsonpath.New("total_count"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue("data.rediscloud_audit_logs.test", tfjsonpath.New("unmatched_filters"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringRegexp(regexp.MustCompile(`^types: matched none of [0-9,]+ entries \(did you mean "ApiKey"\?\)$`))})),
					statecheck.ExpectKnownValue("data.rediscloud_audit_logs.all", tfjsonpath.New("unmatched_filters"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue("data.rediscloud_audit_logs.all", tfjsonpath.New("type_counts"), knownvalue.MapPartial(map[string]knownvalue.Check{
						"ApiKey": knownvalue.NotNull(), "Database": knownvalue.NotNull(), "Subscription": knownvalue.NotNull(),
					})),
				},
			},
		},
	})
}

// decodeReadStateValue returns the list(string) attributes of a read's state.
func decodeReadStateValue(resp *tfprotov6.ReadDataSourceResponse, schemaType tftypes.Type) (map[string][]string, error) {
	state, err := resp.State.Unmarshal(schemaType)
	if err != nil {
		return nil, err
	}
	var attrs map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for name, v := range attrs {
		if !v.Type().Is(tftypes.List{ElementType: tftypes.String}) || v.IsNull() {
			continue
		}
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return nil, err
		}
		for _, e := range elems {
			var s string
			if err := e.As(&s); err != nil {
				return nil, err
			}
			out[name] = append(out[name], s)
		}
	}
	return out, nil
}

// Zero is an answer when nothing asked for looks mistaken: a type the log does not
// hold today, far from every type it does hold, is not named.
func TestReadDoesNotWarnWhenNothingHappened(t *testing.T) {
	_, url := demoMock(t, mockapi.ShapeOfficial)
	read, _, _ := protocolRead(t, url, nil, "rediscloud_audit_logs", map[string]tftypes.Value{
		"types": tfStrings("Cluster"), "start_time": tftypes.NewValue(tftypes.String, ago(24*time.Hour)),
	})
	if len(read.Diagnostics) != 0 {
		t.Errorf("diagnostics %v", read.Diagnostics)
	}
}
