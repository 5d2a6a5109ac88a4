terraform {
  required_providers {
    rediscloud = {
      source = "redis-logs/rediscloud"
    }
  }
}

variable "office_cidrs" {
  type = list(string)
}

# Audit entries of the last 7 days without the planted deletions and failures, which
# are the only ones whose details say deleted, removed or failed; in the last 48 hours
# every other Database or Subscription change came through terraform-automation.
data "rediscloud_audit_logs" "last_7d" {
  lookback                 = "7d"
  exclude_details_patterns = ["(?i)\\b(deleted|removed|failed)\\b"]
}

# Successful logins from the office ranges over the access review's 90 days: leaves out
# carol's failed logins and the sessions from 203.0.113.66 and 192.0.2.44.
data "rediscloud_session_logs" "office_logins" {
  lookback = "90d"
  actions  = ["Successful login"]
  ip_cidrs = var.office_cidrs
}

# The failed-login summary, as examples/compliance reads it, for users other than carol.
data "rediscloud_session_logs" "failed_logins_24h" {
  lookback      = "24h"
  actions       = ["Failed login"]
  exclude_users = ["carol@example.com"]
  max_results   = 0
}
