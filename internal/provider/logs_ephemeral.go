package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
)

// logsEphemeralResource is the ephemeral twin of a logs data source (Terraform 1.10+,
// OpenTofu 1.11+): the same arguments, validation and results, read by the same
// logsSource.read, but its result lives only for the run: it never reaches the plan
// file or the state. Its schema is the data source's, converted (ephemeralSchema), so
// that the attribute list and its descriptions exist once.
type logsEphemeralResource[F entryFilter[E], E any] struct {
	source     *logsSource[F, E]
	dataSource func() datasource.DataSource // whose schema this one converts
	data       *providerData
}

var _ ephemeral.EphemeralResourceWithConfigure = &logsEphemeralResource[*logquery.AuditFilter, client.AuditEntry]{}

// NewAuditLogsEphemeralResource is the constructor of ephemeral "rediscloud_audit_logs".
func NewAuditLogsEphemeralResource() ephemeral.EphemeralResource {
	return &logsEphemeralResource[*logquery.AuditFilter, client.AuditEntry]{source: &auditLogs, dataSource: NewAuditLogsDataSource}
}

// NewSessionLogsEphemeralResource is the constructor of ephemeral "rediscloud_session_logs".
func NewSessionLogsEphemeralResource() ephemeral.EphemeralResource {
	return &logsEphemeralResource[*logquery.SessionFilter, client.SessionEntry]{source: &sessionLogs, dataSource: NewSessionLogsDataSource}
}

func (r *logsEphemeralResource[F, E]) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + r.source.suffix
}

func (r *logsEphemeralResource[F, E]) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *logsEphemeralResource[F, E]) Schema(ctx context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	var ds datasource.SchemaResponse
	r.dataSource().Schema(ctx, datasource.SchemaRequest{}, &ds)
	resp.Diagnostics.Append(ds.Diagnostics...)
	s, err := ephemeralSchema(ds.Schema)
	if err != nil {
		resp.Diagnostics.AddError("Unable to Build Schema", err.Error()+". Please report this issue to the provider developers.")
		return
	}
	s.MarkdownDescription += " Ephemeral: the result is never written to the plan file or the state, " +
		"for gates on data about people. Opened in `plan` and again in `apply`; Terraform 1.10+ or OpenTofu 1.11+."
	resp.Schema = s
}

// Open reads the log as the data source does and hands the result to Terraform for this run only.
func (r *logsEphemeralResource[F, E]) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	if result, ok := r.source.read(ctx, r.data, req.Config, &resp.Diagnostics); ok {
		resp.Result.Raw = result
	}
}

// ephemeralSchema is the data source schema s as an ephemeral resource schema: the
// same attributes, descriptions, flags, validators and custom types (the timeouts
// attribute keeps its `read`, so a block moves between `data` and `ephemeral` as it is).
// The two packages' attribute structs have the same fields, so the flat ones convert
// directly; the nested ones convert their attributes one by one.
func ephemeralSchema(s dsschema.Schema) (schema.Schema, error) {
	if len(s.Blocks) > 0 {
		return schema.Schema{}, fmt.Errorf("the data source schema has blocks, which ephemeralSchema does not convert")
	}
	attrs, err := ephemeralAttributes(s.Attributes)
	return schema.Schema{Attributes: attrs, Description: s.Description, MarkdownDescription: s.MarkdownDescription,
		DeprecationMessage: s.DeprecationMessage}, err
}

func ephemeralAttributes(in map[string]dsschema.Attribute) (map[string]schema.Attribute, error) {
	out := make(map[string]schema.Attribute, len(in))
	for name, a := range in {
		converted, err := ephemeralAttribute(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = converted
	}
	return out, nil
}

func ephemeralAttribute(a dsschema.Attribute) (schema.Attribute, error) {
	switch a := a.(type) {
	case dsschema.StringAttribute:
		return schema.StringAttribute(a), nil
	case dsschema.Int64Attribute:
		return schema.Int64Attribute(a), nil
	case dsschema.BoolAttribute:
		return schema.BoolAttribute(a), nil
	case dsschema.ListAttribute:
		return schema.ListAttribute(a), nil
	case dsschema.MapAttribute:
		return schema.MapAttribute(a), nil
	case dsschema.ListNestedAttribute:
		attrs, err := ephemeralAttributes(a.NestedObject.Attributes)
		return schema.ListNestedAttribute{
			NestedObject: schema.NestedAttributeObject{Attributes: attrs, CustomType: a.NestedObject.CustomType, Validators: a.NestedObject.Validators},
			CustomType:   a.CustomType, Required: a.Required, Optional: a.Optional, Computed: a.Computed, Sensitive: a.Sensitive,
			Description: a.Description, MarkdownDescription: a.MarkdownDescription, DeprecationMessage: a.DeprecationMessage,
			Validators: a.Validators,
		}, err
	case dsschema.SingleNestedAttribute:
		attrs, err := ephemeralAttributes(a.Attributes)
		return schema.SingleNestedAttribute{
			Attributes: attrs, CustomType: a.CustomType, Required: a.Required, Optional: a.Optional, Computed: a.Computed,
			Sensitive: a.Sensitive, Description: a.Description, MarkdownDescription: a.MarkdownDescription,
			DeprecationMessage: a.DeprecationMessage, Validators: a.Validators,
		}, err
	}
	return nil, fmt.Errorf("ephemeralSchema does not convert a %T", a)
}
