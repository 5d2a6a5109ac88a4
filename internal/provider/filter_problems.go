package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
)

// In a compliance gate an empty result reads as "nothing happened", so a filter that
// could not match is named: an argument whose field the entries lack, whose values the
// server sent in a form it cannot read, or that matched none of the values the log
// holds. Each problem becomes a warning (an error with on_unmatchable = "error") on the
// argument, and a line of unmatched_filters, which a postcondition can assert empty.

// filterProblem is one argument that could not match.
type filterProblem struct {
	attribute, summary, detail string
	line                       string // for unmatched_filters: no personal data
}

const (
	summaryMissing     = "Filter Field Missing From Entries"
	summaryUnparseable = "Unparseable Values In Entries"
	summaryNothing     = "Filter Matched Nothing"
)

// wantedValues is what the configuration asks an include argument for, for suggestions.
type wantedValues interface {
	Wanted(name string) (values []string, glob bool)
}

// filterProblems lists what the filter met, sorted by argument. window is the argument
// that set the time window.
func filterProblems(u logquery.Unmatchable, bad logquery.Unparseable, seen map[string]logquery.Seen, wanted wantedValues, window string) []filterProblem {
	var out []filterProblem
	for _, name := range slices.Sorted(maps.Keys(u)) {
		out = append(out, filterProblem{attribute: name, summary: summaryMissing,
			detail: fmt.Sprintf("%s entries were left out only because they carry no value for the field that %s filters on. "+
				"The API's response shape does not always include it (the official shape has no audit action or status, "+
				"the seed shape no type, API key name, session action or user role, for example); filter on other "+
				"arguments, or see the data source documentation.", thousands(u[name]), name),
			line: fmt.Sprintf("%s: %s entries lack the field it filters on", name, thousands(u[name]))})
	}
	for _, name := range slices.Sorted(maps.Keys(bad)) {
		b, attribute := bad[name], name
		var detail string
		switch name {
		case logquery.AttrWindow:
			attribute = window
			detail = fmt.Sprintf("%s entries had a time that is not an RFC 3339 timestamp, such as %s; they cannot match a "+
				"time window and were left out.", thousands(b.Count), b.Example)
		case logquery.AttrIPCIDRs:
			detail = fmt.Sprintf("%s sessions had an IP address that does not parse, such as %q; they cannot match %s and "+
				"were left out.", thousands(b.Count), b.Example, name)
		default:
			detail = fmt.Sprintf("%s entries had a value for %s that does not parse, such as %q; they were left out.",
				thousands(b.Count), name, b.Example)
		}
		out = append(out, filterProblem{attribute: attribute, summary: summaryUnparseable, detail: detail +
			" The API sent these values; the entries are not missing from the log, but the filter cannot place them. " +
			"Remove the filter to see them, and report the values to Redis Cloud support.",
			line: fmt.Sprintf("%s: %s entries have a value it cannot read", attribute, thousands(b.Count))})
	}
	for _, name := range slices.Sorted(maps.Keys(seen)) {
		if s := seen[name]; s.Present > 0 && s.Passed == 0 {
			if p, ok := matchedNothing(name, s, wanted); ok {
				out = append(out, p)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b filterProblem) int { return strings.Compare(a.attribute, b.attribute) })
	return out
}

// matchedNothing names an include argument that no value of the log satisfied, with
// the values the log does hold (where they are not about people) and the likely intent,
// when the values asked for look like a mistake: one is close to a value the log holds
// ("API Key" for ApiKey, "carol" for a name that holds it) or cannot be of the kind the
// log holds (an e-mail glob where the log names users by display name). Otherwise zero
// is an answer, not a mistake: no database was deleted today.
func matchedNothing(name string, s logquery.Seen, wanted wantedValues) (filterProblem, bool) {
	field := map[string]string{logquery.AttrUsers: "a user", logquery.AttrTypes: "a type", logquery.AttrStatus: "a status",
		logquery.AttrActions: "an action", logquery.AttrUserRoles: "a user role", logquery.AttrAPIKeyNames: "an API key name",
		logquery.AttrDetailsPatterns: "details"}[name]
	detail := fmt.Sprintf("%s matched none of the %s entries that have %s.", name, thousands(s.Present), field)
	line := fmt.Sprintf("%s: matched none of %s entries", name, thousands(s.Present))
	switch name {
	case logquery.AttrUsers, logquery.AttrDetailsPatterns: // about people: not repeated here
		detail += fmt.Sprintf(" The values are not shown (%d distinct at least).", len(s.Values))
	default:
		shown := logquery.MostSeen(s.Values, 8)
		parts := make([]string, len(shown))
		for i, v := range shown {
			parts[i] = fmt.Sprintf("%q (%s)", v, thousands(s.Values[v]))
		}
		more := ""
		if rest := len(s.Values) - len(shown); rest > 0 || s.Other > 0 {
			more = fmt.Sprintf(", and %d more", rest+min(s.Other, 1))
		}
		detail += " Values seen: " + strings.Join(parts, ", ") + more + "."
	}
	values, glob := wanted.Wanted(name)
	mistaken := false
	for _, want := range values {
		hint := logquery.Suggest(want, s.Values, glob)
		if name == logquery.AttrUsers && !strings.HasPrefix(hint, "*") {
			hint = "" // a user's name would be personal data in a warning and in state
		}
		if hint != "" {
			mistaken = true
			detail += fmt.Sprintf(" Did you mean %q for %q?", hint, want)
			line += fmt.Sprintf(" (did you mean %q?)", hint)
			break
		}
	}
	if name == logquery.AttrUsers && !anyContains(s.Values, "@") && slices.ContainsFunc(values, func(v string) bool { return strings.Contains(v, "@") }) {
		mistaken = true
		detail += " None of the users in these entries is an e-mail address: the official audit log names users by " +
			"display name (its originator), so match names such as \"*Smith*\", or use the session log, which has e-mails."
	}
	if glob {
		detail += " Globs match the whole value, ignoring case: \"*\" for any characters, \"?\" for one."
	}
	return filterProblem{attribute: name, summary: summaryNothing, line: line, detail: detail +
		" An empty result here says nothing about the account: fix the value, or remove the argument."}, mistaken
}

// report adds the problems as warnings, or as errors when strict.
func report(diags *diag.Diagnostics, problems []filterProblem, strict bool) {
	for _, p := range problems {
		if strict {
			diags.AddAttributeError(path.Root(p.attribute), p.summary, p.detail+` (on_unmatchable = "error")`)
		} else {
			diags.AddAttributeWarning(path.Root(p.attribute), p.summary, p.detail)
		}
	}
}

func problemLines(problems []filterProblem) []string {
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = p.line
	}
	return lines
}

func anyContains(m map[string]int, sub string) bool {
	for v := range m {
		if strings.Contains(v, sub) {
			return true
		}
	}
	return false
}

// thousands writes n with commas: 3,112.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
