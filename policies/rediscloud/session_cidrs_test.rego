package rediscloud.session_cidrs_test

import data.rediscloud.fixtures as f
import data.rediscloud.session_cidrs

unusual := f.session_entry({
	"id": "demo-unusual-ip-bob", "timestamp": f.hours_ago(61), "user": {"email": "bob@example.com", "name": "Bob Smith"},
	"user_role": "member", "ip_address": "203.0.113.66",
})

test_office_sessions_pass if {
	v6 := f.session_entry({"id": "s-2", "ip_address": "2001:db8:100:4::2b"})
	count(session_cidrs.deny) == 0 with input as f.plan([f.sessions("last_7d", {"entries": [f.session_entry({}), v6]})])
}

test_session_from_outside_fails if {
	session_cidrs.deny == {sprintf("session_cidrs: bob@example.com from 203.0.113.66 at %s, outside office_cidrs (console session demo-unusual-ip-bob)", [f.hours_ago(61)])} with input as f.plan([f.sessions("last_7d", {"entries": [f.session_entry({}), unusual]})])
}

test_session_without_address_fails if {
	count(session_cidrs.deny) == 1 with input as f.plan([f.sessions("last_7d", {"entries": [f.session_entry({"ip_address": null})]})])
}

test_older_than_the_lookback_passes if {
	count(session_cidrs.deny) == 0 with input as f.plan([f.sessions("last_90d", {"entries": [object.union(unusual, {"timestamp": f.hours_ago(169)})]})])
}

test_ranges_come_from_the_data_document if {
	count(session_cidrs.deny) == 0 with input as f.plan([f.sessions("last_7d", {"entries": [unusual]})])
		with data.rediscloud_params as {"office_cidrs": ["198.51.100.0/24", "203.0.113.0/24"]}
}
