package rediscloud.required_checks_test

import data.rediscloud.fixtures as f
import data.rediscloud.required_checks

checks(status, problems) := object.union(f.plan([]), {"checks": [{
	"address": {"kind": "check", "name": "no_inactive_users", "to_display": "check.no_inactive_users"},
	"status": status,
	"instances": [{"address": {"to_display": "check.no_inactive_users"}, "status": status, "problems": problems}],
}]})

required := {"required_checks": ["check.no_inactive_users"]}

test_passing_check_passes if {
	count(required_checks.deny) == 0 with input as checks("pass", []) with data.rediscloud_params as required
}

test_nothing_required_by_default if {
	count(required_checks.deny) == 0 with input as checks("fail", [{"message": "erin"}])
}

test_failing_check_fails_with_its_message if {
	required_checks.deny == {"required_checks: check.no_inactive_users: fail; Users of the account inactive (1): erin@example.com"} with input as checks("fail", [{"message": "Users of the account inactive (1): erin@example.com"}])
		with data.rediscloud_params as required
}

test_unknown_and_missing_checks_fail if {
	required_checks.deny == {"required_checks: check.no_inactive_users: unknown"} with input as checks("unknown", [])
		with data.rediscloud_params as required
	required_checks.deny == {"required_checks: check.no_inactive_users: missing from the plan"} with input as f.plan([])
		with data.rediscloud_params as required
}
