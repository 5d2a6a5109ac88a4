# Deletions and removals in the last 24 hours. `action` and `status` exist only in the
# seed response shape ({"logs": [...]}); against api.redislabs.com, which answers in the
# official shape ({"entries": [...]}), use details_patterns instead (see the next example).
data "rediscloud_audit_logs" "critical" {
  lookback = "24h"
  actions  = ["subscription.delete", "database.delete", "user.remove", "apiKey.delete"]
}

# The same on both shapes: RE2 patterns (the syntax of regex()) on the free text.
data "rediscloud_audit_logs" "critical_by_details" {
  lookback         = "24h"
  details_patterns = ["(?i)\\b(deleted|removed)\\b"]
}

# Subscription and database changes that did not come through Terraform's API key:
# console changes (no key) and changes through any other key. Official shape only.
data "rediscloud_audit_logs" "outside_terraform" {
  lookback              = "24h"
  types                 = ["Subscription", "Database"]
  exclude_api_key_names = ["terraform-ci"]
}

# Failed actions by example.com users other than admin@example.com in a fixed window.
data "rediscloud_audit_logs" "failures" {
  start_time    = "2025-06-01T00:00:00Z"
  end_time      = "2025-06-30T23:59:59Z"
  status        = "failure"
  users         = ["*@example.com"]
  exclude_users = ["admin@example.com"]
}

# Official shape only (the seed shape has no type): database and API key entries of the
# last week, newest 50. type_counts shows which types your account's log holds.
data "rediscloud_audit_logs" "databases_and_keys" {
  lookback    = "7d"
  types       = ["Database", "ApiKey"]
  max_results = 50
}

# Everything that happened to one database (resourceId is also sent to the server).
data "rediscloud_audit_logs" "one_database" {
  lookback    = "30d"
  resource_id = "13000101"

  timeouts = {
    read = "5m"
  }
}

output "critical_actions" {
  value = [
    for e in data.rediscloud_audit_logs.critical.entries :
    "${e.timestamp} ${e.action} ${coalesce(e.user.email, e.user.name, e.api_key_name, "unknown")} ${coalesce(e.resource, "-")}"
  ]
}

output "action_counts" {
  value = data.rediscloud_audit_logs.critical.action_counts
}

output "database_and_key_details" {
  value = [for e in data.rediscloud_audit_logs.databases_and_keys.entries : coalesce(e.details, "")]
}
