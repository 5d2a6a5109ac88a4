package logquery

import (
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The seed corpora below run as ordinary tests on every `go test`; run a
// fuzzer with e.g. `go test -run=^$ -fuzz=FuzzCompileGlob -fuzztime=10s`.

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{
		"2025-01-31T23:59:59Z", "2025-01-31T23:59:59.123456789+05:30", "2025-01-31t23:59:59z",
		"2025-13-01", "", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59", "2025-01-31T23:59:60Z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := ParseTimestamp(s)
		if err != nil {
			if !strings.Contains(err.Error(), "RFC 3339") {
				t.Errorf("error %q does not say what is expected", err)
			}
			return
		}
		if ts.Location() != time.UTC {
			t.Errorf("ParseTimestamp(%q) location %v, want UTC", s, ts.Location())
		}
		// What the provider writes to state must read back as the same instant.
		again, err := ParseTimestamp(*FormatTime(&ts))
		if err != nil || !again.Equal(ts) {
			t.Errorf("round trip of %q: %v, %v", s, again, err)
		}
	})
}

func FuzzParseLookback(f *testing.F) {
	for _, s := range []string{
		"24h", "90m", "1h30m", "7d", "2w", "1d12h", "1.5h", "+1h", "-1h", "0", "0s", "1y", "",
		"15251w", "1µs", "1μs", ".5h", "1.h", "9223372036854775807ns", "1d1d1d",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseLookback(s)
		if err == nil && d <= 0 {
			t.Errorf("ParseLookback(%q) = %v, want > 0", s, d)
		}
		// Plain Go duration syntax must mean exactly what Go says it means.
		if goD, goErr := time.ParseDuration(s); goErr == nil && goD > 0 {
			if err != nil || d != goD {
				t.Errorf("ParseLookback(%q) = %v, %v; time.ParseDuration = %v", s, d, err, goD)
			}
		} else if err == nil && !strings.ContainsAny(s, "dw") {
			t.Errorf("ParseLookback(%q) = %v, but it has no day or week and Go rejects it (%v, %v)", s, d, goD, goErr)
		}
	})
}

func FuzzParsePrefix(f *testing.F) {
	for _, s := range []string{
		"198.51.100.0/24", "198.51.100.7/24", "198.51.100.7", "2001:db8::/32", "2001:db8::1",
		"::ffff:198.51.100.0/120", "::ffff:1.2.3.4", "fe80::1%eth0", "0.0.0.0/0", "::/0", "1.2.3.4/33", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePrefix(s)
		if err != nil {
			if !strings.Contains(err.Error(), "not an IPv4/IPv6 CIDR range") && !strings.Contains(err.Error(), "has bits set beyond") {
				t.Errorf("error %q does not say what is expected", err)
			}
			return
		}
		if !p.IsValid() || p != p.Masked() || p.Addr().Zone() != "" || p.Addr().Is4In6() {
			t.Errorf("ParsePrefix(%q) = %v: not valid, masked, zone-free and unmapped", s, p)
		}
		if again, err := ParsePrefix(p.String()); err != nil || again != p {
			t.Errorf("ParsePrefix(%q) = %v does not round-trip: %v, %v", s, p, again, err)
		}
	})
}

func FuzzCompileGlob(f *testing.F) {
	for _, seed := range [][2]string{
		{"database.*", "database.delete"},
		{"*@example.com", "Alice@Example.com"},
		{"api?ey.*", "apiKey.create"},
		{"[a-z]*[0-9]", "x9"},
		{"[!abc]", "d"},
		{"\\*", "*"},
		{"a*a*a*a*a*b", strings.Repeat("a", 200)},
		{"[", "["},
		{"ärger", "ÄRGER"},
		{"k", "\u212a"},
		{"\xff", "\xff"},
		{"*?*", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		g, err := CompileGlob(pattern)
		if err != nil {
			return
		}
		got := g.Match(s)
		if want := referenceMatch(g.tokens, s); got != want {
			t.Errorf("Glob(%q).Match(%q) = %v, reference matcher says %v", pattern, s, got, want)
		}
		if !strings.ContainsAny(pattern, `*?[\`) {
			if !g.Match(pattern) {
				t.Errorf("Glob(%q) does not match itself", pattern)
			}
			if want := strings.EqualFold(pattern, s); got != want {
				t.Errorf("Glob(%q).Match(%q) = %v, strings.EqualFold = %v", pattern, s, got, want)
			}
		}
	})
}

// referenceMatch is an obviously correct O(len(tokens)×len(s)) dynamic
// program: ok[i] says whether the tokens so far can consume the first i runes.
func referenceMatch(tokens []globToken, s string) bool {
	var runes []rune
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		runes = append(runes, r)
		i += w
	}
	ok := make([]bool, len(runes)+1)
	ok[0] = true
	for ti := range tokens {
		next := make([]bool, len(runes)+1)
		for i := range ok {
			if !ok[i] {
				continue
			}
			if tokens[ti].kind == globStar {
				for j := i; j <= len(runes); j++ {
					next[j] = true
				}
				break
			}
			if i < len(runes) && tokens[ti].matches(runes[i]) {
				next[i+1] = true
			}
		}
		ok = next
	}
	return ok[len(runes)]
}

func FuzzCompilePattern(f *testing.F) {
	for _, seed := range [][2]string{
		{`(?i)\b(deleted|removed)\b`, "Database x was deleted"},
		{`^API key .* was (created|deleted)$`, "API key ci was created"},
		{`(deleted`, "deleted"},
		{`a{1001}`, "a"},
		{`(?=x)`, "x"},
		{`\C`, ""},
		{"", ""},
		{`[[:^alpha:]]`, "1"},
		{"\xff", "\xff"},
		{`(a*)*b`, strings.Repeat("a", 200)},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		re, err := CompilePattern(pattern)
		if err != nil {
			if pattern != "" && !strings.Contains(err.Error(), "not a valid RE2 regular expression") {
				t.Errorf("error %q does not say what is expected", err)
			}
			return
		}
		// What validate accepts must be exactly what Go's (and Terraform's) RE2 accepts.
		want, goErr := regexp.Compile(pattern)
		if goErr != nil {
			t.Fatalf("CompilePattern(%q) accepted what regexp.Compile rejects: %v", pattern, goErr)
		}
		if got := re.MatchString(s); got != want.MatchString(s) {
			t.Errorf("CompilePattern(%q).MatchString(%q) = %v, regexp says %v", pattern, s, got, !got)
		}
	})
}

func FuzzParseAddr(f *testing.F) {
	for _, s := range []string{
		"198.51.100.7", " 198.51.100.7", "::ffff:198.51.100.7", "2001:db8::1", "[2001:db8::1]:443",
		"198.51.100.7:443", "fe80::1%eth0", "unknown", "", "198.51.100.0/24",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		addr, err := ParseAddr(s)
		if err != nil {
			if !strings.Contains(err.Error(), "is not an IPv4 or IPv6 address") {
				t.Errorf("error %q does not say what is expected", err)
			}
			return
		}
		if !addr.IsValid() || addr.Zone() != "" || addr.Is4In6() {
			t.Errorf("ParseAddr(%q) = %v: not valid, zone-free and unmapped", s, addr)
		}
		// The single-address prefix of what ParseAddr returns contains it, as the
		// ip_cidrs filter and cidr_contains both rely on.
		p, perr := ParsePrefix(addr.String())
		if perr != nil || !PrefixesContain([]netip.Prefix{p}, addr) {
			t.Errorf("ParsePrefix(%v) = %v, %v does not contain the address", addr, p, perr)
		}
	})
}
