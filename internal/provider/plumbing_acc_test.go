package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// The plumbing of plumbing_test.go once more through the Terraform CLI: the values
// come from HCL, and the errors are printed with the configuration line they land on.

// hcl writes a test value of idArguments as HCL.
func hcl(t *testing.T, v tftypes.Value) string {
	t.Helper()
	switch {
	case v.Type().Is(tftypes.String):
		var s string
		if err := v.As(&s); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%q", s)
	case v.Type().Is(tftypes.List{ElementType: tftypes.String}):
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(elems))
		for i, e := range elems {
			parts[i] = hcl(t, e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	default: // numbers and bools print as HCL
		return strings.TrimSuffix(strings.TrimPrefix(strings.SplitN(v.String(), "<", 2)[1], `"`), `">`)
	}
}

// distinctIDs checks that the data sources at addresses all have different ids.
type distinctIDs []string

func (d distinctIDs) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	owner := map[string]string{}
	found := 0
	for _, r := range req.State.Values.RootModule.Resources {
		if !slices.Contains(d, r.Address) {
			continue
		}
		found++
		id, _ := r.AttributeValues["id"].(string)
		if other, taken := owner[id]; taken || len(id) != 32 {
			resp.Error = fmt.Errorf("%s has id %q, the id of %s", r.Address, id, other)
			return
		}
		owner[id] = r.Address
	}
	if found != len(d) {
		resp.Error = fmt.Errorf("found %d of the %d data sources in the state", found, len(d))
	}
}

func TestAccLogs_idDiffersForEachArgument(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.SetAudit(auditFixture(fixtureBase))
	mock.SetSessions(sessionFixture(fixtureBase))
	for _, ds := range []string{"rediscloud_audit_logs", "rediscloud_session_logs"} {
		t.Run(ds, func(t *testing.T) {
			table := idArguments(ds)
			names := make([]string, 0, len(table))
			for name := range table {
				names = append(names, name)
			}
			sort.Strings(names)
			var b strings.Builder
			b.WriteString(providerBlock(url, ""))
			fmt.Fprintf(&b, "data %q \"base\" {}\n", ds)
			addresses := []string{"data." + ds + ".base"}
			for _, name := range names {
				fmt.Fprintf(&b, "data %q %q {\n  %s = %s\n}\n", ds, name, name, hcl(t, table[name][0]))
				addresses = append(addresses, "data."+ds+"."+name)
			}
			// The first list reversed: a different id (lists keep their order).
			fmt.Fprintf(&b, "data %q \"users_reversed\" {\n  users = %s\n}\n", ds, hcl(t, tfStrings("b*", "a*")))
			addresses = append(addresses, "data."+ds+".users_reversed")
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:            b.String(),
					ConfigStateChecks: []statecheck.StateCheck{distinctIDs(addresses)},
				}},
			})
		})
	}
}

// Errors that compare two arguments land on the one at fault: Terraform prints its line.
func TestAccLogs_crossAttributeErrorsLandOnTheirAttribute(t *testing.T) {
	_, url := testMock(t, mockapi.Options{})
	for name, tc := range map[string]struct{ config, want string }{
		"retry_wait_max below retry_wait_min": {
			providerBlock(url, "retry_wait_min = \"10s\"\nretry_wait_max = \"5s\"") + `data "rediscloud_audit_logs" "test" {}`,
			`(?s)Error: Invalid Retry Wait.*retry_wait_max = "5s".*retry_wait_max must not be shorter than retry_wait_min\.`,
		},
		"lookback with start_time": {
			providerBlock(url, "") + "data \"rediscloud_session_logs\" \"test\" {\n  lookback = \"24h\"\n  start_time = \"2025-01-01T00:00:00Z\"\n}\n",
			`(?s)Error: Invalid Attribute Combination.*start_time = "2025-01-01T00:00:00Z".*Attribute "lookback" cannot be specified when "start_time" is specified`,
		},
		"end_time before start_time": {
			providerBlock(url, "") + "data \"rediscloud_audit_logs\" \"test\" {\n  start_time = \"2025-02-01T00:00:00Z\"\n  end_time = \"2025-01-01T00:00:00Z\"\n}\n",
			`(?s)Error: Invalid Time Range.*end_time = "2025-01-01T00:00:00Z".*end_time must not be before start_time: end_time is 2025-01-01T00:00:00Z, start_time is 2025-02-01T00:00:00Z\.`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: tc.config, ExpectError: errorPattern(tc.want)}},
			})
		})
	}
}
