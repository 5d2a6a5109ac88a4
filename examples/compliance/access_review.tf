# Periodic access review (NIST 800-53 AC-2): which of the account's users have not been
# active for a while, and did a privileged user sign in from outside the office?
#
# Both checks read the session log of the last access_review_days (90 by default) and
# warn; neither fails the plan.

data "rediscloud_session_logs" "access_review" {
  lookback = "${var.access_review_days}d"
  # Only the summaries are needed: last_seen maps each user to their newest session.
  max_results = 0
}

# Sessions of privileged roles from outside the office ranges. `user_role` is in the
# official shape only.
data "rediscloud_session_logs" "privileged_outside_office" {
  count            = var.log_shape == "official" ? 1 : 0
  lookback         = "${var.access_review_days}d"
  user_roles       = var.privileged_roles
  exclude_ip_cidrs = var.office_cidrs
}

locals {
  last_seen = data.rediscloud_session_logs.access_review.last_seen
  # A user is inactive when their newest session is older than max_inactive_days, or
  # when they have no session at all in the review window.
  inactive_users = [
    for u in var.account_users : (
      contains(keys(local.last_seen), u)
      ? "${u}: last seen ${lookup(local.last_seen, u, "")}, more than ${var.max_inactive_days} days ago"
      : "${u}: no session in the last ${var.access_review_days} days"
    )
    if !contains(keys(local.last_seen), u) || timecmp(timeadd(lookup(local.last_seen, u, plantimestamp()), "${var.max_inactive_days * 24}h"), plantimestamp()) < 0
  ]
}

check "no_inactive_users" {
  assert {
    condition     = length(local.inactive_users) == 0
    error_message = "Users of the account inactive for more than ${var.max_inactive_days} days (${length(local.inactive_users)}):\n  ${join("\n  ", local.inactive_users)}\nReview their access, and remove the users who no longer need it."
  }
}

check "no_privileged_sessions_from_outside_office" {
  assert {
    condition     = sum(concat([0], data.rediscloud_session_logs.privileged_outside_office[*].total_count)) == 0
    error_message = "${join("/", var.privileged_roles)} sessions from outside office_cidrs, last ${var.access_review_days} days (${sum(concat([0], data.rediscloud_session_logs.privileged_outside_office[*].total_count))}):\n  ${join("\n  ", [for s in flatten(data.rediscloud_session_logs.privileged_outside_office[*].entries) : "${coalesce(s.user.email, s.user.name, "unknown user")} (${coalesce(s.user_role, "?")}) from ${coalesce(s.ip_address, "no IP address")} at ${coalesce(s.timestamp, "unknown time")}"])}"
  }
}

output "last_seen" {
  description = "The newest session of every user in the access review window (RFC 3339, UTC)."
  value       = local.last_seen
}
