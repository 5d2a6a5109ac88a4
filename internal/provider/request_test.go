package provider

import (
	"testing"
	"time"

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

// TestLookbackReadsBackFromNow: lookback is a window that ends now and starts that long
// before; the start goes to the server as startTime and the filter keeps what is inside.
func TestLookbackReadsBackFromNow(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	now := time.Now().UTC()
	mock.SetAudit(auditFixture(now)) // entries now, 1 h, 2 h, 3 h, 24 h and 48 h ago
	resp, schemaType, _ := protocolRead(t, url, nil, "rediscloud_audit_logs",
		map[string]tftypes.Value{"lookback": tftypes.NewValue(tftypes.String, "150m")})
	for _, d := range errorDiagnostics(resp.Diagnostics) {
		t.Fatalf("%s: %s", d.Summary, d.Detail)
	}
	state, err := decodeReadState(resp, schemaType)
	if err != nil {
		t.Fatal(err)
	}
	if ids := []string{}; state.total != 3 {
		for _, e := range state.entries {
			ids = append(ids, e.id)
		}
		t.Errorf("total_count %d (%v), want the 3 entries of the last 150 minutes", state.total, ids)
	}
	requests := mock.Requests()
	if len(requests) == 0 {
		t.Fatal("no request")
	}
	sent, err := time.Parse(time.RFC3339, requests[0].Query.Get("startTime"))
	if want := now.Add(-150 * time.Minute); err != nil || sent.Before(want.Add(-2*time.Second)) || sent.After(want.Add(time.Minute)) {
		t.Errorf("startTime %q (%v), want about %s", requests[0].Query.Get("startTime"), err, want.Format(time.RFC3339))
	}
}
