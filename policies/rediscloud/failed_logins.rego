# Repeated failed logins: a user with more than max_failed_logins_per_user sessions whose
# action matches failed_login_actions ("Failed login", official shape only). Counted two
# ways, and the larger count wins (the two never add up, so nothing counts twice):
#   - session entries of the last failed_login_lookback_hours;
#   - user_counts of a summary read whose `actions` argument is exactly the failed-login
#     actions (examples/compliance's failed_logins_24h, max_results = 0): its window is
#     the read's own lookback.
package rediscloud.failed_logins

import data.rediscloud.lib

failed_actions := {lower(a) | some a in lib.params.failed_login_actions}

failed_entries contains e if {
	some e in lib.session_entries
	lib.glob_any(lib.params.failed_login_actions, e.action)
	lib.within_hours(e.timestamp, lib.params.failed_login_lookback_hours)
}

entry_counts[user] := count({e | some e in failed_entries; lib.who(e) == user}) if {
	some f in failed_entries
	user := lib.who(f)
}

summary_reads contains r if {
	some r in lib.session_reads
	is_array(r.values.actions)
	{lower(a) | some a in r.values.actions} == failed_actions
}

summary_counts contains [user, n] if {
	some r in summary_reads
	some user, n in r.values.user_counts
}

users := {u | some u, _ in entry_counts} | {u | some [u, _] in summary_counts}

# `some [u, n] in summary_counts` would declare a new u rather than match the argument.
failures_of(user) := max({n | n := entry_counts[user]} | {n | some pair in summary_counts; pair[0] == user; n := pair[1]})

# last_failure(user): the newest failure seen, RFC 3339 in UTC as the provider writes it
# (so that strings sort as times), or "?" when only a count says so.
last_failure(user) := max(times) if {
	times := {e.timestamp | some e in failed_entries; lib.who(e) == user; is_string(e.timestamp)} | {t |
		some r in summary_reads
		t := r.values.last_seen[user]
	}
	count(times) > 0
} else := "?"

deny contains msg if {
	some user in users
	n := failures_of(user)
	n > lib.params.max_failed_logins_per_user
	msg := sprintf("failed_logins: %s: %d failed logins, more than %d, the last at %s", [
		user, n, lib.params.max_failed_logins_per_user, last_failure(user),
	])
}
