package logquery

// The whole-slice way of ordering, truncating and summarising matches, as the
// provider did it before reads were streamed: the oracle that the streamed
// Newest, AuditSummary and SessionSummary are compared with (equivalence_test.go).

import (
	"net/netip"
	"slices"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
)

// refSortAuditNewestFirst orders entries by Time, newest first, with entries that
// have no time last. The sort is stable so that entries with equal times keep
// the server's order, which is the only tie-break the server offers.
func refSortAuditNewestFirst(entries []client.AuditEntry) {
	slices.SortStableFunc(entries, func(a, b client.AuditEntry) int { return refNewestFirst(a.Time, b.Time) })
}

// refSortSessionsNewestFirst is refSortAuditNewestFirst for session entries. The
// session endpoint's order is undocumented, so this is what makes it reliable.
func refSortSessionsNewestFirst(entries []client.SessionEntry) {
	slices.SortStableFunc(entries, func(a, b client.SessionEntry) int { return refNewestFirst(a.Time, b.Time) })
}

func refNewestFirst(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return b.Compare(*a)
}

// refActionCounts counts entries per Action. Entries without an action (the
// official response shape has none) are left out rather than counted under "".
func refActionCounts(entries []client.AuditEntry) map[string]int64 {
	return refCountBy(entries, func(e *client.AuditEntry) string { return nonBlank(e.Action) })
}

// refUserCounts counts entries per actor: the user's e-mail, else the user name,
// else "api_key:" and the API key name, so that API-key actions are visible
// without being mistaken for a person. Entries with none of these are left out.
func refUserCounts(entries []client.AuditEntry) map[string]int64 {
	return refCountBy(entries, AuditUserKey)
}

// refSessionActionCounts counts sessions per Action ("Successful login",
// "Failed login", ...), with the meaning of refActionCounts: sessions without an
// action (the seed shape has none) are left out.
func refSessionActionCounts(entries []client.SessionEntry) map[string]int64 {
	return refCountBy(entries, func(e *client.SessionEntry) string { return nonBlank(e.Action) })
}

// refSessionUserCounts counts sessions per user, keyed by SessionUserKey.
func refSessionUserCounts(entries []client.SessionEntry) map[string]int64 {
	return refCountBy(entries, SessionUserKey)
}

// refRoleCounts counts sessions per UserRole, as sent ("owner", "Logs viewer");
// sessions without a role (the seed shape has none) are left out.
func refRoleCounts(entries []client.SessionEntry) map[string]int64 {
	return refCountBy(entries, func(e *client.SessionEntry) string { return nonBlank(e.UserRole) })
}

// refAuditLastSeen maps each actor (AuditUserKey) to the RFC 3339 time of their
// newest entry. Entries without a time cannot be placed and are left out, so
// an actor whose every entry lacks a time is absent from the map.
func refAuditLastSeen(entries []client.AuditEntry) map[string]string {
	return refLastSeenBy(entries, AuditUserKey, func(e *client.AuditEntry) *time.Time { return e.Time })
}

// refSessionLastSeen is refAuditLastSeen for sessions, keyed by SessionUserKey.
func refSessionLastSeen(entries []client.SessionEntry) map[string]string {
	return refLastSeenBy(entries, SessionUserKey, func(e *client.SessionEntry) *time.Time { return e.Time })
}

// refCountBy counts entries per non-empty key.
func refCountBy[E any](entries []E, key func(*E) string) map[string]int64 {
	counts := map[string]int64{}
	for i := range entries {
		if k := key(&entries[i]); k != "" {
			counts[k]++
		}
	}
	return counts
}

// refLastSeenBy keeps, per non-empty key, the newest time; it does not assume the
// entries are sorted.
func refLastSeenBy[E any](entries []E, key func(*E) string, at func(*E) *time.Time) map[string]string {
	newest := map[string]time.Time{}
	for i := range entries {
		e := &entries[i]
		k, t := key(e), at(e)
		if k == "" || t == nil {
			continue
		}
		if prev, ok := newest[k]; !ok || t.After(prev) {
			newest[k] = *t
		}
	}
	out := make(map[string]string, len(newest))
	for k, t := range newest {
		out[k] = *FormatTime(&t)
	}
	return out
}

// refDistinctUsers returns the sorted, de-duplicated users of the sessions: the
// e-mail where known, else the user name.
func refDistinctUsers(entries []client.SessionEntry) []string {
	users := []string{}
	for i := range entries {
		if u := firstNonBlank(entries[i].UserEmail, entries[i].UserName); u != "" {
			users = append(users, u)
		}
	}
	slices.Sort(users)
	return slices.Compact(users)
}

// refDistinctIPAddresses returns the de-duplicated IP addresses of the sessions.
// Addresses that parse are written in canonical form (so "::FFFF:10.0.0.1"
// and "10.0.0.1" are one address, as they are to the ip_cidrs filter) and
// come first in address order, IPv4 before IPv6; the rest follow as sent,
// sorted as strings.
func refDistinctIPAddresses(entries []client.SessionEntry) []string {
	var addrs []netip.Addr
	var others []string
	for i := range entries {
		if addr, ok := parseEntryAddr(entries[i].IPAddress); ok {
			addrs = append(addrs, addr)
		} else if s := nonBlank(entries[i].IPAddress); s != "" {
			others = append(others, s)
		}
	}
	slices.SortFunc(addrs, netip.Addr.Compare)
	addrs = slices.Compact(addrs)
	slices.Sort(others)
	others = slices.Compact(others)

	out := make([]string, 0, len(addrs)+len(others))
	for _, a := range addrs {
		out = append(out, a.String())
	}
	return append(out, others...)
}

// refTruncate keeps at most *limit entries (all of them when limit is nil) and
// says whether any were dropped. A negative limit keeps none. The kept slice
// has no spare capacity, so appending to it cannot overwrite dropped entries.
func refTruncate[T any](entries []T, limit *int64) (kept []T, truncated bool) {
	if limit == nil || int64(len(entries)) <= *limit {
		return entries, false
	}
	n := max(*limit, 0)
	return entries[:n:n], true
}
