package logquery

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
)

// Boundaries of the parsers that a mutation of one comparison passed unnoticed.

func TestGlobClassBoundaries(t *testing.T) {
	// A one-character range is a range, not a backwards one.
	g, err := CompileGlob("db-[a-a]")
	if err != nil {
		t.Fatalf("[a-a]: %v", err)
	}
	if !g.Match("db-a") || !g.Match("DB-A") || g.Match("db-b") {
		t.Errorf("db-[a-a] matches db-a (any case) and nothing else")
	}
	// A '-' that ends the pattern inside an open class is no range: the class
	// has no closing ] (and the parser must not read past the end).
	for _, p := range []string{"[a-", "x[-", "[\\a-"} {
		if _, err := CompileGlob(p); err == nil || !strings.Contains(err.Error(), "no closing ]") {
			t.Errorf("CompileGlob(%q) = %v, want the no-closing-] error", p, err)
		}
	}
}

func TestParseTimestampYear9999(t *testing.T) {
	got, err := ParseTimestamp("9999-12-31T23:59:59Z")
	if err != nil || !got.Equal(time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)) {
		t.Errorf("the last second of 9999: %v, %v", got, err)
	}
	if _, err := ParseTimestamp("9999-12-31T23:59:59-01:00"); err == nil || !strings.Contains(err.Error(), "outside the years 0000-9999") {
		t.Errorf("an offset past 9999 in UTC: err = %v", err)
	}
}

func TestParseLookbackDigitsAfterAUnit(t *testing.T) {
	// The digits 0 and 9 start the next component; they are no part of a unit.
	for in, want := range map[string]time.Duration{
		"1h0m": time.Hour, "1h9m": 69 * time.Minute, "1d0h": 24 * time.Hour, "2w9d": 23 * 24 * time.Hour,
	} {
		if got, err := ParseLookback(in); err != nil || got != want {
			t.Errorf("ParseLookback(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
}

func TestDistinctIPAddressesWhenNoneParses(t *testing.T) {
	// More values that are no address than addresses (here: none at all).
	entries := []client.SessionEntry{{IPAddress: ptr("vpn-gateway")}, {IPAddress: ptr("unknown")}, {IPAddress: ptr("10.0.0.1")}, {IPAddress: ptr("n/a")}}
	if got, want := DistinctIPAddresses(entries[:2]), []string{"unknown", "vpn-gateway"}; !slices.Equal(got, want) {
		t.Errorf("DistinctIPAddresses = %v, want %v", got, want)
	}
	if got, want := DistinctIPAddresses(entries), []string{"10.0.0.1", "n/a", "unknown", "vpn-gateway"}; !slices.Equal(got, want) {
		t.Errorf("DistinctIPAddresses = %v, want %v", got, want)
	}
}
