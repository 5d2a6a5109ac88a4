# Reads with this provider. Every data source names its provider configuration: without
# `provider = redislogs`, Terraform would hand rediscloud_audit_logs to the provider whose
# local name is `rediscloud`, the official one, which has no such data source.

data "rediscloud_audit_logs" "changes_24h" {
  provider = redislogs

  lookback = "24h"
  types    = ["Subscription", "Database"]
}

data "rediscloud_session_logs" "last_7d" {
  provider = redislogs

  lookback = "7d"
}

check "no_deletions_in_last_24h" {
  assert {
    condition = length([
      for e in data.rediscloud_audit_logs.changes_24h.entries : e
      if can(regex("(?i)\\b(deleted|removed)\\b", coalesce(e.details, "")))
    ]) == 0
    error_message = "A subscription or database was deleted in the last 24 hours: see output subscription_and_database_changes_24h."
  }
}

output "subscription_and_database_changes_24h" {
  description = "Audit entries of type Subscription or Database from the last 24 hours."
  value = [
    for e in data.rediscloud_audit_logs.changes_24h.entries :
    "${e.timestamp} ${e.type}: ${coalesce(e.details, "?")}"
  ]
}

output "session_ip_addresses_7d" {
  description = "Every IP address that opened a session in the last 7 days."
  value       = data.rediscloud_session_logs.last_7d.distinct_ip_addresses
}
