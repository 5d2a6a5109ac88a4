# Sessions from outside the allowed ranges: session entries of the last
# session_lookback_hours whose IP address lies in none of office_cidrs (IPv4 and IPv6,
# net.cidr_contains). A session without a readable address counts as outside. The
# postcondition on outside_office_7d in examples/compliance asks the same question.
package rediscloud.session_cidrs

import data.rediscloud.lib

deny contains msg if {
	some s in lib.session_entries
	lib.within_hours(s.timestamp, lib.params.session_lookback_hours)
	not lib.in_cidrs(lib.params.office_cidrs, s.ip_address)
	msg := sprintf("session_cidrs: %s from %s at %s, outside office_cidrs (%s session %s)", [
		lib.who(s), lib.or_else(s.ip_address, "no IP address"), lib.or_else(s.timestamp, "?"),
		lib.or_else(s.type, "?"), lib.or_else(s.id, "?"),
	])
}
