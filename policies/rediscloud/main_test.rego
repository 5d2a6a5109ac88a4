package rediscloud.main_test

import data.rediscloud
import data.rediscloud.fixtures as f

session := f.session_entry({
	"id": "demo-unusual-ip-bob", "timestamp": f.hours_ago(61), "user": {"email": "bob@example.com", "name": "Bob Smith"},
	"user_role": "member", "ip_address": "203.0.113.66",
})

deletion := f.audit_entry({"id": "3100312", "api_key_name": null, "resource": "cache-staging", "details": "Database cache-staging was deleted"})

params := {"terraform_api_key_names": ["terraform-automation"]}

reads := [
	f.sessions("outside_office_7d", {"entries": [session]}),
	f.audit("critical_details_24h", {"entries": [deletion]}),
]

expected := {
	sprintf("session_cidrs: bob@example.com from 203.0.113.66 at %s, outside office_cidrs (console session demo-unusual-ip-bob)", [f.hours_ago(61)]),
	sprintf("critical_actions: %s Database by Bob Smith on cache-staging: Database cache-staging was deleted (audit entry 3100312)", [f.hours_ago(2)]),
	sprintf("outside_terraform: %s Database cache-staging changed by Bob Smith in the console: Database cache-staging was deleted (audit entry 3100312)", [f.hours_ago(2)]),
}

test_every_policy_finds_the_data_sources_at_the_root if {
	rediscloud.deny == expected with input as f.plan(reads) with data.rediscloud_params as params
}

test_every_policy_finds_the_data_sources_in_child_modules if {
	rediscloud.deny == expected with input as f.plan_in_modules(reads) with data.rediscloud_params as params
}

test_a_plan_without_the_data_sources_passes if {
	count(rediscloud.deny) == 0 with input as {"format_version": "1.2", "planned_values": {}}
}

test_planned_values_are_not_read if {
	# Data sources read during plan are in prior_state only; a policy that looked in
	# planned_values would see nothing, and one that looked in both would count twice.
	plan := object.union(f.plan([]), {"planned_values": {"root_module": {"resources": reads}}})
	count(rediscloud.deny) == 0 with input as plan with data.rediscloud_params as params
}
