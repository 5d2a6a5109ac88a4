package logquery

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseTimestamp(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339 Nano in UTC; "" means an error is expected
	}{
		{"2025-01-31T23:59:59Z", "2025-01-31T23:59:59Z"},
		{"2025-01-31T23:59:59.123456789Z", "2025-01-31T23:59:59.123456789Z"},
		{"2025-01-31T23:59:59.5Z", "2025-01-31T23:59:59.5Z"},
		{"2025-02-01T01:59:59+02:00", "2025-01-31T23:59:59Z"},
		{"2025-01-31T18:29:59-05:30", "2025-01-31T23:59:59Z"},
		{"2025-01-31t23:59:59z", "2025-01-31T23:59:59Z"}, // RFC 3339 allows lower case
		{"2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"},
		{"", ""},
		{"2025-13-01", ""},
		{"2025-01-31", ""},
		{"2025-01-31 23:59:59Z", ""},
		{"2025-01-31T23:59:59", ""}, // no zone: ambiguous
		{"2025-02-30T00:00:00Z", ""},
		{"2025-01-31T24:00:00Z", ""},
		{"1738367999", ""},
		{" 2025-01-31T23:59:59Z", ""},
		{"yesterday", ""},
		{"9999-12-31T23:59:59-00:01", ""}, // year 10000 in UTC
		{"0000-01-01T00:00:00+00:01", ""}, // year -1 in UTC
		{"0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTimestamp(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("ParseTimestamp(%q) = %v, want an error", tt.in, got)
				}
				if !strings.Contains(err.Error(), "RFC 3339") || !strings.Contains(err.Error(), timestampExample) {
					t.Errorf("error %q does not say what is expected", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTimestamp(%q): %v", tt.in, err)
			}
			if got.Location() != time.UTC {
				t.Errorf("location = %v, want UTC", got.Location())
			}
			if s := got.Format(time.RFC3339Nano); s != tt.want {
				t.Errorf("ParseTimestamp(%q) = %s, want %s", tt.in, s, tt.want)
			}
		})
	}
}

func TestParseTimestampErrorText(t *testing.T) {
	_, err := ParseTimestamp("2025-13-01")
	want := `"2025-13-01" is not an RFC 3339 timestamp such as "2025-01-31T23:59:59Z"`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	_, err = ParseTimestamp("2025-01-31")
	if want := `(a date needs a time and zone too, e.g. "2025-01-31T00:00:00Z")`; err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("error = %v, want it to end with %s", err, want)
	}
}

