package logquery

import (
	"maps"
	"regexp"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
)

func TestWindowContains(t *testing.T) {
	start, end := at(t, "2025-01-01T00:00:00Z"), at(t, "2025-01-31T23:59:59Z")
	tests := []struct {
		name string
		w    Window
		t    string // "" for a nil time
		want bool
	}{
		{"unbounded, nil time", Window{}, "", true},
		{"unbounded", Window{}, "1999-01-01T00:00:00Z", true},
		{"start bound, nil time", Window{Start: start}, "", false},
		{"end bound, nil time", Window{End: end}, "", false},
		{"at start (inclusive)", Window{Start: start, End: end}, "2025-01-01T00:00:00Z", true},
		{"at end (inclusive)", Window{Start: start, End: end}, "2025-01-31T23:59:59Z", true},
		{"inside", Window{Start: start, End: end}, "2025-01-15T12:00:00+05:00", true},
		{"just before start", Window{Start: start, End: end}, "2024-12-31T23:59:59.999Z", false},
		{"just after end", Window{Start: start, End: end}, "2025-01-31T23:59:59.001Z", false},
		{"only start, later", Window{Start: start}, "2030-01-01T00:00:00Z", true},
		{"only end, earlier", Window{End: end}, "2000-01-01T00:00:00Z", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ts *time.Time
			if tt.t != "" {
				ts = at(t, tt.t)
			}
			if got := tt.w.Contains(ts); got != tt.want {
				t.Errorf("Contains(%v) = %v, want %v", tt.t, got, tt.want)
			}
		})
	}
}

// auditFixture covers both response shapes: seed entries with action, user
// e-mail and status; official entries with originator (UserName), API key,
// type and resource id but no action or status.
func auditFixture(t *testing.T) []client.AuditEntry {
	return []client.AuditEntry{
		0: {ID: ptr("1"), Time: at(t, "2025-01-10T10:00:00Z"), Action: ptr("database.delete"), UserEmail: ptr("alice@example.com"), ResourceID: ptr("123"), Status: ptr("success"), Type: ptr("Database")},
		1: {ID: ptr("2"), Time: at(t, "2025-01-11T10:00:00Z"), Action: ptr("apiKey.create"), UserEmail: ptr("bob@corp.example"), ResourceID: ptr("7"), Status: ptr("failure")},
		2: {ID: ptr("3"), Time: at(t, "2025-01-12T10:00:00Z"), UserName: ptr("Carol Admin"), APIKeyName: ptr("ci"), Type: ptr("Subscription"), ResourceID: ptr("00123")},
		3: {ID: ptr("4"), Time: at(t, "2025-01-13T10:00:00Z"), UserName: ptr("dave@example.com"), UserEmail: ptr("dave@example.com"), Type: ptr("account")},
		4: {ID: ptr("5")}, // nothing but an id
	}
}

func matchingAuditIDs(f *AuditFilter, entries []client.AuditEntry) []string {
	var ids []string
	for i := range entries {
		if f.Match(&entries[i]) {
			ids = append(ids, *entries[i].ID)
		}
	}
	return ids
}

