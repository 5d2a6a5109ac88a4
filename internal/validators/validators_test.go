package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestParsedValidators(t *testing.T) {
	tests := []struct {
		name        string
		v           validator.String
		value       types.String
		wantSummary string // "" means no diagnostics
		wantDetail  string
	}{
		{"timestamp null", Timestamp(), types.StringNull(), "", ""},
		{"timestamp unknown", Timestamp(), types.StringUnknown(), "", ""},
		{"timestamp valid", Timestamp(), types.StringValue("2025-01-31T23:59:59Z"), "", ""},
		{"timestamp with offset", Timestamp(), types.StringValue("2025-01-31T23:59:59.5+02:00"), "", ""},
		{"timestamp invalid", Timestamp(), types.StringValue("2025-13-01"), "Invalid Timestamp",
			`"2025-13-01" is not an RFC 3339 timestamp such as "2025-01-31T23:59:59Z"`},
		{"timestamp empty", Timestamp(), types.StringValue(""), "Invalid Timestamp", "empty"},

		{"lookback null", Lookback(), types.StringNull(), "", ""},
		{"duration ms", Duration(), types.StringValue("500ms"), "", ""},
		{"duration negative", Duration(), types.StringValue("-1s"), "Invalid Duration",
			`"-1s" is not a valid duration: it is negative; expected a positive duration: a number and a unit, such as "500ms"`},
		{"duration days", Duration(), types.StringValue("1d"), "Invalid Duration", `"1d" is not a valid duration`},
		{"lookback unknown", Lookback(), types.StringUnknown(), "", ""},
		{"lookback hours", Lookback(), types.StringValue("24h"), "", ""},
		{"lookback days and hours", Lookback(), types.StringValue("1d12h"), "", ""},
		{"lookback weeks", Lookback(), types.StringValue("2w"), "", ""},
		{"lookback zero", Lookback(), types.StringValue("0s"), "Invalid Lookback", "greater than zero"},
		{"lookback no unit", Lookback(), types.StringValue("24"), "Invalid Lookback", `"7d"`},
		{"lookback years", Lookback(), types.StringValue("1y"), "Invalid Lookback", `unknown unit "y"`},

		{"cidr null", CIDR(), types.StringNull(), "", ""},
		{"cidr unknown", CIDR(), types.StringUnknown(), "", ""},
		{"cidr ipv4", CIDR(), types.StringValue("198.51.100.0/24"), "", ""},
		{"cidr ipv6", CIDR(), types.StringValue("2001:db8::/32"), "", ""},
		{"cidr single address", CIDR(), types.StringValue("198.51.100.7"), "", ""},
		{"cidr bad mask", CIDR(), types.StringValue("198.51.100.0/33"), "Invalid CIDR Range", "not an IPv4/IPv6 CIDR range"},
		{"cidr hostname", CIDR(), types.StringValue("example.com"), "Invalid CIDR Range", "not an IPv4/IPv6 CIDR range"},

		{"glob null", Glob(), types.StringNull(), "", ""},
		{"glob unknown", Glob(), types.StringUnknown(), "", ""},
		{"glob star", Glob(), types.StringValue("database.*"), "", ""},
		{"glob class", Glob(), types.StringValue("[a-z]*@example.com"), "", ""},
		{"glob unclosed class", Glob(), types.StringValue("[abc"), "Invalid Glob Pattern", "no closing ]"},
		{"glob empty", Glob(), types.StringValue(""), "Invalid Glob Pattern", "empty"},
		{"glob trailing backslash", Glob(), types.StringValue(`abc\`), "Invalid Glob Pattern", "backslash"},

		{"pattern null", Pattern(), types.StringNull(), "", ""},
		{"pattern unknown", Pattern(), types.StringUnknown(), "", ""},
		{"pattern valid", Pattern(), types.StringValue(`(?i)\b(deleted|removed)\b`), "", ""},
		{"pattern unclosed group", Pattern(), types.StringValue(`(deleted`), "Invalid Regular Expression",
			`"(deleted" is not a valid RE2 regular expression (the syntax of Terraform's regex()): error parsing regexp: missing closing ): ` + "`(deleted`"},
		{"pattern look-ahead", Pattern(), types.StringValue(`(?=x)`), "Invalid Regular Expression", "invalid or unsupported Perl syntax"},
		{"pattern empty", Pattern(), types.StringValue(""), "Invalid Regular Expression", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := path.Root("some_argument")
			req := validator.StringRequest{Path: at, PathExpression: at.Expression(), ConfigValue: tt.value}
			var resp validator.StringResponse
			tt.v.ValidateString(context.Background(), req, &resp)

			if tt.wantSummary == "" {
				if len(resp.Diagnostics) != 0 {
					t.Fatalf("unexpected diagnostics: %v", resp.Diagnostics)
				}
				return
			}
			if len(resp.Diagnostics) != 1 || resp.Diagnostics.ErrorsCount() != 1 {
				t.Fatalf("want exactly one error, got %v", resp.Diagnostics)
			}
			d := resp.Diagnostics[0]
			if d.Summary() != tt.wantSummary || !strings.Contains(d.Detail(), tt.wantDetail) {
				t.Errorf("diagnostic = %q / %q, want %q / containing %q", d.Summary(), d.Detail(), tt.wantSummary, tt.wantDetail)
			}
			if withPath, ok := d.(interface{ Path() path.Path }); !ok || !withPath.Path().Equal(at) {
				t.Errorf("diagnostic is not attached to %s: %#v", at, d)
			}
		})
	}
}

func TestDescriptions(t *testing.T) {
	ctx := context.Background()
	for name, v := range map[string]validator.String{
		"Timestamp": Timestamp(), "Lookback": Lookback(), "CIDR": CIDR(), "Glob": Glob(), "Pattern": Pattern(),
		"NotBefore": NotBefore(path.MatchRoot("start_time")),
	} {
		if v.Description(ctx) == "" || v.MarkdownDescription(ctx) == "" {
			t.Errorf("%s has an empty description", name)
		}
		if strings.Contains(v.Description(ctx), "`") {
			t.Errorf("%s plain description contains Markdown: %q", name, v.Description(ctx))
		}
	}
}

// TestComposesWithValueStringsAre checks the way the provider validates list
// arguments: each element's error must name that element.
func TestComposesWithValueStringsAre(t *testing.T) {
	list := types.ListValueMust(types.StringType, []attr.Value{
		types.StringValue("198.51.100.0/24"),
		types.StringValue("not-an-ip"),
		types.StringUnknown(),
		types.StringValue("2001:db8::/129"),
	})
	at := path.Root("ip_cidrs")
	req := validator.ListRequest{Path: at, PathExpression: at.Expression(), ConfigValue: list}
	var resp validator.ListResponse
	listvalidator.ValueStringsAre(CIDR()).ValidateList(context.Background(), req, &resp)

	if resp.Diagnostics.ErrorsCount() != 2 {
		t.Fatalf("want 2 errors, got %v", resp.Diagnostics)
	}
	for i, wantPath := range []path.Path{at.AtListIndex(1), at.AtListIndex(3)} {
		d := resp.Diagnostics[i]
		withPath, ok := d.(interface{ Path() path.Path })
		if !ok || !withPath.Path().Equal(wantPath) || d.Summary() != "Invalid CIDR Range" {
			t.Errorf("diagnostic %d = %#v, want Invalid CIDR Range at %s", i, d, wantPath)
		}
	}
}

func TestPatternListNamesTheElement(t *testing.T) {
	list := types.ListValueMust(types.StringType, []attr.Value{
		types.StringValue(`deleted`), types.StringValue(`a{1001}`),
	})
	at := path.Root("details_patterns")
	req := validator.ListRequest{Path: at, PathExpression: at.Expression(), ConfigValue: list}
	var resp validator.ListResponse
	listvalidator.ValueStringsAre(Pattern()).ValidateList(context.Background(), req, &resp)
	if resp.Diagnostics.ErrorsCount() != 1 {
		t.Fatalf("want 1 error, got %v", resp.Diagnostics)
	}
	d := resp.Diagnostics[0]
	withPath, ok := d.(interface{ Path() path.Path })
	if !ok || !withPath.Path().Equal(at.AtListIndex(1)) || d.Summary() != "Invalid Regular Expression" ||
		!strings.Contains(d.Detail(), "invalid repeat count") {
		t.Errorf("diagnostic = %#v, want Invalid Regular Expression at %s with the regexp's message", d, at.AtListIndex(1))
	}
}

func TestHeaderValue(t *testing.T) {
	at := path.Root("api_key")
	for _, tt := range []struct {
		value  types.String
		errors int
	}{
		{types.StringNull(), 0}, {types.StringUnknown(), 0}, {types.StringValue("key-with\ttab"), 0},
		{types.StringValue("key\n"), 1}, {types.StringValue("ke\x00y"), 1},
	} {
		var resp validator.StringResponse
		HeaderValue("API Key").ValidateString(context.Background(), validator.StringRequest{Path: at, ConfigValue: tt.value}, &resp)
		if resp.Diagnostics.ErrorsCount() != tt.errors || len(resp.Diagnostics) != tt.errors {
			t.Fatalf("%q: diagnostics %v, want %d error(s)", tt.value, resp.Diagnostics, tt.errors)
		}
		if tt.errors == 0 {
			continue
		}
		d := resp.Diagnostics[0]
		if d.Summary() != "Invalid API Key" || !strings.Contains(d.Detail(), "line break") || strings.Contains(d.Detail(), tt.value.ValueString()) {
			t.Errorf("%q: %q / %q: want Invalid API Key, naming a line break, never quoting the value", tt.value, d.Summary(), d.Detail())
		}
	}
}

func TestGlobNotRegex(t *testing.T) {
	at := path.Root("actions")
	for value, want := range map[string]string{
		"database.*": "", "user.remove": "", `^database\..*|user\.remove`: `"^database\\..*|user\\.remove" holds "`,
	} {
		var resp validator.StringResponse
		GlobNotRegex().ValidateString(context.Background(), validator.StringRequest{Path: at, ConfigValue: types.StringValue(value)}, &resp)
		switch {
		case want == "" && len(resp.Diagnostics) != 0:
			t.Errorf("%q: unexpected diagnostics %v", value, resp.Diagnostics)
		case want != "" && (resp.Diagnostics.WarningsCount() != 1 || len(resp.Diagnostics) != 1 ||
			resp.Diagnostics[0].Summary() != "Glob Looks Like a Regular Expression" || !strings.HasPrefix(resp.Diagnostics[0].Detail(), want)):
			t.Errorf("%q: diagnostics %v, want one warning whose detail begins %q", value, resp.Diagnostics, want)
		}
	}
	var resp validator.StringResponse
	GlobNotRegex().ValidateString(context.Background(), validator.StringRequest{Path: at, ConfigValue: types.StringUnknown()}, &resp)
	if len(resp.Diagnostics) != 0 {
		t.Errorf("unknown value: %v", resp.Diagnostics)
	}
}
