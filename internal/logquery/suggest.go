package logquery

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"unicode"
)

// MostSeen returns up to n of the values, the most frequent first (ties in
// alphabetical order).
func MostSeen(values map[string]int, n int) []string {
	keys := slices.Collect(maps.Keys(values))
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(values[b], values[a]), strings.Compare(a, b)) })
	return keys[:min(n, len(keys))]
}

// Suggest returns the value a user probably meant by want, given the values a
// log holds, or "" when none is close: the same letters and digits in another
// case or spacing ("API Key" for ApiKey), a small typo, or, for a glob without
// wildcards, a value that contains it (a glob matches the whole value, so
// "carol" becomes "*carol*").
func Suggest(want string, seen map[string]int, glob bool) string {
	w := letters(want)
	if w == "" {
		return ""
	}
	best, bestDistance := "", 0
	for _, v := range MostSeen(seen, len(seen)) {
		switch d := distance(w, letters(v)); {
		case d == 0:
			return v
		case d <= max(1, len(w)/4) && (best == "" || d < bestDistance):
			best, bestDistance = v, d
		}
	}
	if best != "" {
		return best
	}
	if glob && !strings.ContainsAny(want, "*?[") {
		for v := range seen {
			if strings.Contains(strings.ToLower(v), strings.ToLower(want)) {
				return "*" + want + "*"
			}
		}
	}
	return ""
}

// letters is s lower-cased with only its letters and digits.
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// distance is the Levenshtein distance between a and b, in runes.
func distance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur := make([]int, len(y)+1)
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(y)]
}
