package logquery

import (
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
)

// Attribute names used as Unmatchable keys. They are the data sources'
// argument names so that the provider can name the argument in a warning.
const (
	AttrActions    = "actions"
	AttrUsers      = "users"
	AttrTypes      = "types"
	AttrResourceID = "resource_id"
	AttrStatus     = "status"
	AttrIPCIDRs    = "ip_cidrs"
	AttrActiveOnly = "active_only"

	AttrDetailsPatterns = "details_patterns"
	AttrAPIKeyNames     = "api_key_names"
	AttrUserRoles       = "user_roles"
)

// Window is an inclusive time range in UTC; a nil bound is open.
type Window struct {
	Start, End *time.Time
}

// Contains reports whether t lies within the window. An entry without a time
// cannot be placed, so it is outside any bounded window and inside an
// unbounded one.
func (w Window) Contains(t *time.Time) bool {
	if w.Start == nil && w.End == nil {
		return true
	}
	if t == nil {
		return false
	}
	if w.Start != nil && t.Before(*w.Start) {
		return false
	}
	if w.End != nil && t.After(*w.End) {
		return false
	}
	return true
}

// Unmatchable counts, per argument name (the Attr* constants), the entries a
// filter dropped only because they lacked the field that argument filters on.
// A large count usually means the server's response shape does not carry
// that field at all, which the provider reports as a warning.
//
// An entry that failed several include filters, all for want of the field, is
// counted under each of them; an entry that also failed on a field it did
// have, or fell outside the time window, is not counted: it would have been
// dropped anyway.
type Unmatchable map[string]int

// verdict is the result of one filter argument on one entry.
type verdict uint8

const (
	pass   verdict = iota
	fail           // the field is present and does not satisfy the argument
	absent         // an include argument is set and the entry lacks its field
)

// tally combines verdicts: it remembers a real failure, and the names of the
// arguments that failed only for lack of a field.
type tally struct {
	failed bool
	absent []string
}

func (t *tally) add(name string, v verdict) {
	switch v {
	case fail:
		t.failed = true
	case absent:
		t.absent = append(t.absent, name)
	}
}

// result applies the tally to an entry: it returns whether the entry matches
// and records absent-only drops in *u, creating the map on first use.
func (t *tally) result(u *Unmatchable) bool {
	if t.failed {
		return false
	}
	if len(t.absent) == 0 {
		return true
	}
	if *u == nil {
		*u = Unmatchable{}
	}
	for _, name := range t.absent {
		(*u)[name]++
	}
	return false
}

// AuditFilter selects audit entries. Arguments combine with AND; the values of
// one list combine with OR; an empty list or nil pointer does not filter. An
// include argument does not match an entry that lacks its field, and an
// exclude argument does not exclude it.
//
// Match updates counters read by Unmatchable, so a filter must be used by one
// goroutine at a time; the data sources filter on the goroutine of Read.
type AuditFilter struct {
	Window
	Actions, ExcludeActions []Glob   // against Action
	Users, ExcludeUsers     []Glob   // against UserEmail or UserName: either matching counts
	Types                   []string // exact, case-insensitive, against Type
	ResourceID              *string  // against ResourceID: numerically when both are integers, else exact after trimming
	Status                  *string  // exact, case-insensitive, against Status

	// DetailsPatterns and ExcludeDetailsPatterns are RE2 patterns (see
	// CompilePattern) that match when they match somewhere in Details.
	DetailsPatterns, ExcludeDetailsPatterns []*regexp.Regexp
	APIKeyNames, ExcludeAPIKeyNames         []Glob // against APIKeyName

	unmatchable Unmatchable
}

// Match reports whether the entry passes every argument of the filter.
func (f *AuditFilter) Match(e *client.AuditEntry) bool {
	if !f.Contains(e.Time) {
		return false
	}
	if excludedByGlobs(f.ExcludeActions, e.Action) || excludedByGlobs(f.ExcludeUsers, e.UserEmail, e.UserName) ||
		excludedByGlobs(f.ExcludeAPIKeyNames, e.APIKeyName) || excludedByPatterns(f.ExcludeDetailsPatterns, e.Details) {
		return false
	}
	var t tally
	t.add(AttrActions, includeGlobs(f.Actions, e.Action))
	t.add(AttrUsers, includeGlobs(f.Users, e.UserEmail, e.UserName))
	t.add(AttrAPIKeyNames, includeGlobs(f.APIKeyNames, e.APIKeyName))
	t.add(AttrDetailsPatterns, includePatterns(f.DetailsPatterns, e.Details))
	t.add(AttrTypes, includeFold(f.Types, e.Type))
	if f.ResourceID != nil {
		t.add(AttrResourceID, includeResourceID(*f.ResourceID, e.ResourceID))
	}
	if f.Status != nil {
		t.add(AttrStatus, includeFold([]string{*f.Status}, e.Status))
	}
	return t.result(&f.unmatchable)
}

// Unmatchable returns a copy of the counts accumulated by Match so far.
func (f *AuditFilter) Unmatchable() Unmatchable { return copyCounts(f.unmatchable) }

// ResetCounts forgets the counts, for a read that starts over.
func (f *AuditFilter) ResetCounts() { f.unmatchable = nil }

// SessionFilter selects session entries, with the same combination and
// absence rules as AuditFilter and the same one-goroutine-at-a-time rule.
type SessionFilter struct {
	Window
	Users, ExcludeUsers     []Glob         // against UserEmail or UserName: either matching counts
	Types                   []string       // exact, case-insensitive, against Type
	Actions                 []Glob         // against Action
	UserRoles               []Glob         // against UserRole
	ExcludeUserRoles        []Glob         // against UserRole
	IPCIDRs, ExcludeIPCIDRs []netip.Prefix // against IPAddress; an address that does not parse counts as absent
	ActiveOnly              bool           // keep only entries known to be active

	unmatchable Unmatchable
}