func TestAuditFilter(t *testing.T) {
	tests := []struct {
		name            string
		filter          AuditFilter
		want            []string
		wantUnmatchable Unmatchable
	}{
		{name: "no filter keeps all, even empty entries", want: []string{"1", "2", "3", "4", "5"}},
		{name: "window drops entries without time",
			filter: AuditFilter{Window: Window{Start: at(t, "2025-01-11T10:00:00Z"), End: at(t, "2025-01-12T10:00:00Z")}},
			want:   []string{"2", "3"}},
		{name: "actions glob, OR within list; entries without action are unmatchable",
			filter:          AuditFilter{Actions: globs(t, "database.*", "APIKEY.CREATE")},
			want:            []string{"1", "2"},
			wantUnmatchable: Unmatchable{AttrActions: 3}},
		{name: "exclude actions keeps entries without action",
			filter: AuditFilter{ExcludeActions: globs(t, "*.delete")},
			want:   []string{"2", "3", "4", "5"}},
		{name: "users matches e-mail",
			filter:          AuditFilter{Users: globs(t, "*@example.com")},
			want:            []string{"1", "4"},
			wantUnmatchable: Unmatchable{AttrUsers: 1}},
		{name: "users matches name when there is no e-mail",
			filter:          AuditFilter{Users: globs(t, "carol*")},
			want:            []string{"3"},
			wantUnmatchable: Unmatchable{AttrUsers: 1}},
		{name: "exclude users on e-mail or name; absent user kept",
			filter: AuditFilter{ExcludeUsers: globs(t, "alice@*", "Carol Admin")},
			want:   []string{"2", "4", "5"}},
		{name: "types exact, case-insensitive",
			filter:          AuditFilter{Types: []string{"database", "ACCOUNT"}},
			want:            []string{"1", "4"},
			wantUnmatchable: Unmatchable{AttrTypes: 2},
		},
		{name: "types are not globs or substrings",
			filter:          AuditFilter{Types: []string{"Data*", "Sub"}},
			want:            nil,
			wantUnmatchable: Unmatchable{AttrTypes: 2}},
		{name: "resource id compares integers numerically",
			filter:          AuditFilter{ResourceID: ptr(" 0123 ")},
			want:            []string{"1", "3"},
			wantUnmatchable: Unmatchable{AttrResourceID: 2}},
		{name: "status exact, case-insensitive",
			filter:          AuditFilter{Status: ptr("FAILURE")},
			want:            []string{"2"},
			wantUnmatchable: Unmatchable{AttrStatus: 3}},
		{name: "AND across arguments",
			filter: AuditFilter{Actions: globs(t, "*"), Users: globs(t, "bob@*"), Status: ptr("failure")},
			want:   []string{"2"},
			// 3 and 4 lack action and status but also fail on their user, so
			// only 5, which lacks all three, is counted, under each of them.
			wantUnmatchable: Unmatchable{AttrActions: 1, AttrStatus: 1, AttrUsers: 1}},
		{name: "an entry failing on a present field is not unmatchable",
			filter: AuditFilter{Types: []string{"Account"}, Status: ptr("success")},
			want:   nil,
			// 2 lacks a type but fails on status; 4 lacks only a status; 5 lacks both.
			wantUnmatchable: Unmatchable{AttrStatus: 2, AttrTypes: 1}},
		{name: "excluded entries are not unmatchable",
			filter:          AuditFilter{Status: ptr("success"), ExcludeUsers: globs(t, "*")},
			want:            nil,
			wantUnmatchable: Unmatchable{AttrStatus: 1}},
		{name: "window drops are not unmatchable",
			filter:          AuditFilter{Window: Window{End: at(t, "2025-01-11T00:00:00Z")}, Status: ptr("success")},
			want:            []string{"1"},
			wantUnmatchable: Unmatchable{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.filter
			got := matchingAuditIDs(&f, auditFixture(t))
			if !equalStrings(got, tt.want) {
				t.Errorf("matched %v, want %v", got, tt.want)
			}
			if u := f.Unmatchable(); !maps.Equal(u, tt.wantUnmatchable) {
				t.Errorf("Unmatchable() = %v, want %v", u, tt.wantUnmatchable)
			}
		})
	}
}

func TestAuditFilterUnmatchableAccumulatesAndIsACopy(t *testing.T) {
	f := AuditFilter{Status: ptr("success")}
	entries := auditFixture(t)
	matchingAuditIDs(&f, entries)
	matchingAuditIDs(&f, entries)
	u := f.Unmatchable()
	if u[AttrStatus] != 6 {
		t.Errorf("after two passes Unmatchable()[status] = %d, want 6", u[AttrStatus])
	}
	u[AttrStatus] = 0
	if f.Unmatchable()[AttrStatus] != 6 {
		t.Error("changing the returned map changed the filter's counts")
	}
}

func TestResetCountsStartsFromZero(t *testing.T) {
	f := AuditFilter{Status: ptr("success")}
	entries := auditFixture(t)
	matchingAuditIDs(&f, entries)
	f.ResetCounts()
	matchingAuditIDs(&f, entries)
	if got := f.Unmatchable()[AttrStatus]; got != 3 {
		t.Errorf("after a reset and one pass Unmatchable()[status] = %d, want 3", got)
	}
	s := SessionFilter{ActiveOnly: true}
	s.Match(&client.SessionEntry{})
	s.ResetCounts()
	if got := len(s.Unmatchable()); got != 0 {
		t.Errorf("after a reset the session filter still counts %d arguments", got)
	}
}

