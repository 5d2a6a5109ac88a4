package logquery

import (
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

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

	// AttrWindow stands for whichever of start_time, end_time and lookback set
	// the time window.
	AttrWindow = "window"

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

// Unparseable counts, per argument name, the entries a filter dropped only
// because the field that argument filters on was sent in a form it cannot
// read (a time that is not RFC 3339, an IP address that does not parse), with
// one such value as an example. The absence rules of Unmatchable apply.
type Unparseable map[string]BadValues

// Seen is what one include argument met while its filter ran: how many
// entries had its field, how many of those it let through, and how often each
// value came, for the first MaxSeenValues distinct values (the rest count in
// Other). When Present > 0 and Passed == 0 the argument matched nothing the log
// holds, and Values says what the log does hold.
type Seen struct {
	Present, Passed int
	Values          map[string]int
	Other           int
}

// MaxSeenValues bounds the distinct values a Seen counts, so that what a read
// holds stays bounded whatever the log.
const MaxSeenValues = 64

func (s *Seen) add(v verdict, value string) {
	s.Present++
	if v == pass {
		s.Passed++
	}
	if _, ok := s.Values[value]; ok || len(s.Values) < MaxSeenValues {
		s.Values[value]++
	} else {
		s.Other++
	}
}

// BadValues is how many entries held an unreadable value, and the first one.
type BadValues struct {
	Count   int
	Example string
}

// verdict is the result of one filter argument on one entry.
type verdict uint8

const (
	pass       verdict = iota
	fail               // the field is present and does not satisfy the argument
	absent             // an include argument is set and the entry lacks its field
	unreadable         // an include argument is set and the entry's field does not parse
)

// tally combines verdicts: it remembers a real failure, and the names of the
// arguments that failed only for lack of a field or of a readable one.
type tally struct {
	failed     bool
	absent     []string
	unreadable []string
	values     []string // of unreadable, in its order
}

func (t *tally) add(name string, v verdict) {
	switch v {
	case fail:
		t.failed = true
	case absent:
		t.absent = append(t.absent, name)
	}
}

// bad records that the entry's value for the argument name does not parse.
func (t *tally) bad(name, value string) {
	t.unreadable, t.values = append(t.unreadable, name), append(t.values, value)
}

// counts is what a filter has counted of its drops, and what its include
// arguments saw, since its last reset.
type counts struct {
	unmatchable Unmatchable
	unparseable Unparseable
	seen        map[string]*Seen
}

// saw records an include argument's verdict on an entry whose field holds value
// (the first present of fields; none present: nothing to record), and returns v.
func (c *counts) saw(name string, v verdict, fields ...*string) verdict {
	for _, f := range fields {
		if f == nil {
			continue
		}
		if c.seen == nil {
			c.seen = map[string]*Seen{}
		}
		s := c.seen[name]
		if s == nil {
			s = &Seen{Values: map[string]int{}}
			c.seen[name] = s
		}
		s.add(v, *f)
		break
	}
	return v
}

// Seen returns what each include argument that was set met, by argument name.
func (c *counts) Seen() map[string]Seen {
	out := make(map[string]Seen, len(c.seen))
	for name, s := range c.seen {
		out[name] = Seen{Present: s.Present, Passed: s.Passed, Values: maps.Clone(s.Values), Other: s.Other}
	}
	return out
}

// result applies the tally to an entry: it returns whether the entry matches
// and records drops for want of a field, or of a readable one, in c.
func (t *tally) result(c *counts) bool {
	if t.failed {
		return false
	}
	if len(t.absent) == 0 && len(t.unreadable) == 0 {
		return true
	}
	for _, name := range t.absent {
		if c.unmatchable == nil {
			c.unmatchable = Unmatchable{}
		}
		c.unmatchable[name]++
	}
	for i, name := range t.unreadable {
		if c.unparseable == nil {
			c.unparseable = Unparseable{}
		}
		b := c.unparseable[name]
		if b.Count++; b.Count == 1 {
			b.Example = t.values[i]
		}
		c.unparseable[name] = b
	}
	return false
}

// window adds the window's verdict on an entry's time at, sent as text when it
// did not parse. An entry that has no time at all is outside a bounded window,
// as the API's own filter would have it, and not counted.
func (t *tally) window(w Window, at *time.Time, text *string) {
	switch {
	case w.Start == nil && w.End == nil:
	case at == nil && text != nil:
		t.bad(AttrWindow, *text)
	case !w.Contains(at): // an entry without a time is outside any bounded window
		t.add(AttrWindow, fail)
	}
}

// Unmatchable returns a copy of the counts of entries dropped for want of a field.
func (c *counts) Unmatchable() Unmatchable { return maps.Clone(c.unmatchable) }

// Unparseable returns a copy of the counts of entries dropped for want of a readable field.
func (c *counts) Unparseable() Unparseable { return maps.Clone(c.unparseable) }

// ResetCounts forgets the counts, for a read that starts over.
func (c *counts) ResetCounts() { *c = counts{} }

func globStrings(globs []Glob) []string {
	out := make([]string, len(globs))
	for i, g := range globs {
		out[i] = g.String()
	}
	return out
}

// Wanted returns the values an include argument asks for, and whether they are globs.
func (f *AuditFilter) Wanted(name string) ([]string, bool) {
	switch name {
	case AttrActions:
		return globStrings(f.Actions), true
	case AttrUsers:
		return globStrings(f.Users), true
	case AttrAPIKeyNames:
		return globStrings(f.APIKeyNames), true
	case AttrTypes:
		return f.Types, false
	case AttrStatus:
		if f.Status != nil {
			return []string{*f.Status}, false
		}
	}
	return nil, false
}

// Wanted returns the values an include argument asks for, and whether they are globs.
func (f *SessionFilter) Wanted(name string) ([]string, bool) {
	switch name {
	case AttrActions:
		return globStrings(f.Actions), true
	case AttrUsers:
		return globStrings(f.Users), true
	case AttrUserRoles:
		return globStrings(f.UserRoles), true
	case AttrTypes:
		return f.Types, false
	}
	return nil, false
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

	counts
}

// Match reports whether the entry passes every argument of the filter.
func (f *AuditFilter) Match(e *client.AuditEntry) bool {
	if excludedByGlobs(f.ExcludeActions, e.Action) || excludedByGlobs(f.ExcludeUsers, e.UserEmail, e.UserName) ||
		excludedByGlobs(f.ExcludeAPIKeyNames, e.APIKeyName) || excludedByPatterns(f.ExcludeDetailsPatterns, e.Details) {
		return false
	}
	var t tally
	t.window(f.Window, e.Time, e.TimeText)
	if len(f.Actions) > 0 {
		t.add(AttrActions, f.saw(AttrActions, includeGlobs(f.Actions, e.Action), e.Action))
	}
	if len(f.Users) > 0 {
		t.add(AttrUsers, f.saw(AttrUsers, includeGlobs(f.Users, e.UserEmail, e.UserName), e.UserEmail, e.UserName))
	}
	if len(f.APIKeyNames) > 0 {
		t.add(AttrAPIKeyNames, f.saw(AttrAPIKeyNames, includeGlobs(f.APIKeyNames, e.APIKeyName), e.APIKeyName))
	}
	if len(f.DetailsPatterns) > 0 {
		t.add(AttrDetailsPatterns, f.saw(AttrDetailsPatterns, includePatterns(f.DetailsPatterns, e.Details), e.Details))
	}
	if len(f.Types) > 0 {
		t.add(AttrTypes, f.saw(AttrTypes, includeFold(f.Types, e.Type), e.Type))
	}
	if f.ResourceID != nil {
		t.add(AttrResourceID, includeResourceID(*f.ResourceID, e.ResourceID))
	}
	if f.Status != nil {
		t.add(AttrStatus, f.saw(AttrStatus, includeFold([]string{*f.Status}, e.Status), e.Status))
	}
	return t.result(&f.counts)
}

// SessionFilter selects session entries, with the same combination and
// absence rules as AuditFilter and the same one-goroutine-at-a-time rule.
type SessionFilter struct {
	Window
	Users, ExcludeUsers     []Glob         // against UserEmail or UserName: either matching counts
	Types                   []string       // exact, case-insensitive, against Type
	Actions                 []Glob         // against Action
	UserRoles               []Glob         // against UserRole
	ExcludeUserRoles        []Glob         // against UserRole
	IPCIDRs, ExcludeIPCIDRs []netip.Prefix // against IPAddress; an address that does not parse is unparseable
	ActiveOnly              bool           // keep only entries known to be active

	counts
}

// Match reports whether the entry passes every argument of the filter.
func (f *SessionFilter) Match(e *client.SessionEntry) bool {
	if excludedByGlobs(f.ExcludeUsers, e.UserEmail, e.UserName) || excludedByGlobs(f.ExcludeUserRoles, e.UserRole) {
		return false
	}
	addr, addrOK := parseEntryAddr(e.IPAddress)
	if addrOK && len(f.ExcludeIPCIDRs) > 0 && PrefixesContain(f.ExcludeIPCIDRs, addr) {
		return false
	}
	var t tally
	t.window(f.Window, e.Time, e.TimeText)
	if len(f.Users) > 0 {
		t.add(AttrUsers, f.saw(AttrUsers, includeGlobs(f.Users, e.UserEmail, e.UserName), e.UserEmail, e.UserName))
	}
	if len(f.Types) > 0 {
		t.add(AttrTypes, f.saw(AttrTypes, includeFold(f.Types, e.Type), e.Type))
	}
	if len(f.Actions) > 0 {
		t.add(AttrActions, f.saw(AttrActions, includeGlobs(f.Actions, e.Action), e.Action))
	}
	if len(f.UserRoles) > 0 {
		t.add(AttrUserRoles, f.saw(AttrUserRoles, includeGlobs(f.UserRoles, e.UserRole), e.UserRole))
	}
	if len(f.IPCIDRs) > 0 {
		switch {
		case !addrOK && nonBlank(e.IPAddress) != "":
			t.bad(AttrIPCIDRs, shorten(*e.IPAddress, 64))
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
	return t.result(&f.counts)
}

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

// shorten cuts s to at most n runes, marking the cut: an example value in a
// warning stays short whatever the server sent.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
