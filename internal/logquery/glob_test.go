package logquery

import (
	"strings"
	"testing"
	"time"
)

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern string
		s       string
		want    bool
	}{
		// literals and case
		{"database.delete", "database.delete", true},
		{"database.delete", "Database.DELETE", true},
		{"DATABASE.*", "database.create", true},
		{"database.delete", "database.delet", false},
		{"database.delete", "database.deletes", false},
		{"ärger", "ÄRGER", true},
		{"k", "\u212a", true}, // Kelvin sign folds to k
		// star
		{"*", "", true},
		{"*", "anything at all", true},
		{"database.*", "database.", true},
		{"database.*", "database", false},
		{"*.delete", "subscription.delete", true},
		{"*.delete", "subscription.deleted", false},
		{"*@example.com", "Alice@Example.COM", true},
		{"*@example.com", "alice@example.com.evil", false},
		{"alice@*", "alice@example.com", true},
		{"*/*", "a/b", true}, // '/' is not special
		{"a*b*c", "a-x-b-y-c", true},
		{"a*b*c", "a-x-c-y-b", false},
		{"**", "abc", true},
		{"a**b", "ab", true},
		{"*a", "bbbba", true},
		{"*ab", "aab", true},
		{"*aab", "aaab", true},
		// question mark
		{"?", "x", true},
		{"?", "", false},
		{"?", "xy", false},
		{"api?ey.create", "apiKey.create", true},
		{"?", "é", true}, // one character, two bytes
		{"a?c", "a/c", true},
		// classes
		{"[abc]", "b", true},
		{"[abc]", "d", false},
		{"[abc]", "B", true},
		{"[a-z]", "Q", true},
		{"[A-Z]", "q", true},
		{"[0-9]*", "7 items", true},
		{"[0-9]*", "x7", false},
		{"[!0-9]*", "x7", true},
		{"[^0-9]*", "7", false},
		{"[!a]", "A", false},
		{"[a-]", "-", true},
		{"[-a]", "-", true},
		{"[\\]]", "]", true},
		{"[\\-]", "-", true},
		{"v[0-9].[0-9]", "v1.2", true},
		// escapes
		{"\\*", "*", true},
		{"\\*", "x", false},
		{"what\\?", "what?", true},
		{"what\\?", "whatx", false},
		{"\\[abc]", "[abc]", true},
		{"\\a", "A", true},
		{"a\\\\b", "a\\b", true},
		// outside a class ']' is a literal
		{"a]", "a]", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" ~ "+tt.s, func(t *testing.T) {
			g, err := CompileGlob(tt.pattern)
			if err != nil {
				t.Fatalf("CompileGlob(%q): %v", tt.pattern, err)
			}
			if got := g.Match(tt.s); got != tt.want {
				t.Errorf("Glob(%q).Match(%q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
			}
			if g.String() != tt.pattern {
				t.Errorf("String() = %q, want %q", g.String(), tt.pattern)
			}
		})
	}
}

func TestCompileGlobErrors(t *testing.T) {
	tests := []struct{ pattern, wantErr string }{
		{"", "empty"},
		{"abc\\", "lone backslash"},
		{"[abc", "no closing ]"},
		{"[", "no closing ]"},
		{"[]", "empty"},
		{"[!]", "empty"},
		{"[z-a]", "backwards"},
		{"[a\\", "lone backslash"},
		{"[a-\\", "lone backslash"},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			g, err := CompileGlob(tt.pattern)
			if err == nil {
				t.Fatalf("CompileGlob(%q) = %v, want an error", tt.pattern, g)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestZeroGlobMatchesOnlyEmpty(t *testing.T) {
	var g Glob
	if !g.Match("") || g.Match("x") {
		t.Error("zero Glob should match only the empty string")
	}
}

// TestGlobPathological guards the two-pointer algorithm: a backtracking
// matcher takes exponential time on these.
func TestGlobPathological(t *testing.T) {
	long := strings.Repeat("a", 100_000)
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"a*a*a*a*a*b", long, false},
		{"a*a*a*a*a*a", long, true},
		{"*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", long, false},
		{"*?*?*?*?*?*?*?*?*?*?b", long, false},
		{strings.Repeat("a*", 50) + "b", long[:5000], false},
	}
	start := time.Now()
	for _, tt := range tests {
		g, err := CompileGlob(tt.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if got := g.Match(tt.s); got != tt.want {
			t.Errorf("Glob(%.20q…).Match(len %d) = %v, want %v", tt.pattern, len(tt.s), got, tt.want)
		}
	}
	// Linear-ish work is a few milliseconds; exponential would never finish.
	// The bound is loose so that -race and slow CI machines pass.
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("pathological patterns took %v", d)
	}
}

func BenchmarkGlobEmail(b *testing.B) {
	g, _ := CompileGlob("*@example.com")
	for b.Loop() {
		g.Match("someone.with.a.long.name@example.com")
	}
}
