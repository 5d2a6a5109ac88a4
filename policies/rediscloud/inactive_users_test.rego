package rediscloud.inactive_users_test

import data.rediscloud.fixtures as f
import data.rediscloud.inactive_users

test_recent_users_pass if {
	review := f.sessions("access_review", {"max_results": 0, "last_seen": {
		"alice@example.com": f.hours_ago(1),
		"erin@example.com": f.hours_ago(24 * 13),
	}})
	count(inactive_users.deny) == 0 with input as f.plan([review]) with data.rediscloud_params as f.params
}

test_user_seen_27_days_ago_fails if {
	review := f.sessions("access_review", {"max_results": 0, "last_seen": {
		"alice@example.com": f.hours_ago(1),
		"erin@example.com": "2026-11-09T12:00:00Z",
	}})
	inactive_users.deny == {"inactive_users: erin@example.com: last seen 2026-11-09T12:00:00Z, more than 14 days before the plan"} with input as f.plan([review])
		with data.rediscloud_params as f.params
}

test_newest_of_summaries_and_entries_counts if {
	review := f.sessions("access_review", {"last_seen": {"erin@example.com": "2026-11-09T12:00:00Z"}})
	recent := f.sessions("last_7d", {"entries": [
		f.session_entry({}),
		f.session_entry({"user": {"email": "erin@example.com", "name": "Erin Park"}}),
	]})
	count(inactive_users.deny) == 0 with input as f.plan([review, recent]) with data.rediscloud_params as f.params
}

test_user_without_a_session_fails if {
	review := f.sessions("access_review", {"last_seen": {"alice@example.com": f.hours_ago(1)}})
	inactive_users.deny == {"inactive_users: erin@example.com: no session in any session read of the plan"} with input as f.plan([review])
		with data.rediscloud_params as f.params
}
