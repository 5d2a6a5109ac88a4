package provider

import (
	"context"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
)

// AuditLogsDataSource reads the account system (audit) log, GET /v1/logs.
type AuditLogsDataSource struct {
	logsDataSource[auditLogsModel, *logquery.AuditFilter, client.AuditEntry]
}

// NewAuditLogsDataSource is the constructor the provider registers.
func NewAuditLogsDataSource() datasource.DataSource {
	return &AuditLogsDataSource{auditLogs.dataSource()}
}

type auditLogsModel struct {
	logsArgs
	Actions        types.List   `tfsdk:"actions"`
	ExcludeActions types.List   `tfsdk:"exclude_actions"`
	Users          types.List   `tfsdk:"users"`
	ExcludeUsers   types.List   `tfsdk:"exclude_users"`
	Types          types.List   `tfsdk:"types"`
	ResourceID     types.String `tfsdk:"resource_id"`
	Status         types.String `tfsdk:"status"`

	ActionCounts types.Map `tfsdk:"action_counts"`
	UserCounts   types.Map `tfsdk:"user_counts"`
}

func (d *AuditLogsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the Redis Cloud account audit (system) log, `GET /v1/logs`, newest first, " +
			"keeping the entries that match every filter argument.",
		Attributes: mergeAttributes(windowAttributes(), resultAttributes(ctx, "entries"), map[string]schema.Attribute{
			"actions": globListAttribute("Keep only entries whose `action` matches one of these patterns, " +
				"such as `\"database.*\"` or `\"apiKey.delete\"`. Only the seed response shape carries `action`: " +
				"against the official shape (api.redislabs.com) nothing matches and the read warns."),
			"exclude_actions": globListAttribute("Drop entries whose `action` matches one of these patterns."),
			"users": globListAttribute("Keep only entries whose user email or user name matches one of " +
				"these patterns, such as `\"*@example.com\"`."),
			"exclude_users": globListAttribute("Drop entries whose user email or user name matches one of these patterns."),
			"types":         typesAttribute("entries", "such as `\"Database\"` or `\"Subscription\"`"),
			"resource_id": schema.StringAttribute{
				MarkdownDescription: "Keep only entries about this resource. An integer id is also sent to the " +
					"server as `resourceId`, so fewer pages are read.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Keep only entries with this `status` (case-insensitive), such as " +
					"`\"success\"` or `\"failure\"`. Only the seed response shape carries `status`: against the " +
					"official shape nothing matches and the read warns.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"max_results": maxResultsAttribute(),
			"entries": schema.ListNestedAttribute{
				MarkdownDescription: "The matching entries, newest first.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           computedString("Entry id, as a string whether the API sent a number or a string."),
					"timestamp":    computedString("When it happened, RFC 3339 in UTC (`time`, or the seed shape's `timestamp`)."),
					"action":       computedString("What was done, such as `database.delete` (seed shape only)."),
					"type":         computedString("Entity type, such as `Account`, `Subscription` or `Database`."),
					"user":         userAttribute(),
					"api_key_name": computedString("Name of the API key used, when the action came through the API."),
					"resource":     computedString("The affected resource."),
					"resource_id":  computedString("Id of the affected resource, as a string."),
					"details":      computedString("Free text: the official `description` or the seed shape's `details`."),
					"status":       computedString("`success` or `failure` (seed shape only)."),
				}},
			},
			"action_counts": schema.MapAttribute{
				MarkdownDescription: "How many matching entries each `action` has (entries without an action are not counted).",
				ElementType:         types.Int64Type,
				Computed:            true,
			},
			"user_counts": schema.MapAttribute{
				MarkdownDescription: "How many matching entries each user has, keyed by email, else name, else " +
					"`api_key:<api_key_name>`.",
				ElementType: types.Int64Type,
				Computed:    true,
			},
		}),
	}
}

// auditLogs is what the audit log's Read does that the session log's does not.
var auditLogs = logsSource[auditLogsModel, *logquery.AuditFilter, client.AuditEntry]{
	suffix:    "_audit_logs",
	what:      "Audit Logs",
	args:      func(m *auditLogsModel) *logsArgs { return &m.logsArgs },
	filter:    (*auditLogsModel).filter,
	queryArgs: (*auditLogsModel).queryArgs,
	list: func(ctx context.Context, c *client.Client, f *logquery.AuditFilter) ([]client.AuditEntry, client.ListStats, error) {
		query := client.AuditLogQuery{Start: f.Start, End: f.End, Keep: f.Match, Restart: f.ResetCounts}
		if f.ResourceID != nil {
			if id, err := strconv.ParseInt(strings.TrimSpace(*f.ResourceID), 10, 64); err == nil {
				query.ResourceID = &id
			}
		}
		return c.ListAuditLogs(ctx, query)
	},
	sort: logquery.SortAuditNewestFirst,
	summaries: func(matches []client.AuditEntry) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"action_counts": int64MapValue(logquery.ActionCounts(matches)),
			"user_counts":   int64MapValue(logquery.UserCounts(matches)),
		}
	},
	entry: auditEntryValue,
}

// filter turns the audit log's own arguments into its filter over window.
func (m *auditLogsModel) filter(ctx context.Context, window logquery.Window) (*logquery.AuditFilter, diag.Diagnostics) {
	var diags, d diag.Diagnostics
	f := &logquery.AuditFilter{Window: window, ResourceID: optionalString(m.ResourceID), Status: optionalString(m.Status)}
	f.Actions, d = globList(ctx, m.Actions, "actions")
	diags.Append(d...)
	f.ExcludeActions, d = globList(ctx, m.ExcludeActions, "exclude_actions")
	diags.Append(d...)
	f.Users, d = globList(ctx, m.Users, "users")
	diags.Append(d...)
	f.ExcludeUsers, d = globList(ctx, m.ExcludeUsers, "exclude_users")
	diags.Append(d...)
	f.Types, d = stringList(ctx, m.Types)
	diags.Append(d...)
	return f, diags
}

func (m *auditLogsModel) queryArgs(ctx context.Context) (map[string]any, diag.Diagnostics) {
	return queryArgs(ctx,
		map[string]types.String{"resource_id": m.ResourceID, "status": m.Status},
		map[string]types.List{
			"actions": m.Actions, "exclude_actions": m.ExcludeActions,
			"users": m.Users, "exclude_users": m.ExcludeUsers, "types": m.Types,
		},
		nil,
	)
}

// auditEntryValue is the state value of one entry, of the schema's entry type t.
func auditEntryValue(t tftypes.Object, e *client.AuditEntry) tftypes.Value {
	return tftypes.NewValue(t, map[string]tftypes.Value{
		"id":           stringValue(e.ID),
		"timestamp":    timeValue(e.Time),
		"action":       stringValue(e.Action),
		"type":         stringValue(e.Type),
		"user":         userValue(t, e.UserEmail, e.UserName),
		"api_key_name": stringValue(e.APIKeyName),
		"resource":     stringValue(e.Resource),
		"resource_id":  stringValue(e.ResourceID),
		"details":      stringValue(e.Details),
		"status":       stringValue(e.Status),
	})
}
