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

// The arguments and summaries of the compliance use cases (details_patterns, the API key
// filters, the role filters, the session summaries, last_seen, max_results = 0), tested
// against the demo dataset (mockapi.DemoDataset) anchored at demoNow, so that the
// expected answers are the planted events that the demo shows. In the last 24 hours
// the audit log holds 19 entries (ids 3100295..3100313): 15 Database and Subscription
// changes through terraform-automation, bob's console delete of cache-staging (3100309),
// alice's change to orders-prod through ci-pipeline (3100306), carol's deletion of an API
// key (3100304) and alice's removal of dave (3100301). The session log holds 106
// sessions: alice (owner) 35, bob (member) 38, carol (manager) 32, erin (Logs viewer) 1.
var demoNow = fixtureBase

func demoMock(t *testing.T, shape mockapi.Shape) (*mockapi.Server, string) {
	t.Helper()
	mock, url := testMock(t, mockapi.Options{Shape: shape})
	audit, sessions := mockapi.DemoDataset(demoNow)
	mock.SetAudit(audit)
	mock.SetSessions(sessions)
	return mock, url
}

func ago(d time.Duration) string { return ts(demoNow.Add(-d)) }

// lastDay is the window of the demo's 24-hour checks, as fixed times.
var lastDay = fmt.Sprintf("start_time = %q\nend_time = %q\n", ago(24*time.Hour), ts(demoNow))

// demoStep runs one data source configuration against the demo dataset in one shape.
func demoStep(t *testing.T, shape mockapi.Shape, dataSource, args string, checks ...statecheck.StateCheck) {
	t.Helper()
	_, url := demoMock(t, shape)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            providerBlock(url, "") + fmt.Sprintf("data %q \"test\" {\n%s\n}\n", dataSource, args),
			ConfigStateChecks: checks,
		}},
	})
}

func int64MapExact(m map[string]int64) knownvalue.Check {
	checks := make(map[string]knownvalue.Check, len(m))
	for k, v := range m {
		checks[k] = knownvalue.Int64Exact(v)
	}
	return knownvalue.MapExact(checks)
}

func stringMapExact(m map[string]string) knownvalue.Check {
	checks := make(map[string]knownvalue.Check, len(m))
	for k, v := range m {
		checks[k] = knownvalue.StringExact(v)
	}
	return knownvalue.MapExact(checks)
}

var bothShapes = []mockapi.Shape{mockapi.ShapeOfficial, mockapi.ShapeSeed}

func TestAccAuditLogs_detailsPatterns(t *testing.T) {
	// Both shapes carry the free text (official description, seed details). RE2 is
	// case-sensitive unless (?i): "Removed Dave Lee" needs it.
	for _, shape := range bothShapes {
		t.Run(string(shape), func(t *testing.T) {
			demoStep(t, shape, "rediscloud_audit_logs", lastDay+`details_patterns = ["(?i)\\b(deleted|removed)\\b"]`,
				entryIDs(auditAddr, "3100309", "3100304", "3100301"),
				attrEquals(auditAddr, "total_count", knownvalue.Int64Exact(3)))
		})
	}
}

func TestAccAuditLogs_detailsPatternsOR(t *testing.T) {
	demoStep(t, mockapi.ShapeOfficial, "rediscloud_audit_logs", lastDay+`details_patterns = ["^API key", "Dave Lee"]`,
		entryIDs(auditAddr, "3100304", "3100301"))
}

func TestAccAuditLogs_excludeDetailsPatterns(t *testing.T) {
	// 12 of the 19 entries of the day are updates.
	for _, shape := range bothShapes {
		t.Run(string(shape), func(t *testing.T) {
			demoStep(t, shape, "rediscloud_audit_logs", lastDay+`exclude_details_patterns = ["was updated"]`,
				entryIDs(auditAddr, "3100312", "3100309", "3100307", "3100304", "3100302", "3100301", "3100299"))
		})
	}
}

func TestAccAuditLogs_apiKeyNames(t *testing.T) {
	demoStep(t, mockapi.ShapeOfficial, "rediscloud_audit_logs", lastDay+`api_key_names = ["CI-*"]`,
		entryIDs(auditAddr, "3100306"),
		attrEquals(auditAddr, "user_counts", int64MapExact(map[string]int64{"Alice Johnson": 1})),
		attrEquals(auditAddr, "last_seen", stringMapExact(map[string]string{"Alice Johnson": ago(3*time.Hour + 40*time.Minute)})))
}

