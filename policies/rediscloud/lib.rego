# Where the data sources of redis-logs/rediscloud sit in the JSON of a saved plan
# (`terraform show -json plan.out`), and the parameters every policy reads.
#
# - Data sources read during plan: prior_state.values.root_module.resources[] and
#   child_modules[].resources[] at any depth, with "mode": "data". They are not in
#   planned_values.
# - A read deferred to apply (an argument unknown at plan time): resource_changes[] with
#   "mode": "data" and the action "read"; its results are unknown, so no policy can
#   check them (see complete_reads.rego).
package rediscloud.lib

audit_type := "rediscloud_audit_logs"

session_type := "rediscloud_session_logs"

# reads: every instance of either data source read during plan, whatever its module,
# name, count or for_each key.
reads contains r if {
	walk(input.prior_state.values.root_module, [_, r])
	is_object(r)
	r.mode == "data"
	r.type in {audit_type, session_type}
}

audit_reads contains r if {
	some r in reads
	r.type == audit_type
}

session_reads contains r if {
	some r in reads
	r.type == session_type
}

# deferred_reads: the data sources whose read Terraform left for apply.
deferred_reads contains rc if {
	some rc in input.resource_changes
	rc.mode == "data"
	rc.type in {audit_type, session_type}
	"read" in rc.change.actions
}

# Entries are sets: an entry that two reads returned is one finding, not two.
audit_entries contains e if {
	some r in audit_reads
	some e in r.values.entries
}

session_entries contains e if {
	some r in session_reads
	some e in r.values.entries
}

# --- Parameters: data.rediscloud_params (policies/data.json) over these defaults, which
# are the defaults of examples/compliance's variables of the same names.
defaults := {
	"office_cidrs": ["198.51.100.0/24", "2001:db8:100::/48"],
	"critical_actions": ["subscription.delete", "database.delete", "user.remove", "apiKey.delete"],
	"critical_details_patterns": [`(?i)\b(deleted|removed)\b`],
	"critical_lookback_hours": 24,
	"managed_types": ["Subscription", "Database"],
	"terraform_api_key_names": ["terraform"],
	"outside_terraform_lookback_hours": 24,
	"failed_login_actions": ["Failed login"],
	"failed_login_lookback_hours": 24,
	"max_failed_logins_per_user": 3,
	"session_lookback_hours": 168,
	"privileged_roles": ["owner"],
	"privileged_lookback_hours": 2160,
	"account_users": [],
	"max_inactive_days": 30,
	"truncation_allowed": [],
	"deferred_allowed": [],
	"required_checks": [],
}

default user_params := {}

user_params := data.rediscloud_params

params := object.union(defaults, user_params)

# --- Time: the plan's own timestamp (Terraform 1.5+ and OpenTofu write it), so that a
# policy gives the same answer on the same plan tomorrow; the clock only without one.
now_ns := time.parse_rfc3339_ns(input.timestamp)

now_ns := time.now_ns() if not input.timestamp

# within_hours(ts, hours): ts is no older than hours before the plan. An entry without
# a readable time counts as recent: a policy must not pass because a field was missing.
within_hours(ts, hours) if {
	time.parse_rfc3339_ns(ts) >= now_ns - ((hours * 3600) * 1000000000)
}

within_hours(ts, _) if not is_string(ts)

within_hours(ts, _) if {
	is_string(ts)
	not time.parse_rfc3339_ns(ts)
}

# glob_any(patterns, value): value matches one of the case-insensitive globs (`*`, `?`),
# as the provider's filters match them.
glob_any(patterns, value) if {
	is_string(value)
	some p in patterns
	glob.match(lower(p), [], lower(value))
}

# in_cidrs(cidrs, ip): ip lies in one of cidrs. An address that does not parse is in none.
in_cidrs(cidrs, ip) if {
	is_string(ip)
	some c in cidrs
	net.cidr_contains(c, ip)
}

# who(entry): email, else name, else the API key, as the provider keys user_counts.
who(e) := e.user.email if is_string(e.user.email)

who(e) := e.user.name if {
	not is_string(e.user.email)
	is_string(e.user.name)
}

who(e) := sprintf("api_key:%s", [e.api_key_name]) if {
	not is_string(e.user.email)
	not is_string(e.user.name)
	is_string(e.api_key_name)
}

who(e) := "unknown user" if {
	not is_string(e.user.email)
	not is_string(e.user.name)
	not is_string(e.api_key_name)
}

# or_else(value, fallback): value when it is a string, else fallback (for messages).
or_else(v, _) := v if is_string(v)

or_else(v, fallback) := fallback if not is_string(v)
