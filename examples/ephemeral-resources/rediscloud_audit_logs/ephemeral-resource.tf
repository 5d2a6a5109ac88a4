# Changes to subscriptions and databases in the last 24 hours not made through
# Terraform's own API key (official shape: it carries type and apiKeyName).
ephemeral "rediscloud_audit_logs" "outside_terraform" {
  lookback              = "24h"
  types                 = ["Subscription", "Database"]
  exclude_api_key_names = ["terraform-automation"]
  max_results           = 0
}

# A warning, not an error: check blocks never fail a plan.
check "no_changes_outside_terraform" {
  assert {
    condition     = ephemeral.rediscloud_audit_logs.outside_terraform.total_count == 0
    error_message = "Subscriptions or databases changed outside Terraform in the last 24 hours: see the audit log."
  }
}
