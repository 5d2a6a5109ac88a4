package mockapi

import (
	"fmt"
	"slices"
	"time"
)

// Identifiers of the planted demo sessions, for assertions.
const (
	DemoActiveSessionID      = "demo-active-alice"
	DemoUnusualIPSessionID   = "demo-unusual-ip-bob"
	DemoFailedLoginSessionID = "demo-failed-login-carol"
	DemoUnusualIP            = "203.0.113.66"

	DemoOwnerOutsideSessionID = "demo-owner-outside-alice"
	DemoOwnerOutsideIP        = "192.0.2.44"
	DemoErinSessionID         = "demo-first-login-erin"

	// DemoTerraformKey is the API key that Terraform uses in the demo's story.
	DemoTerraformKey = "terraform-automation"
)

// demoSeed fixes the background noise; only now moves the dataset in time.
const demoSeed = 20240601

// demoAuditIDBase is where demo audit IDs start; IDs descend with time.
const demoAuditIDBase = 3_100_000

// DemoDataset returns four weeks of activity ending at now (truncated to whole
// seconds, UTC) for a small team: alice@example.com (Alice Johnson, owner),
// bob@example.com (Bob Smith, member), carol@example.com (Carol Diaz, manager),
// erin@example.com (Erin Park, Logs viewer), and the API keys "ci-pipeline"
// (alice's) and "terraform-automation" (bob's; DemoTerraformKey, the key Terraform
// uses). The same now always gives the same records. Audit IDs are assigned after
// sorting, from 3100001 up, descending with time; find planted entries by action and
// time.
//
// Audit log, 313 entries. 300 background entries between now-28d and now-10m use
// only database.update, database.create, subscription.update, subscription.create
// and account.update, all with status "success", by alice, bob, carol or one of the
// two keys; in the last 48 hours every background Database and Subscription change
// came through terraform-automation (the team manages them with Terraform). Planted
// on top of them (originator = user name; "via" = APIKeyName):
//
//	now-2h14m   database.delete      bob                           cache-staging (13000202)      success
//	now-3h40m   database.update      alice via ci-pipeline         orders-prod (13000101)        failure
//	now-5h31m   apiKey.delete        carol                         legacy-export (52009)         success
//	now-7h15m   subscription.update  bob via terraform-automation  prod-eu-west-1 (100231)       failure
//	now-9h2m    user.remove          alice                         dave@example.com (410004)     success
//	now-10d     database.create      bob via terraform-automation  analytics-scratch (13000399)  failure
//	now-15d     subscription.delete  alice                         sandbox (100555)              success
//	now-20d     database.delete      alice                         legacy-sessions (13000199)    success
//	now-21d     user.invite          alice                         dave@example.com (410004)     success
//	now-25d     apiKey.create        carol                         legacy-export (52009)         success
//	now-26d     apiKey.create        alice                         terraform-automation (52002)  success
//	now-27d     apiKey.create        alice                         ci-pipeline (52001)           success
//	now-27d12h  user.invite          alice                         erin@example.com (410005)     success
//
// So within the last 24 hours there are exactly three critical actions (a delete or
// a removal: bob's database.delete, carol's apiKey.delete, alice's user.remove) and
// exactly two failures; over the whole dataset, five critical actions and three
// failures. And within the last 24 hours exactly two Database or Subscription
// changes did not come through terraform-automation: bob's database.delete in the
// console (no API key) and alice's database.update through ci-pipeline.
//
// Session log, 106 sessions. 97 background sessions start between now-28d and
// now-6h, by alice, bob or carol, "Successful login", type console or api, all
// ended, all from the office ranges 198.51.100.0/24 and 2001:db8:100::/48. Every
// session carries its user's role. Planted:
//
//	DemoActiveSessionID        alice  console  198.51.100.10       start now-35m     EndTime nil        Successful login
//	demo-failed-login-carol-N  carol  console  2001:db8:100:4::2b  start now-5h58m, -5h56m, -5h54m, -5h52m (N = 1..4), EndTime = start, Failed login
//	DemoFailedLoginSessionID   carol  console  2001:db8:100:4::2b  start now-5h50m   EndTime = start    Failed login
//	DemoUnusualIPSessionID     bob    console  203.0.113.66        start now-2d13h   ended 42m later    Successful login
//	DemoOwnerOutsideSessionID  alice  console  192.0.2.44          start now-12d     ended 25m later    Successful login
//	DemoErinSessionID          erin   console  198.51.100.77       start now-27d     ended 20m later    Successful login
//
// So there is exactly one active session; exactly five failed logins, all carol's,
// within eight minutes; exactly one session in the last 7 days from outside the
// office ranges (DemoUnusualIP, bob's) and one more before that (alice's, the owner's,
// from DemoOwnerOutsideIP); and erin was last seen 27 days ago, while alice, bob and
// carol were active within the last two days.
func DemoDataset(now time.Time) ([]AuditRecord, []SessionRecord) {
	now = canonicalTime(now)
	return demoAudit(now), demoSessions(now)
}

