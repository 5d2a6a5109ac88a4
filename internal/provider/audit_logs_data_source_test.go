package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

const auditAddr = "data.rediscloud_audit_logs.test"

// auditStep runs one configuration of the audit data source against a mock holding the
// fixture in the given shape, and checks the entry ids it selects (in order).
func auditFilterTest(t *testing.T, shape mockapi.Shape, args string, ids ...string) {
	t.Helper()
	mock, url := testMock(t, mockapi.Options{Shape: shape})
	mock.SetAudit(auditFixture(fixtureBase))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + "data \"rediscloud_audit_logs\" \"test\" {\n" + args + "\n}\n",
			ConfigStateChecks: []statecheck.StateCheck{
				entryIDs(auditAddr, ids...),
				attrEquals(auditAddr, "total_count", knownvalue.Int64Exact(int64(len(ids)))),
				attrEquals(auditAddr, "truncated", knownvalue.Bool(false)),
			},
		}},
	})
}

func TestAccAuditLogs_officialShape(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{Shape: mockapi.ShapeOfficial})
	mock.SetAudit(auditFixture(fixtureBase))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + `data "rediscloud_audit_logs" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				entryIDs(auditAddr, "110", "109", "108", "107", "106", "105"),
				attrEquals(auditAddr, "total_count", knownvalue.Int64Exact(6)),
				attrEquals(auditAddr, "id", knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
				// The official shape: originator → user.name, description → details; no action, no status.
				statecheck.ExpectKnownValue(auditAddr, tfjsonpath.New("entries").AtSliceIndex(1), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":           knownvalue.StringExact("109"),
					"timestamp":    knownvalue.StringExact(ts(fixtureBase.Add(-time.Hour))),
					"action":       knownvalue.Null(),
					"type":         knownvalue.StringExact("ApiKey"),
					"user":         knownvalue.ObjectExact(map[string]knownvalue.Check{"email": knownvalue.Null(), "name": knownvalue.StringExact("Carol")}),
					"api_key_name": knownvalue.StringExact("ci-pipeline"),
					"resource":     knownvalue.StringExact("api-key"),
					"resource_id":  knownvalue.StringExact("9001"),
					"details":      knownvalue.StringExact("API key ci-pipeline created"),
					"status":       knownvalue.Null(),
				})),
				attrEquals(auditAddr, "action_counts", knownvalue.MapExact(map[string]knownvalue.Check{})),
				attrEquals(auditAddr, "user_counts", knownvalue.MapExact(map[string]knownvalue.Check{
					"Alice": knownvalue.Int64Exact(2), "Bob": knownvalue.Int64Exact(2), "Carol": knownvalue.Int64Exact(2),
				})),
			},
		}},
	})
}

func TestAccAuditLogs_seedShape(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{Shape: mockapi.ShapeSeed})
	mock.SetAudit(auditFixture(fixtureBase))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + `data "rediscloud_audit_logs" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				entryIDs(auditAddr, "110", "109", "108", "107", "106", "105"),
				statecheck.ExpectKnownValue(auditAddr, tfjsonpath.New("entries").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":           knownvalue.StringExact("110"),
					"timestamp":    knownvalue.StringExact(ts(fixtureBase)),
					"action":       knownvalue.StringExact("database.delete"),
					"type":         knownvalue.Null(),
					"user":         knownvalue.ObjectExact(map[string]knownvalue.Check{"email": knownvalue.StringExact("bob@example.com"), "name": knownvalue.StringExact("Bob")}),
					"api_key_name": knownvalue.Null(),
					"resource":     knownvalue.StringExact("db-prod"),
					"resource_id":  knownvalue.StringExact("501"),
					"details":      knownvalue.StringExact("Database db-prod deleted"),
					"status":       knownvalue.StringExact("success"),
				})),
				attrEquals(auditAddr, "action_counts", knownvalue.MapExact(map[string]knownvalue.Check{
					"database.delete": knownvalue.Int64Exact(1), "apiKey.create": knownvalue.Int64Exact(1),
					"database.update": knownvalue.Int64Exact(1), "subscription.create": knownvalue.Int64Exact(1),
					"user.remove": knownvalue.Int64Exact(1), "database.create": knownvalue.Int64Exact(1),
				})),
				attrEquals(auditAddr, "user_counts", knownvalue.MapExact(map[string]knownvalue.Check{
					"alice@example.com": knownvalue.Int64Exact(2), "bob@example.com": knownvalue.Int64Exact(2),
					"carol@example.com": knownvalue.Int64Exact(2),
				})),
			},
		}},
	})
}

func TestAccAuditLogs_startAndEndTime(t *testing.T) {
	// Both bounds are inclusive: 109 sits exactly on end_time, 107 exactly on start_time.
	auditFilterTest(t, mockapi.ShapeOfficial, fmt.Sprintf("start_time = %q\nend_time = %q",
		ts(fixtureBase.Add(-3*time.Hour)), ts(fixtureBase.Add(-time.Hour))), "109", "108", "107")
}

