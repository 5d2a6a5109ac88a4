package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
)

// SessionLogsDataSource reads the account session log, GET /v1/session-logs.
type SessionLogsDataSource struct {
	logsDataSource[sessionLogsModel, *logquery.SessionFilter, client.SessionEntry]
}

// NewSessionLogsDataSource is the constructor the provider registers.
func NewSessionLogsDataSource() datasource.DataSource {
	return &SessionLogsDataSource{sessionLogs.dataSource()}
}

type sessionLogsModel struct {
	logsArgs
	Users          types.List `tfsdk:"users"`
	ExcludeUsers   types.List `tfsdk:"exclude_users"`
	Types          types.List `tfsdk:"types"`
	Actions        types.List `tfsdk:"actions"`
	IPCIDRs        types.List `tfsdk:"ip_cidrs"`
	ExcludeIPCIDRs types.List `tfsdk:"exclude_ip_cidrs"`
	ActiveOnly     types.Bool `tfsdk:"active_only"`

	DistinctUsers       types.List `tfsdk:"distinct_users"`
	DistinctIPAddresses types.List `tfsdk:"distinct_ip_addresses"`
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
		}),
	}
}

// sessionLogs is what the session log's Read does that the audit log's does not.
var sessionLogs = logsSource[sessionLogsModel, *logquery.SessionFilter, client.SessionEntry]{
	suffix:    "_session_logs",
	what:      "Session Logs",
	args:      func(m *sessionLogsModel) *logsArgs { return &m.logsArgs },
	filter:    (*sessionLogsModel).filter,
	queryArgs: (*sessionLogsModel).queryArgs,
	list: func(ctx context.Context, c *client.Client, f *logquery.SessionFilter) ([]client.SessionEntry, client.ListStats, error) {
		return c.ListSessionLogs(ctx, client.SessionLogQuery{Start: f.Start, End: f.End, Keep: f.Match, Restart: f.ResetCounts})
	},
	sort: logquery.SortSessionsNewestFirst,
	summaries: func(matches []client.SessionEntry) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"distinct_users":        stringListValue(logquery.DistinctUsers(matches)),
			"distinct_ip_addresses": stringListValue(logquery.DistinctIPAddresses(matches)),
		}
	},
	entry: sessionEntryValue,
}

// filter turns the session log's own arguments into its filter over window.
func (m *sessionLogsModel) filter(ctx context.Context, window logquery.Window) (*logquery.SessionFilter, diag.Diagnostics) {
	var diags, d diag.Diagnostics
	f := &logquery.SessionFilter{Window: window, ActiveOnly: m.ActiveOnly.ValueBool()}
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
	return f, diags
}

func (m *sessionLogsModel) queryArgs(ctx context.Context) (map[string]any, diag.Diagnostics) {
	return queryArgs(ctx, nil,
		map[string]types.List{
			"users": m.Users, "exclude_users": m.ExcludeUsers, "types": m.Types, "actions": m.Actions,
			"ip_cidrs": m.IPCIDRs, "exclude_ip_cidrs": m.ExcludeIPCIDRs,
		},
		map[string]any{"active_only": m.ActiveOnly.ValueBool()},
	)
}

// sessionEntryValue is the state value of one session, of the schema's entry type t.
func sessionEntryValue(t tftypes.Object, e *client.SessionEntry) tftypes.Value {
	return tftypes.NewValue(t, map[string]tftypes.Value{
		"id":         stringValue(e.ID),
		"timestamp":  timeValue(e.Time),
		"user":       userValue(t, e.UserEmail, e.UserName),
		"user_role":  stringValue(e.UserRole),
		"ip_address": stringValue(e.IPAddress),
		"user_agent": stringValue(e.UserAgent),
		"type":       stringValue(e.Type),
		"action":     stringValue(e.Action),
		"start_time": timeValue(e.StartTime),
		"end_time":   timeValue(e.EndTime),
		"active":     boolValue(e.Active),
	})
}
