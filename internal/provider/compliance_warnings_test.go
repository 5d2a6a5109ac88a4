package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

func tfStrings(values ...string) tftypes.Value {
	elems := make([]tftypes.Value, 0, len(values))
	for _, v := range values {
		elems = append(elems, tftypes.NewValue(tftypes.String, v))
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, elems)
}

// expectMissingFieldWarning checks that the read warned, on attribute, that count
// entries lacked the field.
func expectMissingFieldWarning(t *testing.T, diags []*tfprotov6.Diagnostic, attribute string, count string) {
	t.Helper()
	d := findDiagnostic(diags, tfprotov6.DiagnosticSeverityWarning, "Filter Field Missing From Entries")
	if d == nil {
		t.Fatalf("no missing-field warning among %v", diags)
	}
	if !strings.HasPrefix(d.Detail, count+" entries") || d.Attribute.String() != `AttributeName("`+attribute+`")` {
		t.Errorf("warning = %q on %v, want %s entries on %s", d.Detail, d.Attribute, count, attribute)
	}
}

func TestReadWarnsOnMissingAPIKeyNames(t *testing.T) {
	// The seed shape has no apiKeyName: all 19 entries of the day lack it.
	_, url := demoMock(t, mockapi.ShapeSeed)
	diags := readDiagnostics(t, url, "rediscloud_audit_logs", map[string]tftypes.Value{
		"start_time":    tftypes.NewValue(tftypes.String, ago(24*time.Hour)),
		"end_time":      tftypes.NewValue(tftypes.String, ts(demoNow)),
		"api_key_names": tfStrings("terraform-*"),
	})
	expectMissingFieldWarning(t, diags, "api_key_names", "19")
}

func TestReadDoesNotWarnWhenExcludeListsMeetMissingFields(t *testing.T) {
	// An exclude list never drops an entry for lack of its field, so it has nothing to warn about.
	_, url := demoMock(t, mockapi.ShapeSeed)
	for ds, arg := range map[string]string{
		"rediscloud_audit_logs":   "exclude_api_key_names",
		"rediscloud_session_logs": "exclude_user_roles",
	} {
		if diags := readDiagnostics(t, url, ds, map[string]tftypes.Value{arg: tfStrings("*")}); len(diags) != 0 {
			t.Errorf("%s.%s: unexpected diagnostics %v", ds, arg, diags)
		}
	}
}

func TestReadWarnsOnMissingUserRoles(t *testing.T) {
	_, url := demoMock(t, mockapi.ShapeSeed)
	diags := readDiagnostics(t, url, "rediscloud_session_logs", map[string]tftypes.Value{
		"user_roles": tfStrings("owner"),
	})
	expectMissingFieldWarning(t, diags, "user_roles", "106")
}

func TestReadWarnsOnMissingDetails(t *testing.T) {
	// One entry without a description: details_patterns cannot judge it; the
	// exclude list keeps it without a word.
	mock, url := testMock(t, mockapi.Options{Shape: mockapi.ShapeOfficial})
	mock.SetAudit([]mockapi.AuditRecord{
		{ID: 2, Time: fixtureBase, Type: "Database", Details: "Database db-1 was deleted"},
		{ID: 1, Time: fixtureBase.Add(-time.Hour), Type: "Database"},
	})
	diags := readDiagnostics(t, url, "rediscloud_audit_logs", map[string]tftypes.Value{
		"details_patterns": tfStrings("deleted"),
	})
	expectMissingFieldWarning(t, diags, "details_patterns", "1")
	if diags := readDiagnostics(t, url, "rediscloud_audit_logs", map[string]tftypes.Value{
		"exclude_details_patterns": tfStrings("deleted"),
	}); len(diags) != 0 {
		t.Errorf("exclude_details_patterns: unexpected diagnostics %v", diags)
	}
}

func TestReadSummaryOnlyDoesNotWarn(t *testing.T) {
	// max_results = 0 asks for no entries: 106 matches and no truncation warning.
	_, url := demoMock(t, mockapi.ShapeOfficial)
	for _, ds := range []string{"rediscloud_audit_logs", "rediscloud_session_logs"} {
		read, schemaType, _ := protocolRead(t, url, nil, ds, map[string]tftypes.Value{
			"max_results": tftypes.NewValue(tftypes.Number, 0),
		})
		if len(read.Diagnostics) != 0 {
			t.Errorf("%s: unexpected diagnostics %v", ds, read.Diagnostics)
		}
		state, err := read.State.Unmarshal(schemaType)
		if err != nil {
			t.Fatal(err)
		}
		var attrs map[string]tftypes.Value
		if err := state.As(&attrs); err != nil {
			t.Fatal(err)
		}
		var entries []tftypes.Value
		if err := attrs["entries"].As(&entries); err != nil || attrs["entries"].IsNull() || len(entries) != 0 {
			t.Errorf("%s: entries = %v (%v), want an empty list", ds, attrs["entries"], err)
		}
	}
}
