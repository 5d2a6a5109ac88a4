package rediscloud.privileged_sessions_test

import data.rediscloud.fixtures as f
import data.rediscloud.privileged_sessions

owner_outside := f.session_entry({"id": "demo-owner-outside-alice", "timestamp": f.hours_ago(288), "ip_address": "192.0.2.44"})

test_owner_in_the_office_and_member_outside_pass if {
	member_outside := object.union(owner_outside, {"user_role": "member", "user": {"email": "bob@example.com", "name": "Bob Smith"}})
	count(privileged_sessions.deny) == 0 with input as f.plan([f.sessions("access", {"entries": [f.session_entry({}), member_outside]})])
}

test_owner_from_outside_fails if {
	privileged_sessions.deny == {sprintf("privileged_sessions: alice@example.com (owner) from 192.0.2.44 at %s, outside office_cidrs (session demo-owner-outside-alice)", [f.hours_ago(288)])} with input as f.plan([f.sessions("privileged_outside_office", {"entries": [owner_outside]})])
}

test_roles_come_from_the_data_document if {
	count(privileged_sessions.deny) == 0 with input as f.plan([f.sessions("access", {"entries": [owner_outside]})])
		with data.rediscloud_params as {"privileged_roles": ["manager"]}
}