func TestAccAuditLogs_apiKeyNamesTerraformKey(t *testing.T) {
	demoStep(t, mockapi.ShapeOfficial, "rediscloud_audit_logs", lastDay+`api_key_names = ["terraform-automation"]`,
		attrEquals(auditAddr, "total_count", knownvalue.Int64Exact(15)),
		attrEquals(auditAddr, "user_counts", int64MapExact(map[string]int64{"Bob Smith": 15})))
}

func TestAccAuditLogs_excludeAPIKeyNamesKeepsEntriesWithoutKey(t *testing.T) {
	// Console actions (no apiKeyName) stay, and so do actions through any other key.
	demoStep(t, mockapi.ShapeOfficial, "rediscloud_audit_logs", lastDay+`exclude_api_key_names = ["terraform-automation"]`,
		entryIDs(auditAddr, "3100309", "3100306", "3100304", "3100301"))
}

func TestAccAuditLogs_changesOutsideTerraform(t *testing.T) {
	// The compliance example's check: exactly the two planted changes.
	demoStep(t, mockapi.ShapeOfficial, "rediscloud_audit_logs",
		lastDay+`types = ["Subscription", "Database"]`+"\n"+`exclude_api_key_names = ["terraform-automation"]`,
		entryIDs(auditAddr, "3100309", "3100306"),
		statecheck.ExpectKnownValue(auditAddr, tfjsonpath.New("entries").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"resource": knownvalue.StringExact("cache-staging"), "api_key_name": knownvalue.Null(),
			"user": knownvalue.ObjectExact(map[string]knownvalue.Check{"email": knownvalue.Null(), "name": knownvalue.StringExact("Bob Smith")}),
		})),
		statecheck.ExpectKnownValue(auditAddr, tfjsonpath.New("entries").AtSliceIndex(1), knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"resource": knownvalue.StringExact("orders-prod"), "api_key_name": knownvalue.StringExact("ci-pipeline"),
		})),
		attrEquals(auditAddr, "last_seen", stringMapExact(map[string]string{
			"Bob Smith": ago(2*time.Hour + 14*time.Minute), "Alice Johnson": ago(3*time.Hour + 40*time.Minute),
		})))
}

func TestAccAuditLogs_apiKeyNamesSeedShape(t *testing.T) {
	// The seed shape has no API key name: an include list matches nothing (the read
	// warns, see TestReadWarnsOnMissingAPIKeyNames), an exclude list drops nothing.
	t.Run("include", func(t *testing.T) {
		demoStep(t, mockapi.ShapeSeed, "rediscloud_audit_logs", lastDay+`api_key_names = ["*"]`, entryIDs(auditAddr))
	})
	t.Run("exclude", func(t *testing.T) {
		demoStep(t, mockapi.ShapeSeed, "rediscloud_audit_logs", lastDay+`exclude_api_key_names = ["*"]`,
			attrEquals(auditAddr, "total_count", knownvalue.Int64Exact(19)))
	})
}

func TestAccAuditLogs_lastSeen(t *testing.T) {
	// The same keys as user_counts: the originator's name in the official shape, the
	// e-mail in the seed shape.
	for shape, keys := range map[mockapi.Shape][3]string{
		mockapi.ShapeOfficial: {"Bob Smith", "Alice Johnson", "Carol Diaz"},
		mockapi.ShapeSeed:     {"bob@example.com", "alice@example.com", "carol@example.com"},
	} {
		t.Run(string(shape), func(t *testing.T) {
			demoStep(t, shape, "rediscloud_audit_logs", lastDay,
				attrEquals(auditAddr, "last_seen", stringMapExact(map[string]string{
					keys[0]: ago(10 * time.Minute), keys[1]: ago(3*time.Hour + 40*time.Minute), keys[2]: ago(5*time.Hour + 31*time.Minute),
				})),
				attrEquals(auditAddr, "user_counts", int64MapExact(map[string]int64{keys[0]: 16, keys[1]: 2, keys[2]: 1})))
		})
	}
}

