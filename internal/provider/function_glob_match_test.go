package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

func TestAccFunctionGlobMatch(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   functionsSupported,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: `
output "star"          { value = provider::rediscloud::glob_match(["database.*"], "database.delete") }
output "case"          { value = provider::rediscloud::glob_match(["*@EXAMPLE.com"], "Alice@example.COM") }
output "whole_value"   { value = provider::rediscloud::glob_match(["database"], "database.delete") }
output "or_in_list"    { value = provider::rediscloud::glob_match(["user.*", "*.delete"], "apiKey.delete") }
output "question"      { value = provider::rediscloud::glob_match(["api?ey.*"], "apiKey.create") }
output "class"         { value = provider::rediscloud::glob_match(["[!a-c]*"], "bob") }
output "escape"        { value = provider::rediscloud::glob_match(["what\\?"], "whatx") }
output "no_match"      { value = provider::rediscloud::glob_match(["*@example.com"], "mallory@example.com.evil") }
output "empty_list"    { value = provider::rediscloud::glob_match([], "anything") }
`,
			ConfigStateChecks: outputChecks(map[string]bool{
				"star": true, "case": true, "whole_value": false, "or_in_list": true, "question": true,
				"class": false, "escape": false, "no_match": false, "empty_list": false,
			}),
		}},
	})
}

func TestAccFunctionGlobMatch_badInput(t *testing.T) {
	for name, tc := range map[string]struct{ call, want string }{
		"unclosed class": {`provider::rediscloud::glob_match(["database.*", "[abc"], "database.delete")`,
			`patterns\[1\]: "\[abc" is not a valid glob pattern: a character class has no closing \]`},
		"trailing backslash": {`provider::rediscloud::glob_match(["abc\\"], "abc")`,
			`patterns\[0\]: "abc\\\\" is not a valid glob pattern: it ends with a lone backslash`},
		"empty pattern": {`provider::rediscloud::glob_match([""], "x")`,
			`patterns\[0\]: glob pattern is empty`},
		"null pattern": {`provider::rediscloud::glob_match([null], "x")`,
			`patterns\[0\] is null`},
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
