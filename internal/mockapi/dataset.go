package mockapi

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// The small world the generated datasets describe: people, API keys,
// subscriptions and databases. Fixed, so that the same seed always yields the same
// records, and small, so that resourceId filters find several entries.

type person struct {
	email, name, role string
	userID            int64
}

var people = []person{
	{"alice@example.com", "Alice Johnson", "owner", 410001},
	{"bob@example.com", "Bob Smith", "member", 410002},
	{"carol@example.com", "Carol Diaz", "manager", 410003},
	{"dave@example.com", "Dave Lee", "viewer", 410004},
	{"erin@example.com", "Erin Park", "Logs viewer", 410005},
}

const (
	alice = iota
	bob
	carol
	dave
	erin
)

type apiKeyInfo struct {
	name  string
	owner int // index into people
	id    int64
}

var apiKeys = []apiKeyInfo{
	{"ci-pipeline", alice, 52001},
	{"terraform-automation", bob, 52002},
	{"monitoring-export", carol, 52003},
}

type subscriptionInfo struct {
	name string
	id   int64
}

var subscriptions = []subscriptionInfo{
	{"prod-eu-west-1", 100231},
	{"staging-us-east-1", 100232},
	{"analytics", 100987},
}

type databaseInfo struct {
	name string
	id   int64
	sub  int // index into subscriptions
}

var databases = []databaseInfo{
	{"orders-prod", 13000101, 0},
	{"sessions-cache", 13000102, 0},
	{"catalog-search", 13000103, 0},
	{"rate-limiter", 13000104, 0},
	{"orders-staging", 13000201, 1},
	{"cache-staging", 13000202, 1},
	{"feature-flags", 13000203, 1},
	{"events-stream", 13000301, 2},
	{"metrics-ts", 13000302, 2},
}

// weightedAction is one action and how often it is drawn.
type weightedAction struct {
	action string
	weight int
}

// generatedActions is the mix GenerateAudit draws from: mostly updates and
// creations, a few deletions and team changes.
var generatedActions = []weightedAction{
	{"database.update", 34}, {"database.create", 12}, {"database.delete", 3},
	{"subscription.update", 10}, {"subscription.create", 4}, {"subscription.delete", 1},
	{"user.invite", 4}, {"user.remove", 1},
	{"apiKey.create", 3}, {"apiKey.delete", 1},
	{"account.update", 3},
}

// auditIDBase is where generated audit IDs start (the OpenAPI example shows
// 2900349); IDs stay inside the documented int32.
const auditIDBase = 2_900_000

// GenerateAudit returns n audit records spread over [newest-span, newest], newest
// first, with IDs descending with time, the first one at newest (truncated to whole
// seconds, UTC). The mix is realistic: mostly database and subscription updates and
// creations, some deletions, team and API key changes; changes made by alice, bob
// and carol (@example.com), about a third of the database and subscription work
// through an API key ("ci-pipeline", "terraform-automation", "monitoring-export");
// about 4% failures. A handful of resources recur, so resourceId filters match
// many entries. The same arguments always give the same records.
func GenerateAudit(n int, seed int64, newest time.Time, span time.Duration) []AuditRecord {
	if n <= 0 {
		return []AuditRecord{}
	}
	rng := newRand(seed, 0xa0d17)
	times := spreadTimes(rng, n, newest, span)
	out := make([]AuditRecord, n)
	for i, t := range times {
		action := pickAction(rng, generatedActions)
		actor, key := pickActor(rng, action, people[:dave], apiKeys) // viewers change nothing
		failed := rng.IntN(100) < 4
		rec := buildAudit(rng, action, actor, key, failed)
		rec.ID = auditIDBase + int64(n-i)
		rec.Time = t
		out[i] = rec
	}
	return out
}

