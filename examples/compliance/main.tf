# Compliance checks over the Redis Cloud account logs, evaluated on every `terraform plan`.
#
#   * warnings (check blocks): critical actions and failed actions in the last 24 hours;
#   * an error (postcondition): a session from outside var.office_cidrs in the last 7 days;
#   * outputs: 7-day summaries and a JSON export of the matched entries for retention.
#
# The data sources sit outside the check blocks on purpose: a data source nested in a
# check block turns its own errors (wrong key, API down) into warnings, and a compliance
# run must not pass quietly because it could not read the log.
#
# Every window is relative (lookback) so that plans stay plannable and repeatable; never
# use timestamp(), which is unknown until apply.

# --- Last 24 hours ------------------------------------------------------------------------

# `actions` and `status` exist only in the seed response shape ({"logs": [...]}). Against
# the official shape the provider warns "Filter Field Missing From Entries" and these two
# data sources find nothing; official entries are covered by recent_without_action below.
data "rediscloud_audit_logs" "critical_24h" {
  lookback = "24h"
  actions  = var.critical_actions
}

data "rediscloud_audit_logs" "failed_24h" {
  lookback = "24h"
  status   = "failure"
}

data "rediscloud_audit_logs" "last_24h" {
  lookback = "24h"
}

locals {
  # One line per audit entry, for messages: time, what, who, on which resource.
  critical_lines = [
    for e in data.rediscloud_audit_logs.critical_24h.entries :
    "${coalesce(e.timestamp, "?")} ${coalesce(e.action, "?")} by ${coalesce(e.user.email, e.user.name, e.api_key_name, "unknown")} on ${coalesce(e.resource, e.resource_id, "?")}"
  ]
  failed_lines = [
    for e in data.rediscloud_audit_logs.failed_24h.entries :
    "${coalesce(e.timestamp, "?")} ${coalesce(e.action, "?")} by ${coalesce(e.user.email, e.user.name, e.api_key_name, "unknown")}: ${coalesce(e.details, "no details")}"
  ]
  # Official-shape entries have no action: look for deletions in their free text instead.
  critical_by_details_lines = [
    for e in data.rediscloud_audit_logs.last_24h.entries :
    "${coalesce(e.timestamp, "?")} ${coalesce(e.type, "?")} by ${coalesce(e.user.email, e.user.name, e.api_key_name, "unknown")}: ${coalesce(e.details, "")}"
    if e.action == null && length(regexall(var.critical_details_pattern, coalesce(e.details, ""))) > 0
  ]
}

check "no_critical_actions_in_last_24h" {
  assert {
    condition     = data.rediscloud_audit_logs.critical_24h.total_count == 0
    error_message = "Critical actions in the last 24 hours (${data.rediscloud_audit_logs.critical_24h.total_count}):\n  ${join("\n  ", local.critical_lines)}"
  }
}

check "no_critical_details_in_last_24h" {
  assert {
    condition     = length(local.critical_by_details_lines) == 0
    error_message = "Audit entries of the last 24 hours without an action whose details match critical_details_pattern (${length(local.critical_by_details_lines)}):\n  ${join("\n  ", local.critical_by_details_lines)}"
  }
}

check "no_failed_actions_in_last_24h" {
  assert {
    condition     = data.rediscloud_audit_logs.failed_24h.total_count == 0
    error_message = "Failed actions in the last 24 hours (${data.rediscloud_audit_logs.failed_24h.total_count}):\n  ${join("\n  ", local.failed_lines)}"
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
