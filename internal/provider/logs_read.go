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
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
)

// logsArgs are the arguments and results both logs data sources have; each model
// embeds it. Read writes the results straight into the state (see logsDataSource.Read),
// so the result fields are here only for the configuration to decode into the model.
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

// common gives the shared Read the embedded arguments of any model.
func (a *logsArgs) common() *logsArgs { return a }

// sharedFilter is the part of either filter that the arguments of logsArgs make.
type sharedFilter struct {
	logquery.Window
	Users, ExcludeUsers, Actions []logquery.Glob
	Types                        []string
}

// logsModel is what the shared Read needs of a data source's model (a pointer to it).
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

// logsSource is what one logs data source gives the Read both share, besides its
// model M: the client call for its entries E, its summaries and its entry mapping.
type logsSource[M any, F entryFilter[E], E any] struct {
	suffix string // the data source type after the provider's, such as "_audit_logs"
	what   string // the log, such as "Audit Logs", in the error summary and the debug line
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

// AuditLogsDataSource reads the account system (audit) log, GET /v1/logs.
type AuditLogsDataSource struct {
	logsDataSource[auditLogsModel, *logquery.AuditFilter, client.AuditEntry]
}

// NewAuditLogsDataSource is the constructor the provider registers.
func NewAuditLogsDataSource() datasource.DataSource {
	return &AuditLogsDataSource{auditLogs.dataSource()}
}

// SessionLogsDataSource reads the account session log, GET /v1/session-logs.
type SessionLogsDataSource struct {
	logsDataSource[sessionLogsModel, *logquery.SessionFilter, client.SessionEntry]
}

// NewSessionLogsDataSource is the constructor the provider registers.
func NewSessionLogsDataSource() datasource.DataSource {
	return &SessionLogsDataSource{sessionLogs.dataSource()}
}

var (
	_ datasource.DataSourceWithConfigure = &AuditLogsDataSource{}
	_ datasource.DataSourceWithConfigure = &SessionLogsDataSource{}
	_ logsModel[*logquery.AuditFilter]   = &auditLogsModel{}
	_ logsModel[*logquery.SessionFilter] = &sessionLogsModel{}
)

// dataSource is the shared half of the data source s describes.
func (s *logsSource[M, F, E]) dataSource() logsDataSource[M, F, E] {
	return logsDataSource[M, F, E]{source: s}
}

// logsDataSource is the Metadata, Configure and Read of a logs data source; the data
// source type embeds it and adds its Schema.
type logsDataSource[M any, F entryFilter[E], E any] struct {
	source *logsSource[M, F, E]
	data   *providerData
}

func (d *logsDataSource[M, F, E]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + d.source.suffix
}

func (d *logsDataSource[M, F, E]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. Please report this issue to the provider developers.", req.ProviderData))
		return
	}
	d.data = data
}

