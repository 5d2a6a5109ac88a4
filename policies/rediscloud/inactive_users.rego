# Access review: each of account_users must have a session within max_inactive_days of
# the plan. A user's last activity is the newest of the session reads' last_seen (which
# covers every match, also of a summary-only read) and of their session entries. A user
# with no session in any read is inactive too. The check no_inactive_users asks the same.
package rediscloud.inactive_users

import data.rediscloud.lib

seen(user) := {t |
	some r in lib.session_reads
	t := r.values.last_seen[user]
} | {s.timestamp | some s in lib.session_entries; lib.who(s) == user}

last_seen_ns(user) := max({time.parse_rfc3339_ns(t) | some t in seen(user)})

deny contains msg if {
	some user in lib.params.account_users
	count(seen(user)) == 0
	msg := sprintf("inactive_users: %s: no session in any session read of the plan", [user])
}

deny contains msg if {
	some user in lib.params.account_users
	last := last_seen_ns(user)
	limit := ((lib.params.max_inactive_days * 24) * 3600) * 1000000000
	lib.now_ns - last > limit
	msg := sprintf("inactive_users: %s: last seen %s, more than %d days before the plan", [
		user, time.format([last, "UTC", "2006-01-02T15:04:05Z07:00"]), lib.params.max_inactive_days,
	])
}
