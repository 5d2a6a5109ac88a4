package logquery

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
)

func TestSortAuditNewestFirst(t *testing.T) {
	entries := []client.AuditEntry{
		{ID: ptr("a"), Time: at(t, "2025-01-01T00:00:00Z")},
		{ID: ptr("nil1")},
		{ID: ptr("b"), Time: at(t, "2025-01-03T00:00:00Z")},
		{ID: ptr("tie1"), Time: at(t, "2025-01-02T00:00:00Z")},
		{ID: ptr("nil2")},
		{ID: ptr("tie2"), Time: at(t, "2025-01-02T00:00:00Z")},
		{ID: ptr("tie3"), Time: at(t, "2025-01-02T02:00:00+02:00")}, // same instant, other zone
		{ID: ptr("c"), Time: at(t, "2025-01-02T00:00:00.000000001Z")},
	}
	SortAuditNewestFirst(entries)
	want := []string{"b", "c", "tie1", "tie2", "tie3", "a", "nil1", "nil2"}
	var got []string
	for _, e := range entries {
		got = append(got, *e.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestSortSessionsNewestFirst(t *testing.T) {
	entries := []client.SessionEntry{
		{ID: ptr("nil")},
		{ID: ptr("old"), Time: at(t, "2024-06-01T00:00:00Z")},
		{ID: ptr("tie1"), Time: at(t, "2025-01-01T00:00:00Z")},
		{ID: ptr("new"), Time: at(t, "2025-06-01T00:00:00Z")},
		{ID: ptr("tie2"), Time: at(t, "2025-01-01T00:00:00Z")},
	}
	SortSessionsNewestFirst(entries)
	want := []string{"new", "tie1", "tie2", "old", "nil"}
	var got []string
	for _, e := range entries {
		got = append(got, *e.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestActionCounts(t *testing.T) {
	entries := []client.AuditEntry{
		{Action: ptr("database.delete")}, {Action: ptr("database.delete")}, {Action: ptr("apiKey.create")},
		{}, {Action: ptr("")}, {Action: ptr("  ")},
	}
	want := map[string]int64{"database.delete": 2, "apiKey.create": 1}
	if got := ActionCounts(entries); !maps.Equal(got, want) {
		t.Errorf("ActionCounts = %v, want %v", got, want)
	}
	if got := ActionCounts(nil); got == nil || len(got) != 0 {
		t.Errorf("ActionCounts(nil) = %#v, want an empty, non-nil map", got)
	}
}

func TestUserCounts(t *testing.T) {
	entries := []client.AuditEntry{
		{UserEmail: ptr("alice@example.com"), UserName: ptr("Alice")},
		{UserEmail: ptr("alice@example.com")},
		{UserName: ptr("Alice")},
		{UserEmail: ptr(""), UserName: ptr("Bob"), APIKeyName: ptr("ci")},
		{APIKeyName: ptr("ci")},
		{APIKeyName: ptr("ci")},
		{},
		{APIKeyName: ptr(" ")},
	}
	want := map[string]int64{"alice@example.com": 2, "Alice": 1, "Bob": 1, "api_key:ci": 2}
	if got := UserCounts(entries); !maps.Equal(got, want) {
		t.Errorf("UserCounts = %v, want %v", got, want)
	}
}

func TestDistinctUsers(t *testing.T) {
	entries := []client.SessionEntry{
		{UserEmail: ptr("carol@example.com")},
		{UserName: ptr("bob")},
		{UserEmail: ptr("alice@example.com"), UserName: ptr("Alice")},
		{UserEmail: ptr("carol@example.com")},
		{},
		{UserName: ptr("")},
	}
	want := []string{"alice@example.com", "bob", "carol@example.com"}
	if got := DistinctUsers(entries); !slices.Equal(got, want) {
		t.Errorf("DistinctUsers = %v, want %v", got, want)
	}
	if got := DistinctUsers(nil); got == nil || len(got) != 0 {
		t.Errorf("DistinctUsers(nil) = %#v, want an empty, non-nil slice", got)
	}
}

func TestDistinctIPAddresses(t *testing.T) {
	entries := []client.SessionEntry{
		{IPAddress: ptr("2001:DB8::1")},
		{IPAddress: ptr("unknown")},
		{IPAddress: ptr("10.0.0.2")},
		{IPAddress: ptr("::ffff:10.0.0.1")},
		{IPAddress: ptr("10.0.0.1")},
		{IPAddress: ptr("2001:db8::1")},
		{IPAddress: ptr("10.0.0.10")},
		{IPAddress: ptr("also-unknown")},
		{IPAddress: ptr("unknown")},
		{IPAddress: ptr("")},
		{},
	}
	want := []string{"10.0.0.1", "10.0.0.2", "10.0.0.10", "2001:db8::1", "also-unknown", "unknown"}
	if got := DistinctIPAddresses(entries); !slices.Equal(got, want) {
		t.Errorf("DistinctIPAddresses = %v, want %v", got, want)
	}
	if got := DistinctIPAddresses(nil); got == nil || len(got) != 0 {
		t.Errorf("DistinctIPAddresses(nil) = %#v, want an empty, non-nil slice", got)
	}
}

func TestTruncate(t *testing.T) {
	in := []int{1, 2, 3, 4}
	tests := []struct {
		name          string
		limit         *int64
		want          []int
		wantTruncated bool
	}{
		{"nil keeps all", nil, []int{1, 2, 3, 4}, false},
		{"above length", ptr(int64(10)), []int{1, 2, 3, 4}, false},
		{"equal to length", ptr(int64(4)), []int{1, 2, 3, 4}, false},
		{"below length", ptr(int64(2)), []int{1, 2}, true},
		{"zero", ptr(int64(0)), []int{}, true},
		{"negative", ptr(int64(-1)), []int{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, truncated := Truncate(in, tt.limit)
			if !slices.Equal(got, tt.want) || truncated != tt.wantTruncated {
				t.Errorf("Truncate = %v, %v; want %v, %v", got, truncated, tt.want, tt.wantTruncated)
			}
		})
	}
	if got, truncated := Truncate([]string(nil), ptr(int64(5))); got == nil || len(got) != 0 || truncated {
		t.Errorf("Truncate(nil) = %#v, %v; want an empty, non-nil list (an empty list in state, not null)", got, truncated)
	}
}

func TestQueryIDGolden(t *testing.T) {
	// A change to this value changes the id of every existing query in
	// users' state; change it only on purpose. It was cross-checked with
	// Python: sha256(json.dumps({"kind": ..., "args": ...}, sort_keys=True,
	// separators=(",", ":"))).hexdigest()[:32].
	args := map[string]any{
		"start_time":  "2025-01-01T00:00:00Z",
		"end_time":    nil,
		"actions":     []string{"database.*", "apiKey.create"},
		"max_results": int64(100),
		"active_only": false,
	}
	const golden = "66f24d4f3e9e3f02abd4662200a808d9"
	if got := QueryID("audit", args); got != golden {
		t.Errorf("QueryID = %s, want %s", got, golden)
	}
}

func TestQueryIDStableAndSensitive(t *testing.T) {
	base := func() map[string]any {
		return map[string]any{
			"start_time": "2025-01-01T00:00:00Z",
			"end_time":   nil,
			"users":      []string{"a@example.com", "b@example.com"},
			"limit":      int64(10),
			"nested":     map[string]any{"z": 1, "a": []any{nil, true}},
		}
	}
	id := QueryID("audit", base())
	if len(id) != 32 {
		t.Fatalf("QueryID length = %d, want 32 hex characters", len(id))
	}
	for range 20 { // map iteration order varies between runs of this loop
		if again := QueryID("audit", base()); again != id {
			t.Fatalf("QueryID not stable: %s then %s", id, again)
		}
	}
	variants := map[string]func(m map[string]any){
		"other kind":       nil,
		"null vs missing":  func(m map[string]any) { delete(m, "end_time") },
		"null vs empty":    func(m map[string]any) { m["end_time"] = "" },
		"list order":       func(m map[string]any) { m["users"] = []string{"b@example.com", "a@example.com"} },
		"list vs null":     func(m map[string]any) { m["users"] = nil },
		"number":           func(m map[string]any) { m["limit"] = int64(11) },
		"number vs string": func(m map[string]any) { m["limit"] = "10" },
		"nested value":     func(m map[string]any) { m["nested"] = map[string]any{"z": 2, "a": []any{nil, true}} },
		"new key":          func(m map[string]any) { m["status"] = "success" },
		"value in another key": func(m map[string]any) {
			m["start_time"], m["end_time"] = nil, "2025-01-01T00:00:00Z"
		},
	}
	seen := map[string]string{id: "base"}
	for name, change := range variants {
		kind, m := "audit", base()
		if change == nil {
			kind = "sessions"
		} else {
			change(m)
		}
		got := QueryID(kind, m)
		if prev, dup := seen[got]; dup {
			t.Errorf("%s gives the same id as %s: %s", name, prev, got)
		}
		seen[got] = name
	}
}

func TestQueryIDUnmarshalableArgs(t *testing.T) {
	args := map[string]any{"f": func() {}}
	if a, b := QueryID("audit", args), QueryID("audit", args); len(a) != 32 || a != b {
		t.Errorf("QueryID with unmarshalable args = %q, %q", a, b)
	}
}

func TestFormatTime(t *testing.T) {
	if FormatTime(nil) != nil {
		t.Error("FormatTime(nil) should be nil")
	}
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2025, 1, 31, 23, 59, 59, 0, time.UTC), "2025-01-31T23:59:59Z"},
		{time.Date(2025, 1, 31, 23, 59, 59, 500_000_000, time.UTC), "2025-01-31T23:59:59.5Z"},
		{time.Date(2025, 2, 1, 1, 59, 59, 0, time.FixedZone("EET", 2*3600)), "2025-01-31T23:59:59Z"},
	}
	for _, tt := range tests {
		if got := FormatTime(&tt.in); got == nil || *got != tt.want {
			t.Errorf("FormatTime(%v) = %v, want %s", tt.in, got, tt.want)
		}
	}
}

func TestSessionSummaries(t *testing.T) {
	entries := []client.SessionEntry{
		{UserEmail: ptr("alice@example.com"), UserName: ptr("Alice"), UserRole: ptr("owner"), Action: ptr("Successful login"), Time: at(t, "2025-01-02T00:00:00Z")},
		{UserEmail: ptr("alice@example.com"), UserRole: ptr("owner"), Action: ptr("Failed login"), Time: at(t, "2025-01-05T00:00:00Z")},
		{UserEmail: ptr("alice@example.com"), UserRole: ptr("owner"), Action: ptr("Failed login"), Time: at(t, "2025-01-03T00:00:00Z")},
		{UserName: ptr("bob"), UserRole: ptr("Logs viewer"), Action: ptr("Successful login"), Time: at(t, "2025-01-04T00:00:00.5Z")},
		{UserName: ptr("bob"), Time: nil},                             // no time: counted, but cannot be last seen
		{UserName: ptr("carol"), UserRole: ptr(" "), Action: ptr("")}, // only a time-less carol
		{},
	}
	if got, want := SessionActionCounts(entries), map[string]int64{"Successful login": 2, "Failed login": 2}; !maps.Equal(got, want) {
		t.Errorf("SessionActionCounts = %v, want %v", got, want)
	}
	if got, want := SessionUserCounts(entries), map[string]int64{"alice@example.com": 3, "bob": 2, "carol": 1}; !maps.Equal(got, want) {
		t.Errorf("SessionUserCounts = %v, want %v", got, want)
	}
	if got, want := RoleCounts(entries), map[string]int64{"owner": 3, "Logs viewer": 1}; !maps.Equal(got, want) {
		t.Errorf("RoleCounts = %v, want %v", got, want)
	}
	wantSeen := map[string]string{"alice@example.com": "2025-01-05T00:00:00Z", "bob": "2025-01-04T00:00:00.5Z"}
	if got := SessionLastSeen(entries); !maps.Equal(got, wantSeen) {
		t.Errorf("SessionLastSeen = %v, want %v", got, wantSeen)
	}
	for name, got := range map[string]int{
		"SessionActionCounts": len(SessionActionCounts(nil)), "SessionUserCounts": len(SessionUserCounts(nil)),
		"RoleCounts": len(RoleCounts(nil)), "SessionLastSeen": len(SessionLastSeen(nil)),
	} {
		if got != 0 {
			t.Errorf("%s(nil) has %d keys", name, got)
		}
	}
	if SessionLastSeen(nil) == nil || RoleCounts(nil) == nil {
		t.Error("summaries of nothing must be empty, non-nil maps (an empty map in state, not null)")
	}
}

func TestAuditLastSeenUsesTheUserCountsKey(t *testing.T) {
	entries := []client.AuditEntry{
		{UserEmail: ptr("alice@example.com"), UserName: ptr("Alice"), Time: at(t, "2025-01-01T00:00:00Z")},
		{UserEmail: ptr("alice@example.com"), Time: at(t, "2025-01-03T00:00:00+02:00")},
		{UserName: ptr("Bob Smith"), APIKeyName: ptr("terraform"), Time: at(t, "2025-01-02T00:00:00Z")},
		{APIKeyName: ptr("ci"), Time: at(t, "2025-01-04T00:00:00Z")},
		{APIKeyName: ptr("ci")},
		{Time: at(t, "2025-01-09T00:00:00Z")},
	}
	want := map[string]string{
		"alice@example.com": "2025-01-02T22:00:00Z", "Bob Smith": "2025-01-02T00:00:00Z", "api_key:ci": "2025-01-04T00:00:00Z",
	}
	if got := AuditLastSeen(entries); !maps.Equal(got, want) {
		t.Errorf("AuditLastSeen = %v, want %v", got, want)
	}
	for k := range AuditLastSeen(entries) {
		if _, ok := UserCounts(entries)[k]; !ok {
			t.Errorf("last_seen key %q is not a user_counts key", k)
		}
	}
}
