package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
)

var _ datasource.DataSourceWithConfigure = &SessionLogsDataSource{}

// SessionLogsDataSource reads the account session log, GET /v1/session-logs.
type SessionLogsDataSource struct {
	data *providerData
}

// NewSessionLogsDataSource is the constructor the provider registers.
func NewSessionLogsDataSource() datasource.DataSource {
	return &SessionLogsDataSource{}
}

type sessionLogsModel struct {
	StartTime        types.String   `tfsdk:"start_time"`
	EndTime          types.String   `tfsdk:"end_time"`
	Lookback         types.String   `tfsdk:"lookback"`
	Users            types.List     `tfsdk:"users"`
	ExcludeUsers     types.List     `tfsdk:"exclude_users"`
	Types            types.List     `tfsdk:"types"`
	Actions          types.List     `tfsdk:"actions"`
	IPCIDRs          types.List     `tfsdk:"ip_cidrs"`
	ExcludeIPCIDRs   types.List     `tfsdk:"exclude_ip_cidrs"`
	ActiveOnly       types.Bool     `tfsdk:"active_only"`
	UserRoles        types.List     `tfsdk:"user_roles"`
	ExcludeUserRoles types.List     `tfsdk:"exclude_user_roles"`
	MaxResults       types.Int64    `tfsdk:"max_results"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`

	ID                  types.String `tfsdk:"id"`
	Entries             types.List   `tfsdk:"entries"`
	TotalCount          types.Int64  `tfsdk:"total_count"`
	Truncated           types.Bool   `tfsdk:"truncated"`
	DistinctUsers       types.List   `tfsdk:"distinct_users"`
	DistinctIPAddresses types.List   `tfsdk:"distinct_ip_addresses"`
	ActionCounts        types.Map    `tfsdk:"action_counts"`
	UserCounts          types.Map    `tfsdk:"user_counts"`
	RoleCounts          types.Map    `tfsdk:"role_counts"`
	LastSeen            types.Map    `tfsdk:"last_seen"`
}

var sessionEntryAttrTypes = map[string]attr.Type{
	"id":         types.StringType,
	"timestamp":  types.StringType,
	"user":       types.ObjectType{AttrTypes: userAttrTypes},
	"user_role":  types.StringType,
	"ip_address": types.StringType,
	"user_agent": types.StringType,
	"type":       types.StringType,
	"action":     types.StringType,
	"start_time": types.StringType,
	"end_time":   types.StringType,
	"active":     types.BoolType,
}

func (d *SessionLogsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_session_logs"
}

func (d *SessionLogsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the Redis Cloud account session log, `GET /v1/session-logs`, newest first, " +
			"keeping the sessions that match every filter argument.",
		Attributes: mergeAttributes(windowAttributes(), resultAttributes(ctx, "sessions"), map[string]schema.Attribute{
			"users": globListAttribute("Keep only sessions whose user email or user name matches one of " +
				"these patterns, such as `\"*@example.com\"`."),
			"exclude_users": globListAttribute("Drop sessions whose user email or user name matches one of these patterns."),
			"types":         typesAttribute("sessions", "such as `\"console\"` or `\"api\"`"),
			"actions": globListAttribute("Keep only sessions whose `action` matches one of these patterns, " +
				"such as `\"*login*\"`."),
			"ip_cidrs": cidrListAttribute("Keep only sessions whose IP address lies in one of these ranges."),
			"exclude_ip_cidrs": cidrListAttribute("Drop sessions whose IP address lies in one of these ranges: with your " +
				"office ranges this leaves the sessions from unusual addresses. A session without an IP address is kept."),
			"active_only": schema.BoolAttribute{
				MarkdownDescription: "Keep only sessions known to be active (the seed shape's `endTime` is null). " +
					"The official shape does not say whether a session ended, so against it nothing matches and the read warns.",
				Optional: true,
			},
			"user_roles": globListAttribute("Keep only sessions whose `user_role` matches one of these patterns, such as " +
				"`\"owner\"` or `\"*viewer\"`. Only the official response shape carries `user_role`: against the seed " +
				"shape nothing matches and the read warns."),
			"exclude_user_roles": globListAttribute("Drop sessions whose `user_role` matches one of these patterns. " +
				"Sessions without a role are kept."),
			"max_results": maxResultsAttribute(),
			"entries": schema.ListNestedAttribute{
				MarkdownDescription: "The matching sessions, newest first.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":         computedString("Session log entry id (`id`, or the seed shape's `sessionId`)."),
					"timestamp":  computedString("When it happened, RFC 3339 in UTC (`time`, or the seed shape's `startTime`)."),
					"user":       userAttribute(),
					"user_role":  computedString("The user's role, such as `owner` (official shape only)."),
					"ip_address": computedString("Client IP address."),
					"user_agent": computedString("Client user agent."),
					"type":       computedString("Session type, such as `api` or `console`."),
					"action":     computedString("What happened, such as `Successful login` (official shape only)."),
					"start_time": computedString("Session start, RFC 3339 in UTC (seed shape only)."),
					"end_time":   computedString("Session end, RFC 3339 in UTC; null while active or when not sent."),
					"active": schema.BoolAttribute{
						MarkdownDescription: "True while the session is active, false once ended; null when the shape does not say.",
						Computed:            true,
					},
				}},
			},
			"distinct_users": schema.ListAttribute{
				MarkdownDescription: "Every user (email, else name) among the matching sessions, sorted.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"distinct_ip_addresses": schema.ListAttribute{
				MarkdownDescription: "Every IP address among the matching sessions, sorted.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"action_counts": countsAttribute("How many matching sessions each `action` has, such as `Successful login` " +
				"or `Failed login` (sessions without an action, as in the seed shape, are not counted). Covers every match."),
			"user_counts": countsAttribute("How many matching sessions each user has, keyed by email, else name. " +
				"Covers every match."),
			"role_counts": countsAttribute("How many matching sessions each `user_role` has, such as `owner` (sessions " +
				"without a role, as in the seed shape, are not counted). Covers every match."),
			"last_seen": lastSeenAttribute("sessions", "email, else name"),
		}),
	}
}