func demoAudit(now time.Time) []AuditRecord {
	rng := newRand(demoSeed, 0xa0d17)
	team := []person{people[alice], people[bob], people[carol]}
	keys := []apiKeyInfo{apiKeys[0], apiKeys[1]}
	background := []weightedAction{
		{"database.update", 40}, {"database.create", 4},
		{"subscription.update", 8}, {"subscription.create", 1},
		{"account.update", 2},
	}
	const backgroundCount = 300
	span := 28*24*time.Hour - 10*time.Minute
	out := make([]AuditRecord, 0, backgroundCount+13)
	for _, t := range spreadTimes(rng, backgroundCount, now.Add(-10*time.Minute), span) {
		action := pickAction(rng, background)
		actor, key := pickActor(rng, action, team, keys)
		rec := buildAudit(rng, action, actor, key, false)
		rec.Time = t
		if t.After(now.Add(-48*time.Hour)) && (rec.Type == "Database" || rec.Type == "Subscription") {
			// Recently, Terraform made every such change. Overriding after the draws
			// keeps the random sequence, and so the rest of the dataset, unchanged.
			tf := apiKeys[1]
			rec.UserEmail, rec.UserName, rec.APIKeyName = people[tf.owner].email, people[tf.owner].name, tf.name
		}
		out = append(out, rec)
	}

	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	day := 24 * time.Hour
	planted := func(t time.Time, action string, who int, key string, resource string, id int64, details string, failed bool) AuditRecord {
		rec := AuditRecord{
			Time: t, Action: action, Type: entityOf(action),
			UserEmail: people[who].email, UserName: people[who].name, APIKeyName: key,
			Resource: resource, ResourceID: id, Details: details, Status: "success",
		}
		if failed {
			rec.Status = "failure"
		}
		return rec
	}
	out = append(out,
		planted(ago(2*time.Hour+14*time.Minute), "database.delete", bob, "", "cache-staging", 13000202,
			"Database cache-staging (13000202) was deleted from subscription staging-us-east-1 (100232)", false),
		planted(ago(3*time.Hour+40*time.Minute), "database.update", alice, "ci-pipeline", "orders-prod", 13000101,
			"Database orders-prod (13000101) was updated: memory limit changed to 50GB - failed: memory limit exceeds plan quota", true),
		planted(ago(5*time.Hour+31*time.Minute), "apiKey.delete", carol, "", "legacy-export", 52009,
			"API key legacy-export was deleted", false),
		planted(ago(7*time.Hour+15*time.Minute), "subscription.update", bob, "terraform-automation", "prod-eu-west-1", 100231,
			"Subscription prod-eu-west-1 (100231) was updated: CIDR allow-list changed - failed: validation error", true),
		planted(ago(9*time.Hour+2*time.Minute), "user.remove", alice, "", "dave@example.com", 410004,
			"Removed Dave Lee (dave@example.com) from team", false),
		planted(ago(10*day), "database.create", bob, "terraform-automation", "analytics-scratch", 13000399,
			"Database analytics-scratch (13000399) was created in subscription analytics (100987) - failed: memory limit exceeds plan quota", true),
		planted(ago(15*day), "subscription.delete", alice, "", "sandbox", 100555,
			"Subscription sandbox (100555) was deleted", false),
		planted(ago(20*day), "database.delete", alice, "", "legacy-sessions", 13000199,
			"Database legacy-sessions (13000199) was deleted from subscription prod-eu-west-1 (100231)", false),
		planted(ago(21*day), "user.invite", alice, "", "dave@example.com", 410004,
			"Invited Dave Lee (dave@example.com) to join team", false),
		planted(ago(25*day), "apiKey.create", carol, "", "legacy-export", 52009,
			"API key legacy-export was created", false),
		planted(ago(26*day), "apiKey.create", alice, "", "terraform-automation", 52002,
			"API key terraform-automation was created", false),
		planted(ago(27*day), "apiKey.create", alice, "", "ci-pipeline", 52001,
			"API key ci-pipeline was created", false),
		planted(ago(27*day+12*time.Hour), "user.invite", alice, "", "erin@example.com", 410005,
			"Invited Erin Park (erin@example.com) to join team", false),
	)

	slices.SortStableFunc(out, func(a, b AuditRecord) int { return b.Time.Compare(a.Time) })
	for i := range out {
		out[i].ID = demoAuditIDBase + int64(len(out)-i)
	}
	return out
}

