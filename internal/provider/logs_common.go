package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
	"github.com/redis-logs/terraform-provider-rediscloud/internal/validators"
)

// defaultReadTimeout bounds a whole read (every page and retry) unless timeouts.read is set.
const defaultReadTimeout = 10 * time.Minute

// The arguments and results that both data sources share, so that both describe,
// validate and resolve them the same way.

func windowAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"start_time": schema.StringAttribute{
			MarkdownDescription: "Oldest entry time to include, inclusive, as an RFC 3339 timestamp such as " +
				"`\"2025-01-01T00:00:00Z\"`. Conflicts with `lookback`.",
			Optional: true,
			Validators: []validator.String{
				validators.Timestamp(),
				stringvalidator.ConflictsWith(path.MatchRoot("lookback")),
			},
		},
		"end_time": schema.StringAttribute{
			MarkdownDescription: "Newest entry time to include, inclusive, as an RFC 3339 timestamp. " +
				"Must not be before `start_time`.",
			Optional: true,
			Validators: []validator.String{
				validators.Timestamp(),
				validators.NotBefore(path.MatchRoot("start_time")),
			},
		},
		"lookback": schema.StringAttribute{
			MarkdownDescription: "Relative window start: the read includes entries newer than now minus this " +
				"duration. Go duration syntax plus days and weeks: `\"90m\"`, `\"24h\"`, `\"7d\"`, `\"2w\"`. " +
				"Stays plannable, unlike `timestamp()`. Conflicts with `start_time`.",
			Optional:   true,
			Validators: []validator.String{validators.Lookback()},
		},
	}
}

// validatedListAttribute is an optional list of strings whose every element must pass
// element; a bad element is reported at its own index.
func validatedListAttribute(description string, element validator.String) schema.ListAttribute {
	return schema.ListAttribute{
		MarkdownDescription: description,
		ElementType:         types.StringType,
		Optional:            true,
		Validators: []validator.List{
			listvalidator.ValueStringsAre(element),
			listvalidator.NoNullValues(),
		},
	}
}

func globListAttribute(description string) schema.ListAttribute {
	a := validatedListAttribute(description+" Case-insensitive glob patterns, matched against the whole value: `*` "+
		"matches any run of characters, `?` one character, `[a-z]` a class (not regular expressions: a pattern that "+
		"looks like one warns). Values in the list combine with OR.", validators.Glob())
	a.Validators = append(a.Validators, listvalidator.ValueStringsAre(validators.GlobNotRegex()))
	return a
}

func patternListAttribute(description string) schema.ListAttribute {
	return validatedListAttribute(description+" RE2 regular expressions, the syntax of Terraform's `regex()`: a pattern "+
		"matches when it matches somewhere in the text (anchor it with `^` and `$` for the whole text; `(?i)` ignores "+
		"case). Values in the list combine with OR.", validators.Pattern())
}

func cidrListAttribute(description string) schema.ListAttribute {
	return validatedListAttribute(description+" IPv4 or IPv6 CIDR ranges such as `\"198.51.100.0/24\"` or "+
		"`\"2001:db8::/32\"`; a single address means just that address.", validators.CIDR())
}

func computedString(description string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: description, Computed: true}
}

func typesAttribute(what, examples string) schema.ListAttribute {
	return schema.ListAttribute{
		MarkdownDescription: "Keep only " + what + " whose `type` equals one of these values (case-insensitive), " +
			examples + ". Values in the list combine with OR.",
		ElementType: types.StringType,
		Optional:    true,
		Validators:  []validator.List{listvalidator.NoNullValues()},
	}
}

// countsAttribute is a computed map of counts.
func countsAttribute(description string) schema.MapAttribute {
	return schema.MapAttribute{MarkdownDescription: description, ElementType: types.Int64Type, Computed: true}
}

// lastSeenAttribute is the computed last_seen map of both data sources.
func lastSeenAttribute(kind, key string) schema.MapAttribute {
	return schema.MapAttribute{
		MarkdownDescription: "The RFC 3339 time (UTC) of each user's newest matching " + kind + ", keyed like `user_counts` (" +
			key + "). Covers every match, not only the entries kept by `max_results`; " + kind + " without a time are left out. " +
			"For access reviews: read a long window with `max_results = 0`.",
		ElementType: types.StringType,
		Computed:    true,
	}
}

