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
// Two configurations (the default `redislogs` and `redislogs.eu`) point at two mocks with
// different keys and different data, and each mock must see only the requests of the data
// source that names it: a data source that fell back to another configuration would read
// the other mock's data, fail on its keys, or make Terraform look for an implied
// `hashicorp/rediscloud` provider, which is not there.
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

	auditMock, auditURL := testMock(t, mockapi.Options{Shape: mockapi.ShapeSeed})
	auditMock.SetAudit(auditFixture(fixtureBase))
	const euAPIKey, euSecretKey = "acc-test-eu-api-key-41b7", "acc-test-eu-secret-key-0d3a"
	sessionMock, sessionURL := testMock(t, mockapi.Options{Shape: mockapi.ShapeSeed, APIKey: euAPIKey, SecretKey: euSecretKey})
	sessionMock.SetSessions(sessionFixture(fixtureBase))

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

provider "redislogs" {
  alias          = "eu"
  url            = %[5]q
  api_key        = %[6]q
  secret_key     = %[7]q
  retry_wait_min = "10ms"
  retry_wait_max = "50ms"
}

data "rediscloud_audit_logs" "deletions" {
  provider = redislogs
  actions  = ["database.delete", "user.remove"]
}

data "rediscloud_session_logs" "eu" {
  provider = redislogs.eu
}
`, host, auditURL, testAPIKey, testSecretKey, sessionURL, euAPIKey, euSecretKey)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				entryIDs("data.rediscloud_audit_logs.deletions", "110", "106"),
				entryIDs("data.rediscloud_session_logs.eu", "s-6", "s-5", "s-4", "s-3", "s-2"),
				attrEquals("data.rediscloud_session_logs.eu", "total_count", knownvalue.Int64Exact(5)),
			},
			Check: func(*terraform.State) error {
				if err := onlyPaths(auditMock, mockapi.AuditPath); err != nil {
					return fmt.Errorf("the mock of provider redislogs: %w", err)
				}
				if err := onlyPaths(sessionMock, mockapi.SessionPath); err != nil {
					return fmt.Errorf("the mock of provider redislogs.eu: %w", err)
				}
				return nil
			},
		}},
	})
}

// onlyPaths fails unless the mock answered at least one request, all of them on path.
func onlyPaths(mock *mockapi.Server, path string) error {
	requests := mock.Requests()
	if len(requests) == 0 {
		return fmt.Errorf("no requests, want some on %s", path)
	}
	for _, r := range requests {
		if r.Path != path {
			return fmt.Errorf("a request on %s, want only %s", r.Path, path)
		}
	}
	return nil
}