func TestParseLookback(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string // substring of the error; "" means success
	}{
		{in: "24h", want: 24 * time.Hour},
		{in: "90m", want: 90 * time.Minute},
		{in: "1h30m", want: 90 * time.Minute},
		{in: "1.5h", want: 90 * time.Minute},
		{in: "30s", want: 30 * time.Second},
		{in: "500ms", want: 500 * time.Millisecond},
		{in: "1us", want: time.Microsecond},
		{in: "1µs", want: time.Microsecond},
		{in: "7d", want: 7 * day},
		{in: "2w", want: 14 * day},
		{in: "1d12h", want: 36 * time.Hour},
		{in: "1w1d1h1m1s", want: 8*day + time.Hour + time.Minute + time.Second},
		{in: "+3h", want: 3 * time.Hour},
		{in: "15250w", want: 15250 * 7 * day}, // ~292 years, just under the limit
		{in: "", wantErr: "empty"},
		{in: "0", wantErr: "no unit"},
		{in: "0s", wantErr: "greater than zero"},
		{in: "0d", wantErr: "greater than zero"},
		{in: "-1h", wantErr: "positive"},
		{in: "24", wantErr: "no unit"},
		{in: "h", wantErr: "expected a number"},
		{in: "1y", wantErr: `unknown unit "y"`},
		{in: "1 h", wantErr: "unknown unit"},
		{in: "1.5d", wantErr: "whole numbers"},
		{in: "1.5w", wantErr: "whole numbers"},
		{in: "1..5h", wantErr: "malformed"},
		{in: "15251w", wantErr: "too long"},
		{in: "106752d", wantErr: "too long"},
		{in: "99999999999999999999d", wantErr: "too large"},
		{in: "2562047h2562047h", wantErr: "too long"},
		{in: "+", wantErr: "no number"},
		{in: "P1D", wantErr: "expected a number"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseLookback(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseLookback(%q) = %v, want an error containing %q", tt.in, got, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), `"7d"`) {
					t.Errorf("error %q should contain %q and list the accepted forms", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseLookback(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseLookback(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{in: "500ms", want: 500 * time.Millisecond},
		{in: "30s", want: 30 * time.Second},
		{in: "1h30m", want: 90 * time.Minute},
		{in: "-1s", wantErr: `"-1s" is not a valid duration: it is negative; expected a positive duration: a number and a unit, such as "500ms"`},
		{in: "0s", wantErr: "greater than zero"},
		{in: "", wantErr: "duration is empty"},
		{in: "7d", wantErr: `"7d" is not a valid duration; expected a positive duration`},
		{in: "soon", wantErr: "(units: ns, us, ms, s, m, h)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseDuration(%q) = %v, %v; want an error containing %q", tt.in, got, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "lookback") {
					t.Errorf("ParseDuration(%q): the error speaks of a lookback: %v", tt.in, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParsePrefix(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" means an error is expected
	}{
		{"198.51.100.0/24", "198.51.100.0/24"},
		{"198.51.100.7", "198.51.100.7/32"},
		{"0.0.0.0/0", "0.0.0.0/0"},
		{"2001:db8::/32", "2001:db8::/32"},
		{"2001:db8::1", "2001:db8::1/128"},
		{"::/0", "::/0"},
		{"::ffff:198.51.100.0/120", "198.51.100.0/24"}, // mapped range → IPv4 range
		{"::ffff:198.51.100.7", "198.51.100.7/32"},
		{"::ffff:0:0/96", "0.0.0.0/0"},
		{"::/64", "::/64"}, // not a mapped range: left as IPv6
		{"", ""},
		{"198.51.100.0/33", ""},
		{"198.51.100.0/", ""},
		{"198.51.100", ""},
		{"256.1.1.1", ""},
		{"2001:db8::/129", ""},
		{"fe80::1%eth0", ""},
		{"example.com", ""},
		{" 198.51.100.7", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePrefix(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("ParsePrefix(%q) = %v, want an error", tt.in, got)
				}
				if !strings.Contains(err.Error(), "not an IPv4/IPv6 CIDR range") {
					t.Errorf("error %q does not say what is expected", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePrefix(%q): %v", tt.in, err)
			}
			if got != netip.MustParsePrefix(tt.want) {
				t.Errorf("ParsePrefix(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestCompilePattern(t *testing.T) {
	tests := []struct {
		in, text string
		match    bool
		err      string // substring of the error; "" when it compiles
	}{
		{`(?i)\b(deleted|removed)\b`, "Database x was DELETED from y", true, ""},
		{`deleted`, "Database x was Deleted", false, ""},
		{`^API key`, "API key legacy-export was deleted", true, ""},
		{`^API key`, "The API key", false, ""},
		{`\d{8}`, "orders-prod (13000101)", true, ""},
		{`[[:alpha:]]+`, "x", true, ""},
		{"", "", false, "empty"},
		{`(deleted`, "", false, "missing closing )"},
		{`a{1001}`, "", false, "invalid repeat count"},
		{`a++`, "", false, "invalid nested repetition operator"},
		{`\C`, "", false, "invalid escape sequence"},
		{`(?=x)`, "", false, "invalid or unsupported Perl syntax"}, // look-ahead: not RE2
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			re, err := CompilePattern(tt.in)
			if tt.err != "" {
				if err == nil {
					t.Fatalf("CompilePattern(%q) compiled, want an error", tt.in)
				}
				if !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %q does not contain %q", err, tt.err)
				}
				if tt.in != "" && !strings.Contains(err.Error(), strconv.Quote(tt.in)) {
					t.Errorf("error %q does not quote the pattern", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := re.MatchString(tt.text); got != tt.match {
				t.Errorf("%q matches %q = %v, want %v", tt.in, tt.text, got, tt.match)
			}
		})
	}
}

func TestParseAddr(t *testing.T) {
	good := map[string]string{
		"198.51.100.7": "198.51.100.7", " 198.51.100.7 ": "198.51.100.7", "::ffff:198.51.100.7": "198.51.100.7",
		"2001:DB8::1": "2001:db8::1", "[2001:db8::1]:443": "2001:db8::1", "198.51.100.7:443": "198.51.100.7",
		"fe80::1%eth0": "fe80::1",
	}
	for in, want := range good {
		got, err := ParseAddr(in)
		if err != nil || got.String() != want {
			t.Errorf("ParseAddr(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "unknown", "198.51.100", "198.51.100.0/24", "256.1.1.1", "198.51.100.7, 10.0.0.1"} {
		if _, err := ParseAddr(in); err == nil || !strings.Contains(err.Error(), "is not an IPv4 or IPv6 address") ||
			!strings.Contains(err.Error(), strconv.Quote(in)) {
			t.Errorf("ParseAddr(%q): error %v, want one naming the value", in, err)
		}
	}
}

func TestGlobLooksLikeRegex(t *testing.T) {
	for in, want := range map[string]string{
		".*@example\\.com": ".*", "database.delete|user.remove": "|", "^database.*": "^", "(a|b)": "(",
		"*@example\\.com": "\\.", "end$": "$", "database.*": "", "alice+ci@example.com": "", "*": "", "apiKey.[cd]*": "",
	} {
		if got := GlobLooksLikeRegex(in); got != want {
			t.Errorf("GlobLooksLikeRegex(%q) = %q, want %q", in, got, want)
		}
	}
}
