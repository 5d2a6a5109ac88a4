package provider

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
)

// logsArgs are the arguments and results both logs have; each model embeds it. The read
// (logsSource.read) writes the results straight into the data source's state or the
// ephemeral resource's result, so the result fields are here only for the configuration
// to decode into the model.
type logsArgs struct {
	StartTime     types.String   `tfsdk:"start_time"`
	EndTime       types.String   `tfsdk:"end_time"`
	Lookback      types.String   `tfsdk:"lookback"`
	Users         types.List     `tfsdk:"users"`
	ExcludeUsers  types.List     `tfsdk:"exclude_users"`
	Types         types.List     `tfsdk:"types"`
	Actions       types.List     `tfsdk:"actions"`
	MaxResults    types.Int64    `tfsdk:"max_results"`
	OnUnmatchable types.String   `tfsdk:"on_unmatchable"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`

	ID           types.String `tfsdk:"id"`
	Entries      types.List   `tfsdk:"entries"`
	TotalCount   types.Int64  `tfsdk:"total_count"`
	Truncated    types.Bool   `tfsdk:"truncated"`
	ActionCounts types.Map    `tfsdk:"action_counts"`
	UserCounts   types.Map    `tfsdk:"user_counts"`
	LastSeen     types.Map    `tfsdk:"last_seen"`

	UnmatchedFilters types.List `tfsdk:"unmatched_filters"`
}

// common gives the shared read the embedded arguments of any model.
func (a *logsArgs) common() *logsArgs { return a }

// sharedFilter is the part of either filter that the arguments of logsArgs make.
type sharedFilter struct {
	logquery.Window
	Users, ExcludeUsers, Actions []logquery.Glob
	Types                        []string
}

// logsModel is what the shared read needs of a log's model (a pointer to it).
type logsModel[F any] interface {
	common() *logsArgs
	// filter completes the shared filter with the data source's own arguments.
	filter(ctx context.Context, shared sharedFilter) (F, diag.Diagnostics)
	// queryArgs are the data source's own arguments for the id, by their schema names.
	queryArgs(ctx context.Context) (map[string]any, diag.Diagnostics)
}

// entryFilter is what the logquery filters of both logs have in common.
type entryFilter[E any] interface {
	Match(*E) bool
	Unmatchable() logquery.Unmatchable
	Unparseable() logquery.Unparseable
	Seen() map[string]logquery.Seen
	Wanted(name string) ([]string, bool)
	ResetCounts()
}

// logsSource is what one logs data source gives the Read both share: its model, the
// client call for its entries E, its summaries and its entry mapping. F is its filter.
type logsSource[F entryFilter[E], E any] struct {
	suffix string // the data source type after the provider's, such as "_audit_logs"
	what   string // the log, such as "Audit Logs", in the error summary and the debug line
	// model is an empty model, for the configuration to decode into.
	model func() logsModel[F]
	// scan asks the client for the log, giving keep every distinct entry in the
	// server's order, and restart when the read starts over.
	scan func(ctx context.Context, c *client.Client, f F, keep func(*E) bool, restart func()) (client.ListStats, error)
	// at is an entry's time, by which the kept entries are ordered.
	at func(*E) *time.Time
	// summary is an empty summary of the matches: the computed attributes that cover every match.
	summary func() summary[E]
	// entry gives f the attributes of one entry.
	entry func(f entryFields, e *E)
}

// summary accumulates summaries one match at a time; values are its
// attributes, by their schema names.
type summary[E any] interface {
	Add(*E)
	values() map[string]tftypes.Value
}

// logsDataSource is the Metadata, Configure and Read of a logs data source; the data
// source type embeds it and adds its Schema.
type logsDataSource[F entryFilter[E], E any] struct {
	source *logsSource[F, E]
	data   *providerData
}

func (d *logsDataSource[F, E]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.source.suffix
}

func (d *logsDataSource[F, E]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// configuredData is the provider's data handed to Configure: nil before the provider
// is configured (validation runs first).
func configuredData(given any, diags *diag.Diagnostics) *providerData {
	if given == nil {
		return nil
	}
	data, ok := given.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", given))
	}
	return data
}

// Read sets the state to what the shared read returns (see logsSource.read).
func (d *logsDataSource[F, E]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if state, ok := d.source.read(ctx, d.data, req.Config, &resp.Diagnostics); ok {
		resp.State.Raw = state
	}
}

