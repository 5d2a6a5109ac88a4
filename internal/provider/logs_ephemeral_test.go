package provider

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// ephemeralSupported skips a test on a CLI without ephemeral resources: Terraform
// before 1.10, OpenTofu before 1.11 (OpenTofu is told apart by the provider host that
// its runs need, see scripts/testacc-matrix.sh).
var ephemeralSupported = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0), skipOpenTofuBelow1_11{}}

type skipOpenTofuBelow1_11 struct{}

// openTofuRun tells whether terraform-plugin-testing drives OpenTofu.
func openTofuRun() bool { return os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" }

func (skipOpenTofuBelow1_11) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if openTofuRun() && req.TerraformVersion.LessThan(tfversion.Version1_11_0) {
		resp.Skip = fmt.Sprintf("OpenTofu %s has no ephemeral resources (1.11+)", req.TerraformVersion)
	}
}

// The ephemeral resources' schemas are the data sources' (bar the description):
// every attribute, flag, type and description, so that neither can drift.
func TestEphemeralSchemaIsTheDataSourceSchema(t *testing.T) {
	server, err := testAccProtoV6ProviderFactories["rediscloud"]()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("schema diagnostic: %s: %s", d.Summary, d.Detail)
	}
	for _, name := range []string{"rediscloud_audit_logs", "rediscloud_session_logs"} {
		ds, eph := resp.DataSourceSchemas[name], resp.EphemeralResourceSchemas[name]
		if ds == nil || eph == nil {
			t.Fatalf("%s: data source schema %v, ephemeral resource schema %v", name, ds != nil, eph != nil)
		}
		if !strings.HasPrefix(eph.Block.Description, ds.Block.Description) || !strings.Contains(eph.Block.Description, "Ephemeral") {
			t.Errorf("%s: the ephemeral description does not extend the data source's:\n%s", name, eph.Block.Description)
		}
		dsAttrs, ephAttrs := ds.Block.Attributes, eph.Block.Attributes
		if len(dsAttrs) < 20 || !reflect.DeepEqual(dsAttrs, ephAttrs) || !reflect.DeepEqual(ds.Block.BlockTypes, eph.Block.BlockTypes) {
			t.Errorf("%s: the ephemeral resource's attributes differ from the data source's", name)
		}
	}
}

// window30d is a fixed window over the whole demo dataset.
var window30d = fmt.Sprintf("start_time = %q\nend_time = %q\n", ago(30*24*time.Hour), ts(demoNow))

// sameAsDataSource reads args with both the data source and the ephemeral resource of
// kind, under name, and fails the plan (a precondition) unless the two results,
// every argument, summary and entry, are equal.
func sameAsDataSource(kind, name, args string) string {
	return fmt.Sprintf(`
data %[1]q %[2]q {
%[3]s
}

ephemeral %[1]q %[2]q {
%[3]s
}

resource "terraform_data" %[2]q {
  lifecycle {
    precondition {
      condition     = jsonencode(ephemeral.%[1]s.%[2]s) == jsonencode(data.%[1]s.%[2]s)
      error_message = "ephemeral.%[1]s.%[2]s differs from data.%[1]s.%[2]s."
    }
  }
}
`, kind, name, args)
}

