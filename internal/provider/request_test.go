package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// TestResourceIDIsSentWhenItIsAnInteger: an integer resource_id also goes to the server
// as resourceId, so that fewer pages are read; any other value is filtered locally only.
func TestResourceIDIsSentWhenItIsAnInteger(t *testing.T) {
	for value, want := range map[string]struct {
		sent  string // the resourceId parameter; "" when absent
		total int64
	}{
		"501":     {"501", 2},
		" 501 ":   {"501", 2}, // spaces around it are ignored, by the server parameter and the filter alike
		"db-prod": {"", 0},
		"5e2":     {"", 0},
	} {
		t.Run(value, func(t *testing.T) {
			mock, url := testMock(t, mockapi.Options{})
			mock.SetAudit(auditFixture(fixtureBase))
			resp, schemaType, _ := protocolRead(t, url, nil, "rediscloud_audit_logs",
				map[string]tftypes.Value{"resource_id": tftypes.NewValue(tftypes.String, value)})
			for _, d := range errorDiagnostics(resp.Diagnostics) {
				t.Fatalf("%s: %s", d.Summary, d.Detail)
			}
			state, err := decodeReadState(resp, schemaType)
			if err != nil {
				t.Fatal(err)
			}
			requests := mock.Requests()
			if len(requests) == 0 {
				t.Fatal("no request")
			}
			for _, r := range requests {
				if got, present := r.Query.Get("resourceId"), r.Query.Has("resourceId"); got != want.sent || present != (want.sent != "") {
					t.Errorf("request %s?%s: resourceId %q, want %q", r.Path, r.Query.Encode(), got, want.sent)
				}
			}
			if state.total != want.total {
				t.Errorf("total_count %d, want %d", state.total, want.total)
			}
		})
	}
}
