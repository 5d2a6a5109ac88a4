package logquery

import (
	"slices"
	"testing"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
)

func TestSuggest(t *testing.T) {
	types := map[string]int{"Account": 5, "ApiKey": 3, "Database": 9, "Subscription": 1}
	users := map[string]int{"Carol Diaz": 4, "Bob Smith": 2}
	for _, tc := range []struct {
		want string
		seen map[string]int
		glob bool
		out  string
	}{
		{"API Key", types, false, "ApiKey"},
		{"databse", types, false, "Database"},
		{"subscriptions", types, false, "Subscription"},
		{"Cluster", types, false, ""},
		{"carol", users, true, "*carol*"},
		{"carol", users, false, ""},
		{"*@example.com", users, true, ""},
		{"", types, false, ""},
	} {
		if got := Suggest(tc.want, tc.seen, tc.glob); got != tc.out {
			t.Errorf("Suggest(%q) = %q, want %q", tc.want, got, tc.out)
		}
	}
}

func TestMostSeen(t *testing.T) {
	got := MostSeen(map[string]int{"b": 2, "a": 2, "c": 5, "d": 1}, 3)
	if want := []string{"c", "a", "b"}; !slices.Equal(got, want) {
		t.Errorf("MostSeen = %v, want %v", got, want)
	}
}

func TestSeenIsBounded(t *testing.T) {
	var f AuditFilter
	f.Types = []string{"Nope"}
	for i := range 1000 {
		v := string(rune('A'+i%26)) + string(rune('a'+i/26))
		f.Match(&client.AuditEntry{Type: &v})
	}
	s := f.Seen()["types"]
	if s.Present != 1000 || s.Passed != 0 || len(s.Values) != MaxSeenValues || s.Other != 1000-MaxSeenValues {
		t.Errorf("seen: present %d passed %d values %d other %d", s.Present, s.Passed, len(s.Values), s.Other)
	}
}
