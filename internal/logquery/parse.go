package logquery

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"strings"
	"time"
)

// timestampExample appears in every timestamp error so that a user sees the
// accepted form instead of having to look it up.
const timestampExample = "2025-01-31T23:59:59Z"

// ParseTimestamp parses an RFC 3339 timestamp (fractional seconds and numeric
// offsets allowed) and returns it in UTC. Lower-case "t" and "z" are accepted
// because RFC 3339 allows them, although Go's layout does not.
func ParseTimestamp(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("timestamp is empty; expected an RFC 3339 timestamp such as %q", timestampExample)
	}
	// The only letters RFC 3339 contains are T and Z, so upper-casing cannot
	// turn an invalid timestamp into a valid one with a different meaning.
	t, err := time.Parse(time.RFC3339Nano, strings.ToUpper(s))
	if err != nil {
		hint := ""
		if _, dateErr := time.Parse(time.DateOnly, s); dateErr == nil {
			// The commonest mistake: a valid date without a time.
			hint = fmt.Sprintf(" (a date needs a time and zone too, e.g. %q)", s+"T00:00:00Z")
		}
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 timestamp such as %q%s", s, timestampExample, hint)
	}
	t = t.UTC()
	// An offset can push a year-0000 or year-9999 time outside the four-digit
	// years, and such a time could not be written back as RFC 3339.
	if t.Year() < 0 || t.Year() > 9999 {
		return time.Time{}, fmt.Errorf("%q is outside the years 0000-9999 in UTC; expected an RFC 3339 timestamp such as %q", s, timestampExample)
	}
	return t, nil
}

// lookbackHelp ends every lookback error; it lists everything ParseLookback accepts.
const lookbackHelp = `expected a positive duration such as "24h", "90m", "1h30m", "7d", "2w" or "1d12h" ` +
	`(units: ns, us, ms, s, m, h, d = 24h, w = 7d; days and weeks must be whole numbers)`

// ParseLookback parses a positive duration in Go syntax ("24h", "90m",
// "1h30m") extended with whole days ("7d") and weeks ("2w"), which may be
// combined with the other units ("1d12h"). Days are fixed 24-hour spans: a
// lookback is measured back from now, so calendar days would add nothing but
// time-zone questions.
func ParseLookback(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("lookback is empty; " + lookbackHelp)
	}
	fail := func(why string) (time.Duration, error) {
		return 0, fmt.Errorf("%q is not a valid lookback: %s; %s", s, why, lookbackHelp)
	}
	if s[0] == '-' {
		return fail("it must be positive")
	}
	rest := strings.TrimPrefix(s, "+")
	if rest == "" {
		return fail("no number")
	}
	var total time.Duration
	for rest != "" {
		// One component: a number (digits, optional fraction) then a unit.
		n := 0
		for n < len(rest) && (rest[n] >= '0' && rest[n] <= '9' || rest[n] == '.') {
			n++
		}
		if n == 0 {
			return fail(fmt.Sprintf("expected a number at %q", rest))
		}
		u := n
		for u < len(rest) && (rest[u] < '0' || rest[u] > '9') && rest[u] != '.' {
			u++
		}
		number, unit := rest[:n], rest[n:u]
		rest = rest[u:]
		if unit == "" {
			return fail(fmt.Sprintf("%q has no unit", number))
		}
		var d time.Duration
		switch unit {
		case "d", "w":
			if strings.Contains(number, ".") {
				return fail("days and weeks must be whole numbers")
			}
			// Reuse ParseDuration's overflow-checked integer parsing in hours.
			hours, err := time.ParseDuration(number + "h")
			if err != nil {
				return fail("the number is too large")
			}
			factor := int64(24) // a plain multiplier, not a duration
			if unit == "w" {
				factor = 24 * 7
			}
			if int64(hours) > math.MaxInt64/factor {
				return fail("it is too long (at most about 290 years)")
			}
			d = time.Duration(int64(hours) * factor)
		case "ns", "us", "µs", "μs", "ms", "s", "m", "h":
			var err error
			if d, err = time.ParseDuration(number + unit); err != nil {
				return fail("the number is malformed or too large")
			}
		default:
			return fail(fmt.Sprintf("unknown unit %q", unit))
		}
		if total > math.MaxInt64-d {
			return fail("it is too long (at most about 290 years)")
		}
		total += d
	}
	if total <= 0 {
		return fail("it must be greater than zero")
	}
	return total, nil
}

// durationHelp ends every duration error; it says what a duration is.
const durationHelp = `expected a positive duration: a number and a unit, such as "500ms", "30s", "2m" or "1h30m" ` +
	`(units: ns, us, ms, s, m, h)`

