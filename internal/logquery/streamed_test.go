package logquery

// The whole-slice names the unit tests of results_test.go were written
// against, now each a streamed read: every entry added one at a time to a
// Newest or a summary, as the provider's Read does.

import (
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
)

func auditTime(e *client.AuditEntry) *time.Time     { return e.Time }
func sessionTime(e *client.SessionEntry) *time.Time { return e.Time }

func newestOf[E any](entries []E, limit *int64, at func(*E) *time.Time) ([]E, bool) {
	n := NewNewest(limit, at)
	for i := range entries {
		n.Add(&entries[i])
	}
	return n.Entries()
}

func SortAuditNewestFirst(entries []client.AuditEntry) {
	sorted, _ := newestOf(entries, nil, auditTime)
	copy(entries, sorted)
}

func SortSessionsNewestFirst(entries []client.SessionEntry) {
	sorted, _ := newestOf(entries, nil, sessionTime)
	copy(entries, sorted)
}

// Truncate keeps the first *limit entries: without times, Newest keeps the order they came in.
func Truncate[T any](entries []T, limit *int64) ([]T, bool) {
	return newestOf(entries, limit, func(*T) *time.Time { return nil })
}

func auditSummaryOf(entries []client.AuditEntry) *AuditSummary {
	s := NewAuditSummary()
	for i := range entries {
		s.Add(&entries[i])
	}
	return s
}

func sessionSummaryOf(entries []client.SessionEntry) *SessionSummary {
	s := NewSessionSummary()
	for i := range entries {
		s.Add(&entries[i])
	}
	return s
}

func ActionCounts(entries []client.AuditEntry) map[string]int64 {
	return auditSummaryOf(entries).Actions
}

func UserCounts(entries []client.AuditEntry) map[string]int64 { return auditSummaryOf(entries).Users }

func AuditLastSeen(entries []client.AuditEntry) map[string]string {
	return auditSummaryOf(entries).LastSeen.Strings()
}

func SessionActionCounts(entries []client.SessionEntry) map[string]int64 {
	return sessionSummaryOf(entries).Actions
}

func SessionUserCounts(entries []client.SessionEntry) map[string]int64 {
	return sessionSummaryOf(entries).Users
}

func RoleCounts(entries []client.SessionEntry) map[string]int64 {
	return sessionSummaryOf(entries).Roles
}

func SessionLastSeen(entries []client.SessionEntry) map[string]string {
	return sessionSummaryOf(entries).LastSeen.Strings()
}

func DistinctUsers(entries []client.SessionEntry) []string {
	return sessionSummaryOf(entries).DistinctUsers()
}

func DistinctIPAddresses(entries []client.SessionEntry) []string {
	return sessionSummaryOf(entries).DistinctIPAddresses()
}