func TestAccAuditLogs_startTimeIgnoredByServer(t *testing.T) {
	// An older server ignores startTime/endTime/resourceId: the provider still applies them.
	mock, url := testMock(t, mockapi.Options{IgnoreFilters: true})
	mock.SetAudit(auditFixture(fixtureBase))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + fmt.Sprintf(`
data "rediscloud_audit_logs" "test" {
  start_time  = %q
  end_time    = %q
  resource_id = "501"
}`, ts(fixtureBase.Add(-2*time.Hour)), ts(fixtureBase)),
			ConfigStateChecks: []statecheck.StateCheck{entryIDs(auditAddr, "110", "108")},
		}},
	})
}

func TestAccAuditLogs_lookback(t *testing.T) {
	now := time.Now().UTC()
	mock, url := testMock(t, mockapi.Options{})
	mock.SetAudit(auditFixture(now.Add(-10 * time.Minute)))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + `
data "rediscloud_audit_logs" "test" {
  lookback = "2h"
}
data "rediscloud_audit_logs" "days" {
  lookback = "1d1h"
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				entryIDs(auditAddr, "110", "109"),
				entryIDs("data.rediscloud_audit_logs.days", "110", "109", "108", "107", "106"),
			},
		}},
	})
}

func TestAccAuditLogs_actions(t *testing.T) {
	auditFilterTest(t, mockapi.ShapeSeed, `actions = ["database.*", "APIKEY.CREATE"]`, "110", "109", "108", "105")
}

func TestAccAuditLogs_excludeActions(t *testing.T) {
	auditFilterTest(t, mockapi.ShapeSeed, `exclude_actions = ["*.create"]`, "110", "108", "106")
}

func TestAccAuditLogs_actionsOnOfficialShapeMatchNothing(t *testing.T) {
	// The official shape has no action: the filter cannot match (and a warning says why).
	auditFilterTest(t, mockapi.ShapeOfficial, `actions = ["*"]`)
}

func TestAccAuditLogs_users(t *testing.T) {
	auditFilterTest(t, mockapi.ShapeSeed, `users = ["alice@*", "carol"]`, "109", "108", "107", "105")
}

func TestAccAuditLogs_usersByNameOnOfficialShape(t *testing.T) {
	auditFilterTest(t, mockapi.ShapeOfficial, `users = ["b?b"]`, "110", "106")
}

func TestAccAuditLogs_excludeUsers(t *testing.T) {
	auditFilterTest(t, mockapi.ShapeSeed, `exclude_users = ["*@example.com"]`)
}

func TestAccAuditLogs_types(t *testing.T) {
	auditFilterTest(t, mockapi.ShapeOfficial, `types = ["database", "User"]`, "110", "108", "106", "105")
}

func TestAccAuditLogs_resourceID(t *testing.T) {
	auditFilterTest(t, mockapi.ShapeOfficial, `resource_id = 501`, "110", "108")
}

func TestAccAuditLogs_status(t *testing.T) {
	auditFilterTest(t, mockapi.ShapeSeed, `status = "FAILURE"`, "108", "105")
}

func TestAccAuditLogs_filtersCombine(t *testing.T) {
	auditFilterTest(t, mockapi.ShapeSeed, `
actions         = ["database.*", "user.*"]
exclude_actions = ["database.create"]
users           = ["bob@example.com", "alice@example.com"]
status          = "success"`, "110", "106")
}

func TestAccAuditLogs_maxResults(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{Shape: mockapi.ShapeSeed})
	mock.SetAudit(auditFixture(fixtureBase))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + `
data "rediscloud_audit_logs" "test" {
  max_results = 2
}`,
			ConfigStateChecks: []statecheck.StateCheck{
				entryIDs(auditAddr, "110", "109"),
				attrEquals(auditAddr, "total_count", knownvalue.Int64Exact(6)),
				attrEquals(auditAddr, "truncated", knownvalue.Bool(true)),
				// Summaries cover every match, not only the kept entries.
				attrEquals(auditAddr, "action_counts", knownvalue.MapSizeExact(6)),
			},
		}},
	})
}

func TestAccAuditLogs_idIsStable(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.SetAudit(auditFixture(fixtureBase))
	sameID := statecheck.CompareValue(compare.ValuesSame())
	differentID := statecheck.CompareValue(compare.ValuesDiffer())
	config := func(args string) string {
		return providerBlock(url, "") + "data \"rediscloud_audit_logs\" \"test\" {\n" + args + "\n}\n"
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(`lookback = "24h"`), ConfigStateChecks: []statecheck.StateCheck{
				sameID.AddStateValue(auditAddr, tfjsonpath.New("id")),
				differentID.AddStateValue(auditAddr, tfjsonpath.New("id")),
			}},
			{Config: config(`lookback = "24h"`), ConfigStateChecks: []statecheck.StateCheck{
				sameID.AddStateValue(auditAddr, tfjsonpath.New("id")),
			}},
			{Config: config(`lookback = "25h"`), ConfigStateChecks: []statecheck.StateCheck{
				differentID.AddStateValue(auditAddr, tfjsonpath.New("id")),
			}},
		},
	})
}

func TestAccAuditLogs_manyPages(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.SetAudit(mockapi.GenerateAudit(2500, 7, fixtureBase, 30*24*time.Hour))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(url, "") + `data "rediscloud_audit_logs" "test" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				attrEquals(auditAddr, "total_count", knownvalue.Int64Exact(2500)),
				attrEquals(auditAddr, "entries", knownvalue.ListSizeExact(2500)),
			},
		}},
	})
}
