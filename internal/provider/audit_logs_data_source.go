package provider

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
)

var _ datasource.DataSourceWithConfigure = &AuditLogsDataSource{}

// AuditLogsDataSource reads the account system (audit) log, GET /v1/logs.
type AuditLogsDataSource struct {
	data *providerData
}

// NewAuditLogsDataSource is the constructor the provider registers.
func NewAuditLogsDataSource() datasource.DataSource {
	return &AuditLogsDataSource{}
}

type auditLogsModel struct {
	StartTime              types.String   `tfsdk:"start_time"`
	EndTime                types.String   `tfsdk:"end_time"`
	Lookback               types.String   `tfsdk:"lookback"`
	Actions                types.List     `tfsdk:"actions"`
	ExcludeActions         types.List     `tfsdk:"exclude_actions"`
	Users                  types.List     `tfsdk:"users"`
	ExcludeUsers           types.List     `tfsdk:"exclude_users"`
	Types                  types.List     `tfsdk:"types"`
	ResourceID             types.String   `tfsdk:"resource_id"`
	Status                 types.String   `tfsdk:"status"`
	DetailsPatterns        types.List     `tfsdk:"details_patterns"`
	ExcludeDetailsPatterns types.List     `tfsdk:"exclude_details_patterns"`
	APIKeyNames            types.List     `tfsdk:"api_key_names"`
	ExcludeAPIKeyNames     types.List     `tfsdk:"exclude_api_key_names"`
	MaxResults             types.Int64    `tfsdk:"max_results"`
	Timeouts               timeouts.Value `tfsdk:"timeouts"`

	ID           types.String `tfsdk:"id"`
	Entries      types.List   `tfsdk:"entries"`
	TotalCount   types.Int64  `tfsdk:"total_count"`
	Truncated    types.Bool   `tfsdk:"truncated"`
	ActionCounts types.Map    `tfsdk:"action_counts"`
	UserCounts   types.Map    `tfsdk:"user_counts"`
	LastSeen     types.Map    `tfsdk:"last_seen"`
}

var auditEntryAttrTypes = map[string]attr.Type{
	"id":           types.StringType,
	"timestamp":    types.StringType,
	"action":       types.StringType,
	"type":         types.StringType,
	"user":         types.ObjectType{AttrTypes: userAttrTypes},
	"api_key_name": types.StringType,
	"resource":     types.StringType,
	"resource_id":  types.StringType,
	"details":      types.StringType,
	"status":       types.StringType,
}

func (d *AuditLogsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_audit_logs"
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
			"last_seen": lastSeenAttribute("entries", "email, else name, else `api_key:<api_key_name>`"),
		}),
	}
}

func (d *AuditLogsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureLogsDataSource(req, resp)
}

func (d *AuditLogsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	started := time.Now()
	var model auditLogsModel
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

	query := client.AuditLogQuery{Start: filter.Start, End: filter.End, Keep: filter.Match, Restart: filter.ResetCounts}
	if filter.ResourceID != nil {
		if id, err := strconv.ParseInt(strings.TrimSpace(*filter.ResourceID), 10, 64); err == nil {
			query.ResourceID = &id
		}
	}
	entries, stats, err := d.data.client.ListAuditLogs(ctx, query)
	if err != nil {
		addReadError(&resp.Diagnostics, "Audit Logs", err)
		return
	}
	addUnmatchableWarnings(&resp.Diagnostics, filter.Unmatchable())

	logquery.SortAuditNewestFirst(entries)
	model.ActionCounts = int64Map(logquery.ActionCounts(entries))
	model.UserCounts = int64Map(logquery.UserCounts(entries))
	model.LastSeen = stringMapValue(logquery.AuditLastSeen(entries))
	model.Entries, model.TotalCount, model.Truncated = entryList(entries, model.MaxResults, auditEntryAttrTypes, auditEntryValue, &resp.Diagnostics)
	model.ID = types.StringValue(model.queryID(ctx))
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
	tflog.Debug(ctx, "read audit logs", map[string]any{
		"requests": stats.Requests, "retries": stats.Retries, "scanned": stats.Scanned,
		"matched": len(entries), "elapsed_ms": time.Since(started).Milliseconds(),
	})
}

// filter turns the arguments into the shared filter; now anchors lookback.
func (m *auditLogsModel) filter(ctx context.Context, now time.Time) (*logquery.AuditFilter, diag.Diagnostics) {
	var diags, d diag.Diagnostics
	f := &logquery.AuditFilter{ResourceID: optionalString(m.ResourceID), Status: optionalString(m.Status)}
	f.Window, d = windowArgs{StartTime: m.StartTime, EndTime: m.EndTime, Lookback: m.Lookback}.resolve(now)
	diags.Append(d...)
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
	f.DetailsPatterns, d = patternList(ctx, m.DetailsPatterns, "details_patterns")
	diags.Append(d...)
	f.ExcludeDetailsPatterns, d = patternList(ctx, m.ExcludeDetailsPatterns, "exclude_details_patterns")
	diags.Append(d...)
	f.APIKeyNames, d = globList(ctx, m.APIKeyNames, "api_key_names")
	diags.Append(d...)
	f.ExcludeAPIKeyNames, d = globList(ctx, m.ExcludeAPIKeyNames, "exclude_api_key_names")
	diags.Append(d...)
	return f, diags
}

func (m *auditLogsModel) queryID(ctx context.Context) string {
	return logquery.QueryID("rediscloud_audit_logs", setListArgs(ctx, queryArgs(ctx,
		map[string]types.String{
			"start_time": m.StartTime, "end_time": m.EndTime, "lookback": m.Lookback,
			"resource_id": m.ResourceID, "status": m.Status,
		},
		map[string]types.List{
			"actions": m.Actions, "exclude_actions": m.ExcludeActions,
			"users": m.Users, "exclude_users": m.ExcludeUsers, "types": m.Types,
		},
		map[string]any{"max_results": m.MaxResults.ValueInt64Pointer()},
	), map[string]types.List{
		"details_patterns": m.DetailsPatterns, "exclude_details_patterns": m.ExcludeDetailsPatterns,
		"api_key_names": m.APIKeyNames, "exclude_api_key_names": m.ExcludeAPIKeyNames,
	}))
}

// auditEntryValue builds the state value of one entry directly: going through a tagged
// struct and reflection cost most of a 10,000-entry read.
func auditEntryValue(e *client.AuditEntry) attr.Value {
	return types.ObjectValueMust(auditEntryAttrTypes, map[string]attr.Value{
		"id":           types.StringPointerValue(e.ID),
		"timestamp":    timeValue(e.Time),
		"action":       types.StringPointerValue(e.Action),
		"type":         types.StringPointerValue(e.Type),
		"user":         userValue(e.UserEmail, e.UserName),
		"api_key_name": types.StringPointerValue(e.APIKeyName),
		"resource":     types.StringPointerValue(e.Resource),
		"resource_id":  types.StringPointerValue(e.ResourceID),
		"details":      types.StringPointerValue(e.Details),
		"status":       types.StringPointerValue(e.Status),
	})
}
