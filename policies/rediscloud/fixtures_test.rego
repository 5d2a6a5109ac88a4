# Building blocks of the unit tests: plans as `terraform show -json` writes them, with
# the data sources at the root, in child modules or deferred to apply.
package rediscloud.fixtures

plan_time := "2026-12-06T12:00:00Z"

provider_name := "registry.terraform.io/redis-logs/rediscloud"

# minutes_ago(m), hours_ago(h): the RFC 3339 time that long before plan_time.
minutes_ago(m) := time.format([time.parse_rfc3339_ns(plan_time) - ((m * 60) * 1000000000), "UTC", "2006-01-02T15:04:05Z07:00"])

hours_ago(h) := minutes_ago(h * 60)

read_values := {
	"entries": [], "total_count": 0, "truncated": false, "max_results": null, "actions": null,
	"user_counts": {}, "last_seen": {}, "lookback": "24h",
}

data_source(type, name, values) := {
	"address": sprintf("data.%s.%s", [type, name]),
	"mode": "data", "type": type, "name": name, "provider_name": provider_name,
	"schema_version": 0, "sensitive_values": {},
	"values": object.union(read_values, values),
}

audit(name, values) := data_source("rediscloud_audit_logs", name, values)

sessions(name, values) := data_source("rediscloud_session_logs", name, values)

# plan(resources): a plan whose data sources were read during plan, in the root module.
plan(resources) := {
	"format_version": "1.2", "terraform_version": "1.11.4", "timestamp": plan_time,
	"prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": resources}}},
	"resource_changes": [],
}

# plan_in_modules(resources): the same data sources two modules down
# (module.compliance.module.logs), as a wrapper module of examples/compliance puts them.
plan_in_modules(resources) := {
	"format_version": "1.2", "terraform_version": "1.11.4", "timestamp": plan_time,
	"prior_state": {"format_version": "1.0", "values": {"root_module": {"child_modules": [{
		"address": "module.compliance",
		"child_modules": [{
			"address": "module.compliance.module.logs",
			"resources": [object.union(r, {"address": sprintf("module.compliance.module.logs.%s", [r.address])}) | some r in resources],
		}],
	}]}}},
}

audit_entry(fields) := object.union(
	{
		"id": "3100310", "timestamp": hours_ago(2), "action": null, "type": "Database",
		"user": {"email": null, "name": "Bob Smith"}, "api_key_name": "terraform-automation",
		"resource": "orders-prod", "resource_id": "13000101",
		"details": "Database orders-prod (13000101) was updated", "status": null,
	},
	fields,
)

session_entry(fields) := object.union(
	{
		"id": "s-1", "timestamp": hours_ago(2), "user": {"email": "alice@example.com", "name": "Alice Johnson"},
		"user_role": "owner", "ip_address": "198.51.100.10", "user_agent": "Mozilla/5.0", "type": "console",
		"action": "Successful login", "start_time": null, "end_time": null, "active": false,
	},
	fields,
)

# The demo's parameters (policies/data.json), for tests that need account users.
params := {
	"terraform_api_key_names": ["terraform-automation"],
	"account_users": ["alice@example.com", "erin@example.com"],
	"max_inactive_days": 14,
}