func TestCanonicalID(t *testing.T) {
	tests := map[string]string{
		"123": "123", "00123": "123", " 123 ": "123", "+123": "123", "-0": "0", "000": "0",
		"-007": "-7", "abc": "abc", "12a": "12a", "": "", "-": "-", "123456789012345678901234567890": "123456789012345678901234567890",
		"0x1F": "0x1F",
	}
	for in, want := range tests {
		if got := canonicalID(in); got != want {
			t.Errorf("canonicalID(%q) = %q, want %q", in, got, want)
		}
	}
}

func sessionFixture(t *testing.T) []client.SessionEntry {
	return []client.SessionEntry{
		0: {ID: ptr("s1"), Time: at(t, "2025-01-10T10:00:00Z"), UserEmail: ptr("alice@example.com"), IPAddress: ptr("198.51.100.7"), Type: ptr("console"), Action: ptr("Successful login"), Active: ptr(true)},
		1: {ID: ptr("s2"), Time: at(t, "2025-01-11T10:00:00Z"), UserName: ptr("bob"), IPAddress: ptr("2001:db8::1"), Type: ptr("api"), Active: ptr(false)},
		2: {ID: ptr("s3"), Time: at(t, "2025-01-12T10:00:00Z"), UserEmail: ptr("carol@corp.example"), IPAddress: ptr("::ffff:203.0.113.9"), Action: ptr("Failed login")},
		3: {ID: ptr("s4"), Time: at(t, "2025-01-13T10:00:00Z"), UserEmail: ptr("dave@example.com"), IPAddress: ptr("unknown"), Type: ptr("Console")},
		4: {ID: ptr("s5")},
	}
}

func matchingSessionIDs(f *SessionFilter, entries []client.SessionEntry) []string {
	var ids []string
	for i := range entries {
		if f.Match(&entries[i]) {
			ids = append(ids, *entries[i].ID)
		}
	}
	return ids
}

