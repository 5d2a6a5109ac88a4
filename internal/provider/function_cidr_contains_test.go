package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Provider-defined functions need Terraform 1.8 (OpenTofu 1.7): the 1.5.7 leg of the
// matrix skips these tests.
var functionsSupported = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

// outputChecks asserts the value of each named output.
func outputChecks(want map[string]bool) []statecheck.StateCheck {
	checks := make([]statecheck.StateCheck, 0, len(want))
	for name, v := range want {
		checks = append(checks, statecheck.ExpectKnownOutputValue(name, knownvalue.Bool(v)))
	}
	return checks
}

func TestAccFunctionCIDRContains(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   functionsSupported,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
locals {
  office = ["198.51.100.0/24", "2001:db8:100::/48"]
}
output "ipv4_inside"        { value = provider::rediscloud::cidr_contains(local.office, "198.51.100.7") }
output "ipv4_outside"       { value = provider::rediscloud::cidr_contains(local.office, "203.0.113.66") }
output "ipv6_inside"        { value = provider::rediscloud::cidr_contains(local.office, "2001:db8:100:4::2b") }
output "ipv6_outside"       { value = provider::rediscloud::cidr_contains(local.office, "2001:db8:200::1") }
output "mapped_ipv4"        { value = provider::rediscloud::cidr_contains(local.office, "::ffff:198.51.100.7") }
output "with_port"          { value = provider::rediscloud::cidr_contains(local.office, "198.51.100.7:443") }
output "single_address"     { value = provider::rediscloud::cidr_contains(["203.0.113.66"], "203.0.113.66") }
output "single_address_not" { value = provider::rediscloud::cidr_contains(["203.0.113.66"], "203.0.113.67") }
output "ipv4_not_in_ipv6"   { value = provider::rediscloud::cidr_contains(["::/0"], "198.51.100.7") }
output "empty_list"         { value = provider::rediscloud::cidr_contains([], "198.51.100.7") }
`,
			ConfigStateChecks: outputChecks(map[string]bool{
				"ipv4_inside": true, "ipv4_outside": false, "ipv6_inside": true, "ipv6_outside": false,
				"mapped_ipv4": true, "with_port": true, "single_address": true, "single_address_not": false,
				"ipv4_not_in_ipv6": false, "empty_list": false,
			}),
		}},
	})
}

func TestAccFunctionCIDRContains_badInput(t *testing.T) {
	for name, tc := range map[string]struct{ call, want string }{
		"bad range": {`provider::rediscloud::cidr_contains(["198.51.100.0/24", "198.51.100.0/33"], "198.51.100.7")`,
			`cidrs\[1\]: "198.51.100.0/33" is not an IPv4/IPv6 CIDR range`},
		"hostname as range": {`provider::rediscloud::cidr_contains(["office.example.com"], "198.51.100.7")`,
			`cidrs\[0\]: "office.example.com" is not an IPv4/IPv6 CIDR range`},
		"null range": {`provider::rediscloud::cidr_contains(["198.51.100.0/24", null], "198.51.100.7")`,
			`cidrs\[1\] is null`},
		"bad ip": {`provider::rediscloud::cidr_contains(["198.51.100.0/24"], "198.51.100")`,
			`ip: "198.51.100" is not an IPv4 or IPv6 address`},
		"range as ip": {`provider::rediscloud::cidr_contains(["198.51.100.0/24"], "198.51.100.0/24")`,
			`ip: "198.51.100.0/24" is not an IPv4 or IPv6 address`},
		"empty ip": {`provider::rediscloud::cidr_contains(["198.51.100.0/24"], "")`,
			`ip: "" is not an IPv4 or IPv6 address`},
	} {
		t.Run(name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				TerraformVersionChecks:   functionsSupported,
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      "output \"x\" { value = " + tc.call + " }\n",
					ExpectError: errorPattern(tc.want),
				}},
			})
		})
	}
}