// Match reports whether the entry passes every argument of the filter.
func (f *SessionFilter) Match(e *client.SessionEntry) bool {
	if !f.Contains(e.Time) {
		return false
	}
	if excludedByGlobs(f.ExcludeUsers, e.UserEmail, e.UserName) || excludedByGlobs(f.ExcludeUserRoles, e.UserRole) {
		return false
	}
	addr, addrOK := parseEntryAddr(e.IPAddress)
	if addrOK && len(f.ExcludeIPCIDRs) > 0 && PrefixesContain(f.ExcludeIPCIDRs, addr) {
		return false
	}
	var t tally
	t.add(AttrUsers, includeGlobs(f.Users, e.UserEmail, e.UserName))
	t.add(AttrTypes, includeFold(f.Types, e.Type))
	t.add(AttrActions, includeGlobs(f.Actions, e.Action))
	t.add(AttrUserRoles, includeGlobs(f.UserRoles, e.UserRole))
	if len(f.IPCIDRs) > 0 {
		switch {
		case !addrOK:
			t.add(AttrIPCIDRs, absent)
		case !PrefixesContain(f.IPCIDRs, addr):
			t.add(AttrIPCIDRs, fail)
		}
	}
	if f.ActiveOnly {
		switch {
		case e.Active == nil:
			t.add(AttrActiveOnly, absent)
		case !*e.Active:
			t.add(AttrActiveOnly, fail)
		}
	}
	return t.result(&f.unmatchable)
}

// Unmatchable returns a copy of the counts accumulated by Match so far.
func (f *SessionFilter) Unmatchable() Unmatchable { return copyCounts(f.unmatchable) }

// ResetCounts forgets the counts, for a read that starts over.
func (f *SessionFilter) ResetCounts() { f.unmatchable = nil }

// parseEntryAddr parses a session entry's IP address the way the filters do:
// surrounding spaces and an IPv6 zone are ignored, a port ("198.51.100.7:443",
// "[2001:db8::1]:443") is dropped, and an IPv4-mapped IPv6 address is
// unmapped so that IPv4 ranges match it.
func parseEntryAddr(s *string) (netip.Addr, bool) {
	if s == nil {
		return netip.Addr{}, false
	}
	text := strings.TrimSpace(*s)
	addr, err := netip.ParseAddr(text)
	if err != nil {
		ap, err := netip.ParseAddrPort(text)
		if err != nil {
			return netip.Addr{}, false
		}
		addr = ap.Addr()
	}
	return addr.WithZone("").Unmap(), true
}

// PrefixesContain reports whether any of the prefixes contains addr. With
// ParsePrefix and ParseAddr it is exactly the test of the ip_cidrs filter.
func PrefixesContain(prefixes []netip.Prefix, addr netip.Addr) bool {
	return slices.ContainsFunc(prefixes, func(p netip.Prefix) bool { return p.Contains(addr) })
}

// GlobsMatch reports whether any of the globs matches s. With CompileGlob it is
// exactly the test of the glob filters on a present field.
func GlobsMatch(globs []Glob, s string) bool {
	return slices.ContainsFunc(globs, func(g Glob) bool { return g.Match(s) })
}

// includeGlobs: any present field matching any glob passes.
func includeGlobs(globs []Glob, fields ...*string) verdict {
	if len(globs) == 0 {
		return pass
	}
	seen := false
	for _, field := range fields {
		if field == nil {
			continue
		}
		seen = true
		if GlobsMatch(globs, *field) {
			return pass
		}
	}
	if !seen {
		return absent
	}
	return fail
}

// excludedByGlobs: any present field matching any glob excludes; absent
// fields never do.
func excludedByGlobs(globs []Glob, fields ...*string) bool {
	return len(globs) > 0 && includeGlobs(globs, fields...) == pass
}

// includePatterns: the field passes when any pattern matches somewhere in it.
func includePatterns(patterns []*regexp.Regexp, field *string) verdict {
	if len(patterns) == 0 {
		return pass
	}
	if field == nil {
		return absent
	}
	for _, re := range patterns {
		if re.MatchString(*field) {
			return pass
		}
	}
	return fail
}

// excludedByPatterns: a present field matching any pattern excludes; an
// absent field never does.
func excludedByPatterns(patterns []*regexp.Regexp, field *string) bool {
	return len(patterns) > 0 && includePatterns(patterns, field) == pass
}

func includeFold(values []string, field *string) verdict {
	if len(values) == 0 {
		return pass
	}
	if field == nil {
		return absent
	}
	for _, v := range values {
		if strings.EqualFold(v, *field) {
			return pass
		}
	}
	return fail
}

// includeResourceID compares ids as integers when both are integers, because
// the official shape sends resourceId as a number and users may write "00123".
func includeResourceID(want string, field *string) verdict {
	if field == nil {
		return absent
	}
	if canonicalID(want) == canonicalID(*field) {
		return pass
	}
	return fail
}

// canonicalID trims s and, when it is a decimal integer of any length, drops
// a '+' sign and leading zeros (and the sign of zero).
func canonicalID(s string) string {
	s = strings.TrimSpace(s)
	digits, sign := s, ""
	if digits != "" && (digits[0] == '+' || digits[0] == '-') {
		digits, sign = digits[1:], digits[:1]
	}
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return s
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return "0"
	}
	if sign == "+" {
		sign = ""
	}
	return sign + digits
}

func copyCounts(u Unmatchable) Unmatchable {
	out := make(Unmatchable, len(u))
	for k, v := range u {
		out[k] = v
	}
	return out
}
