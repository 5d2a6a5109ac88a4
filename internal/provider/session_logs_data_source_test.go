package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

const sessionAddr = "data.rediscloud_session_logs.test"

func sessionFilterTest(t *testing.T, shape mockapi.Shape, args string, ids ...string) {
	t.Helper()
	mock, url := testMock(t, mockapi.Options{Shape: shape})
	mock.SetSessions(sessionFixture(fixtureBase))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + "data \"rediscloud_session_logs\" \"test\" {\n" + args + "\n}\n",
			ConfigStateChecks: []statecheck.StateCheck{
				entryIDs(sessionAddr, ids...),
				attrEquals(sessionAddr, "total_count", knownvalue.Int64Exact(int64(len(ids)))),
			},
		}},
	})
}

func stringsExact(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, 0, len(values))
	for _, v := range values {
		checks = append(checks, knownvalue.StringExact(v))
	}
	return knownvalue.ListExact(checks)
}

func TestAccSessionLogs_officialShape(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{Shape: mockapi.ShapeOfficial})
	mock.SetSessions(sessionFixture(fixtureBase))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + `data "rediscloud_session_logs" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				entryIDs(sessionAddr, "s-6", "s-5", "s-4", "s-3", "s-2"),
				statecheck.ExpectKnownValue(sessionAddr, tfjsonpath.New("entries").AtSliceIndex(1), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":         knownvalue.StringExact("s-5"),
					"timestamp":  knownvalue.StringExact(ts(fixtureBase.Add(-time.Hour))),
					"user":       knownvalue.ObjectExact(map[string]knownvalue.Check{"email": knownvalue.StringExact("bob@example.com"), "name": knownvalue.Null()}),
					"user_role":  knownvalue.StringExact("member"),
					"ip_address": knownvalue.StringExact("203.0.113.66"),
					"user_agent": knownvalue.StringExact("curl/8.0"),
					"type":       knownvalue.StringExact("api"),
					"action":     knownvalue.StringExact("Successful login"),
					"start_time": knownvalue.Null(),
					"end_time":   knownvalue.Null(),
					"active":     knownvalue.Null(),
				})),
				attrEquals(sessionAddr, "distinct_users", stringsExact("alice@example.com", "bob@example.com", "carol@example.com")),
				attrEquals(sessionAddr, "distinct_ip_addresses", stringsExact("198.51.100.10", "198.51.100.11", "198.51.100.12", "203.0.113.66", "2001:db8:100::5")),
			},
		}},
	})
}

func TestAccSessionLogs_seedShape(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{Shape: mockapi.ShapeSeed})
	mock.SetSessions(sessionFixture(fixtureBase))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + `data "rediscloud_session_logs" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				entryIDs(sessionAddr, "s-6", "s-5", "s-4", "s-3", "s-2"),
				statecheck.ExpectKnownValue(sessionAddr, tfjsonpath.New("entries").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"id":         knownvalue.StringExact("s-6"),
					"timestamp":  knownvalue.StringExact(ts(fixtureBase)),
					"start_time": knownvalue.StringExact(ts(fixtureBase)),
					"end_time":   knownvalue.Null(),
					"active":     knownvalue.Bool(true),
					"type":       knownvalue.StringExact("console"),
					"user":       knownvalue.ObjectPartial(map[string]knownvalue.Check{"email": knownvalue.StringExact("alice@example.com")}),
				})),
				statecheck.ExpectKnownValue(sessionAddr, tfjsonpath.New("entries").AtSliceIndex(1), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"end_time": knownvalue.StringExact(ts(fixtureBase.Add(-30 * time.Minute))),
					"active":   knownvalue.Bool(false),
					"action":   knownvalue.Null(),
				})),
			},
		}},
	})
}

func TestAccSessionLogs_window(t *testing.T) {
	sessionFilterTest(t, mockapi.ShapeOfficial, fmt.Sprintf("start_time = %q\nend_time = %q",
		ts(fixtureBase.Add(-24*time.Hour)), ts(fixtureBase.Add(-time.Hour))), "s-5", "s-4", "s-3")
}

