package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TestValidateRejectsBadComplianceArguments speaks ValidateDataResourceConfig, the call
// behind `terraform validate`, to an unconfigured provider: the error must come from the
// schema validators, on the attribute and element at fault, before any provider
// configuration or request exists (TestAccLogs_validationOfComplianceArguments checks the
// same through the CLI and counts the mock's requests).
func TestValidateRejectsBadComplianceArguments(t *testing.T) {
	cases := map[string]struct {
		dataSource, attribute string
		value                 tftypes.Value
		index                 int
		summary               string
	}{
		"details_patterns":         {"rediscloud_audit_logs", "details_patterns", tfStrings("deleted", "(deleted"), 1, "Invalid Regular Expression"},
		"exclude_details_patterns": {"rediscloud_audit_logs", "exclude_details_patterns", tfStrings("(?=x)"), 0, "Invalid Regular Expression"},
		"api_key_names":            {"rediscloud_audit_logs", "api_key_names", tfStrings("terraform-*", "ci-[pipe"), 1, "Invalid Glob Pattern"},
		"exclude_api_key_names":    {"rediscloud_audit_logs", "exclude_api_key_names", tfStrings(""), 0, "Invalid Glob Pattern"},
		"user_roles":               {"rediscloud_session_logs", "user_roles", tfStrings("[owner"), 0, "Invalid Glob Pattern"},
		"exclude_user_roles":       {"rediscloud_session_logs", "exclude_user_roles", tfStrings("viewer", "owner\\"), 1, "Invalid Glob Pattern"},
	}
	ctx := context.Background()
	server, err := testAccProtoV6ProviderFactories["rediscloud"]()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			schemaType := schemas.DataSourceSchemas[tc.dataSource].ValueType()
			resp, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{
				TypeName: tc.dataSource,
				Config:   dynamicValue(t, objectOf(t, schemaType, map[string]tftypes.Value{tc.attribute: tc.value})),
			})
			if err != nil {
				t.Fatal(err)
			}
			want := tftypes.NewAttributePath().WithAttributeName(tc.attribute).WithElementKeyInt(tc.index)
			if len(resp.Diagnostics) != 1 {
				t.Fatalf("want one diagnostic, got %d: %v", len(resp.Diagnostics), resp.Diagnostics)
			}
			d := resp.Diagnostics[0]
			if d.Severity != tfprotov6.DiagnosticSeverityError || d.Summary != tc.summary || !d.Attribute.Equal(want) {
				t.Errorf("got %v %q on %v (%s), want an error %q on %v", d.Severity, d.Summary, d.Attribute, d.Detail, tc.summary, want)
			}
		})
	}

	// The valid values of the same arguments pass validation without a word.
	for ds, args := range map[string]map[string]tftypes.Value{
		"rediscloud_audit_logs": {
			"details_patterns": tfStrings(`(?i)\b(deleted|removed)\b`), "exclude_details_patterns": tfStrings("^API key"),
			"api_key_names": tfStrings("ci-*"), "exclude_api_key_names": tfStrings("terraform-automation"),
			"max_results": tftypes.NewValue(tftypes.Number, 0),
		},
		"rediscloud_session_logs": {
			"user_roles": tfStrings("owner", "*viewer"), "exclude_user_roles": tfStrings("member"),
			"max_results": tftypes.NewValue(tftypes.Number, 0),
		},
	} {
		resp, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{
			TypeName: ds, Config: dynamicValue(t, objectOf(t, schemas.DataSourceSchemas[ds].ValueType(), args)),
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Diagnostics) != 0 {
			t.Errorf("%s: valid arguments got diagnostics %v", ds, resp.Diagnostics)
		}
	}
}
