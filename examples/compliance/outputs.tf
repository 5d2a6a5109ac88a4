output "action_counts" {
  description = "Audit entries per action in the last 7 days (entries without an action, as in the official shape, are not counted)."
  value       = data.rediscloud_audit_logs.last_7d.action_counts
}

output "user_counts" {
  description = "Audit entries per user (email, else name, else api_key:<name>) in the last 7 days."
  value       = data.rediscloud_audit_logs.last_7d.user_counts
}

output "session_ip_addresses" {
  description = "Every IP address that opened a session in the last 7 days."
  value       = data.rediscloud_session_logs.last_7d.distinct_ip_addresses
}

output "session_users" {
  description = "Every user who opened a session in the last 7 days."
  value       = data.rediscloud_session_logs.last_7d.distinct_users
}

output "unusual_sessions" {
  description = "Sessions of the last 7 days from outside office_cidrs."
  value = [
    for s in data.rediscloud_session_logs.outside_office_7d.entries :
    "${coalesce(s.user.email, s.user.name, "unknown user")} from ${coalesce(s.ip_address, "no IP address")} at ${coalesce(s.timestamp, "unknown time")}"
  ]
}

output "session_action_counts" {
  description = "Sessions per action (\"Successful login\", \"Failed login\", ...) in the last 7 days (official shape only: seed sessions carry no action)."
  value       = data.rediscloud_session_logs.last_7d.action_counts
}

output "session_role_counts" {
  description = "Sessions per user role in the last 7 days (official shape only: seed sessions carry no role)."
  value       = data.rediscloud_session_logs.last_7d.role_counts
}

output "critical_actions_24h" {
  description = "Critical actions of the last 24 hours, one line each: found by action where the response shape has one, else by the details text."
  value       = length(local.critical_lines) > 0 ? local.critical_lines : local.critical_details_lines
}

# For retention: write it to a file with
#   terraform output -raw log_export_json > rediscloud-logs-$(date -u +%Y%m%d).json
# It is marked sensitive only to keep a long value full of e-mail and IP addresses out of
# plan output and CI logs. Like every output it is stored in clear text in the state.
output "log_export_json" {
  description = "The audit entries and sessions of the last 7 days as one JSON document."
  sensitive   = true
  value = jsonencode({
    generated_at = plantimestamp()
    window       = "7d"
    audit_logs   = data.rediscloud_audit_logs.last_7d.entries
    session_logs = data.rediscloud_session_logs.last_7d.entries
  })
}