func TestAccSessionLogs_lookback(t *testing.T) {
	now := time.Now().UTC()
	mock, url := testMock(t, mockapi.Options{})
	mock.SetSessions(sessionFixture(now.Add(-5 * time.Minute)))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            providerBlock(url, "") + `data "rediscloud_session_logs" "test" { lookback = "90m" }`,
			ConfigStateChecks: []statecheck.StateCheck{entryIDs(sessionAddr, "s-6", "s-5")},
		}},
	})
}

func TestAccSessionLogs_users(t *testing.T) {
	sessionFilterTest(t, mockapi.ShapeOfficial, `users = ["ALICE@example.com"]`, "s-6", "s-3")
}

func TestAccSessionLogs_excludeUsers(t *testing.T) {
	sessionFilterTest(t, mockapi.ShapeSeed, `exclude_users = ["alice*", "bob*"]`, "s-4")
}

func TestAccSessionLogs_types(t *testing.T) {
	sessionFilterTest(t, mockapi.ShapeOfficial, `types = ["API"]`, "s-5", "s-3")
}

func TestAccSessionLogs_actions(t *testing.T) {
	sessionFilterTest(t, mockapi.ShapeOfficial, `actions = ["*login*"]`, "s-6", "s-5", "s-4", "s-2")
}

func TestAccSessionLogs_ipCIDRs(t *testing.T) {
	// ::ffff:198.51.100.12 is an IPv4 address written as IPv6: it lies in the IPv4 range.
	sessionFilterTest(t, mockapi.ShapeOfficial, `ip_cidrs = ["198.51.100.0/24"]`, "s-6", "s-3", "s-2")
}

func TestAccSessionLogs_ipCIDRsSingleAddressAndIPv6(t *testing.T) {
	sessionFilterTest(t, mockapi.ShapeOfficial, `ip_cidrs = ["203.0.113.66", "2001:db8:100::/48"]`, "s-5", "s-4")
}

func TestAccSessionLogs_excludeIPCIDRs(t *testing.T) {
	// With the office ranges excluded, what is left came from an unusual address.
	sessionFilterTest(t, mockapi.ShapeOfficial, `exclude_ip_cidrs = ["198.51.100.0/24", "2001:db8:100::/48"]`, "s-5")
}

func TestAccSessionLogs_activeOnly(t *testing.T) {
	sessionFilterTest(t, mockapi.ShapeSeed, `active_only = true`, "s-6")
}

func TestAccSessionLogs_activeOnlyOfficialShape(t *testing.T) {
	// The official shape does not say whether a session is active.
	sessionFilterTest(t, mockapi.ShapeOfficial, `active_only = true`)
}

func TestAccSessionLogs_maxResultsAndSummaries(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.SetSessions(sessionFixture(fixtureBase))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + `
data "rediscloud_session_logs" "test" {
  types       = ["console"]
  max_results = 1
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				entryIDs(sessionAddr, "s-6"),
				attrEquals(sessionAddr, "total_count", knownvalue.Int64Exact(3)),
				attrEquals(sessionAddr, "truncated", knownvalue.Bool(true)),
				attrEquals(sessionAddr, "distinct_users", stringsExact("alice@example.com", "bob@example.com", "carol@example.com")),
				attrEquals(sessionAddr, "distinct_ip_addresses", stringsExact("198.51.100.10", "198.51.100.12", "2001:db8:100::5")),
			},
		}},
	})
}

func TestAccSessionLogs_manyPages(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.SetSessions(mockapi.GenerateSessions(450, 3, fixtureBase, 7*24*time.Hour))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + `data "rediscloud_session_logs" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				attrEquals(sessionAddr, "total_count", knownvalue.Int64Exact(450)),
				attrEquals(sessionAddr, "entries", knownvalue.ListSizeExact(450)),
			},
		}},
	})
}
