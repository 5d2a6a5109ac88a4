package provider

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"sort"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

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
	return validatedListAttribute(description+" Case-insensitive glob patterns: `*` matches any run of characters, "+
		"`?` one character, `[a-z]` a class. Values in the list combine with OR.", validators.Glob())
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
	}
}

func timeoutsAttribute(ctx context.Context) schema.Attribute {
	a := timeouts.AttributesWithOpts(ctx, timeouts.Opts{
		ReadDescription: "Bounds the whole read, every page and retry included, as a duration such as `\"90s\"` or `\"15m\"`. Defaults to `\"10m\"`.",
	})
	if nested, ok := a.(schema.SingleNestedAttribute); ok {
		nested.MarkdownDescription = "Time limits of this data source: `read` bounds the whole read. Ctrl-C cancels a read in progress."
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

var userAttrTypes = map[string]attr.Type{"email": types.StringType, "name": types.StringType}

func mergeAttributes(maps ...map[string]schema.Attribute) map[string]schema.Attribute {
	out := map[string]schema.Attribute{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// configureLogsDataSource is the Configure of both data sources.
func configureLogsDataSource(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) *providerData {
	if req.ProviderData == nil {
		return nil
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", req.ProviderData))
		return nil
	}
	return data
}

// windowArgs are the time arguments both data sources read from their configuration.
type windowArgs struct {
	StartTime types.String
	EndTime   types.String
	Lookback  types.String
}

// resolve turns the arguments into an absolute window. The validators have already
// rejected malformed values where they were known; values only known now are checked here.
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
	if win.Start != nil && win.End != nil && win.End.Before(*win.Start) && !w.StartTime.IsNull() {
		diags.AddAttributeError(path.Root("end_time"), "Invalid Time Window", "end_time must not be before start_time.")
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

func optionalString(s types.String) *string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	v := s.ValueString()
	return &v
}

func readTimeout(ctx context.Context, t timeouts.Value) (time.Duration, diag.Diagnostics) {
	return t.Read(ctx, defaultReadTimeout)
}

// addReadError turns a failed read into one error: a failure from the API never
// becomes a shorter list.
func addReadError(diags *diag.Diagnostics, what string, err error) {
	summary := "Unable to Read " + what
	var apiErr *client.APIError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		diags.AddError(summary, "The read did not finish within timeouts.read: "+err.Error()+
			". Narrow the time window, or raise timeouts.read.")
	case errors.Is(err, context.Canceled):
		diags.AddError(summary, "The read was cancelled: "+err.Error())
	case errors.As(err, &apiErr):
		diags.AddError(summary, "The Redis Cloud API answered: "+err.Error())
	default:
		diags.AddError(summary, err.Error())
	}
}

// entryList is the part of Read both data sources share once the matches are sorted:
// total_count, max_results with its warning, and the entries attribute.
func entryList[E any](matches []E, maxResults types.Int64, rowType map[string]attr.Type,
	row func(*E) attr.Value, diags *diag.Diagnostics) (entries types.List, total types.Int64, truncated types.Bool) {
	kept, cut := logquery.Truncate(matches, maxResults.ValueInt64Pointer())
	// max_results = 0 asks for the summaries only: nothing to warn about.
	if cut && maxResults.ValueInt64() > 0 {
		diags.AddAttributeWarning(path.Root("max_results"), "Results Truncated",
			fmt.Sprintf("%d entries matched; max_results = %d kept the newest %d. total_count counts all of them; "+
				"raise max_results or narrow the filters to see the rest.", len(matches), len(kept), len(kept)))
	}
	rows := make([]attr.Value, 0, len(kept))
	for i := range kept {
		rows = append(rows, row(&kept[i]))
	}
	entries = types.ListValueMust(types.ObjectType{AttrTypes: rowType}, rows)
	return entries, types.Int64Value(int64(len(matches))), types.BoolValue(cut)
}

// addUnmatchableWarnings tells the user when a filter could never match some entries
// because the server's response shape lacks the field (the official /v1/logs has no
// action or status, for example): an empty result then says nothing about the account.
func addUnmatchableWarnings(diags *diag.Diagnostics, u logquery.Unmatchable) {
	names := make([]string, 0, len(u))
	for name, count := range u {
		if count > 0 {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		diags.AddAttributeWarning(path.Root(name), "Filter Field Missing From Entries",
			fmt.Sprintf("%d entries were left out only because they carry no value for the field that %s filters on. "+
				"The API's response shape does not always include it (the official shape has no audit action or status, "+
				"the seed shape no type, API key name, session action or user role, for example); filter on other "+
				"arguments, or see the data source documentation.",
				u[name], name))
	}
}

func int64Map(m map[string]int64) types.Map {
	values := make(map[string]attr.Value, len(m))
	for k, v := range m {
		values[k] = types.Int64Value(v)
	}
	return types.MapValueMust(types.Int64Type, values)
}

func stringMapValue(m map[string]string) types.Map {
	values := make(map[string]attr.Value, len(m))
	for k, v := range m {
		values[k] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, values)
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

// setListArgs adds the optional list arguments that are set to args, so that adding an
// argument to the provider does not change the id of configurations that do not use it.
func setListArgs(ctx context.Context, args map[string]any, lists map[string]types.List) map[string]any {
	for k, v := range lists {
		if !v.IsNull() {
			s, _ := stringList(ctx, v)
			args[k] = s
		}
	}
	return args
}

func stringListValue(values []string) types.List {
	elems := make([]attr.Value, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	return types.ListValueMust(types.StringType, elems)
}

func userValue(email, name *string) attr.Value {
	return types.ObjectValueMust(userAttrTypes, map[string]attr.Value{
		"email": types.StringPointerValue(email), "name": types.StringPointerValue(name),
	})
}

func timeValue(t *time.Time) types.String {
	return types.StringPointerValue(logquery.FormatTime(t))
}

// queryArgs collects the arguments for logquery.QueryID, by their schema names.
func queryArgs(ctx context.Context, strs map[string]types.String, lists map[string]types.List, others map[string]any) map[string]any {
	args := map[string]any{}
	for k, v := range strs {
		args[k] = optionalString(v)
	}
	for k, v := range lists {
		s, _ := stringList(ctx, v)
		args[k] = s
	}
	for k, v := range others {
		args[k] = v
	}
	return args
}
