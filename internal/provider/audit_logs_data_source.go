package provider

import (
	"context"
	"strconv"
	"strings"
	"time"

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

// AuditLogsDataSource reads the account system (audit) log, GET /v1/logs: its Schema
// here, its Metadata, Configure and Read those that both logs share (logs_read.go),
// given what is the audit log's own (auditLogs, below).
type AuditLogsDataSource struct {
	logsDataSource[*logquery.AuditFilter, client.AuditEntry]
}

var _ datasource.DataSourceWithConfigure = &AuditLogsDataSource{}

// NewAuditLogsDataSource is the constructor the provider registers.
func NewAuditLogsDataSource() datasource.DataSource {
	return &AuditLogsDataSource{logsDataSource[*logquery.AuditFilter, client.AuditEntry]{source: &auditLogs}}
}

// auditLogsModel is the audit log's configuration: logsArgs, which both logs share, and its own arguments.
type auditLogsModel struct {
	logsArgs
	ExcludeActions         types.List   `tfsdk:"exclude_actions"`
	TypeCounts             types.Map    `tfsdk:"type_counts"`
	ResourceID             types.String `tfsdk:"resource_id"`
	Status                 types.String `tfsdk:"status"`
	DetailsPatterns        types.List   `tfsdk:"details_patterns"`
	ExcludeDetailsPatterns types.List   `tfsdk:"exclude_details_patterns"`
	APIKeyNames            types.List   `tfsdk:"api_key_names"`
	ExcludeAPIKeyNames     types.List   `tfsdk:"exclude_api_key_names"`
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
				MarkdownDescription: "Keep only entries about this resource. An id from 1 to 2147483647 (the API's " +
					"`resourceId` is a 32-bit integer) is also sent to the server as `resourceId`, so fewer pages are read; " +
					"any other id is matched by the provider alone, on every page of the window.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Keep only entries with this `status`: `\"success\"` or `\"failure\"` (case-insensitive), " +
					"the values the API uses. Only the seed response shape carries `status`: against the official shape " +
					"nothing matches and the read warns.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOfCaseInsensitive("success", "failure")},
			},
			"details_patterns": patternListAttribute("Keep only entries whose `details` (the official `description`, " +
				"the seed shape's `details`) match one of these patterns, such as `\"(?i)\\\\b(deleted|removed)\\\\b\"`. " +
				"Works on both response shapes: use it where `actions` cannot (the official shape has no action)."),
			"exclude_details_patterns": patternListAttribute("Drop entries whose `details` match one of these patterns. " +
				"An entry without details is kept."),
			"api_key_names": globListAttribute("Keep only entries that came through an API key whose name matches one of " +
				"these patterns. A console action has no API key name and never matches; the seed response shape has no " +
				"API key names at all (nothing matches and the read warns)."),
			"exclude_api_key_names": globListAttribute("Drop entries that came through an API key whose name matches one " +
				"of these patterns. Entries without an API key name (console actions) are kept, so " +
				"`exclude_api_key_names = [\"<Terraform's key>\"]` keeps exactly the changes made outside Terraform."),
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
			"action_counts": countsAttribute("How many matching entries each `action` has (entries without an action are not counted)."),
			"user_counts": countsAttribute("How many matching entries each user has, keyed by email, else name, else " +
				"`api_key:<api_key_name>`."),
			"last_seen": lastSeenAttribute("entries", "email, else name, else `api_key:<api_key_name>`"),
			"type_counts": countsAttribute("How many matching entries each `type` has (`Account`, `ApiKey`, `Database`, ...; " +
				"entries without a type are not counted): which values `types` can take in this account's log."),
		}),
	}
}

// auditLogs is what the audit log's Read does that the session log's does not.
var auditLogs = logsSource[*logquery.AuditFilter, client.AuditEntry]{
	suffix: "_audit_logs",
	what:   "Audit Logs",
	model:  func() logsModel[*logquery.AuditFilter] { return &auditLogsModel{} },
	scan: func(ctx context.Context, c *client.Client, f *logquery.AuditFilter, keep func(*client.AuditEntry) bool, restart func()) (client.ListStats, error) {
		query := client.AuditLogQuery{Start: f.Start, End: f.End, Keep: keep, Restart: restart}
		// The API's resourceId is a positive int32 (a larger one is answered 422): other ids
		// are filtered here only. The filter checks every entry either way.
		if f.ResourceID != nil {
			if id, err := strconv.ParseInt(strings.TrimSpace(*f.ResourceID), 10, 32); err == nil && id > 0 {
				query.ResourceID = &id
			}
		}
		_, stats, err := c.ListAuditLogs(ctx, query)
		return stats, err
	},
	at:      func(e *client.AuditEntry) *time.Time { return e.Time },
	summary: func() summary[client.AuditEntry] { return auditSummary{logquery.NewAuditSummary()} },
	entry:   auditEntryFields,
}

// auditSummary gives the audit summaries their schema names.
type auditSummary struct{ *logquery.AuditSummary }

func (s auditSummary) values() map[string]tftypes.Value {
	return map[string]tftypes.Value{"action_counts": mapValue(tfNumber, s.Actions), "user_counts": mapValue(tfNumber, s.Users),
		"last_seen": mapValue(tfString, s.LastSeen.Strings()), "type_counts": mapValue(tfNumber, s.Types)}
}

func (m *auditLogsModel) filter(ctx context.Context, shared sharedFilter) (*logquery.AuditFilter, diag.Diagnostics) {
	p := listParser{ctx: ctx}
	f := &logquery.AuditFilter{
		ExcludeActions:         p.globs(m.ExcludeActions, "exclude_actions"),
		DetailsPatterns:        p.patterns(m.DetailsPatterns, "details_patterns"),
		ExcludeDetailsPatterns: p.patterns(m.ExcludeDetailsPatterns, "exclude_details_patterns"),
		APIKeyNames:            p.globs(m.APIKeyNames, "api_key_names"),
		ExcludeAPIKeyNames:     p.globs(m.ExcludeAPIKeyNames, "exclude_api_key_names"),
		ResourceID:             optionalString(m.ResourceID), Status: optionalString(m.Status),
		Window: shared.Window, Users: shared.Users, ExcludeUsers: shared.ExcludeUsers,
		Actions: shared.Actions, Types: shared.Types,
	}
	return f, p.diags
}

func (m *auditLogsModel) queryArgs(ctx context.Context) (map[string]any, diag.Diagnostics) {
	args, diags := queryArgs(ctx, map[string]types.String{"resource_id": m.ResourceID, "status": m.Status},
		map[string]types.List{"exclude_actions": m.ExcludeActions}, nil)
	args, setDiags := setListArgs(ctx, args, map[string]types.List{
		"details_patterns": m.DetailsPatterns, "exclude_details_patterns": m.ExcludeDetailsPatterns,
		"api_key_names": m.APIKeyNames, "exclude_api_key_names": m.ExcludeAPIKeyNames,
	})
	return args, append(diags, setDiags...)
}

// auditEntryFields maps one entry to the attributes of the schema's entry object.
func auditEntryFields(f entryFields, e *client.AuditEntry) {
	f.str("id", e.ID)
	f.str("action", e.Action)
	f.str("type", e.Type)
	f.str("timestamp", logquery.FormatTime(e.Time))
	f.str("details", e.Details)
	f.str("resource", e.Resource)
	f.str("resource_id", e.ResourceID)
	f.user(e.UserEmail, e.UserName)
	f.str("api_key_name", e.APIKeyName)
	f.str("status", e.Status)
}