// Read gets the configuration, builds the filter, asks the client for the log and
// streams it through the filter into the summaries and the newest max_results
// entries (so that its memory follows what it keeps, not what it scans), and sets
// the state.
//
// The state is built as one tftypes.Value, the entries directly from the client's
// structs: building attr.Values and converting them with State.Set cost most of the
// provider's share of a large read. The arguments are copied from the configuration
// unchanged, so the state has exactly the schema's attributes, types and nulls. Served
// by NewServer, the entries skip even that: see entriesServer.
func (d *logsDataSource[M, F, E]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	started := time.Now()
	s := d.source
	var model M
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() || d.data == nil {
		return
	}
	ctx = maskSecrets(ctx, d.data.secrets)
	m, ok := any(&model).(logsModel[F])
	if !ok {
		resp.Diagnostics.AddError("Unexpected Data Source Model", fmt.Sprintf("%T is not a logs model. "+
			"Please report this issue to the provider developers.", &model))
		return
	}
	args := m.common()

	shared, diags := args.sharedFilter(ctx, time.Now())
	resp.Diagnostics.Append(diags...)
	filter, diags := m.filter(ctx, shared)
	resp.Diagnostics.Append(diags...)
	timeout, diags := args.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	id, diags := d.queryID(ctx, m)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	// The read streams: each match goes into the summaries and, while it is among the
	// newest max_results, into matches; the client keeps nothing (keep says false).
	matches, sum := logquery.NewNewest(args.MaxResults.ValueInt64Pointer(), s.at), s.summary()
	keep := func(e *E) bool {
		if filter.Match(e) {
			matches.Add(e)
			sum.Add(e)
		}
		return false
	}
	restart := func() {
		filter.ResetCounts()
		matches.Reset()
		sum = s.summary()
	}
	stats, err := s.scan(ctx, d.data.client, filter, keep, restart)
	if err != nil {
		addReadError(ctx, &resp.Diagnostics, s.what, err)
		return
	}
	problems := filterProblems(filter.Unmatchable(), filter.Unparseable(), filter.Seen(), filter, args.windowAttribute())
	report(&resp.Diagnostics, problems, args.OnUnmatchable.ValueString() == "error")
	if resp.Diagnostics.HasError() {
		return
	}

	total := matches.Total()
	kept, cut := matches.Entries()
	// max_results = 0 asks for the summaries only: nothing to warn about.
	if cut && len(kept) > 0 {
		resp.Diagnostics.AddAttributeWarning(path.Root("max_results"), "Results Truncated",
			fmt.Sprintf("%d entries matched; max_results = %d kept the newest %d. total_count counts all of them; "+
				"raise max_results or narrow the filters to see the rest.", total, len(kept), len(kept)))
	}
	results := sum.values()
	results["id"] = tftypes.NewValue(tfString, id)
	results["total_count"] = tftypes.NewValue(tfNumber, total)
	results["truncated"] = tftypes.NewValue(tfBool, cut)
	results["unmatched_filters"] = stringListValue(problemLines(problems))
	slot, _ := ctx.Value(entriesSlotKey{}).(*entriesSlot)
	state, err := stateWith(req.Config.Raw, results, func(t tftypes.Object) tftypes.Value {
		if slot != nil { // entriesServer writes the entries into the encoded state
			slot.count, slot.write = len(kept), func(w *msgpackFields) error {
				for i := range kept {
					s.entry(w, &kept[i])
				}
				return w.err
			}
			return tftypes.NewValue(tftypes.List{ElementType: t}, []tftypes.Value{})
		}
		rows := make([]tftypes.Value, len(kept))
		f := &tftypesFields{t: t}
		for i := range kept {
			s.entry(f, &kept[i])
			rows[i] = tftypes.NewValue(t, f.values)
		}
		return tftypes.NewValue(tftypes.List{ElementType: t}, rows)
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to Build State", err.Error()+". Please report this issue to the provider developers.")
		return
	}
	resp.State.Raw = state
	if slot != nil {
		slot.schema, _ = state.Type().(tftypes.Object)
	}
	tflog.Debug(ctx, "read "+strings.ToLower(s.what), map[string]any{
		"requests": stats.Requests, "retries": stats.Retries, "scanned": stats.Scanned,
		"matched": total, "elapsed_ms": time.Since(started).Milliseconds(),
	})
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
func (d *logsDataSource[M, F, E]) queryID(ctx context.Context, m logsModel[F]) (string, diag.Diagnostics) {
	a := m.common()
	own, diags := m.queryArgs(ctx)
	shared, sharedDiags := queryArgs(ctx,
		map[string]types.String{"start_time": a.StartTime, "end_time": a.EndTime, "lookback": a.Lookback},
		map[string]types.List{"users": a.Users, "exclude_users": a.ExcludeUsers, "types": a.Types, "actions": a.Actions},
		map[string]any{"max_results": a.MaxResults.ValueInt64Pointer()})
	diags.Append(sharedDiags...)
	if diags.HasError() {
		return "", diags
	}
	maps.Copy(shared, own)
	return logquery.QueryID(providerTypeName+d.source.suffix, shared), diags
}

// stateWith is the configuration with the results set: every argument as configured,
// and the entries built by entries for the schema's entry object type.
func stateWith(config tftypes.Value, results map[string]tftypes.Value, entries func(tftypes.Object) tftypes.Value) (tftypes.Value, error) {
	schemaType, ok := config.Type().(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("the configuration is a %s, not an object", config.Type())
	}
	list, ok := schemaType.AttributeTypes["entries"].(tftypes.List)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("the schema has no list attribute entries")
	}
	entryType, ok := list.ElementType.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("the entries are a list of %s, not of objects", list.ElementType)
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
