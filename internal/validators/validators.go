// Package validators holds the schema validators for the log data sources'
// arguments. They are thin wrappers over the internal/logquery parsers, so
// that a value `terraform validate` accepts is exactly a value the data
// sources can filter on, and errors are reported on the attribute at fault.
package validators

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
)

// Timestamp accepts an RFC 3339 timestamp, such as "2025-01-31T23:59:59Z".
func Timestamp() validator.String {
	return parsed{
		thing:       "Timestamp",
		description: "value must be an RFC 3339 timestamp such as 2025-01-31T23:59:59Z (fractional seconds and offsets allowed)",
		markdown:    "value must be an RFC 3339 timestamp such as `2025-01-31T23:59:59Z` (fractional seconds and offsets allowed)",
		check:       func(s string) error { _, err := logquery.ParseTimestamp(s); return err },
	}
}

// Lookback accepts a positive duration in Go syntax plus days and weeks,
// such as "24h", "90m", "7d" or "1d12h".
func Lookback() validator.String {
	return parsed{
		thing:       "Lookback",
		description: "value must be a positive duration such as 24h, 90m, 1h30m, 7d, 2w or 1d12h",
		markdown:    "value must be a positive duration such as `24h`, `90m`, `1h30m`, `7d`, `2w` or `1d12h`",
		check:       func(s string) error { _, err := logquery.ParseLookback(s); return err },
	}
}

// Duration accepts a positive duration in Go syntax, such as "30s" or "1h30m",
// for arguments that are waits and timeouts rather than lookbacks.
func Duration() validator.String {
	return parsed{
		thing:       "Duration",
		description: "value must be a positive duration such as 500ms, 30s, 2m or 1h30m",
		markdown:    "value must be a positive duration such as `500ms`, `30s`, `2m` or `1h30m`",
		check:       func(s string) error { _, err := logquery.ParseDuration(s); return err },
	}
}

// CIDR accepts an IPv4 or IPv6 CIDR range, or a single IP address. For a
// list attribute use listvalidator.ValueStringsAre(validators.CIDR()): the
// error then names the offending element.
func CIDR() validator.String {
	return parsed{
		thing:       "CIDR Range",
		description: "value must be an IPv4 or IPv6 CIDR range such as 198.51.100.0/24 or 2001:db8::/32, or a single IP address",
		markdown:    "value must be an IPv4 or IPv6 CIDR range such as `198.51.100.0/24` or `2001:db8::/32`, or a single IP address",
		check:       func(s string) error { _, err := logquery.ParsePrefix(s); return err },
	}
}

// Glob accepts a case-insensitive glob pattern (see logquery.Glob).
func Glob() validator.String {
	return parsed{
		thing:       "Glob Pattern",
		description: "value must be a glob pattern, matched ignoring case: * matches any characters, ? one character, [abc] or [a-z] one of a set, \\ escapes",
		markdown:    "value must be a glob pattern, matched ignoring case: `*` matches any characters, `?` one character, `[abc]` or `[a-z]` one of a set, `\\` escapes",
		check:       func(s string) error { _, err := logquery.CompileGlob(s); return err },
	}
}

// GlobNotRegex warns about a glob pattern that looks like a regular expression
// ("^database.*", "a|b"): it is a valid glob, but it matches almost nothing, and in
// a compliance gate an empty result reads as a pass.
func GlobNotRegex() validator.String { return globNotRegex{} }

type globNotRegex struct{}

func (v globNotRegex) Description(context.Context) string {
	return "value should be a glob (* for any characters), not a regular expression"
}

func (v globNotRegex) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v globNotRegex) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	what := logquery.GlobLooksLikeRegex(s)
	if what == "" {
		return
	}
	detail := fmt.Sprintf("%q holds %q, which belongs to regular expressions: this is a glob, matched against the whole "+
		"value ignoring case, so it matches only values that hold those characters literally. Write a glob: \"*\" for "+
		"any characters, \"?\" for one, and one list element per alternative (for \"^database\\..*|user\\.remove\" "+
		"write [\"database.*\", \"user.remove\"]).", s, what)
	resp.Diagnostics.AddAttributeWarning(req.Path, "Glob Looks Like a Regular Expression", detail)
}

// Pattern accepts an RE2 regular expression, the syntax of Terraform's regex()
// (see logquery.CompilePattern). For a list attribute use
// listvalidator.ValueStringsAre(validators.Pattern()): the error then names the
// attribute and the offending element, with the regexp package's message.
func Pattern() validator.String {
	return parsed{
		thing:       "Regular Expression",
		description: "value must be an RE2 regular expression, the syntax of Terraform's regex(), matched anywhere in the text unless anchored with ^ or $; (?i) ignores case",
		markdown:    "value must be an RE2 regular expression, the syntax of Terraform's `regex()`, matched anywhere in the text unless anchored with `^` or `$`; `(?i)` ignores case",
		check:       func(s string) error { _, err := logquery.CompilePattern(s); return err },
	}
}

// HeaderValue accepts a value that can be sent as an HTTP header, as the API
// keys are: no line break or other control character but the tab. thing names
// the value in the summary ("API Key"); the value itself is never quoted.
func HeaderValue(thing string) validator.String {
	return parsed{
		thing:       thing,
		description: "value must not hold a line break or another control character: it is sent as an HTTP header",
		markdown:    "value must not hold a line break or another control character: it is sent as an HTTP header",
		check: func(s string) error {
			if !client.HeaderSafe(s) {
				return errors.New("the value holds a line break or another control character, which cannot be sent in an " +
					"HTTP header; check for a stray newline where it was pasted, or wrap a value read from a file in trimspace()")
			}
			return nil
		},
	}
}

// parsed is a validator.String that accepts what its check accepts. The
// check's error becomes the diagnostic detail unchanged, because the parsers
// already say what was wrong and what is expected.
type parsed struct {
	thing                 string // the summary reads "Invalid " + thing
	description, markdown string
	check                 func(string) error
}

var _ validator.String = parsed{}

func (v parsed) Description(context.Context) string { return v.description }

func (v parsed) MarkdownDescription(context.Context) string { return v.markdown }

// ValidateString skips null values (nothing to check) and unknown values
// (checked again once known, at plan or apply time).
func (v parsed) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.thing, err.Error()+".")
	}
}