// Every filter and every summary gives the ephemeral resource what it gives the data
// source, on both response shapes; the first step shows that the comparison fails
// when the two differ.
func TestAccEphemeralLogs_sameResultsAsDataSources(t *testing.T) {
	audit := map[string]string{
		"all":         "",
		"actions":     `actions = ["database.*"]` + "\n" + `exclude_actions = ["database.delete"]`,
		"users":       `users = ["*@example.com"]` + "\n" + `exclude_users = ["bob*"]`,
		"types":       `types = ["Database"]` + "\n" + `status = "success"`,
		"resource_id": `resource_id = "13000104"`,
		"details":     `details_patterns = ["(?i)deleted|removed"]` + "\n" + `exclude_details_patterns = ["cache"]`,
		"api_keys":    `api_key_names = ["*"]` + "\n" + `exclude_api_key_names = ["terraform-automation"]`,
		"max_results": `max_results = 2`,
		"summaries":   `max_results = 0`,
	}
	sessions := map[string]string{
		"all":         "",
		"ip_cidrs":    `ip_cidrs = ["198.51.100.0/24"]` + "\n" + `exclude_ip_cidrs = ["198.51.100.0/28"]`,
		"outside":     `exclude_ip_cidrs = ["198.51.100.0/24", "2001:db8:100::/48"]`,
		"active":      `active_only = true`,
		"roles":       `user_roles = ["owner", "manager"]` + "\n" + `exclude_user_roles = ["manager"]`,
		"types":       `types = ["console"]` + "\n" + `actions = ["*login*"]`,
		"users":       `users = ["*@example.com"]` + "\n" + `exclude_users = ["carol*"]`,
		"max_results": `max_results = 3`,
	}
	var config strings.Builder
	for name, args := range audit {
		config.WriteString(sameAsDataSource("rediscloud_audit_logs", "audit_"+name, window30d+args))
	}
	for name, args := range sessions {
		config.WriteString(sameAsDataSource("rediscloud_session_logs", "sessions_"+name, window30d+args))
	}
	differ := strings.Replace(sameAsDataSource("rediscloud_session_logs", "differ", window30d), "ephemeral \"rediscloud_session_logs\" \"differ\" {\n",
		"ephemeral \"rediscloud_session_logs\" \"differ\" {\nmax_results = 1\n", 1)
	for _, shape := range bothShapes {
		t.Run(string(shape), func(t *testing.T) {
			_, url := demoMock(t, shape)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   ephemeralSupported,
				Steps: []resource.TestStep{
					{
						Config:      providerBlock(url, "") + differ,
						PlanOnly:    true,
						ExpectError: errorPattern(`(?s)Resource precondition failed.*ephemeral.rediscloud_session_logs.differ differs`),
					},
					{Config: providerBlock(url, "") + config.String()},
				},
			})
		})
	}
}

// gateConfig is a CI gate on the demo dataset: a session from outside the office ranges
// fails the plan (a precondition on terraform_data reading the ephemeral result), and a
// change outside Terraform warns (a check block). The messages show counts only.
var gateConfig = `
ephemeral "rediscloud_session_logs" "outside_office" {
` + window30d + `
  exclude_ip_cidrs = ["198.51.100.0/24", "2001:db8:100::/48"]
  max_results      = 0
}

ephemeral "rediscloud_audit_logs" "outside_terraform" {
` + window30d + `
  exclude_api_key_names = ["terraform-automation"]
  max_results           = 0
}

resource "terraform_data" "session_gate" {
  lifecycle {
    precondition {
      condition     = ephemeral.rediscloud_session_logs.outside_office.total_count == 0
      error_message = "Sessions from outside the office ranges: see the session log."
    }
  }
}

check "changes_outside_terraform" {
  assert {
    condition     = ephemeral.rediscloud_audit_logs.outside_terraform.total_count == 0
    error_message = "Changes outside Terraform: see the audit log."
  }
}
`

// The gate fails the plan on the planted session from outside the office.
func TestAccEphemeralLogs_failingGateFailsPlan(t *testing.T) {
	_, url := demoMock(t, mockapi.ShapeOfficial)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   ephemeralSupported,
		Steps: []resource.TestStep{{
			Config:      providerBlock(url, "") + gateConfig,
			PlanOnly:    true,
			ExpectError: errorPattern(`(?s)Resource precondition failed.*Sessions from outside the office ranges`),
		}},
	})
}

// A bad argument fails at validate, on its attribute, before any request.
func TestAccEphemeralLogs_validation(t *testing.T) {
	runValidationCasesAs(t, "ephemeral", ephemeralSupported, map[string]validationCase{
		"lookback":         {"rediscloud_audit_logs", `lookback = "banana"`, `(?s)lookback`},
		"status":           {"rediscloud_audit_logs", `status = "maybe"`, `(?s)status.*success`},
		"conflict":         {"rediscloud_audit_logs", `lookback = "1d"` + "\n" + `start_time = "2025-01-01T00:00:00Z"`, `(?s)start_time.*lookback`},
		"glob in users":    {"rediscloud_session_logs", `users = ["[a"]`, `(?s)Invalid Glob Pattern.*users`},
		"cidr":             {"rediscloud_session_logs", `ip_cidrs = ["300.1.2.0/24"]`, `(?s)ip_cidrs`},
		"max_results":      {"rediscloud_session_logs", `max_results = -1`, `(?s)max_results.*at least 0`},
		"timeouts":         {"rediscloud_session_logs", `timeouts = { read = "soon" }`, `(?s)Time Duration.*"soon"`},
		"on_unmatchable":   {"rediscloud_session_logs", `on_unmatchable = "ignore"`, `(?s)on_unmatchable`},
		"details_patterns": {"rediscloud_audit_logs", `details_patterns = ["(deleted"]`, `(?s)Invalid Regular Expression.*details_patterns`},
	})
}
