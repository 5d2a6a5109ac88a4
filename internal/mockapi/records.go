package mockapi

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// AuditRecord is one canonical system (audit) log entry. The server renders it in
// the shape it is set to: see render.go for which field goes where.
type AuditRecord struct {
	ID         int64
	Time       time.Time
	Action     string // e.g. "database.delete"; seed shape only
	Type       string // "Account", "Subscription", "Database", "User", "ApiKey"
	UserEmail  string
	UserName   string
	APIKeyName string // set when the action came through the API
	Resource   string
	ResourceID int64
	Details    string
	Status     string // "success" or "failure"; seed shape only
}

// SessionRecord is one canonical session log entry.
type SessionRecord struct {
	ID        string
	Time      time.Time  // session start
	EndTime   *time.Time // nil while the session is active
	UserEmail string
	UserName  string
	UserRole  string
	IPAddress string
	UserAgent string
	Type      string // "api" or "console"
	Action    string // "Successful login", "Failed login", "Logout"
}

// canonicalTime is how every stored time is kept: UTC, whole seconds, the precision
// the wire format carries.
func canonicalTime(t time.Time) time.Time {
	return t.UTC().Truncate(time.Second)
}

// auditNewerFirst orders audit records newest first: Time descending, then ID descending.
func auditNewerFirst(a, b AuditRecord) int { return newerFirst(a.Time, b.Time, a.ID, b.ID) }

// sessionNewerFirst orders session records newest first: Time descending, then ID descending.
func sessionNewerFirst(a, b SessionRecord) int { return newerFirst(a.Time, b.Time, a.ID, b.ID) }

// newerFirst compares by time, newest first, then by id, largest first.
func newerFirst[ID cmp.Ordered](ta, tb time.Time, ida, idb ID) int {
	return cmp.Or(tb.Compare(ta), cmp.Compare(idb, ida))
}

// normalizeAudit copies records into a new slice with canonical times, sorted newest first.
func normalizeAudit(records []AuditRecord) []AuditRecord {
	out := make([]AuditRecord, len(records))
	for i, r := range records {
		r.Time = canonicalTime(r.Time)
		out[i] = r
	}
	slices.SortStableFunc(out, auditNewerFirst)
	return out
}

// normalizeSessions copies records into a new slice with canonical times (EndTime
// pointers are copied too, so the caller's values stay theirs), sorted newest first.
func normalizeSessions(records []SessionRecord) []SessionRecord {
	out := make([]SessionRecord, len(records))
	for i, r := range records {
		r.Time = canonicalTime(r.Time)
		if r.EndTime != nil {
			end := canonicalTime(*r.EndTime)
			r.EndTime = &end
		}
		out[i] = r
	}
	slices.SortStableFunc(out, sessionNewerFirst)
	return out
}

// mergeSorted merges two slices that are each sorted by cmp into a new slice.
// Neither input is modified, so snapshots handed out earlier stay valid.
func mergeSorted[T any](head, tail []T, cmp func(a, b T) int) []T {
	out := make([]T, 0, len(head)+len(tail))
	i, j := 0, 0
	for i < len(head) && j < len(tail) {
		if cmp(tail[j], head[i]) < 0 {
			out = append(out, tail[j])
			j++
		} else {
			out = append(out, head[i])
			i++
		}
	}
	out = append(out, head[i:]...)
	return append(out, tail[j:]...)
}

// fillPrependedAudit gives a zero Time the arrival time and a zero ID the next ID
// above every stored one, so a test can prepend AuditRecord{Action: ...} and get an
// entry at the head.
func fillPrependedAudit(batch, stored []AuditRecord, now time.Time) {
	var maxID int64
	for _, r := range stored {
		maxID = max(maxID, r.ID)
	}
	for _, r := range batch {
		maxID = max(maxID, r.ID)
	}
	for i := range batch {
		if batch[i].Time.IsZero() {
			batch[i].Time = now
		}
		if batch[i].ID == 0 {
			maxID++
			batch[i].ID = maxID
		}
	}
}

// fillPrependedSessions gives a zero Time the arrival time and an empty ID a unique one.
func fillPrependedSessions(batch []SessionRecord, now time.Time, seq *int64) {
	for i := range batch {
		if batch[i].Time.IsZero() {
			batch[i].Time = now
		}
		if batch[i].ID == "" {
			*seq++
			batch[i].ID = fmt.Sprintf("prepended-%06d", *seq)
		}
	}
}