// GenerateSessions returns n session records spread over [newest-span, newest],
// newest first. Sessions that would still be running at newest are active (nil
// EndTime); failed logins end when they start. Most come from office addresses,
// about one in ten from elsewhere.
func GenerateSessions(n int, seed int64, newest time.Time, span time.Duration) []SessionRecord {
	if n <= 0 {
		return []SessionRecord{}
	}
	rng := newRand(seed, 0x5e5510)
	times := spreadTimes(rng, n, newest, span)
	newest = canonicalTime(newest)
	out := make([]SessionRecord, n)
	for i, start := range times {
		p := people[rng.IntN(len(people))]
		kind := "console"
		if rng.IntN(100) < 30 {
			kind = "api"
		}
		ip := officeAddress(rng)
		if rng.IntN(10) == 0 {
			ip = fmt.Sprintf("192.0.2.%d", 1+rng.IntN(254))
		}
		action := "Successful login"
		switch r := rng.IntN(100); {
		case r < 5:
			action = "Failed login"
		case r < 8:
			action = "Logout"
		}
		rec := SessionRecord{
			ID:        sessionID(rng),
			Time:      start,
			UserEmail: p.email,
			UserName:  p.name,
			UserRole:  p.role,
			IPAddress: ip,
			UserAgent: userAgent(rng, kind),
			Type:      kind,
			Action:    action,
		}
		end := start.Add(time.Duration(5+rng.IntN(8*60)) * time.Minute)
		if action != "Successful login" {
			end = start
		}
		if !end.After(newest) {
			rec.EndTime = &end
		}
		out[i] = rec
	}
	return out
}

// newRand is a PCG source: its sequence is fixed by the Go 1 compatibility promise.
func newRand(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream))
}

// spreadTimes draws n whole-second times in [newest-span, newest], newest first,
// the first exactly newest.
func spreadTimes(rng *rand.Rand, n int, newest time.Time, span time.Duration) []time.Time {
	newest = canonicalTime(newest)
	seconds := int64(span / time.Second)
	offsets := make([]int64, n)
	for i := 1; i < n; i++ {
		if seconds > 0 {
			offsets[i] = rng.Int64N(seconds + 1)
		}
	}
	slices.Sort(offsets)
	times := make([]time.Time, n)
	for i, off := range offsets {
		times[i] = newest.Add(-time.Duration(off) * time.Second)
	}
	return times
}

func pickAction(rng *rand.Rand, actions []weightedAction) string {
	total := 0
	for _, a := range actions {
		total += a.weight
	}
	r := rng.IntN(total)
	for _, a := range actions {
		if r < a.weight {
			return a.action
		}
		r -= a.weight
	}
	return actions[len(actions)-1].action
}

// pickActor chooses who did it: a person, or (for database and subscription work,
// about a third of the time) one of the API keys on behalf of its owner.
func pickActor(rng *rand.Rand, action string, who []person, keys []apiKeyInfo) (person, *apiKeyInfo) {
	if len(keys) > 0 && entityOf(action) != "User" && entityOf(action) != "Account" && rng.IntN(3) == 0 {
		k := keys[rng.IntN(len(keys))]
		return people[k.owner], &k
	}
	return who[rng.IntN(len(who))], nil
}

// entityOf maps "database.delete" to the official entity type "Database".
func entityOf(action string) string {
	switch {
	case strings.HasPrefix(action, "database."):
		return "Database"
	case strings.HasPrefix(action, "subscription."):
		return "Subscription"
	case strings.HasPrefix(action, "user."):
		return "User"
	case strings.HasPrefix(action, "apiKey."):
		return "ApiKey"
	}
	return "Account"
}

