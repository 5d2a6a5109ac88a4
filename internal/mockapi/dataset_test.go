package mockapi

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestGenerateAuditIsDeterministicAndRealistic(t *testing.T) {
	const n = 5000
	span := 90 * 24 * time.Hour
	newest := base.Add(123 * time.Millisecond)
	a := GenerateAudit(n, 42, newest, span)
	if !reflect.DeepEqual(a, GenerateAudit(n, 42, newest, span)) {
		t.Fatal("same seed, different records")
	}
	if reflect.DeepEqual(a, GenerateAudit(n, 43, newest, span)) {
		t.Fatal("different seeds, same records")
	}
	if len(a) != n || !a[0].Time.Equal(base) {
		t.Fatalf("len %d, first time %v; want %d entries, the first at %v", len(a), a[0].Time, n, base)
	}
	types, actions, statuses, keys, users := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for i, r := range a {
		if r.Time.Before(base.Add(-span)) || r.Time.After(base) || r.Time.Nanosecond() != 0 {
			t.Fatalf("entry %d time %v outside the span or not whole seconds", i, r.Time)
		}
		if i > 0 && (r.ID >= a[i-1].ID || r.Time.After(a[i-1].Time)) {
			t.Fatalf("entry %d (id %d, %v) not older than entry %d (id %d, %v)", i, r.ID, r.Time, i-1, a[i-1].ID, a[i-1].Time)
		}
		if r.ID > 1<<31-1 {
			t.Fatalf("id %d does not fit the documented int32", r.ID)
		}
		if r.Details == "" || r.UserEmail == "" || r.UserName == "" || entityOf(r.Action) != r.Type {
			t.Fatalf("entry %d incomplete: %+v", i, r)
		}
		types[r.Type]++
		actions[r.Action]++
		statuses[r.Status]++
		keys[r.APIKeyName]++
		users[r.UserEmail]++
	}
	for _, typ := range []string{"Account", "Subscription", "Database", "User", "ApiKey"} {
		if types[typ] == 0 {
			t.Errorf("no %s entries", typ)
		}
	}
	if len(actions) != len(generatedActions) {
		t.Errorf("%d distinct actions, want %d: %v", len(actions), len(generatedActions), actions)
	}
	if f := statuses["failure"]; f < n/100 || f > n/10 {
		t.Errorf("%d failures in %d entries", f, n)
	}
	if viaKey := n - keys[""]; viaKey < n/6 || viaKey > n/2 {
		t.Errorf("%d entries through an API key, want roughly a quarter", viaKey)
	}
	if len(users) != 3 {
		t.Errorf("%d users change things, want alice, bob and carol: %v", len(users), users)
	}
	if got := GenerateAudit(0, 1, base, span); got == nil || len(got) != 0 {
		t.Errorf("GenerateAudit(0) = %v, want an empty slice", got)
	}
}

func TestGenerateSessionsIsDeterministicAndRealistic(t *testing.T) {
	const n = 2000
	span := 30 * 24 * time.Hour
	a := GenerateSessions(n, 7, base, span)
	if !reflect.DeepEqual(a, GenerateSessions(n, 7, base, span)) {
		t.Fatal("same seed, different sessions")
	}
	if reflect.DeepEqual(a, GenerateSessions(n, 8, base, span)) {
		t.Fatal("different seeds, same sessions")
	}
	ids := map[string]bool{}
	kinds, actions := map[string]int{}, map[string]int{}
	active := 0
	for i, r := range a {
		if i > 0 && r.Time.After(a[i-1].Time) {
			t.Fatalf("session %d newer than session %d", i, i-1)
		}
		if ids[r.ID] {
			t.Fatalf("duplicate id %s", r.ID)
		}
		ids[r.ID] = true
		if _, err := netip.ParseAddr(r.IPAddress); err != nil {
			t.Fatalf("session %d: bad address %q", i, r.IPAddress)
		}
		if r.EndTime == nil {
			active++
		} else if r.EndTime.Before(r.Time) || r.EndTime.After(base) {
			t.Fatalf("session %d ends at %v, outside [start, newest]", i, r.EndTime)
		}
		if r.UserEmail == "" || r.UserRole == "" || r.UserAgent == "" {
			t.Fatalf("session %d incomplete: %+v", i, r)
		}
		kinds[r.Type]++
		actions[r.Action]++
	}
	if kinds["api"] == 0 || kinds["console"] == 0 || actions["Failed login"] == 0 || actions["Logout"] == 0 {
		t.Errorf("thin mix: types %v actions %v", kinds, actions)
	}
	if active == 0 || active > n/20 {
		t.Errorf("%d active sessions out of %d", active, n)
	}
}

