package rediscloud.outside_terraform_test

import data.rediscloud.fixtures as f
import data.rediscloud.outside_terraform

console_change := f.audit_entry({"id": "3100312", "api_key_name": null, "resource": "cache-staging", "details": "deleted"})

other_key_change := f.audit_entry({
	"id": "3100311", "user": {"email": null, "name": "Alice Johnson"},
	"api_key_name": "ci-pipeline", "details": "updated",
})

test_change_through_terraforms_key_passes if {
	count(outside_terraform.deny) == 0 with input as f.plan([f.audit("outside_terraform_24h", {"entries": [f.audit_entry({})]})])
		with data.rediscloud_params as f.params
}

test_console_and_other_key_fail if {
	outside_terraform.deny == {
		sprintf("outside_terraform: %s Database cache-staging changed by Bob Smith in the console: deleted (audit entry 3100312)", [f.hours_ago(2)]),
		sprintf("outside_terraform: %s Database orders-prod changed by Alice Johnson through API key ci-pipeline: updated (audit entry 3100311)", [f.hours_ago(2)]),
	} with input as f.plan([f.audit("last_7d", {"entries": [console_change, other_key_change, f.audit_entry({})]})])
		with data.rediscloud_params as f.params
}

test_unmanaged_type_and_missing_type_pass if {
	account := object.union(console_change, {"type": "Account"})
	seed_shape := object.union(console_change, {"type": null})
	count(outside_terraform.deny) == 0 with input as f.plan([f.audit("last_7d", {"entries": [account, seed_shape]})])
		with data.rediscloud_params as f.params
}

test_allowed_keys_come_from_the_data_document if {
	count(outside_terraform.deny) == 0 with input as f.plan([f.audit("last_7d", {"entries": [other_key_change]})])
		with data.rediscloud_params as {"terraform_api_key_names": ["terraform-automation", "ci-*"]}
}
