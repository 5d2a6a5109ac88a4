package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
)

// SessionLogsDataSource reads the account session log, GET /v1/session-logs: its
// Schema here, its Metadata, Configure and Read those that both logs share
// (logs_read.go), given what is the session log's own (sessionLogs, below).
type SessionLogsDataSource struct {
	logsDataSource[*logquery.SessionFilter, client.SessionEntry]
}

var _ datasource.DataSourceWithConfigure = &SessionLogsDataSource{}

// NewSessionLogsDataSource is the constructor the provider registers.
func NewSessionLogsDataSource() datasource.DataSource {
	return &SessionLogsDataSource{logsDataSource[*logquery.SessionFilter, client.SessionEntry]{source: &sessionLogs}}
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
				"such as `\"*login*\"` or `\"Failed login\"`. Only the official response shape carries the session " +
				"`action`: against the seed shape nothing matches and the read warns."),
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

// sessionLogsModel is the session log's configuration: logsArgs, which both logs share, and its own.
type sessionLogsModel struct {
	logsArgs
	sessionArgs
	sessionSummaries
}

// sessionArgs are the arguments only the session log has.
type sessionArgs struct {
	IPCIDRs          types.List `tfsdk:"ip_cidrs"`
	ExcludeIPCIDRs   types.List `tfsdk:"exclude_ip_cidrs"`
	ActiveOnly       types.Bool `tfsdk:"active_only"`
	UserRoles        types.List `tfsdk:"user_roles"`
	ExcludeUserRoles types.List `tfsdk:"exclude_user_roles"`
}

// sessionSummaries are the results only the session log has.
type sessionSummaries struct {
	DistinctUsers       types.List `tfsdk:"distinct_users"`
	DistinctIPAddresses types.List `tfsdk:"distinct_ip_addresses"`
	RoleCounts          types.Map  `tfsdk:"role_counts"`
}

// sessionLogs is what the session log's Read does that the audit log's does not.
var sessionLogs = logsSource[*logquery.SessionFilter, client.SessionEntry]{
	model:  func() logsModel[*logquery.SessionFilter] { return &sessionLogsModel{} },
	suffix: "_session_logs", what: "Session Logs", entry: sessionEntryFields,
	scan: func(ctx context.Context, c *client.Client, f *logquery.SessionFilter, keep func(*client.SessionEntry) bool, restart func()) (client.ListStats, error) {
		_, stats, err := c.ListSessionLogs(ctx, client.SessionLogQuery{Start: f.Start, End: f.End, Keep: keep, Restart: restart})
		return stats, err
	},
	at:      func(e *client.SessionEntry) *time.Time { return e.Time },
	summary: func() summary[client.SessionEntry] { return sessionSummary{logquery.NewSessionSummary()} },
}

// sessionSummary gives the session summaries their schema names.
type sessionSummary struct{ *logquery.SessionSummary }

func (s sessionSummary) values() map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"distinct_users":        stringListValue(s.DistinctUsers()),
		"distinct_ip_addresses": stringListValue(s.DistinctIPAddresses()),
		"last_seen":             mapValue(tfString, s.LastSeen.Strings()),
		"action_counts":         mapValue(tfNumber, s.Actions),
		"user_counts":           mapValue(tfNumber, s.Users),
		"role_counts":           mapValue(tfNumber, s.Roles),
	}
}

func (m *sessionLogsModel) filter(ctx context.Context, shared sharedFilter) (*logquery.SessionFilter, diag.Diagnostics) {
	p := listParser{ctx: ctx}
	f := &logquery.SessionFilter{Window: shared.Window, Users: shared.Users, ExcludeUsers: shared.ExcludeUsers,
		Actions: shared.Actions, Types: shared.Types, ActiveOnly: m.ActiveOnly.ValueBool()}
	f.IPCIDRs = p.prefixes(m.IPCIDRs, "ip_cidrs")
	f.ExcludeIPCIDRs = p.prefixes(m.ExcludeIPCIDRs, "exclude_ip_cidrs")
	f.UserRoles = p.globs(m.UserRoles, "user_roles")
	f.ExcludeUserRoles = p.globs(m.ExcludeUserRoles, "exclude_user_roles")
	return f, p.diags
}

func (m *sessionLogsModel) queryArgs(ctx context.Context) (map[string]any, diag.Diagnostics) {
	args, diags := queryArgs(ctx, nil, map[string]types.List{"ip_cidrs": m.IPCIDRs, "exclude_ip_cidrs": m.ExcludeIPCIDRs},
		map[string]any{"active_only": m.ActiveOnly.ValueBool()})
	args, setDiags := setListArgs(ctx, args, map[string]types.List{"user_roles": m.UserRoles, "exclude_user_roles": m.ExcludeUserRoles})
	return args, append(diags, setDiags...)
}

// sessionEntryFields maps one session to the attributes of the schema's entry object.
func sessionEntryFields(f entryFields, e *client.SessionEntry) {
	f.str("id", e.ID)
	f.str("type", e.Type)
	f.str("timestamp", logquery.FormatTime(e.Time))
	f.str("action", e.Action)
	f.str("ip_address", e.IPAddress)
	f.str("start_time", logquery.FormatTime(e.StartTime))
	f.user(e.UserEmail, e.UserName)
	f.str("user_role", e.UserRole)
	f.str("user_agent", e.UserAgent)
	f.boolean("active", e.Active)
	f.str("end_time", logquery.FormatTime(e.EndTime))
}