func TestAccAuditLogs_maxResultsZero(t *testing.T) {
	// Summaries only: no entries, every summary over all 19 matches (no warning: see
	// TestReadSummaryOnlyDoesNotWarn).
	demoStep(t, mockapi.ShapeOfficial, "rediscloud_audit_logs", lastDay+"max_results = 0",
		attrEquals(auditAddr, "entries", knownvalue.ListExact([]knownvalue.Check{})),
		attrEquals(auditAddr, "total_count", knownvalue.Int64Exact(19)),
		attrEquals(auditAddr, "truncated", knownvalue.Bool(true)),
		attrEquals(auditAddr, "user_counts", int64MapExact(map[string]int64{"Bob Smith": 16, "Alice Johnson": 2, "Carol Diaz": 1})),
		attrEquals(auditAddr, "last_seen", stringMapExact(map[string]string{
			"Bob Smith": ago(10 * time.Minute), "Alice Johnson": ago(3*time.Hour + 40*time.Minute), "Carol Diaz": ago(5*time.Hour + 31*time.Minute),
		})))
}

var demoSessionUsers = map[string]int64{"alice@example.com": 35, "bob@example.com": 38, "carol@example.com": 32, "erin@example.com": 1}

var demoSessionLastSeen = map[string]string{
	"alice@example.com": ago(35 * time.Minute), "bob@example.com": ago(12*time.Hour + 28*time.Minute + 52*time.Second),
	"carol@example.com": ago(5*time.Hour + 50*time.Minute), "erin@example.com": ago(27 * 24 * time.Hour),
}

func TestAccSessionLogs_summariesOfficialShape(t *testing.T) {
	demoStep(t, mockapi.ShapeOfficial, "rediscloud_session_logs", "",
		attrEquals(sessionAddr, "total_count", knownvalue.Int64Exact(106)),
		attrEquals(sessionAddr, "action_counts", int64MapExact(map[string]int64{"Successful login": 101, "Failed login": 5})),
		attrEquals(sessionAddr, "user_counts", int64MapExact(demoSessionUsers)),
		attrEquals(sessionAddr, "role_counts", int64MapExact(map[string]int64{"owner": 35, "member": 38, "manager": 32, "Logs viewer": 1})),
		attrEquals(sessionAddr, "last_seen", stringMapExact(demoSessionLastSeen)))
}

func TestAccSessionLogs_summariesSeedShape(t *testing.T) {
	// Seed sessions carry the user and the start time but no action and no role.
	demoStep(t, mockapi.ShapeSeed, "rediscloud_session_logs", "",
		attrEquals(sessionAddr, "total_count", knownvalue.Int64Exact(106)),
		attrEquals(sessionAddr, "action_counts", int64MapExact(map[string]int64{})),
		attrEquals(sessionAddr, "user_counts", int64MapExact(demoSessionUsers)),
		attrEquals(sessionAddr, "role_counts", int64MapExact(map[string]int64{})),
		attrEquals(sessionAddr, "last_seen", stringMapExact(demoSessionLastSeen)))
}

func TestAccSessionLogs_userRoles(t *testing.T) {
	demoStep(t, mockapi.ShapeOfficial, "rediscloud_session_logs", `user_roles = ["OWNER"]`,
		attrEquals(sessionAddr, "total_count", knownvalue.Int64Exact(35)),
		attrEquals(sessionAddr, "role_counts", int64MapExact(map[string]int64{"owner": 35})),
		attrEquals(sessionAddr, "distinct_users", stringsExact("alice@example.com")))
}

func TestAccSessionLogs_userRolesGlob(t *testing.T) {
	demoStep(t, mockapi.ShapeOfficial, "rediscloud_session_logs", `user_roles = ["*viewer", "manager"]`,
		attrEquals(sessionAddr, "total_count", knownvalue.Int64Exact(33)),
		attrEquals(sessionAddr, "role_counts", int64MapExact(map[string]int64{"manager": 32, "Logs viewer": 1})))
}

func TestAccSessionLogs_excludeUserRoles(t *testing.T) {
	demoStep(t, mockapi.ShapeOfficial, "rediscloud_session_logs", `exclude_user_roles = ["owner", "member", "manager"]`,
		entryIDs(sessionAddr, mockapi.DemoErinSessionID))
}

func TestAccSessionLogs_ownerSessionsOutsideOffice(t *testing.T) {
	// The access review's check: owners, outside the office ranges, in 90 days.
	demoStep(t, mockapi.ShapeOfficial, "rediscloud_session_logs",
		`user_roles = ["owner"]`+"\n"+`exclude_ip_cidrs = ["198.51.100.0/24", "2001:db8:100::/48"]`,
		entryIDs(sessionAddr, mockapi.DemoOwnerOutsideSessionID),
		statecheck.ExpectKnownValue(sessionAddr, tfjsonpath.New("entries").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"ip_address": knownvalue.StringExact(mockapi.DemoOwnerOutsideIP), "user_role": knownvalue.StringExact("owner"),
		})))
}