func maxResultsAttribute() schema.Int64Attribute {
	return schema.Int64Attribute{
		MarkdownDescription: "Keep at most this many entries, newest first. `total_count` still counts every " +
			"match, `truncated` becomes true and a warning says so. The summaries cover every match. `0` reads " +
			"the summaries only: `entries` is an empty list and there is no warning.",
		Optional:   true,
		Validators: []validator.Int64{int64validator.AtLeast(0)},
	}
}

func resultAttributes(ctx context.Context, kind string) map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "Stable hash of the query arguments (not of the results): the same arguments " +
				"always give the same `id`.",
			Computed: true,
		},
		"total_count": schema.Int64Attribute{
			MarkdownDescription: "How many " + kind + " matched the filters, before `max_results`.",
			Computed:            true,
		},
		"truncated": schema.BoolAttribute{
			MarkdownDescription: "True when `max_results` cut the list of `entries`.",
			Computed:            true,
		},
		"timeouts": timeoutsAttribute(ctx),
		"on_unmatchable": schema.StringAttribute{
			MarkdownDescription: "What to do when a filter argument could not match: the entries lack its field (the " +
				"response shape does not carry it), the server sent values it cannot read, or it matched none of the values " +
				"the log holds (a typo, a regular expression in a glob). `\"warn\"` (the default) warns on the argument; " +
				"`\"error\"` fails the read, for gates where an empty result must never pass by mistake. Either way " +
				"`unmatched_filters` lists them.",
			Optional:   true,
			Validators: []validator.String{stringvalidator.OneOf("warn", "error")},
		},
		"unmatched_filters": schema.ListAttribute{
			MarkdownDescription: "One line for each filter argument that could not match (see `on_unmatchable`), such as " +
				"`\"types: matched none of 3,112 entries (did you mean \\\"ApiKey\\\"?)\"`; empty when every filter could. " +
				"A postcondition `length(self.unmatched_filters) == 0` makes sure a result of zero is not a mistake. " +
				"The lines name no user and no other value of the log but the suggestion.",
			ElementType: types.StringType,
			Computed:    true,
		},
	}
}

func timeoutsAttribute(ctx context.Context) schema.Attribute {
	a := timeouts.AttributesWithOpts(ctx, timeouts.Opts{
		ReadDescription: "Bounds the whole read, every page and retry included, as a duration such as `\"90s\"` or `\"15m\"`. Defaults to `\"10m\"`.",
	})
	if nested, ok := a.(schema.SingleNestedAttribute); ok {
		nested.MarkdownDescription = "Time limits of the read: `read` bounds the whole read. Ctrl-C cancels a read in progress."
		return nested
	}
	return a
}

func userAttribute() schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "Who acted. Always an object; each member is null when the response shape does not carry it.",
		Computed:            true,
		Attributes: map[string]schema.Attribute{
			"email": schema.StringAttribute{MarkdownDescription: "The user's email address.", Computed: true},
			"name":  schema.StringAttribute{MarkdownDescription: "The user's name.", Computed: true},
		},
	}
}

func mergeAttributes(maps ...map[string]schema.Attribute) map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// windowArgs are the time arguments both data sources read from their configuration.
type windowArgs struct {
	StartTime types.String
	EndTime   types.String
	Lookback  types.String
}