// buildAudit fills in the resource and a description in the style of the real
// service for one action. ID and Time are the caller's.
func buildAudit(rng *rand.Rand, action string, actor person, key *apiKeyInfo, failed bool) AuditRecord {
	rec := AuditRecord{
		Action:    action,
		Type:      entityOf(action),
		UserEmail: actor.email,
		UserName:  actor.name,
		Status:    "success",
	}
	if key != nil {
		rec.APIKeyName = key.name
	}
	switch rec.Type {
	case "Database":
		db := databases[rng.IntN(len(databases))]
		sub := subscriptions[db.sub]
		rec.Resource, rec.ResourceID = db.name, db.id
		switch action {
		case "database.create":
			rec.Details = fmt.Sprintf("Database %s (%d) was created in subscription %s (%d)", db.name, db.id, sub.name, sub.id)
		case "database.delete":
			rec.Details = fmt.Sprintf("Database %s (%d) was deleted from subscription %s (%d)", db.name, db.id, sub.name, sub.id)
		default:
			rec.Details = fmt.Sprintf("Database %s (%d) was updated: %s", db.name, db.id, databaseChanges[rng.IntN(len(databaseChanges))])
		}
	case "Subscription":
		sub := subscriptions[rng.IntN(len(subscriptions))]
		rec.Resource, rec.ResourceID = sub.name, sub.id
		verb := map[string]string{"subscription.create": "created", "subscription.delete": "deleted"}[action]
		if verb == "" {
			verb = "updated: " + subscriptionChanges[rng.IntN(len(subscriptionChanges))]
		}
		rec.Details = fmt.Sprintf("Subscription %s (%d) was %s", sub.name, sub.id, verb)
	case "User":
		target := people[dave+rng.IntN(2)]
		rec.Resource, rec.ResourceID = target.email, target.userID
		if action == "user.remove" {
			rec.Details = fmt.Sprintf("Removed %s (%s) from team", target.name, target.email)
		} else {
			rec.Details = fmt.Sprintf("Invited %s (%s) to join team", target.name, target.email)
		}
	case "ApiKey":
		k := apiKeys[rng.IntN(len(apiKeys))]
		rec.Resource, rec.ResourceID = k.name, k.id
		verb := "created"
		if action == "apiKey.delete" {
			verb = "deleted"
		}
		rec.Details = fmt.Sprintf("API key %s was %s", k.name, verb)
	default:
		rec.Details = accountChanges[rng.IntN(len(accountChanges))]
	}
	if failed {
		rec.Status = "failure"
		rec.Details += " - failed: " + failureReasons[rng.IntN(len(failureReasons))]
	}
	return rec
}

var databaseChanges = []string{
	"memory limit changed to 2GB", "memory limit changed to 5GB", "replication enabled",
	"data persistence set to aof-every-1-second", "password changed",
	"alert dataset-size set to 80%", "source IP allow-list changed", "module RedisJSON enabled",
}

var subscriptionChanges = []string{
	"payment method changed", "CIDR allow-list changed", "name changed", "maintenance window changed",
}

var accountChanges = []string{
	"Account multi-factor authentication was enforced",
	"Account SAML single sign-on settings were changed",
	"Account billing address was changed",
}

var failureReasons = []string{
	"memory limit exceeds plan quota", "resource is busy with a pending change",
	"insufficient permissions", "validation error",
}

var browserAgents = []string{
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
	"Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
}

var apiAgents = []string{
	"Terraform/1.9.2 terraform-provider-rediscloud/1.8.1",
	"python-requests/2.32.3",
	"curl/8.8.0",
	"Go-http-client/1.1",
}

func userAgent(rng *rand.Rand, kind string) string {
	if kind == "api" {
		return apiAgents[rng.IntN(len(apiAgents))]
	}
	return browserAgents[rng.IntN(len(browserAgents))]
}

// officeAddress returns an address in the office ranges 198.51.100.0/24 or
// 2001:db8:100::/48 (documentation ranges, RFC 5737 and RFC 3849).
func officeAddress(rng *rand.Rand) string {
	if rng.IntN(3) == 0 {
		return fmt.Sprintf("2001:db8:100:%x::%x", 1+rng.IntN(8), 1+rng.IntN(0xfff))
	}
	return fmt.Sprintf("198.51.100.%d", 2+rng.IntN(250))
}

// sessionID is an opaque 24-hex-digit id.
func sessionID(rng *rand.Rand) string {
	return fmt.Sprintf("%016x%08x", rng.Uint64(), rng.Uint32())
}
