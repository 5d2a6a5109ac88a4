package rediscloud.failed_logins_test

import data.rediscloud.failed_logins
import data.rediscloud.fixtures as f

failure(n) := f.session_entry({
	"id": sprintf("carol-%d", [n]), "timestamp": f.minutes_ago(340 - (2 * n)),
	"user": {"email": "carol@example.com", "name": "Carol Diaz"}, "action": "Failed login",
})

test_three_failures_pass if {
	count(failed_logins.deny) == 0 with input as f.plan([f.sessions("last_7d", {"entries": [failure(n) | some n in numbers.range(1, 3)]})])
}

test_five_failures_in_entries_fail if {
	failed_logins.deny == {sprintf("failed_logins: carol@example.com: 5 failed logins, more than 3, the last at %s", [f.minutes_ago(330)])} with input as f.plan([f.sessions("last_7d", {"entries": [failure(n) | some n in numbers.range(1, 5)]})])
}

test_five_failures_in_a_summary_read_fail if {
	summary := f.sessions("failed_logins_24h", {
		"actions": ["Failed login"], "max_results": 0, "total_count": 5, "truncated": true,
		"user_counts": {"carol@example.com": 5}, "last_seen": {"carol@example.com": "2026-12-06T06:10:00Z"},
	})
	failed_logins.deny == {"failed_logins: carol@example.com: 5 failed logins, more than 3, the last at 2026-12-06T06:10:00Z"} with input as f.plan([summary])
}

test_only_the_user_who_failed_is_named if {
	summary := f.sessions("failed_logins_24h", {
		"actions": ["Failed login"], "max_results": 0,
		"user_counts": {"carol@example.com": 5}, "last_seen": {"carol@example.com": "2026-12-06T06:10:00Z"},
	})
	others := f.sessions("last_7d", {"entries": [
		f.session_entry({}),
		f.session_entry({"id": "s-2", "user": {"email": "bob@example.com", "name": "Bob Smith"}}),
	]})
	failed_logins.deny == {"failed_logins: carol@example.com: 5 failed logins, more than 3, the last at 2026-12-06T06:10:00Z"} with input as f.plan([summary, others])
}

test_summary_and_entries_do_not_add_up if {
	summary := f.sessions("failed_logins_24h", {"actions": ["failed LOGIN"], "max_results": 0, "user_counts": {"carol@example.com": 2}})
	count(failed_logins.deny) == 0 with input as f.plan([summary, f.sessions("last_7d", {"entries": [failure(n) | some n in numbers.range(1, 3)]})])
}

test_summary_of_other_actions_is_not_counted if {
	summary := f.sessions("all_24h", {"actions": null, "user_counts": {"alice@example.com": 40}})
	count(failed_logins.deny) == 0 with input as f.plan([summary])
}

test_threshold_comes_from_the_data_document if {
	count(failed_logins.deny) == 1 with input as f.plan([f.sessions("last_7d", {"entries": [failure(n) | some n in numbers.range(1, 2)]})])
		with data.rediscloud_params as {"max_failed_logins_per_user": 1}
}
