package provider

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// TestAccProvider_localNameNextToOfficialProvider runs the provider the way a module
// that also uses the official RedisLabs/rediscloud provider has to declare it: the local
// name `rediscloud` belongs to the official provider there, so this one is required under
// another name (`redislogs`) with its real source address, and every data source names its
// provider configuration with `provider = ...`. The official provider cannot be
// downloaded here, so the test leaves it out; what it shows is that nothing in this
// provider depends on being called `rediscloud` (docs/guides/with-official-provider.md).
//
// The module has no `rediscloud` provider at all: a data source without
// `provider = redislogs` would make the CLI look for an implied `hashicorp/rediscloud`,
// which is not there, and `terraform init` would fail. Only the `redislogs` block holds
// the mock's URL and keys, so a read that succeeds went through it.
//
// One configuration only: terraform-plugin-testing serves every configuration of a
// provider from one in-process server, which the CLI configures once per configuration,
// so a second (aliased) configuration overwrites the first one's settings for both.
// Seen with OpenTofu 1.12.6: an audit read went to the aliased configuration's mock.
// A real CLI starts one provider process per configuration.
func TestAccProvider_localNameNextToOfficialProvider(t *testing.T) {
	// terraform-plugin-testing serves the in-process provider at
	// <TF_ACC_PROVIDER_HOST>/<TF_ACC_PROVIDER_NAMESPACE>/<factory key>. Use the namespace
	// of the published address, so that the configuration reads as a user's would. Not
	// parallel: t.Setenv changes the environment of the whole test binary.
	t.Setenv("TF_ACC_PROVIDER_NAMESPACE", "redis-logs")
	host := strings.TrimSuffix(os.Getenv("TF_ACC_PROVIDER_HOST"), "/")
	if host == "" {
		host = "registry.terraform.io"
	}

	mock, url := testMock(t, mockapi.Options{Shape: mockapi.ShapeSeed})
	mock.SetAudit(auditFixture(fixtureBase))
	mock.SetSessions(sessionFixture(fixtureBase))

	config := fmt.Sprintf(`
terraform {
  required_providers {
    redislogs = {
      source = "%[1]s/redis-logs/rediscloud"
    }
  }
}

provider "redislogs" {
  url            = %[2]q
  api_key        = %[3]q
  secret_key     = %[4]q
  retry_wait_min = "10ms"
  retry_wait_max = "50ms"
}

data "rediscloud_audit_logs" "deletions" {
  provider = redislogs
  actions  = ["database.delete", "user.remove"]
}

data "rediscloud_session_logs" "all" {
  provider = redislogs
}
`, host, url, testAPIKey, testSecretKey)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				entryIDs("data.rediscloud_audit_logs.deletions", "110", "106"),
				entryIDs("data.rediscloud_session_logs.all", "s-6", "s-5", "s-4", "s-3", "s-2"),
				attrEquals("data.rediscloud_session_logs.all", "total_count", knownvalue.Int64Exact(5)),
			},
			// The state records the provider each data source came from.
			Check: resource.ComposeAggregateTestCheckFunc(
				providerOf("data.rediscloud_audit_logs.deletions", host+"/redis-logs/rediscloud"),
				providerOf("data.rediscloud_session_logs.all", host+"/redis-logs/rediscloud"),
			),
		}},
	})
}

// providerOf checks the provider address that the state records for a resource.
func providerOf(address, provider string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s is not in the state", address)
		}
		if !strings.Contains(rs.Provider, provider) {
			return fmt.Errorf("%s came from provider %q, want %s", address, rs.Provider, provider)
		}
		return nil
	}
}
