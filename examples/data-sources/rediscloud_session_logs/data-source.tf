# Sessions of the last 7 days from outside the office ranges.
data "rediscloud_session_logs" "unusual" {
  lookback         = "7d"
  exclude_ip_cidrs = ["198.51.100.0/24", "2001:db8:100::/48"]
}

# Console sessions of example.com users that are still open (seed shape only: the
# official shape does not say whether a session ended, so active_only matches nothing).
data "rediscloud_session_logs" "active_console" {
  types       = ["console"]
  users       = ["*@example.com"]
  active_only = true
}

# Failed logins from one network in a fixed window (the action text, such as
# "Failed login", is sent by the official shape only).
data "rediscloud_session_logs" "failed_logins" {
  start_time = "2025-06-01T00:00:00Z"
  end_time   = "2025-06-08T00:00:00Z"
  actions    = ["*fail*"]
  ip_cidrs   = ["203.0.113.0/24"]
}

# Summaries only (max_results = 0): failed logins per user in the last hour, and when
# each user last failed. Official shape only (the seed shape has no session action).
data "rediscloud_session_logs" "failed_last_hour" {
  lookback    = "1h"
  actions     = ["Failed login"]
  max_results = 0
}

# Owners' sessions of the last 90 days (user_role is in the official shape only).
data "rediscloud_session_logs" "owners" {
  lookback   = "90d"
  user_roles = ["owner"]
}

output "users_with_many_failed_logins" {
  value = { for user, n in data.rediscloud_session_logs.failed_last_hour.user_counts : user => n if n > 5 }
}

output "owner_last_seen" {
  value = data.rediscloud_session_logs.owners.last_seen
}

output "unusual_sessions" {
  value = [
    for s in data.rediscloud_session_logs.unusual.entries :
    "${coalesce(s.user.email, s.user.name, "unknown")} from ${coalesce(s.ip_address, "no address")} at ${coalesce(s.timestamp, "unknown time")}"
  ]
}

output "session_ip_addresses" {
  value = data.rediscloud_session_logs.unusual.distinct_ip_addresses
}

output "active_console_users" {
  value = data.rediscloud_session_logs.active_console.distinct_users
}
