package validators

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/logquery"
)

// NotBefore, placed on an end timestamp, reports an error on that attribute
// when it is earlier than the timestamp at other, e.g.
//
//	Validators: []validator.String{validators.Timestamp(), validators.NotBefore(path.MatchRoot("start_time"))}
//
// It says nothing when either value is null, unknown or not a timestamp:
// nulls mean an open window, unknowns are checked again later, and a
// malformed value is the Timestamp validator's to report.
func NotBefore(other path.Expression) validator.String {
	return notBefore{other: other}
}

type notBefore struct {
	other path.Expression
}

var _ validator.String = notBefore{}

func (v notBefore) Description(context.Context) string {
	return fmt.Sprintf("value must not be before %s", v.other)
}

func (v notBefore) MarkdownDescription(context.Context) string {
	return fmt.Sprintf("value must not be before `%s`", v.other)
}

func (v notBefore) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	end, err := logquery.ParseTimestamp(req.ConfigValue.ValueString())
	if err != nil {
		return
	}
	matches, diags := req.Config.PathMatches(ctx, req.PathExpression.Merge(v.other))
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	for _, p := range matches {
		var other types.String
		diags := req.Config.GetAttribute(ctx, p, &other)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() || other.IsNull() || other.IsUnknown() {
			continue
		}
		start, err := logquery.ParseTimestamp(other.ValueString())
		if err != nil {
			continue
		}
		if end.Before(start) {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid Time Range",
				fmt.Sprintf("%s must not be before %s: %s is %s, %s is %s.",
					req.Path, p, req.Path, req.ConfigValue.ValueString(), p, other.ValueString()))
		}
	}
}