func demoSessions(now time.Time) []SessionRecord {
	rng := newRand(demoSeed, 0x5e5510)
	const backgroundCount = 97
	span := 28*24*time.Hour - 6*time.Hour
	out := make([]SessionRecord, 0, backgroundCount+9)
	for _, start := range spreadTimes(rng, backgroundCount, now.Add(-6*time.Hour), span) {
		p := people[rng.IntN(3)] // alice, bob or carol
		kind := "console"
		if rng.IntN(10) < 3 {
			kind = "api"
		}
		end := start.Add(time.Duration(5+rng.IntN(235)) * time.Minute) // ends by now-2h
		out = append(out, SessionRecord{
			ID: sessionID(rng), Time: start, EndTime: &end,
			UserEmail: p.email, UserName: p.name, UserRole: p.role,
			IPAddress: officeAddress(rng), UserAgent: userAgent(rng, kind),
			Type: kind, Action: "Successful login",
		})
	}

	session := func(id string, who int, ip, agent string, start time.Time, end *time.Time, action string) SessionRecord {
		p := people[who]
		return SessionRecord{
			ID: id, Time: start, EndTime: end,
			UserEmail: p.email, UserName: p.name, UserRole: p.role,
			IPAddress: ip, UserAgent: agent, Type: "console", Action: action,
		}
	}
	failedAt := now.Add(-5*time.Hour - 50*time.Minute)
	unusualStart := now.Add(-2*24*time.Hour - 13*time.Hour)
	unusualEnd := unusualStart.Add(42 * time.Minute)
	ownerStart := now.Add(-12 * 24 * time.Hour)
	ownerEnd := ownerStart.Add(25 * time.Minute)
	erinStart := now.Add(-27 * 24 * time.Hour)
	erinEnd := erinStart.Add(20 * time.Minute)
	out = append(out,
		session(DemoActiveSessionID, alice, "198.51.100.10", browserAgents[1], now.Add(-35*time.Minute), nil, "Successful login"),
		session(DemoFailedLoginSessionID, carol, "2001:db8:100:4::2b", browserAgents[0], failedAt, &failedAt, "Failed login"),
		session(DemoUnusualIPSessionID, bob, DemoUnusualIP, browserAgents[2], unusualStart, &unusualEnd, "Successful login"),
		session(DemoOwnerOutsideSessionID, alice, DemoOwnerOutsideIP, browserAgents[1], ownerStart, &ownerEnd, "Successful login"),
		session(DemoErinSessionID, erin, "198.51.100.77", browserAgents[0], erinStart, &erinEnd, "Successful login"),
	)
	// Someone tried carol's password four times in the minutes before the failed
	// login above.
	for n := 1; n <= 4; n++ {
		at := failedAt.Add(-time.Duration(10-2*n) * time.Minute)
		out = append(out, session(fmt.Sprintf("%s-%d", DemoFailedLoginSessionID, n), carol, "2001:db8:100:4::2b", browserAgents[0], at, &at, "Failed login"))
	}
	slices.SortStableFunc(out, sessionNewerFirst)
	return out
}