func TestDemoDatasetPlantedEvents(t *testing.T) {
	now := time.Date(2025, 6, 1, 9, 30, 15, 500, time.UTC)
	audit, sessions := DemoDataset(now)
	audit2, sessions2 := DemoDataset(now)
	if !reflect.DeepEqual(audit, audit2) || !reflect.DeepEqual(sessions, sessions2) {
		t.Fatal("DemoDataset is not deterministic")
	}
	now = now.Truncate(time.Second)
	if len(audit) != 313 || len(sessions) != 106 {
		t.Fatalf("%d audit entries and %d sessions, want 313 and 106", len(audit), len(sessions))
	}

	critical := func(action string) bool {
		return strings.HasSuffix(action, ".delete") || action == "user.remove"
	}
	var lastDay, lastDayFailures, allCritical, allFailures, outsideTerraform []string
	for i, r := range audit {
		if i > 0 && (r.ID >= audit[i-1].ID || r.Time.After(audit[i-1].Time)) {
			t.Fatalf("audit entry %d out of order", i)
		}
		if r.Time.After(now) || r.Time.Before(now.Add(-28*24*time.Hour)) {
			t.Fatalf("audit entry %d at %v, outside the four weeks", i, r.Time)
		}
		line := fmt.Sprintf("%s %s %s %s", now.Sub(r.Time), r.Action, r.UserEmail, r.Resource)
		recent := !r.Time.Before(now.Add(-24 * time.Hour))
		if critical(r.Action) {
			allCritical = append(allCritical, line)
			if recent {
				lastDay = append(lastDay, line)
			}
		}
		if recent && (r.Type == "Database" || r.Type == "Subscription") && r.APIKeyName != DemoTerraformKey {
			outsideTerraform = append(outsideTerraform, line+" key="+r.APIKeyName)
		}
		if r.Status == "failure" {
			allFailures = append(allFailures, line)
			if recent {
				lastDayFailures = append(lastDayFailures, line+" "+r.APIKeyName)
			}
		}
	}
	wantLastDay := []string{
		"2h14m0s database.delete bob@example.com cache-staging",
		"5h31m0s apiKey.delete carol@example.com legacy-export",
		"9h2m0s user.remove alice@example.com dave@example.com",
	}
	if !reflect.DeepEqual(lastDay, wantLastDay) {
		t.Errorf("critical in the last 24h:\n%s\nwant\n%s", strings.Join(lastDay, "\n"), strings.Join(wantLastDay, "\n"))
	}
	wantFailures := []string{
		"3h40m0s database.update alice@example.com orders-prod ci-pipeline",
		"7h15m0s subscription.update bob@example.com prod-eu-west-1 terraform-automation",
	}
	if !reflect.DeepEqual(lastDayFailures, wantFailures) {
		t.Errorf("failures in the last 24h: %q, want %q", lastDayFailures, wantFailures)
	}
	wantOutside := []string{
		"2h14m0s database.delete bob@example.com cache-staging key=",
		"3h40m0s database.update alice@example.com orders-prod key=ci-pipeline",
	}
	if !reflect.DeepEqual(outsideTerraform, wantOutside) {
		t.Errorf("Database and Subscription changes of the last 24h not through %s:\n%s\nwant\n%s",
			DemoTerraformKey, strings.Join(outsideTerraform, "\n"), strings.Join(wantOutside, "\n"))
	}
	if len(allCritical) != 5 || len(allFailures) != 3 {
		t.Errorf("whole dataset: %d critical, %d failures; want 5 and 3", len(allCritical), len(allFailures))
	}

	office := []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("2001:db8:100::/48")}
	inOffice := func(s string) bool {
		a := netip.MustParseAddr(s)
		return office[0].Contains(a) || office[1].Contains(a)
	}
	var activeIDs, outsideIDs, failedIDs []string
	lastSeen := map[string]time.Time{}
	roles := map[string]string{}
	for _, r := range sessions {
		if r.Time.After(now) || r.Time.Before(now.Add(-28*24*time.Hour)) {
			t.Fatalf("session %s at %v, outside the four weeks", r.ID, r.Time)
		}
		switch r.UserEmail {
		case "alice@example.com", "bob@example.com", "carol@example.com", "erin@example.com":
		default:
			t.Errorf("session %s by %s", r.ID, r.UserEmail)
		}
		if prev, ok := roles[r.UserEmail]; r.UserRole == "" || (ok && prev != r.UserRole) {
			t.Errorf("session %s: role %q for %s (before: %q)", r.ID, r.UserRole, r.UserEmail, prev)
		}
		roles[r.UserEmail] = r.UserRole
		if r.Time.After(lastSeen[r.UserEmail]) {
			lastSeen[r.UserEmail] = r.Time
		}
		if r.EndTime == nil {
			activeIDs = append(activeIDs, r.ID)
		}
		if !inOffice(r.IPAddress) {
			outsideIDs = append(outsideIDs, r.ID)
			recentBob := r.IPAddress == DemoUnusualIP && !r.Time.Before(now.Add(-7*24*time.Hour)) && r.UserEmail == "bob@example.com"
			olderOwner := r.IPAddress == DemoOwnerOutsideIP && r.Time.Equal(now.Add(-12*24*time.Hour)) && r.UserRole == "owner"
			if !recentBob && !olderOwner {
				t.Errorf("unexpected outside session %+v", r)
			}
		}
		if r.Action != "Successful login" {
			failedIDs = append(failedIDs, r.ID)
			if r.Action != "Failed login" || r.UserEmail != "carol@example.com" || now.Sub(r.Time) > 5*time.Hour+58*time.Minute || now.Sub(r.Time) < 5*time.Hour+50*time.Minute {
				t.Errorf("unexpected failed login %+v", r)
			}
		}
	}
	if want := map[string]string{"alice@example.com": "owner", "bob@example.com": "member", "carol@example.com": "manager", "erin@example.com": "Logs viewer"}; !reflect.DeepEqual(roles, want) {
		t.Errorf("roles %v, want %v", roles, want)
	}
	for user, seen := range lastSeen {
		age := now.Sub(seen)
		if user == "erin@example.com" && age != 27*24*time.Hour || user != "erin@example.com" && age > 48*time.Hour {
			t.Errorf("%s last seen %v ago", user, age)
		}
	}
	if !reflect.DeepEqual(activeIDs, []string{DemoActiveSessionID}) {
		t.Errorf("active sessions %v", activeIDs)
	}
	if !reflect.DeepEqual(outsideIDs, []string{DemoUnusualIPSessionID, DemoOwnerOutsideSessionID}) {
		t.Errorf("sessions outside the office ranges %v", outsideIDs)
	}
	if len(failedIDs) != 5 || failedIDs[0] != DemoFailedLoginSessionID {
		t.Errorf("sessions other than successful logins %v, want five, the newest %s", failedIDs, DemoFailedLoginSessionID)
	}
	if !sessions[0].Time.Equal(now.Add(-35*time.Minute)) || sessions[0].ID != DemoActiveSessionID {
		t.Errorf("newest session %+v, want the active one at now-35m", sessions[0])
	}
}

func TestDemoDatasetMovesWithNow(t *testing.T) {
	a1, s1 := DemoDataset(base)
	a2, s2 := DemoDataset(base.Add(48 * time.Hour))
	for i := range a1 {
		if a2[i].Time.Sub(a1[i].Time) != 48*time.Hour || a2[i].Action != a1[i].Action || a2[i].ID != a1[i].ID {
			t.Fatalf("audit entry %d differs beyond the shift: %+v vs %+v", i, a1[i], a2[i])
		}
	}
	for i := range s1 {
		if s2[i].Time.Sub(s1[i].Time) != 48*time.Hour || s2[i].ID != s1[i].ID {
			t.Fatalf("session %d differs beyond the shift", i)
		}
	}
}
