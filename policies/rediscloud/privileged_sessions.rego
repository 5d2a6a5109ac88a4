# Privileged sessions from outside: session entries of the last privileged_lookback_hours
# (90 days, the access review's window) of a user whose role matches privileged_roles
# (owner by default; user_role is in the official shape only) from outside office_cidrs.
# The check no_privileged_sessions_from_outside_office asks the same question.
package rediscloud.privileged_sessions

import data.rediscloud.lib

deny contains msg if {
	some s in lib.session_entries
	lib.glob_any(lib.params.privileged_roles, s.user_role)
	lib.within_hours(s.timestamp, lib.params.privileged_lookback_hours)
	not lib.in_cidrs(lib.params.office_cidrs, s.ip_address)
	msg := sprintf("privileged_sessions: %s (%s) from %s at %s, outside office_cidrs (session %s)", [
		lib.who(s), s.user_role, lib.or_else(s.ip_address, "no IP address"),
		lib.or_else(s.timestamp, "?"), lib.or_else(s.id, "?"),
	])
}
