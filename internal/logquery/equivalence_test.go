package logquery

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
)

// The streamed read (a filter, then Newest and a summary, one entry at a time)
// gives exactly what the whole-slice read gave (collect every match, sort,
// summarise, truncate; reference_test.go): the same entries in the same order,
// every summary, total and truncated. Logs of both response shapes, with and
// without filters, with ties in time and entries without a time, for limits
// of 0, 1, some, about the matches and more.

var equivalenceLimits = []*int64{nil, ptr(int64(0)), ptr(int64(1)), ptr(int64(7)), ptr(int64(40)), ptr(int64(100_000))}

func TestStreamedAuditEqualsWholeSlice(t *testing.T) {
	for _, official := range []bool{true, false} {
		for seed := range uint64(20) {
			entries := randomAudit(seed, official)
			filters := map[string]*AuditFilter{
				"none":  {},
				"users": {Users: globs(t, "u1*", "*3@example.com")},
				"window and type": {Window: Window{Start: at(t, "2025-01-01T03:00:00Z"), End: at(t, "2025-01-01T20:00:00Z")},
					Types: []string{"Database", "account"}},
			}
			for fname, f := range filters {
				for _, limit := range equivalenceLimits {
					name := fmt.Sprintf("official=%v/seed=%d/%s/limit=%s", official, seed, fname, limitName(limit))
					t.Run(name, func(t *testing.T) {
						// Streamed, from a page that is overwritten after each entry, as the
						// client's pages are dropped: the read must copy what it keeps.
						newest, sum := NewNewest(limit, auditTime), NewAuditSummary()
						var page client.AuditEntry
						for i := range entries {
							page = entries[i]
							if f.Match(&page) {
								newest.Add(&page)
								sum.Add(&page)
							}
							page = client.AuditEntry{}
						}
						total := newest.Total()
						kept, truncated := newest.Entries()

						// Whole slice.
						var matches []client.AuditEntry
						for i := range entries {
							if f.Match(&entries[i]) {
								matches = append(matches, entries[i])
							}
						}
						refSortAuditNewestFirst(matches)
						wantKept, wantTruncated := refTruncate(matches, limit)

						if total != int64(len(matches)) || truncated != wantTruncated {
							t.Errorf("total %d truncated %v, want %d %v", total, truncated, len(matches), wantTruncated)
						}
						if !reflect.DeepEqual(kept, append([]client.AuditEntry{}, wantKept...)) {
							t.Errorf("entries\n got %v\nwant %v", ids(kept, auditID), ids(wantKept, auditID))
						}
						equalMaps(t, "action_counts", sum.Actions, refActionCounts(matches))
						equalMaps(t, "user_counts", sum.Users, refUserCounts(matches))
						equalMaps(t, "last_seen", sum.LastSeen.Strings(), refAuditLastSeen(matches))
						equalMaps(t, "type_counts", sum.Types, refCountBy(matches, func(e *client.AuditEntry) string { return nonBlank(e.Type) }))
					})
				}
			}
		}
	}
}

func TestStreamedSessionsEqualWholeSlice(t *testing.T) {
	for _, official := range []bool{true, false} {
		for seed := range uint64(20) {
			entries := randomSessions(seed, official)
			filters := map[string]*SessionFilter{
				"none":     {},
				"ip_cidrs": {IPCIDRs: prefixes(t, "10.0.0.0/30", "2001:db8::/32")},
				"window and users": {Window: Window{Start: at(t, "2025-01-01T03:00:00Z")},
					ExcludeUsers: globs(t, "u2*")},
			}
			for fname, f := range filters {
				for _, limit := range equivalenceLimits {
					name := fmt.Sprintf("official=%v/seed=%d/%s/limit=%s", official, seed, fname, limitName(limit))
					t.Run(name, func(t *testing.T) {
						newest, sum := NewNewest(limit, sessionTime), NewSessionSummary()
						var matches []client.SessionEntry
						for i := range entries {
							if f.Match(&entries[i]) {
								newest.Add(&entries[i])
								sum.Add(&entries[i])
								matches = append(matches, entries[i])
							}
						}
						total := newest.Total()
						kept, truncated := newest.Entries()
						refSortSessionsNewestFirst(matches)
						wantKept, wantTruncated := refTruncate(matches, limit)

						if total != int64(len(matches)) || truncated != wantTruncated {
							t.Errorf("total %d truncated %v, want %d %v", total, truncated, len(matches), wantTruncated)
						}
						if !reflect.DeepEqual(kept, append([]client.SessionEntry{}, wantKept...)) {
							t.Errorf("entries\n got %v\nwant %v", ids(kept, sessionID), ids(wantKept, sessionID))
						}
						equalMaps(t, "action_counts", sum.Actions, refSessionActionCounts(matches))
						equalMaps(t, "user_counts", sum.Users, refSessionUserCounts(matches))
						equalMaps(t, "role_counts", sum.Roles, refRoleCounts(matches))
						equalMaps(t, "last_seen", sum.LastSeen.Strings(), refSessionLastSeen(matches))
						if got, want := sum.DistinctUsers(), refDistinctUsers(matches); !slices.Equal(got, want) {
							t.Errorf("distinct_users %v, want %v", got, want)
						}
						if got, want := sum.DistinctIPAddresses(), refDistinctIPAddresses(matches); !slices.Equal(got, want) {
							t.Errorf("distinct_ip_addresses %v, want %v", got, want)
						}
					})
				}
			}
		}
	}
}