// read is the one read of both the data source and the ephemeral resource of a log,
// and it reads like a paragraph: get the configuration, turn it into a query, stream
// the log through it (its memory follows what it keeps, not what it scans), name the
// filters that could not match, and return the configuration with the results set:
// the data source's state, the ephemeral resource's result. ok is false when there is
// nothing to set (an error, or no provider configuration yet).
func (s *logsSource[F, E]) read(ctx context.Context, data *providerData, config tfsdk.Config, diags *diag.Diagnostics) (result tftypes.Value, ok bool) {
	started := time.Now()
	model := s.model()
	diags.Append(config.Get(ctx, model)...)
	if diags.HasError() || data == nil {
		return tftypes.Value{}, false
	}
	ctx = maskSecrets(ctx, data.secrets)
	q, queryDiags := s.query(ctx, model)
	if diags.Append(queryDiags...); diags.HasError() {
		return tftypes.Value{}, false
	}
	ctx, cancel := context.WithTimeout(ctx, q.timeout)
	defer cancel()

	r, err := s.stream(ctx, data.client, q)
	if err != nil {
		addReadError(ctx, diags, s.what, err)
		return tftypes.Value{}, false
	}
	if report(diags, r.problems, q.strict); diags.HasError() {
		return tftypes.Value{}, false
	}
	// max_results = 0 asks for the summaries only: nothing to warn about.
	if r.truncated && len(r.kept) > 0 {
		diags.AddAttributeWarning(path.Root("max_results"), "Results Truncated",
			fmt.Sprintf("%d entries matched; max_results = %d kept the newest %d. total_count counts all of them; "+
				"raise max_results or narrow the filters to see the rest.", r.total, len(r.kept), len(r.kept)))
	}
	state, err := s.state(ctx, config.Raw, q, r)
	if err != nil {
		diags.AddError("Unable to Build State", err.Error()+". Please report this issue to the provider developers.")
		return tftypes.Value{}, false
	}
	tflog.Debug(ctx, "read "+strings.ToLower(s.what), map[string]any{
		"requests": r.stats.Requests, "retries": r.stats.Retries, "scanned": r.stats.Scanned,
		"matched": r.total, "elapsed_ms": time.Since(started).Milliseconds(),
	})
	return state, true
}

// logsQuery is a configuration made ready to read.
type logsQuery[F any] struct {
	args    *logsArgs
	filter  F
	id      string
	timeout time.Duration
	strict  bool // on_unmatchable = "error"
}

// query resolves the window (now anchors lookback), builds the filter and the id, and
// reads the timeout.
func (s *logsSource[F, E]) query(ctx context.Context, m logsModel[F]) (logsQuery[F], diag.Diagnostics) {
	args := m.common()
	q := logsQuery[F]{args: args, strict: args.OnUnmatchable.ValueString() == "error"}
	shared, diags := args.sharedFilter(ctx, time.Now())
	filter, more := m.filter(ctx, shared)
	diags.Append(more...)
	q.filter = filter
	q.timeout, more = args.Timeouts.Read(ctx, defaultReadTimeout)
	diags.Append(more...)
	q.id, more = s.queryID(ctx, m)
	diags.Append(more...)
	return q, diags
}

// logsResult is what a read kept: the newest max_results matches, newest first, the
// summaries of every match, and the filters that could not match.
type logsResult[E any] struct {
	kept      []E
	total     int64
	truncated bool
	summary   summary[E]
	problems  []filterProblem
	stats     client.ListStats
}

// stream reads the log: each match goes into the summaries and, while it is among the
// newest max_results, into the kept entries; the client keeps nothing (keep says false).
func (s *logsSource[F, E]) stream(ctx context.Context, c *client.Client, q logsQuery[F]) (logsResult[E], error) {
	matches, sum := logquery.NewNewest(q.args.MaxResults.ValueInt64Pointer(), s.at), s.summary()
	keep := func(e *E) bool {
		if q.filter.Match(e) {
			matches.Add(e)
			sum.Add(e)
		}
		return false
	}
	restart := func() {
		q.filter.ResetCounts()
		matches.Reset()
		sum = s.summary()
	}
	stats, err := s.scan(ctx, c, q.filter, keep, restart)
	if err != nil {
		return logsResult[E]{}, err
	}
	r := logsResult[E]{total: matches.Total(), summary: sum, stats: stats,
		problems: filterProblems(q.filter.Unmatchable(), q.filter.Unparseable(), q.filter.Seen(), q.filter, q.args.windowAttribute())}
	r.kept, r.truncated = matches.Entries()
	return r, nil
}