func TestSessionFilter(t *testing.T) {
	tests := []struct {
		name            string
		filter          SessionFilter
		want            []string
		wantUnmatchable Unmatchable
		wantUnparseable Unparseable
	}{
		{name: "no filter keeps all", want: []string{"s1", "s2", "s3", "s4", "s5"}},
		{name: "window",
			filter: SessionFilter{Window: Window{Start: at(t, "2025-01-12T00:00:00Z")}},
			want:   []string{"s3", "s4"}},
		{name: "users on e-mail or name",
			filter:          SessionFilter{Users: globs(t, "BOB", "*@example.com")},
			want:            []string{"s1", "s2", "s4"},
			wantUnmatchable: Unmatchable{AttrUsers: 1}},
		{name: "exclude users; absent user kept",
			filter: SessionFilter{ExcludeUsers: globs(t, "*example.com")},
			want:   []string{"s2", "s3", "s5"}},
		{name: "types",
			filter:          SessionFilter{Types: []string{"console"}},
			want:            []string{"s1", "s4"},
			wantUnmatchable: Unmatchable{AttrTypes: 2}},
		{name: "actions",
			filter:          SessionFilter{Actions: globs(t, "*login")},
			want:            []string{"s1", "s3"},
			wantUnmatchable: Unmatchable{AttrActions: 3}},
		{name: "IPv4 range",
			filter:          SessionFilter{IPCIDRs: prefixes(t, "198.51.100.0/24")},
			want:            []string{"s1"},
			wantUnmatchable: Unmatchable{AttrIPCIDRs: 1},                               // absent
			wantUnparseable: Unparseable{AttrIPCIDRs: {Count: 1, Example: "unknown"}}}, // "unknown" does not parse
		{name: "IPv4 range matches a 4-in-6 address",
			filter:          SessionFilter{IPCIDRs: prefixes(t, "203.0.113.0/24")},
			want:            []string{"s3"},
			wantUnmatchable: Unmatchable{AttrIPCIDRs: 1}, wantUnparseable: Unparseable{AttrIPCIDRs: {Count: 1, Example: "unknown"}}},
		{name: "IPv6 range; OR within list",
			filter:          SessionFilter{IPCIDRs: prefixes(t, "2001:db8::/32", "198.51.100.7")},
			want:            []string{"s1", "s2"},
			wantUnmatchable: Unmatchable{AttrIPCIDRs: 1}, wantUnparseable: Unparseable{AttrIPCIDRs: {Count: 1, Example: "unknown"}}},
		{name: "IPv6 range does not match IPv4",
			filter:          SessionFilter{IPCIDRs: prefixes(t, "::/0")},
			want:            []string{"s2"},
			wantUnmatchable: Unmatchable{AttrIPCIDRs: 1}, wantUnparseable: Unparseable{AttrIPCIDRs: {Count: 1, Example: "unknown"}}},
		{name: "exclude IP ranges; unparsable and absent kept",
			filter: SessionFilter{ExcludeIPCIDRs: prefixes(t, "0.0.0.0/0")},
			want:   []string{"s2", "s4", "s5"}},
		{name: "active only",
			filter:          SessionFilter{ActiveOnly: true},
			want:            []string{"s1"},
			wantUnmatchable: Unmatchable{AttrActiveOnly: 3}},
		{name: "AND across arguments",
			filter: SessionFilter{Users: globs(t, "*"), Types: []string{"CONSOLE"}, IPCIDRs: prefixes(t, "198.51.100.0/24")},
			want:   []string{"s1"},
			// s4's address does not parse; s5 has nothing. s3 lacks a type
			// but is outside the range.
			wantUnmatchable: Unmatchable{AttrUsers: 1, AttrTypes: 1, AttrIPCIDRs: 1}, wantUnparseable: Unparseable{AttrIPCIDRs: {Count: 1, Example: "unknown"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.filter
			got := matchingSessionIDs(&f, sessionFixture(t))
			if !equalStrings(got, tt.want) {
				t.Errorf("matched %v, want %v", got, tt.want)
			}
			want := tt.wantUnmatchable
			if want == nil {
				want = Unmatchable{}
			}
			if u := f.Unmatchable(); !maps.Equal(u, want) {
				t.Errorf("Unmatchable() = %v, want %v", u, want)
			}
			if u := f.Unparseable(); !maps.Equal(u, tt.wantUnparseable) {
				t.Errorf("Unparseable() = %v, want %v", u, tt.wantUnparseable)
			}
		})
	}
}

// An entry whose time was sent but did not parse is dropped by a window and
// counted, with the text as sent; one without a time is dropped uncounted; no
// window, no count.
func TestWindowCountsUnparseableTimes(t *testing.T) {
	w := Window{Start: at(t, "2025-01-01T00:00:00Z")}
	entries := []client.AuditEntry{
		{ID: ptr("ok"), Time: at(t, "2025-01-02T00:00:00Z")},
		{ID: ptr("bad1"), TimeText: ptr(`"yesterday"`)},
		{ID: ptr("bad2"), TimeText: ptr(`1735689600`)},
		{ID: ptr("none")},
		{ID: ptr("bad-and-wrong-user"), TimeText: ptr(`"x"`), UserEmail: ptr("bob@example.com")},
	}
	f := AuditFilter{Window: w}
	var kept []string
	for i := range entries {
		if f.Match(&entries[i]) {
			kept = append(kept, *entries[i].ID)
		}
	}
	if !equalStrings(kept, []string{"ok"}) {
		t.Errorf("kept %v", kept)
	}
	want := Unparseable{AttrWindow: {Count: 3, Example: `"yesterday"`}}
	if got := f.Unparseable(); !maps.Equal(got, want) {
		t.Errorf("Unparseable() = %v, want %v", got, want)
	}
	if got := f.Unmatchable(); len(got) != 0 {
		t.Errorf("Unmatchable() = %v, want none", got)
	}
	f.ResetCounts()
	if got := f.Unparseable(); len(got) != 0 {
		t.Errorf("after ResetCounts, Unparseable() = %v", got)
	}
	withUser := AuditFilter{Window: w, Users: globs(t, "alice*")}
	withUser.Match(&entries[4]) // fails on its user too: it would be dropped anyway
	if got := withUser.Unparseable(); len(got) != 0 {
		t.Errorf("an entry that fails on a field it has is not counted: %v", got)
	}
	open := AuditFilter{}
	for i := range entries {
		if !open.Match(&entries[i]) {
			t.Errorf("without a window %s is dropped", *entries[i].ID)
		}
	}
	if got := open.Unparseable(); len(got) != 0 {
		t.Errorf("without a window, Unparseable() = %v", got)
	}
}

func TestParseEntryAddr(t *testing.T) {
	tests := []struct {
		in   *string
		want string // "" when it should not parse
	}{
		{nil, ""},
		{ptr(""), ""},
		{ptr("unknown"), ""},
		{ptr("198.51.100.7"), "198.51.100.7"},
		{ptr(" 198.51.100.7 "), "198.51.100.7"},
		{ptr("::FFFF:198.51.100.7"), "198.51.100.7"},
		{ptr("2001:DB8::1"), "2001:db8::1"},
		{ptr("fe80::1%eth0"), "fe80::1"},
		{ptr("198.51.100.7:443"), "198.51.100.7"},
		{ptr("[2001:db8::1]:443"), "2001:db8::1"},
		{ptr("198.51.100.7, 10.0.0.1"), ""},
	}
	for _, tt := range tests {
		addr, ok := parseEntryAddr(tt.in)
		if got := map[bool]string{true: addr.String(), false: ""}[ok]; got != tt.want {
			t.Errorf("parseEntryAddr(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func patterns(t *testing.T, ss ...string) []*regexp.Regexp {
	t.Helper()
	out := make([]*regexp.Regexp, 0, len(ss))
	for _, s := range ss {
		re, err := CompilePattern(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, re)
	}
	return out
}

// officialAuditFixture is what the official shape gives: details and, for API
// actions, the key's name; no action or status.
func officialAuditFixture(t *testing.T) []client.AuditEntry {
	return []client.AuditEntry{
		0: {ID: ptr("o1"), Time: at(t, "2025-01-10T10:00:00Z"), UserName: ptr("Bob Smith"), Type: ptr("Database"), Details: ptr("Database cache-staging (13000202) was deleted from subscription staging (100232)")},
		1: {ID: ptr("o2"), Time: at(t, "2025-01-10T11:00:00Z"), UserName: ptr("Alice Johnson"), APIKeyName: ptr("ci-pipeline"), Type: ptr("Database"), Details: ptr("Database orders-prod (13000101) was updated: memory limit changed")},
		2: {ID: ptr("o3"), Time: at(t, "2025-01-10T12:00:00Z"), UserName: ptr("Bob Smith"), APIKeyName: ptr("Terraform-Automation"), Type: ptr("Subscription"), Details: ptr("Subscription prod (100231) was updated")},
		3: {ID: ptr("o4"), Time: at(t, "2025-01-10T13:00:00Z"), UserName: ptr("Carol Diaz"), Type: ptr("User"), Details: ptr("Removed Dave Lee (dave@example.com) from team")},
		4: {ID: ptr("o5"), Time: at(t, "2025-01-10T14:00:00Z"), APIKeyName: ptr("terraform-automation")}, // no details
	}
}

func TestAuditFilterDetailsAndAPIKeys(t *testing.T) {
	tests := []struct {
		name            string
		filter          AuditFilter
		want            []string
		wantUnmatchable Unmatchable
	}{
		{name: "details pattern matches somewhere in the text; entries without details are unmatchable",
			filter:          AuditFilter{DetailsPatterns: patterns(t, `\b(deleted|removed)\b`)},
			want:            []string{"o1"}, // not o4: "Removed" is capitalised, and RE2 is case-sensitive unless (?i)
			wantUnmatchable: Unmatchable{AttrDetailsPatterns: 1}},
		{name: "(?i) and OR within the list",
			filter:          AuditFilter{DetailsPatterns: patterns(t, `(?i)\b(deleted|removed)\b`, `memory limit`)},
			want:            []string{"o1", "o2", "o4"},
			wantUnmatchable: Unmatchable{AttrDetailsPatterns: 1}},
		{name: "anchors mean the whole text",
			filter:          AuditFilter{DetailsPatterns: patterns(t, `^Subscription .* was updated$`)},
			want:            []string{"o3"},
			wantUnmatchable: Unmatchable{AttrDetailsPatterns: 1}},
		{name: "exclude details drops matches and keeps entries without details",
			filter: AuditFilter{ExcludeDetailsPatterns: patterns(t, `was (deleted|updated)`)},
			want:   []string{"o4", "o5"}},
		{name: "include and exclude details combine",
			filter:          AuditFilter{DetailsPatterns: patterns(t, `^Database`), ExcludeDetailsPatterns: patterns(t, `deleted`)},
			want:            []string{"o2"},
			wantUnmatchable: Unmatchable{AttrDetailsPatterns: 1}},
		{name: "api key names: globs, case-insensitive; entries without a key are unmatchable",
			filter:          AuditFilter{APIKeyNames: globs(t, "terraform-*")},
			want:            []string{"o3", "o5"},
			wantUnmatchable: Unmatchable{AttrAPIKeyNames: 2}},
		{name: "exclude api key names keeps console changes and other keys: changes outside Terraform",
			filter: AuditFilter{ExcludeAPIKeyNames: globs(t, "terraform-automation")},
			want:   []string{"o1", "o2", "o4"}},
		{name: "outside Terraform on the types it manages",
			filter:          AuditFilter{ExcludeAPIKeyNames: globs(t, "terraform-automation"), Types: []string{"Subscription", "Database"}},
			want:            []string{"o1", "o2"},
			wantUnmatchable: Unmatchable{}},
		{name: "api key names AND details",
			filter:          AuditFilter{APIKeyNames: globs(t, "*"), DetailsPatterns: patterns(t, "updated")},
			want:            []string{"o2", "o3"},
			wantUnmatchable: Unmatchable{AttrDetailsPatterns: 1}}, // o5 has a key but no details; o1, o4 fail on details
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.filter
			got := matchingAuditIDs(&f, officialAuditFixture(t))
			if !equalStrings(got, tt.want) {
				t.Errorf("matched %v, want %v", got, tt.want)
			}
			want := tt.wantUnmatchable
			if want == nil {
				want = Unmatchable{}
			}
			if u := f.Unmatchable(); !maps.Equal(u, want) {
				t.Errorf("Unmatchable() = %v, want %v", u, want)
			}
		})
	}
}

func TestAuditFilterAPIKeysOnTheSeedShape(t *testing.T) {
	// The seed shape has no API key name at all: an include list matches
	// nothing and says why, an exclude list keeps everything.
	f := AuditFilter{APIKeyNames: globs(t, "*")}
	entries := auditFixture(t)
	for i := range entries {
		entries[i].APIKeyName = nil
	}
	if got := matchingAuditIDs(&f, entries); got != nil {
		t.Errorf("include matched %v on entries without api key names", got)
	}
	if got := f.Unmatchable()[AttrAPIKeyNames]; got != len(entries) {
		t.Errorf("Unmatchable()[api_key_names] = %d, want %d", got, len(entries))
	}
	ex := AuditFilter{ExcludeAPIKeyNames: globs(t, "*")}
	if got := matchingAuditIDs(&ex, entries); len(got) != len(entries) {
		t.Errorf("exclude kept %v, want all %d", got, len(entries))
	}
}

func TestSessionFilterUserRoles(t *testing.T) {
	entries := []client.SessionEntry{
		{ID: ptr("r1"), UserEmail: ptr("alice@example.com"), UserRole: ptr("owner")},
		{ID: ptr("r2"), UserEmail: ptr("erin@example.com"), UserRole: ptr("Logs viewer")},
		{ID: ptr("r3"), UserEmail: ptr("bob@example.com"), UserRole: ptr("member")},
		{ID: ptr("r4"), UserEmail: ptr("carol@example.com")}, // seed shape: no role
	}
	tests := []struct {
		name            string
		filter          SessionFilter
		want            []string
		wantUnmatchable Unmatchable
	}{
		{name: "roles case-insensitive; missing role unmatchable",
			filter:          SessionFilter{UserRoles: globs(t, "OWNER")},
			want:            []string{"r1"},
			wantUnmatchable: Unmatchable{AttrUserRoles: 1}},
		{name: "role globs, OR",
			filter:          SessionFilter{UserRoles: globs(t, "*viewer", "member")},
			want:            []string{"r2", "r3"},
			wantUnmatchable: Unmatchable{AttrUserRoles: 1}},
		{name: "exclude roles keeps sessions without a role",
			filter: SessionFilter{ExcludeUserRoles: globs(t, "*viewer")},
			want:   []string{"r1", "r3", "r4"}},
		{name: "include and exclude",
			filter:          SessionFilter{UserRoles: globs(t, "*"), ExcludeUserRoles: globs(t, "owner")},
			want:            []string{"r2", "r3"},
			wantUnmatchable: Unmatchable{AttrUserRoles: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.filter
			got := matchingSessionIDs(&f, entries)
			if !equalStrings(got, tt.want) {
				t.Errorf("matched %v, want %v", got, tt.want)
			}
			want := tt.wantUnmatchable
			if want == nil {
				want = Unmatchable{}
			}
			if u := f.Unmatchable(); !maps.Equal(u, want) {
				t.Errorf("Unmatchable() = %v, want %v", u, want)
			}
		})
	}
}