// TestNewestKeepsOnlyItsLimit pins the memory rule: with a limit, Newest
// never holds more entries than the limit, however many it is shown.
func TestNewestKeepsOnlyItsLimit(t *testing.T) {
	n := NewNewest(ptr(int64(10)), auditTime)
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 100_000 {
		ts := base.Add(time.Duration(i%5000) * time.Second)
		n.Add(&client.AuditEntry{ID: ptr(fmt.Sprint(i)), Time: &ts})
		if len(n.kept) > 10 {
			t.Fatalf("after %d entries Newest holds %d", i+1, len(n.kept))
		}
	}
	kept, truncated := n.Entries()
	if n.Total() != 100_000 || !truncated || len(kept) != 10 {
		t.Fatalf("total %d truncated %v kept %d", n.Total(), truncated, len(kept))
	}
	// The newest second is 4999, met by 20 entries (i = 4999, 9999, ...): the first ten of them, in order.
	for j, e := range kept {
		if want := fmt.Sprint(4999 + 5000*j); *e.ID != want {
			t.Errorf("kept[%d] = %s, want %s", j, *e.ID, want)
		}
	}
}

func limitName(l *int64) string {
	if l == nil {
		return "none"
	}
	return fmt.Sprint(*l)
}

func auditID(e *client.AuditEntry) string     { return *e.ID }
func sessionID(e *client.SessionEntry) string { return *e.ID }

func ids[E any](entries []E, id func(*E) string) []string {
	out := []string{}
	for i := range entries {
		out = append(out, id(&entries[i]))
	}
	return out
}

func equalMaps[M1 ~map[string]V, M2 ~map[string]V, V comparable](t *testing.T, name string, got M1, want M2) {
	t.Helper()
	if !maps.Equal(got, want) {
		t.Errorf("%s %v, want %v", name, got, want)
	}
}

// randomTime is one of few times (many ties), or none one time in eight.
func randomTime(r *rand.Rand) *time.Time {
	if r.IntN(8) == 0 {
		return nil
	}
	ts := time.Date(2025, 1, 1, r.IntN(24), 0, 0, 0, time.UTC)
	return &ts
}

func pick(r *rand.Rand, values ...string) *string {
	i := r.IntN(len(values) + 1)
	if i == len(values) {
		return nil
	}
	return &values[i]
}

// randomAudit is a log of the official shape (originator as user name, an API
// key name, no action or status) or of the seed shape (action, status, user
// email and name, no API key name).
func randomAudit(seed uint64, official bool) []client.AuditEntry {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]client.AuditEntry, 60+r.IntN(60))
	for i := range out {
		e := client.AuditEntry{ID: ptr(fmt.Sprint("a", i)), Time: randomTime(r), Type: pick(r, "Database", "Account", "Subscription", " "),
			Details: pick(r, "deleted", "created")}
		if official {
			e.UserName, e.APIKeyName = pick(r, "u1 Name", "u2 Name", "u3@example.com"), pick(r, "ci", "terraform")
		} else {
			e.Action, e.Status = pick(r, "database.delete", "user.create", ""), pick(r, "success", "failure")
			e.UserEmail, e.UserName = pick(r, "u1@example.com", "u2@example.com", "u3@example.com"), pick(r, "u1", "u4")
		}
		out[i] = e
	}
	return out
}

// randomSessions is a session log of the official shape (role, action, user
// as one string) or of the seed shape (start and end times, user object).
func randomSessions(seed uint64, official bool) []client.SessionEntry {
	r := rand.New(rand.NewPCG(seed, 2))
	out := make([]client.SessionEntry, 60+r.IntN(60))
	for i := range out {
		e := client.SessionEntry{ID: ptr(fmt.Sprint("s", i)), Time: randomTime(r),
			IPAddress: pick(r, "10.0.0.1", "::ffff:10.0.0.2", "10.0.0.9", "2001:db8::1", "2001:DB8::1", "unknown", "")}
		if official {
			e.UserRole, e.Action = pick(r, "owner", "Logs viewer"), pick(r, "Successful login", "Failed login")
			e.UserEmail = pick(r, "u1@example.com", "u2@example.com")
		} else {
			e.StartTime = e.Time
			active := r.IntN(2) == 0
			e.Active = &active
			e.UserEmail, e.UserName = pick(r, "u1@example.com", "u3@example.com"), pick(r, "u2", "u4")
		}
		out[i] = e
	}
	return out
}