// resolve turns the arguments into an absolute window. The validators have already
// rejected malformed values where they were known; values only known now are checked here.
// An end_time before start_time is the NotBefore validator's to report, once, at validate
// time (Terraform validates again with the values known at plan time).
func (w windowArgs) resolve(now time.Time) (logquery.Window, diag.Diagnostics) {
	var diags diag.Diagnostics
	var win logquery.Window
	if s := w.StartTime.ValueString(); s != "" {
		t, err := logquery.ParseTimestamp(s)
		if err != nil {
			diags.AddAttributeError(path.Root("start_time"), "Invalid Timestamp", err.Error())
		} else {
			win.Start = &t
		}
	}
	if s := w.Lookback.ValueString(); s != "" {
		d, err := logquery.ParseLookback(s)
		if err != nil {
			diags.AddAttributeError(path.Root("lookback"), "Invalid Lookback", err.Error())
		} else {
			t := now.Add(-d).UTC()
			win.Start = &t
		}
	}
	if s := w.EndTime.ValueString(); s != "" {
		t, err := logquery.ParseTimestamp(s)
		if err != nil {
			diags.AddAttributeError(path.Root("end_time"), "Invalid Timestamp", err.Error())
		} else {
			win.End = &t
		}
	}
	if win.End != nil && win.Start != nil && win.End.Before(*win.Start) && w.Lookback.ValueString() != "" {
		diags.AddAttributeError(path.Root("end_time"), "Empty Time Window", fmt.Sprintf("end_time %s is before now minus "+
			"lookback (%s), so no entry can match and an empty result would say nothing. Remove end_time, or use "+
			"start_time instead of lookback.", w.EndTime.ValueString(), *logquery.FormatTime(win.Start)))
	}
	return win, diags
}

// stringList reads an optional list of strings; null gives nil.
func stringList(ctx context.Context, l types.List) ([]string, diag.Diagnostics) {
	if l.IsNull() || l.IsUnknown() {
		return nil, nil
	}
	var out []string
	diags := l.ElementsAs(ctx, &out, false)
	return out, diags
}

// parseList parses each element of an optional list, reporting a bad one on its own
// index of the attribute (the validators catch it earlier when the value is known then).
func parseList[T any](ctx context.Context, l types.List, attribute, summary string, parse func(string) (T, error)) ([]T, diag.Diagnostics) {
	values, diags := stringList(ctx, l)
	var out []T
	for i, v := range values {
		parsed, err := parse(v)
		if err != nil {
			diags.AddAttributeError(path.Root(attribute).AtListIndex(i), summary, err.Error())
			continue
		}
		out = append(out, parsed)
	}
	return out, diags
}

func globList(ctx context.Context, l types.List, attribute string) ([]logquery.Glob, diag.Diagnostics) {
	return parseList(ctx, l, attribute, "Invalid Glob Pattern", logquery.CompileGlob)
}

func patternList(ctx context.Context, l types.List, attribute string) ([]*regexp.Regexp, diag.Diagnostics) {
	return parseList(ctx, l, attribute, "Invalid Regular Expression", logquery.CompilePattern)
}

func prefixList(ctx context.Context, l types.List, attribute string) ([]netip.Prefix, diag.Diagnostics) {
	return parseList(ctx, l, attribute, "Invalid CIDR Range", logquery.ParsePrefix)
}

// listParser parses optional list arguments one after another, gathering the
// diagnostics of all of them, so that every bad argument is reported at once.
type listParser struct {
	ctx   context.Context
	diags diag.Diagnostics
}

func (p *listParser) values(l types.List) []string {
	out, diags := stringList(p.ctx, l)
	p.diags.Append(diags...)
	return out
}

func (p *listParser) globs(l types.List, attribute string) []logquery.Glob {
	out, diags := globList(p.ctx, l, attribute)
	p.diags.Append(diags...)
	return out
}

func (p *listParser) patterns(l types.List, attribute string) []*regexp.Regexp {
	out, diags := patternList(p.ctx, l, attribute)
	p.diags.Append(diags...)
	return out
}

func (p *listParser) prefixes(l types.List, attribute string) []netip.Prefix {
	out, diags := prefixList(p.ctx, l, attribute)
	p.diags.Append(diags...)
	return out
}

func optionalString(s types.String) *string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	v := s.ValueString()
	return &v
}

// addReadError turns a failed read into one error: a failure from the API never
// becomes a shorter list. Whether the read ran out of timeouts.read or was cancelled is
// asked of the read's own context: the client's errors wrap a deadline too when a single
// attempt outlasted request_timeout, and that is not the read's timeout.
func addReadError(ctx context.Context, diags *diag.Diagnostics, what string, err error) {
	summary := "Unable to Read " + what
	var apiErr *client.APIError
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		diags.AddError(summary, withArgument("The read did not finish within timeouts.read: "+err.Error()+
			". Narrow the time window, or raise timeouts.read.", err))
	case errors.Is(ctx.Err(), context.Canceled):
		diags.AddError(summary, withArgument("The read was cancelled: "+err.Error(), err))
	case errors.As(err, &apiErr):
		diags.AddError(summary, withArgument("The Redis Cloud API answered: "+err.Error(), err))
	default:
		diags.AddError(summary, withArgument(err.Error(), err))
	}
}

