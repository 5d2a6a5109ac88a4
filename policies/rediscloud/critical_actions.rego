# Critical actions: audit entries of the last critical_lookback_hours whose action
# matches critical_actions (seed shape) or whose details match critical_details_patterns
# (both shapes; the official shape has no action). The check blocks
# no_critical_actions_in_last_24h and no_critical_details_in_last_24h of
# examples/compliance ask the same question.
package rediscloud.critical_actions

import data.rediscloud.lib

deny contains msg if {
	some e in lib.audit_entries
	lib.within_hours(e.timestamp, lib.params.critical_lookback_hours)
	critical(e)
	msg := sprintf("critical_actions: %s %s by %s on %s: %s (audit entry %s)", [
		lib.or_else(e.timestamp, "?"), lib.or_else(e.action, lib.or_else(e.type, "?")), lib.who(e),
		lib.or_else(e.resource, lib.or_else(e.resource_id, "?")), lib.or_else(e.details, "no details"),
		lib.or_else(e.id, "?"),
	])
}

critical(e) if lib.glob_any(lib.params.critical_actions, e.action)

critical(e) if {
	is_string(e.details)
	some pattern in lib.params.critical_details_patterns
	regex.match(pattern, e.details)
}
