package provider

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// TestServerStateMatchesFramework reads the same data sources through NewServer, which
// writes the entries into the encoded state itself, and through the framework's own
// server, which builds the state from Read's tftypes.Value, and requires the same state
// and diagnostics: the same attributes, values, nulls and order of entries.
func TestServerStateMatchesFramework(t *testing.T) {
	framework := providerserver.NewProtocol6WithError(New("test")())
	n := func(v int) tftypes.Value { return tftypes.NewValue(tftypes.Number, v) }
	cases := []struct {
		shape      mockapi.Shape
		dataSource string
		args       map[string]tftypes.Value
		entries    int
	}{
		{mockapi.ShapeOfficial, "rediscloud_audit_logs", nil, 6},
		{mockapi.ShapeSeed, "rediscloud_audit_logs", nil, 6},
		{mockapi.ShapeSeed, "rediscloud_audit_logs", map[string]tftypes.Value{"max_results": n(2)}, 2},
		{mockapi.ShapeOfficial, "rediscloud_audit_logs", map[string]tftypes.Value{"max_results": n(0)}, 0},
		{mockapi.ShapeOfficial, "rediscloud_session_logs", nil, 5},
		{mockapi.ShapeSeed, "rediscloud_session_logs", nil, 5},
		{mockapi.ShapeSeed, "rediscloud_session_logs", map[string]tftypes.Value{"max_results": n(3)}, 3},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/%s/%v", tc.dataSource, tc.shape, tc.args), func(t *testing.T) {
			mock, url := testMock(t, mockapi.Options{Shape: tc.shape})
			mock.SetAudit(auditFixture(fixtureBase))
			mock.SetSessions(sessionFixture(fixtureBase))
			got, schemaType, _ := protocolReadWith(t, NewServer("test"), url, nil, tc.dataSource, tc.args)
			want, _, _ := protocolReadWith(t, framework, url, nil, tc.dataSource, tc.args)

			if fmt.Sprint(diagnosticTexts(got.Diagnostics)) != fmt.Sprint(diagnosticTexts(want.Diagnostics)) {
				t.Errorf("diagnostics\n got %v\nwant %v", diagnosticTexts(got.Diagnostics), diagnosticTexts(want.Diagnostics))
			}
			gotState, err := got.State.Unmarshal(schemaType)
			if err != nil {
				t.Fatalf("NewServer's state does not decode: %v", err)
			}
			wantState, err := want.State.Unmarshal(schemaType)
			if err != nil {
				t.Fatal(err)
			}
			if diffs, err := gotState.Diff(wantState); err != nil || len(diffs) > 0 {
				t.Fatalf("NewServer's state differs from the framework's (%v):\n%v", err, diffs)
			}
			var attrs map[string]tftypes.Value
			var entries []tftypes.Value
			var total big.Float
			if err := gotState.As(&attrs); err != nil {
				t.Fatal(err)
			}
			if err := attrs["entries"].As(&entries); err != nil {
				t.Fatal(err)
			}
			if err := attrs["total_count"].As(&total); err != nil {
				t.Fatal(err)
			}
			// The comparison must have had entries to compare.
			if len(entries) != tc.entries || total.Sign() == 0 {
				t.Fatalf("%d entries and total_count %s, want %d entries of a non-zero total", len(entries), total.String(), tc.entries)
			}
		})
	}
}

func diagnosticTexts(diags []*tfprotov6.Diagnostic) []string {
	out := make([]string, 0, len(diags))
	for _, d := range diags {
		out = append(out, fmt.Sprintf("%v %s: %s", d.Severity, d.Summary, d.Detail))
	}
	return out
}