// ParseDuration parses a positive duration in Go syntax ("30s", "1h30m"), for
// arguments that are waits and timeouts rather than lookbacks: no days or
// weeks, and errors that speak of a duration.
func ParseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("duration is empty; " + durationHelp)
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return 0, fmt.Errorf("%q is not a valid duration; %s", s, durationHelp)
	case d < 0:
		return 0, fmt.Errorf("%q is not a valid duration: it is negative; %s", s, durationHelp)
	case d == 0:
		return 0, fmt.Errorf("%q is not a valid duration: it must be greater than zero; %s", s, durationHelp)
	}
	return d, nil
}

// ParsePrefix parses an IPv4 or IPv6 CIDR range, or a single address (which
// becomes a /32 or /128). The result is masked, so "198.51.100.7/24" means
// 198.51.100.0/24. An IPv4-mapped IPv6 range (::ffff:a.b.c.d/bits, bits ≥ 96)
// is turned into the IPv4 range it denotes, because entry addresses are
// unmapped before they are compared and the mapped range would otherwise match
// nothing.
func ParsePrefix(s string) (netip.Prefix, error) {
	fail := func() (netip.Prefix, error) {
		return netip.Prefix{}, fmt.Errorf("%q is not an IPv4/IPv6 CIDR range such as %q or %q, nor a single IP address",
			s, "198.51.100.0/24", "2001:db8::/32")
	}
	var p netip.Prefix
	if strings.Contains(s, "/") {
		var err error
		if p, err = netip.ParsePrefix(s); err != nil {
			return fail()
		}
	} else {
		addr, err := netip.ParseAddr(s)
		if err != nil || addr.Zone() != "" {
			// A zone names an interface on one host; it has no place in a filter.
			return fail()
		}
		p = netip.PrefixFrom(addr, addr.BitLen())
	}
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	if network := p.Masked(); network != p {
		// A typo in the length (/2 for /24) would silently widen an allow-list.
		return netip.Prefix{}, fmt.Errorf("%q has bits set beyond /%d; the network is %s%s", s, p.Bits(), network, hostBitsHint(p))
	}
	return p, nil
}

// hostBitsHint suggests the length that was probably meant for a prefix with host
// bits: the first byte (IPv4) or group (IPv6) boundary at which the address has
// none, or the address itself.
func hostBitsHint(p netip.Prefix) string {
	addr, bits := p.Addr(), p.Addr().BitLen()
	step := 8
	if addr.Is6() {
		step = 16
	}
	for n := (p.Bits()/step + 1) * step; n < bits; n += step {
		if q := netip.PrefixFrom(addr, n); q.Masked() == q {
			return fmt.Sprintf(" — did you mean /%d?", n)
		}
	}
	return fmt.Sprintf(" — write %s for the network, or %s for the address alone", p.Masked(), netip.PrefixFrom(addr, bits))
}

// regexLike finds what a regular expression has and a glob does not: anchors,
// alternation, groups, a leading ".*" or ".+" and escapes such as "\." ("database.*"
// is a good glob: actions hold dots, and "*" after one is any run of characters).
var regexLike = regexp.MustCompile(`^\.[*+]|[\^$|(){}]|\\[.dswbDSWB]`)

// GlobLooksLikeRegex says why a glob pattern looks like a regular expression
// ("^", "|", ".*", ...), or "" when it does not: such a glob is valid but
// matches almost nothing, and an empty result would read as compliance.
func GlobLooksLikeRegex(pattern string) string { return regexLike.FindString(pattern) }

// CompilePattern compiles an RE2 regular expression, the syntax of Go's regexp
// package and of Terraform's regex() and regexall(), so that a pattern tried in
// `terraform console` means the same in a filter. A pattern is unanchored: it
// matches when it matches somewhere in the text. An empty pattern is refused,
// because it would match every entry, which is never what a filter list means.
func CompilePattern(s string) (*regexp.Regexp, error) {
	if s == "" {
		return nil, errors.New(`pattern is empty: it would match every entry; write ".*" if that is what you mean`)
	}
	re, err := regexp.Compile(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a valid RE2 regular expression (the syntax of Terraform's regex()): %v", s, err)
	}
	return re, nil
}

// ParseAddr parses one IP address the way the ip_cidrs filter reads a session's
// address: surrounding spaces and an IPv6 zone are ignored, a port
// ("198.51.100.7:443", "[2001:db8::1]:443") is dropped, and an IPv4-mapped IPv6
// address is unmapped so that IPv4 ranges match it.
func ParseAddr(s string) (netip.Addr, error) {
	addr, ok := parseEntryAddr(&s)
	if !ok {
		return netip.Addr{}, fmt.Errorf("%q is not an IPv4 or IPv6 address such as %q or %q", s, "198.51.100.7", "2001:db8::1")
	}
	return addr, nil
}
