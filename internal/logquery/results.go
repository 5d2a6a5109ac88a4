package logquery

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
)

// SortAuditNewestFirst orders entries by Time, newest first, with entries that
// have no time last. The sort is stable so that entries with equal times keep
// the server's order, which is the only tie-break the server offers.
func SortAuditNewestFirst(entries []client.AuditEntry) {
	slices.SortStableFunc(entries, func(a, b client.AuditEntry) int { return newestFirst(a.Time, b.Time) })
}

// SortSessionsNewestFirst is SortAuditNewestFirst for session entries. The
// session endpoint's order is undocumented, so this is what makes it reliable.
func SortSessionsNewestFirst(entries []client.SessionEntry) {
	slices.SortStableFunc(entries, func(a, b client.SessionEntry) int { return newestFirst(a.Time, b.Time) })
}

func newestFirst(a, b *time.Time) int {
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

// ActionCounts counts entries per Action. Entries without an action (the
// official response shape has none) are left out rather than counted under "".
func ActionCounts(entries []client.AuditEntry) map[string]int64 {
	return countBy(entries, func(e *client.AuditEntry) string { return nonBlank(e.Action) })
}

// UserCounts counts entries per actor: the user's e-mail, else the user name,
// else "api_key:" and the API key name, so that API-key actions are visible
// without being mistaken for a person. Entries with none of these are left out.
func UserCounts(entries []client.AuditEntry) map[string]int64 {
	return countBy(entries, AuditUserKey)
}

// AuditUserKey is the key of an audit entry's actor in user_counts and
// last_seen: the e-mail, else the user name, else "api_key:" and the API key
// name; "" when the entry names none of them.
func AuditUserKey(e *client.AuditEntry) string {
	if key := firstNonBlank(e.UserEmail, e.UserName); key != "" {
		return key
	}
	if k := nonBlank(e.APIKeyName); k != "" {
		return "api_key:" + k
	}
	return ""
}

// SessionUserKey is the key of a session's user in user_counts and last_seen:
// the e-mail, else the user name; "" when the session names neither.
func SessionUserKey(e *client.SessionEntry) string {
	return firstNonBlank(e.UserEmail, e.UserName)
}

// SessionActionCounts counts sessions per Action ("Successful login",
// "Failed login", ...), with the meaning of ActionCounts: sessions without an
// action (the seed shape has none) are left out.
func SessionActionCounts(entries []client.SessionEntry) map[string]int64 {
	return countBy(entries, func(e *client.SessionEntry) string { return nonBlank(e.Action) })
}

// SessionUserCounts counts sessions per user, keyed by SessionUserKey.
func SessionUserCounts(entries []client.SessionEntry) map[string]int64 {
	return countBy(entries, SessionUserKey)
}

// RoleCounts counts sessions per UserRole, as sent ("owner", "Logs viewer");
// sessions without a role (the seed shape has none) are left out.
func RoleCounts(entries []client.SessionEntry) map[string]int64 {
	return countBy(entries, func(e *client.SessionEntry) string { return nonBlank(e.UserRole) })
}

// AuditLastSeen maps each actor (AuditUserKey) to the RFC 3339 time of their
// newest entry. Entries without a time cannot be placed and are left out, so
// an actor whose every entry lacks a time is absent from the map.
func AuditLastSeen(entries []client.AuditEntry) map[string]string {
	return lastSeenBy(entries, AuditUserKey, func(e *client.AuditEntry) *time.Time { return e.Time })
}

// SessionLastSeen is AuditLastSeen for sessions, keyed by SessionUserKey.
func SessionLastSeen(entries []client.SessionEntry) map[string]string {
	return lastSeenBy(entries, SessionUserKey, func(e *client.SessionEntry) *time.Time { return e.Time })
}

// countBy counts entries per non-empty key.
func countBy[E any](entries []E, key func(*E) string) map[string]int64 {
	counts := map[string]int64{}
	for i := range entries {
		if k := key(&entries[i]); k != "" {
			counts[k]++
		}
	}
	return counts
}

// lastSeenBy keeps, per non-empty key, the newest time; it does not assume the
// entries are sorted.
func lastSeenBy[E any](entries []E, key func(*E) string, at func(*E) *time.Time) map[string]string {
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

// DistinctUsers returns the sorted, de-duplicated users of the sessions: the
// e-mail where known, else the user name.
func DistinctUsers(entries []client.SessionEntry) []string {
	users := []string{}
	for i := range entries {
		if u := firstNonBlank(entries[i].UserEmail, entries[i].UserName); u != "" {
			users = append(users, u)
		}
	}
	slices.Sort(users)
	return slices.Compact(users)
}

// DistinctIPAddresses returns the de-duplicated IP addresses of the sessions.
// Addresses that parse are written in canonical form (so "::FFFF:10.0.0.1"
// and "10.0.0.1" are one address, as they are to the ip_cidrs filter) and
// come first in address order, IPv4 before IPv6; the rest follow as sent,
// sorted as strings.
func DistinctIPAddresses(entries []client.SessionEntry) []string {
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

// Truncate keeps at most *limit entries (all of them when limit is nil) and
// says whether any were dropped. A negative limit keeps none. The kept slice
// has no spare capacity, so appending to it cannot overwrite dropped entries.
func Truncate[T any](entries []T, limit *int64) (kept []T, truncated bool) {
	if limit == nil || int64(len(entries)) <= *limit {
		return entries, false
	}
	n := max(*limit, 0)
	return entries[:n:n], true
}

// QueryID returns an id for a query: 32 hex characters of the SHA-256 of the
// canonical JSON of {"args": args, "kind": kind}. encoding/json writes map keys
// sorted and nil as null, and lists keep their order (order can matter to a
// query), so the same query gets the same id on every run and machine. Args
// should be JSON values (strings, numbers, bools, nil, slices, string-keyed
// maps, or types that marshal themselves); anything else is hashed through
// its %#v form rather than failing, because an id must always be produced.
func QueryID(kind string, args map[string]any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Escaping <, > and & would be stable too, but raw text is what a person
	// reproducing an id by hand would write.
	enc.SetEscapeHTML(false)
	doc := map[string]any{"kind": kind, "args": args}
	if err := enc.Encode(doc); err != nil {
		buf.Reset()
		fmt.Fprintf(&buf, "%s\n%#v", kind, args)
	}
	sum := sha256.Sum256(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return hex.EncodeToString(sum[:16])
}

// FormatTime writes t in RFC 3339 in UTC, with fractional seconds only when
// they are not zero; nil stays nil so that an absent time stays null in state.
func FormatTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}

// nonBlank returns *s, or "" when s is nil or only spaces: a blank value
// names nothing and would make an odd map key.
func nonBlank(s *string) string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return ""
	}
	return *s
}

func firstNonBlank(ss ...*string) string {
	for _, s := range ss {
		if v := nonBlank(s); v != "" {
			return v
		}
	}
	return ""
}
