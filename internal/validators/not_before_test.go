package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var windowSchema = schema.Schema{Attributes: map[string]schema.Attribute{
	"start_time": schema.StringAttribute{Optional: true},
	"end_time":   schema.StringAttribute{Optional: true},
}}

// tfString turns a types.String into the tftypes value a real config holds.
func tfString(s types.String) tftypes.Value {
	switch {
	case s.IsNull():
		return tftypes.NewValue(tftypes.String, nil)
	case s.IsUnknown():
		return tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	}
	return tftypes.NewValue(tftypes.String, s.ValueString())
}

// validateEnd runs NotBefore(other) on end_time in a config holding start and end.
func validateEnd(t *testing.T, other path.Expression, start, end types.String) validator.StringResponse {
	t.Helper()
	ctx := context.Background()
	config := tfsdk.Config{
		Schema: windowSchema,
		Raw: tftypes.NewValue(windowSchema.Type().TerraformType(ctx), map[string]tftypes.Value{
			"start_time": tfString(start),
			"end_time":   tfString(end),
		}),
	}
	at := path.Root("end_time")
	req := validator.StringRequest{Path: at, PathExpression: at.Expression(), ConfigValue: end, Config: config}
	var resp validator.StringResponse
	NotBefore(other).ValidateString(ctx, req, &resp)
	return resp
}

func TestNotBefore(t *testing.T) {
	const (
		jan1 = "2025-01-01T00:00:00Z"
		jan2 = "2025-01-02T00:00:00Z"
	)
	tests := []struct {
		name       string
		start, end types.String
		wantError  bool
	}{
		{"end after start", types.StringValue(jan1), types.StringValue(jan2), false},
		{"end equals start (inclusive window)", types.StringValue(jan1), types.StringValue(jan1), false},
		{"same instant in another zone", types.StringValue(jan1), types.StringValue("2025-01-01T02:00:00+02:00"), false},
		{"end before start", types.StringValue(jan2), types.StringValue(jan1), true},
		{"end before start by an offset", types.StringValue(jan1), types.StringValue("2025-01-01T01:00:00+02:00"), true},
		{"end before start by a fraction", types.StringValue("2025-01-01T00:00:00.5Z"), types.StringValue(jan1), true},
		{"start null", types.StringNull(), types.StringValue(jan1), false},
		{"start unknown", types.StringUnknown(), types.StringValue(jan1), false},
		{"end null", types.StringValue(jan2), types.StringNull(), false},
		{"end unknown", types.StringValue(jan2), types.StringUnknown(), false},
		{"start malformed (Timestamp reports it)", types.StringValue("soon"), types.StringValue(jan1), false},
		{"end malformed (Timestamp reports it)", types.StringValue(jan2), types.StringValue("later"), false},
	}
	expressions := map[string]path.Expression{
		"root":     path.MatchRoot("start_time"),
		"relative": path.MatchRelative().AtParent().AtName("start_time"),
	}
	for exprName, expr := range expressions {
		for _, tt := range tests {
			t.Run(exprName+"/"+tt.name, func(t *testing.T) {
				resp := validateEnd(t, expr, tt.start, tt.end)
				if !tt.wantError {
					if len(resp.Diagnostics) != 0 {
						t.Fatalf("unexpected diagnostics: %v", resp.Diagnostics)
					}
					return
				}
				if len(resp.Diagnostics) != 1 || resp.Diagnostics.ErrorsCount() != 1 {
					t.Fatalf("want exactly one error, got %v", resp.Diagnostics)
				}
				d := resp.Diagnostics[0]
				if !strings.Contains(d.Detail(), "end_time must not be before start_time") {
					t.Errorf("detail = %q", d.Detail())
				}
				if withPath, ok := d.(interface{ Path() path.Path }); !ok || !withPath.Path().Equal(path.Root("end_time")) {
					t.Errorf("diagnostic is not attached to end_time: %#v", d)
				}
			})
		}
	}
}

func TestNotBeforeBadExpressionIsReported(t *testing.T) {
	resp := validateEnd(t, path.MatchRoot("no_such_attribute"),
		types.StringValue("2025-01-01T00:00:00Z"), types.StringValue("2025-01-02T00:00:00Z"))
	if !resp.Diagnostics.HasError() {
		t.Error("a path expression outside the schema should be reported, not ignored")
	}
}
