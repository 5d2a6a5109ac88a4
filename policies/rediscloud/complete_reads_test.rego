package rediscloud.complete_reads_test

import data.rediscloud
import data.rediscloud.complete_reads
import data.rediscloud.fixtures as f

cut := f.audit("last_7d", {"max_results": 1, "total_count": 40, "truncated": true, "entries": [f.audit_entry({})]})

test_complete_and_summary_only_reads_pass if {
	summary_only := f.sessions("access_review", {"max_results": 0, "total_count": 90, "truncated": true})
	count(complete_reads.deny) == 0 with input as f.plan([f.audit("last_7d", {"total_count": 1, "entries": [f.audit_entry({})]}), summary_only])
}

test_truncated_read_fails if {
	complete_reads.deny == {"complete_reads: data.rediscloud_audit_logs.last_7d was truncated: max_results = 1 kept 1 of 40 entries, and critical_actions, outside_terraform need every entry; raise max_results or narrow the filters"} with input as f.plan([cut])
}

test_truncation_can_be_allowed_by_address if {
	count(complete_reads.deny) == 0 with input as f.plan([cut])
		with data.rediscloud_params as {"truncation_allowed": ["data.rediscloud_audit_logs.last_7d"]}
}

# A read deferred to apply: its arguments depend on something unknown at plan time, so
# prior_state does not hold it, and resource_changes says "read".
deferred_plan := object.union(f.plan([]), {"resource_changes": [{
	"address": "module.logs.data.rediscloud_session_logs.by_team[\"ops\"]",
	"module_address": "module.logs", "mode": "data", "type": "rediscloud_session_logs",
	"name": "by_team", "index": "ops", "provider_name": f.provider_name,
	"change": {"actions": ["read"], "before": null, "after": {"lookback": "7d"}, "after_unknown": {"entries": true, "total_count": true}},
	"action_reason": "read_because_config_unknown",
}]})

test_deferred_read_fails if {
	complete_reads.deny == {"complete_reads: module.logs.data.rediscloud_session_logs.by_team[\"ops\"] is read during apply, so the plan holds none of its entries and no policy can check them; make its arguments known at plan time"} with input as deferred_plan
}

test_deferred_read_is_the_only_finding if {
	rediscloud.deny == complete_reads.deny with input as deferred_plan
}

test_other_resource_changes_pass if {
	managed := object.union(f.plan([]), {"resource_changes": [{
		"address": "terraform_data.x", "mode": "managed", "type": "terraform_data", "name": "x",
		"change": {"actions": ["create"]},
	}]})
	count(complete_reads.deny) == 0 with input as managed
}