func (d *SessionLogsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureLogsDataSource(req, resp)
}

func (d *SessionLogsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	started := time.Now()
	var model sessionLogsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() || d.data == nil {
		return
	}
	ctx = maskSecrets(ctx, d.data.secrets)

	filter, diags := model.filter(ctx, time.Now())
	resp.Diagnostics.Append(diags...)
	timeout, diags := readTimeout(ctx, model.Timeouts)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	entries, stats, err := d.data.client.ListSessionLogs(ctx, client.SessionLogQuery{
		Start: filter.Start, End: filter.End, Keep: filter.Match, Restart: filter.ResetCounts,
	})
	if err != nil {
		addReadError(&resp.Diagnostics, "Session Logs", err)
		return
	}
	addUnmatchableWarnings(&resp.Diagnostics, filter.Unmatchable())

	logquery.SortSessionsNewestFirst(entries)
	model.DistinctUsers = stringListValue(logquery.DistinctUsers(entries))
	model.DistinctIPAddresses = stringListValue(logquery.DistinctIPAddresses(entries))
	model.ActionCounts = int64Map(logquery.SessionActionCounts(entries))
	model.UserCounts = int64Map(logquery.SessionUserCounts(entries))
	model.RoleCounts = int64Map(logquery.RoleCounts(entries))
	model.LastSeen = stringMapValue(logquery.SessionLastSeen(entries))
	model.Entries, model.TotalCount, model.Truncated = entryList(entries, model.MaxResults, sessionEntryAttrTypes, sessionEntryValue, &resp.Diagnostics)
	model.ID = types.StringValue(model.queryID(ctx))
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
	tflog.Debug(ctx, "read session logs", map[string]any{
		"requests": stats.Requests, "retries": stats.Retries, "scanned": stats.Scanned,
		"matched": len(entries), "elapsed_ms": time.Since(started).Milliseconds(),
	})
}

// filter turns the arguments into the shared filter; now anchors lookback.
func (m *sessionLogsModel) filter(ctx context.Context, now time.Time) (*logquery.SessionFilter, diag.Diagnostics) {
	var diags, d diag.Diagnostics
	f := &logquery.SessionFilter{ActiveOnly: m.ActiveOnly.ValueBool()}
	f.Window, d = windowArgs{StartTime: m.StartTime, EndTime: m.EndTime, Lookback: m.Lookback}.resolve(now)
	diags.Append(d...)
	f.Users, d = globList(ctx, m.Users, "users")
	diags.Append(d...)
	f.ExcludeUsers, d = globList(ctx, m.ExcludeUsers, "exclude_users")
	diags.Append(d...)
	f.Actions, d = globList(ctx, m.Actions, "actions")
	diags.Append(d...)
	f.Types, d = stringList(ctx, m.Types)
	diags.Append(d...)
	f.IPCIDRs, d = prefixList(ctx, m.IPCIDRs, "ip_cidrs")
	diags.Append(d...)
	f.ExcludeIPCIDRs, d = prefixList(ctx, m.ExcludeIPCIDRs, "exclude_ip_cidrs")
	diags.Append(d...)
	f.UserRoles, d = globList(ctx, m.UserRoles, "user_roles")
	diags.Append(d...)
	f.ExcludeUserRoles, d = globList(ctx, m.ExcludeUserRoles, "exclude_user_roles")
	diags.Append(d...)
	return f, diags
}

func (m *sessionLogsModel) queryID(ctx context.Context) string {
	return logquery.QueryID("rediscloud_session_logs", setListArgs(ctx, queryArgs(ctx,
		map[string]types.String{"start_time": m.StartTime, "end_time": m.EndTime, "lookback": m.Lookback},
		map[string]types.List{
			"users": m.Users, "exclude_users": m.ExcludeUsers, "types": m.Types, "actions": m.Actions,
			"ip_cidrs": m.IPCIDRs, "exclude_ip_cidrs": m.ExcludeIPCIDRs,
		},
		map[string]any{"active_only": m.ActiveOnly.ValueBool(), "max_results": m.MaxResults.ValueInt64Pointer()},
	), map[string]types.List{"user_roles": m.UserRoles, "exclude_user_roles": m.ExcludeUserRoles}))
}

// sessionEntryValue builds the state value of one session directly; see auditEntryValue.
func sessionEntryValue(e *client.SessionEntry) attr.Value {
	return types.ObjectValueMust(sessionEntryAttrTypes, map[string]attr.Value{
		"id":         types.StringPointerValue(e.ID),
		"timestamp":  timeValue(e.Time),
		"user":       userValue(e.UserEmail, e.UserName),
		"user_role":  types.StringPointerValue(e.UserRole),
		"ip_address": types.StringPointerValue(e.IPAddress),
		"user_agent": types.StringPointerValue(e.UserAgent),
		"type":       types.StringPointerValue(e.Type),
		"action":     types.StringPointerValue(e.Action),
		"start_time": timeValue(e.StartTime),
		"end_time":   timeValue(e.EndTime),
		"active":     types.BoolPointerValue(e.Active),
	})
}
