# Compliance checks over the Redis Cloud account logs, evaluated on every `terraform plan`.
#
#   * warnings (check blocks): critical actions, failed actions, changes made outside
#     Terraform and repeated failed logins in the last 24 hours;
#   * an error (postcondition): a session from outside var.office_cidrs in the last 7 days;
#   * outputs: 7-day summaries and a JSON export of the matched entries for retention.
#
# access_review.tf adds the periodic access review (inactive users, owner sessions from
# outside the office), functions.tf a check with the provider's functions.
#
# The data sources sit outside the check blocks on purpose: a data source nested in a
# check block turns its own errors (wrong key, API down) into warnings, and a compliance
# run must not pass quietly because it could not read the log.
#
# Every window is relative (lookback) so that plans stay plannable and repeatable; never
# use timestamp(), which is unknown until apply.

# --- Last 24 hours ------------------------------------------------------------------------

# `actions` and `status` exist only in the seed response shape ({"logs": [...]}): against
# the official shape these two reads would find nothing and warn "Filter Field Missing
# From Entries", so they run only with log_shape = "seed". critical_details_24h below
# works on both shapes.
data "rediscloud_audit_logs" "critical_24h" {
  count    = var.log_shape == "seed" ? 1 : 0
  lookback = "24h"
  actions  = var.critical_actions
}

data "rediscloud_audit_logs" "failed_24h" {
  count    = var.log_shape == "seed" ? 1 : 0
  lookback = "24h"
  status   = "failure"
}

# The free text (`details`: the official `description`) is in both shapes, so this is the
# way to find critical actions against api.redislabs.com. RE2 patterns, as in regex().
data "rediscloud_audit_logs" "critical_details_24h" {
  lookback         = "24h"
  details_patterns = var.critical_details_patterns
}

# Changes outside Terraform: the entity types Terraform manages here, minus what came
# through Terraform's own API key. An exclude list never drops an entry without a key
# name, so console changes stay in, and so do changes through any other key. Only the
# official shape carries `type` and `apiKeyName`.
data "rediscloud_audit_logs" "outside_terraform_24h" {
  count                 = var.log_shape == "official" ? 1 : 0
  lookback              = "24h"
  types                 = ["Subscription", "Database"]
  exclude_api_key_names = [var.terraform_api_key_name]
}

# Failed logins per user: summaries only (max_results = 0 keeps no entries and raises no
# truncation warning; user_counts and last_seen still cover every match). The session
# `action` ("Failed login") is in the official shape only.
data "rediscloud_session_logs" "failed_logins_24h" {
  count       = var.log_shape == "official" ? 1 : 0
  lookback    = "24h"
  actions     = ["Failed login"]
  max_results = 0
}

locals {
  # One line per audit entry, for messages: time, what, who, on which resource.
  critical_lines = [
    for e in flatten(data.rediscloud_audit_logs.critical_24h[*].entries) :
    "${coalesce(e.timestamp, "?")} ${coalesce(e.action, "?")} by ${coalesce(e.user.email, e.user.name, e.api_key_name, "unknown")} on ${coalesce(e.resource, e.resource_id, "?")}"
  ]
  failed_lines = [
    for e in flatten(data.rediscloud_audit_logs.failed_24h[*].entries) :
    "${coalesce(e.timestamp, "?")} ${coalesce(e.action, "?")} by ${coalesce(e.user.email, e.user.name, e.api_key_name, "unknown")}: ${coalesce(e.details, "no details")}"
  ]
  critical_details_lines = [
    for e in data.rediscloud_audit_logs.critical_details_24h.entries :
    "${coalesce(e.timestamp, "?")} ${coalesce(e.type, e.action, "?")} by ${coalesce(e.user.email, e.user.name, e.api_key_name, "unknown")}: ${coalesce(e.details, "")}"
  ]
  # Who changed what, and whether from the console (no API key) or through which key.
  outside_terraform_lines = [
    for e in flatten(data.rediscloud_audit_logs.outside_terraform_24h[*].entries) :
    "${coalesce(e.timestamp, "?")} ${coalesce(e.type, "?")} ${coalesce(e.resource, e.resource_id, "?")} changed by ${coalesce(e.user.email, e.user.name, "unknown")} ${e.api_key_name == null ? "in the console" : "through API key ${e.api_key_name}"}: ${coalesce(e.details, "no details")}"
  ]
  failed_login_lines = flatten([
    for d in data.rediscloud_session_logs.failed_logins_24h : [
      for user, n in d.user_counts :
      "${user}: ${n} failed logins, the last at ${d.last_seen[user]}"
      if n > var.max_failed_logins_per_user
    ]
  ])
}

check "no_critical_actions_in_last_24h" {
  assert {
    condition     = sum(concat([0], data.rediscloud_audit_logs.critical_24h[*].total_count)) == 0
    error_message = "Critical actions in the last 24 hours (${sum(concat([0], data.rediscloud_audit_logs.critical_24h[*].total_count))}):\n  ${join("\n  ", local.critical_lines)}"
  }
}

check "no_critical_details_in_last_24h" {
  assert {
    condition     = data.rediscloud_audit_logs.critical_details_24h.total_count == 0
    error_message = "Details matching critical_details_patterns, last 24 hours (${data.rediscloud_audit_logs.critical_details_24h.total_count}):\n  ${join("\n  ", local.critical_details_lines)}"
  }
}

check "no_failed_actions_in_last_24h" {
  assert {
    condition     = sum(concat([0], data.rediscloud_audit_logs.failed_24h[*].total_count)) == 0
    error_message = "Failed actions in the last 24 hours (${sum(concat([0], data.rediscloud_audit_logs.failed_24h[*].total_count))}):\n  ${join("\n  ", local.failed_lines)}"
  }
}

check "no_changes_outside_terraform_in_last_24h" {
  assert {
    condition     = sum(concat([0], data.rediscloud_audit_logs.outside_terraform_24h[*].total_count)) == 0
    error_message = "Changes not made through ${var.terraform_api_key_name}, last 24 hours (${sum(concat([0], data.rediscloud_audit_logs.outside_terraform_24h[*].total_count))}):\n  ${join("\n  ", local.outside_terraform_lines)}\nBring them into the configuration, or revert them with terraform apply."
  }
}

check "no_repeated_failed_logins_in_last_24h" {
  assert {
    condition     = length(local.failed_login_lines) == 0
    error_message = "Users with more than ${var.max_failed_logins_per_user} failed logins, last 24 hours (${length(local.failed_login_lines)}):\n  ${join("\n  ", local.failed_login_lines)}"
  }
}

# --- Last 7 days --------------------------------------------------------------------------

data "rediscloud_session_logs" "outside_office_7d" {
  lookback         = "7d"
  exclude_ip_cidrs = var.office_cidrs

  lifecycle {
    postcondition {
      condition     = !var.enforce_session_ranges || self.total_count == 0
      error_message = "Sessions in the last 7 days from outside office_cidrs ${jsonencode(var.office_cidrs)} (${self.total_count}):\n  ${join("\n  ", [for s in self.entries : "${coalesce(s.user.email, s.user.name, "unknown user")} from ${coalesce(s.ip_address, "no IP address")} at ${coalesce(s.timestamp, "unknown time")} (${coalesce(s.type, "?")}, session ${coalesce(s.id, "?")})"])}\nInvestigate them, or add the ranges to office_cidrs if they are expected."
    }
  }
}

data "rediscloud_audit_logs" "last_7d" {
  lookback = "7d"
}

data "rediscloud_session_logs" "last_7d" {
  lookback = "7d"
}
