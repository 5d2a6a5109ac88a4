# The policies that read entries (critical_actions, outside_terraform, session_cidrs,
# privileged_sessions, and failed_logins when no summary read covers it) need every
# entry: a read that max_results cut, or one deferred to apply, could hide exactly the
# entry they look for. So:
#   - a read with truncated = true and max_results above 0 is a finding, unless its
#     address is in truncation_allowed. A summary-only read (max_results = 0) is not:
#     its summaries cover every match, and no policy reads its (empty) entries.
#   - a read deferred to apply (resource_changes, action "read") is a finding unless its
#     address is in deferred_allowed: its results are unknown in the plan.
package rediscloud.complete_reads

import data.rediscloud.lib

entry_policies := {
	lib.audit_type: "critical_actions, outside_terraform",
	lib.session_type: "session_cidrs, privileged_sessions, failed_logins",
}

deny contains msg if {
	some r in lib.reads
	r.values.truncated == true
	r.values.max_results != 0
	not r.address in lib.params.truncation_allowed
	msg := sprintf("complete_reads: %s was truncated: max_results = %v kept %d of %d entries, and %s need every entry; raise max_results or narrow the filters", [
		r.address, r.values.max_results, count(r.values.entries), r.values.total_count, entry_policies[r.type],
	])
}

deny contains msg if {
	some rc in lib.deferred_reads
	not rc.address in lib.params.deferred_allowed
	msg := sprintf("complete_reads: %s is read during apply, so the plan holds none of its entries and no policy can check them; make its arguments known at plan time", [rc.address])
}