// state is the configuration with the results set. It is built as one tftypes.Value,
// the entries straight from the client's structs: building attr.Values and converting
// them with State.Set cost most of the provider's share of a large read. Served by
// NewServer, the entries skip even that: Read leaves them in the entriesSlot of ctx,
// and entriesServer writes them into the encoded state.
func (s *logsSource[F, E]) state(ctx context.Context, config tftypes.Value, q logsQuery[F], r logsResult[E]) (tftypes.Value, error) {
	results := r.summary.values()
	results["id"] = tftypes.NewValue(tfString, q.id)
	results["total_count"] = tftypes.NewValue(tfNumber, r.total)
	results["truncated"] = tftypes.NewValue(tfBool, r.truncated)
	results["unmatched_filters"] = stringListValue(problemLines(r.problems))
	slot, _ := ctx.Value(entriesSlotKey{}).(*entriesSlot)
	state, err := stateWith(config, results, func(t tftypes.Object) tftypes.Value {
		if slot != nil {
			slot.count, slot.write = len(r.kept), func(w *msgpackFields) error {
				for i := range r.kept {
					w.entry(func(f entryFields) { s.entry(f, &r.kept[i]) })
				}
				return w.err
			}
			return tftypes.NewValue(tftypes.List{ElementType: t}, []tftypes.Value{})
		}
		rows := make([]tftypes.Value, len(r.kept))
		f := &tftypesFields{t: t}
		for i := range r.kept {
			f.values = make(map[string]tftypes.Value, len(t.AttributeTypes))
			s.entry(f, &r.kept[i])
			rows[i] = tftypes.NewValue(t, f.values)
		}
		return tftypes.NewValue(tftypes.List{ElementType: t}, rows)
	})
	if err == nil && slot != nil {
		slot.schema, _ = state.Type().(tftypes.Object)
	}
	return state, err
}

// sharedFilter resolves the window (now anchors lookback) and parses the shared lists.
func (a *logsArgs) sharedFilter(ctx context.Context, now time.Time) (sharedFilter, diag.Diagnostics) {
	window, diags := windowArgs{StartTime: a.StartTime, EndTime: a.EndTime, Lookback: a.Lookback}.resolve(now)
	p := listParser{ctx: ctx, diags: diags}
	f := sharedFilter{Window: window, Users: p.globs(a.Users, "users"), ExcludeUsers: p.globs(a.ExcludeUsers, "exclude_users"),
		Actions: p.globs(a.Actions, "actions"), Types: p.values(a.Types)}
	return f, p.diags
}

// windowAttribute is the argument that set the time window's start, else its end.
func (a *logsArgs) windowAttribute() string {
	switch {
	case !a.Lookback.IsNull():
		return "lookback"
	case !a.StartTime.IsNull():
		return "start_time"
	}
	return "end_time"
}

// queryID is the id: a hash of the arguments both data sources share and of the data
// source's own.
func (s *logsSource[F, E]) queryID(ctx context.Context, m logsModel[F]) (string, diag.Diagnostics) {
	a := m.common()
	own, diags := m.queryArgs(ctx)
	shared, sharedDiags := queryArgs(ctx,
		map[string]types.String{"start_time": a.StartTime, "end_time": a.EndTime, "lookback": a.Lookback},
		map[string]types.List{"users": a.Users, "exclude_users": a.ExcludeUsers, "types": a.Types, "actions": a.Actions},
		map[string]any{"max_results": a.MaxResults.ValueInt64Pointer()})
	if !a.OnUnmatchable.IsNull() { // set only: the ids of configurations without it stay as they were
		shared["on_unmatchable"] = a.OnUnmatchable.ValueString()
	}
	diags.Append(sharedDiags...)
	if diags.HasError() {
		return "", diags
	}
	maps.Copy(shared, own)
	return logquery.QueryID(providerTypeName+s.suffix, shared), diags
}

// stateWith is the configuration with the results set: every argument as configured,
// and the entries built by entries for the schema's entry object type.
func stateWith(config tftypes.Value, results map[string]tftypes.Value, entries func(tftypes.Object) tftypes.Value) (tftypes.Value, error) {
	schemaType, ok := config.Type().(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("the configuration is a %s, not an object", config.Type())
	}
	entryType, err := entryObjectType(schemaType)
	if err != nil {
		return tftypes.Value{}, err
	}
	var configured map[string]tftypes.Value
	if err := config.As(&configured); err != nil {
		return tftypes.Value{}, err
	}
	attrs := maps.Clone(configured) // As hands out the configuration's own map
	for k, v := range results {
		if _, ok := attrs[k]; !ok {
			return tftypes.Value{}, fmt.Errorf("the schema has no attribute %s", k)
		}
		attrs[k] = v
	}
	attrs["entries"] = entries(entryType)
	if err := tftypes.ValidateValue(schemaType, attrs); err != nil {
		return tftypes.Value{}, err
	}
	return tftypes.NewValue(schemaType, attrs), nil
}

// entryObjectType is the object type of the entries of a logs schema.
func entryObjectType(schema tftypes.Object) (tftypes.Object, error) {
	list, ok := schema.AttributeTypes["entries"].(tftypes.List)
	if !ok {
		return tftypes.Object{}, fmt.Errorf("the schema has no list attribute entries")
	}
	entryType, ok := list.ElementType.(tftypes.Object)
	if !ok {
		return tftypes.Object{}, fmt.Errorf("the entries are a list of %s, not of objects", list.ElementType)
	}
	return entryType, nil
}