// settingArguments names the provider arguments behind each client setting an error
// can blame: the client's texts speak of its settings, the user changes arguments.
var settingArguments = map[client.Setting]string{
	client.SettingBaseURL: "The base URL is the provider's url argument.",
	client.SettingAllowInsecureHTTP: "The base URL is the provider's url argument; plain HTTP to a host other than " +
		"a loopback address needs allow_insecure_http = true.",
	client.SettingKeys:           "The API key is the provider's api_key argument, the secret key its secret_key argument.",
	client.SettingRequestTimeout: "The request timeout is the provider's request_timeout argument.",
	client.SettingRateLimit:      "The rate limit is the provider's requests_per_minute argument.",
}

// withArgument ends detail with the provider argument that err, a client error, says
// to change, if it names one.
func withArgument(detail string, err error) string {
	if argument, ok := settingArguments[client.SettingOf(err)]; ok {
		return strings.TrimSuffix(detail, ".") + ". " + argument
	}
	return detail
}

// The tftypes of the results, held as tftypes.Type once: converting tftypes.String to the
// interface on every call would cost an allocation per value.
var (
	tfString tftypes.Type = tftypes.String
	tfNumber tftypes.Type = tftypes.Number
	tfBool   tftypes.Type = tftypes.Bool
)

// stringValue is a string attribute's state value; nil is null.
func stringValue(s *string) tftypes.Value {
	if s == nil {
		return tftypes.NewValue(tfString, nil)
	}
	return tftypes.NewValue(tfString, *s)
}

// boolValue is a bool attribute's state value; nil is null.
func boolValue(b *bool) tftypes.Value {
	if b == nil {
		return tftypes.NewValue(tfBool, nil)
	}
	return tftypes.NewValue(tfBool, *b)
}

// userValue is the user attribute of an entry of type entry: always an object, its
// members null when the response shape lacks them.
func userValue(entry tftypes.Object, email, name *string) tftypes.Value {
	return tftypes.NewValue(entry.AttributeTypes["user"], map[string]tftypes.Value{
		"email": stringValue(email), "name": stringValue(name),
	})
}

// mapValue is a map attribute's state value, its elements of type elem.
func mapValue[V int64 | string](elem tftypes.Type, m map[string]V) tftypes.Value {
	values := make(map[string]tftypes.Value, len(m))
	for k, v := range m {
		values[k] = tftypes.NewValue(elem, v)
	}
	return tftypes.NewValue(tftypes.Map{ElementType: elem}, values)
}

// stringListValue is a list(string) attribute's state value; nil is an empty list.
func stringListValue(values []string) tftypes.Value {
	elems := make([]tftypes.Value, len(values))
	for i, v := range values {
		elems[i] = tftypes.NewValue(tfString, v)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, elems)
}

// setListArgs adds the optional list arguments that are set to args, so that adding an
// argument to the provider does not change the id of configurations that do not use it.
func setListArgs(ctx context.Context, args map[string]any, lists map[string]types.List) (map[string]any, diag.Diagnostics) {
	var diags diag.Diagnostics
	for k, v := range lists {
		if !v.IsNull() {
			s, d := stringList(ctx, v)
			diags.Append(d...)
			args[k] = s
		}
	}
	return args, diags
}

// queryArgs collects the arguments for logquery.QueryID, by their schema names.
func queryArgs(ctx context.Context, strs map[string]types.String, lists map[string]types.List, others map[string]any) (map[string]any, diag.Diagnostics) {
	var diags diag.Diagnostics
	args := map[string]any{}
	for k, v := range strs {
		args[k] = optionalString(v)
	}
	for k, v := range lists {
		s, d := stringList(ctx, v)
		diags.Append(d...)
		args[k] = s
	}
	maps.Copy(args, others)
	return args, diags
}