func TestAccSessionLogs_userRolesSeedShape(t *testing.T) {
	// No role in the seed shape: the include list keeps nothing (and warns, see
	// TestReadWarnsOnMissingUserRoles), the exclude list drops nothing.
	t.Run("include", func(t *testing.T) {
		demoStep(t, mockapi.ShapeSeed, "rediscloud_session_logs", `user_roles = ["owner"]`, entryIDs(sessionAddr))
	})
	t.Run("exclude", func(t *testing.T) {
		demoStep(t, mockapi.ShapeSeed, "rediscloud_session_logs", `exclude_user_roles = ["owner"]`,
			attrEquals(sessionAddr, "total_count", knownvalue.Int64Exact(106)))
	})
}

func TestAccSessionLogs_failedLoginsSummaryOnly(t *testing.T) {
	// The compliance example's failed-login check.
	demoStep(t, mockapi.ShapeOfficial, "rediscloud_session_logs", `actions = ["Failed login"]`+"\nmax_results = 0",
		attrEquals(sessionAddr, "entries", knownvalue.ListExact([]knownvalue.Check{})),
		attrEquals(sessionAddr, "total_count", knownvalue.Int64Exact(5)),
		attrEquals(sessionAddr, "truncated", knownvalue.Bool(true)),
		attrEquals(sessionAddr, "action_counts", int64MapExact(map[string]int64{"Failed login": 5})),
		attrEquals(sessionAddr, "user_counts", int64MapExact(map[string]int64{"carol@example.com": 5})),
		attrEquals(sessionAddr, "last_seen", stringMapExact(map[string]string{"carol@example.com": ago(5*time.Hour + 50*time.Minute)})),
		attrEquals(sessionAddr, "distinct_users", stringsExact("carol@example.com")))
}

func TestAccSessionLogs_maxResultsZeroKeepsEverySummary(t *testing.T) {
	demoStep(t, mockapi.ShapeOfficial, "rediscloud_session_logs", "max_results = 0",
		attrEquals(sessionAddr, "entries", knownvalue.ListExact([]knownvalue.Check{})),
		attrEquals(sessionAddr, "total_count", knownvalue.Int64Exact(106)),
		attrEquals(sessionAddr, "user_counts", int64MapExact(demoSessionUsers)),
		attrEquals(sessionAddr, "last_seen", stringMapExact(demoSessionLastSeen)),
		attrEquals(sessionAddr, "role_counts", int64MapExact(map[string]int64{"owner": 35, "member": 38, "manager": 32, "Logs viewer": 1})),
		attrEquals(sessionAddr, "distinct_users", stringsExact("alice@example.com", "bob@example.com", "carol@example.com", "erin@example.com")))
}

// A bad pattern or glob fails at validate, on its attribute, before any request.
func TestAccLogs_validationOfComplianceArguments(t *testing.T) {
	cases := map[string]validationCase{
		"RE2 in details_patterns":         {"rediscloud_audit_logs", `details_patterns = ["deleted", "(deleted"]`, `(?s)Invalid Regular Expression.*details_patterns.*missing closing \)`},
		"RE2 in exclude_details_patterns": {"rediscloud_audit_logs", `exclude_details_patterns = ["(?=x)"]`, `(?s)Invalid Regular Expression.*exclude_details_patterns.*invalid or unsupported Perl syntax`},
		"empty details pattern":           {"rediscloud_audit_logs", `details_patterns = [""]`, `(?s)Invalid Regular Expression.*details_patterns.*empty`},
		"glob in api_key_names":           {"rediscloud_audit_logs", `api_key_names = ["terraform-[ci"]`, `(?s)Invalid Glob Pattern.*api_key_names.*no closing \]`},
		"glob in exclude_api_key_names":   {"rediscloud_audit_logs", `exclude_api_key_names = [""]`, `(?s)Invalid Glob Pattern.*exclude_api_key_names.*empty`},
		"glob in user_roles":              {"rediscloud_session_logs", `user_roles = ["[owner"]`, `(?s)Invalid Glob Pattern.*user_roles`},
		"glob in exclude_user_roles":      {"rediscloud_session_logs", `exclude_user_roles = ["owner\\"]`, `(?s)Invalid Glob Pattern.*exclude_user_roles.*backslash`},
		"max_results negative":            {"rediscloud_audit_logs", `max_results = -1`, `(?s)max_results.*at least 0`},
	}
	runValidationCases(t, cases)
}
