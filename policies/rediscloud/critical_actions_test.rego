package rediscloud.critical_actions_test

import data.rediscloud.critical_actions
import data.rediscloud.fixtures as f

deletion := f.audit_entry({
	"id": "3100312", "type": "Database", "resource": "cache-staging", "api_key_name": null,
	"details": "Database cache-staging (13000202) was deleted from subscription staging-us-east-1 (100232)",
})

test_routine_update_passes if {
	count(critical_actions.deny) == 0 with input as f.plan([f.audit("last_7d", {"entries": [f.audit_entry({})]})])
}

test_deletion_by_details_fails if {
	critical_actions.deny == {sprintf("critical_actions: %s Database by Bob Smith on cache-staging: Database cache-staging (13000202) was deleted from subscription staging-us-east-1 (100232) (audit entry 3100312)", [f.hours_ago(2)])} with input as f.plan([f.audit("last_7d", {"entries": [deletion, f.audit_entry({})]})])
}

test_action_of_the_seed_shape_fails if {
	entry := f.audit_entry({"id": "7", "action": "apiKey.delete", "details": "gone", "resource": "legacy-export"})
	critical_actions.deny == {sprintf("critical_actions: %s apiKey.delete by Bob Smith on legacy-export: gone (audit entry 7)", [f.hours_ago(2)])} with input as f.plan([f.audit("x", {"entries": [entry]})])
}

test_older_than_the_lookback_passes if {
	old := object.union(deletion, {"timestamp": f.hours_ago(25)})
	count(critical_actions.deny) == 0 with input as f.plan([f.audit("last_7d", {"entries": [old]})])
}

test_same_entry_in_two_reads_is_one_finding if {
	count(critical_actions.deny) == 1 with input as f.plan([
		f.audit("last_7d", {"entries": [deletion]}),
		f.audit("critical_24h", {"entries": [deletion]}),
	])
}

test_patterns_come_from_the_data_document if {
	count(critical_actions.deny) == 0 with input as f.plan([f.audit("last_7d", {"entries": [deletion]})])
		with data.rediscloud_params as {"critical_details_patterns": ["^never$"], "critical_actions": []}
}
