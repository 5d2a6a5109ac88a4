# A CI gate on the account's logs that keeps them out of the plan file and the state.
#
# Both reads are ephemeral: Terraform opens them during plan (and again during apply),
# hands their results to the checks below, and writes none of it anywhere. The plan file
# that CI stores as an artifact, `terraform show -json` of it, and the state hold the
# checks' statuses, not the users, addresses or entries that decided them.
#
#   * a session from outside var.office_cidrs fails the plan (a precondition on a
#     terraform_data resource: the pattern that `terraform show -json` of a saved plan
#     renders on every CLI; a postcondition inside the ephemeral block crashes it on
#     Terraform 1.11.4);
#   * a change to a subscription or database not made through Terraform's own API key
#     warns (a check block).
#
# The messages say where to look, not what was found: a message that quotes an
# ephemeral value is withheld by Terraform. Investigate with the data sources, or the
# Redis Cloud console, where the data may be kept.

terraform {
  # Ephemeral resources need Terraform 1.10 or later (OpenTofu 1.11 or later).
  required_version = ">= 1.10"

  required_providers {
    rediscloud = {
      source  = "redis-logs/rediscloud"
      version = "~> 0.1"
    }
  }
}

# Credentials and URL come from the environment:
#   REDISCLOUD_ACCESS_KEY / REDISCLOUD_SECRET_KEY (or REDIS_API_KEY / REDIS_API_SECRET)
#   REDISCLOUD_URL (optional; defaults to https://api.redislabs.com/v1)
provider "rediscloud" {}

ephemeral "rediscloud_session_logs" "outside_office" {
  lookback         = var.lookback
  exclude_ip_cidrs = var.office_cidrs
  max_results      = 0 # the count is all the gate needs
}

ephemeral "rediscloud_audit_logs" "outside_terraform" {
  lookback              = var.lookback
  types                 = ["Subscription", "Database"]
  exclude_api_key_names = [var.terraform_api_key_name]
  max_results           = 0
}

resource "terraform_data" "session_gate" {
  lifecycle {
    precondition {
      condition     = !var.enforce_session_ranges || ephemeral.rediscloud_session_logs.outside_office.total_count == 0
      error_message = "Sessions from outside office_cidrs ${jsonencode(var.office_cidrs)} in the last ${var.lookback}. Investigate them in the session log, or add the ranges to office_cidrs if they are expected."
    }
  }
}

check "no_changes_outside_terraform" {
  assert {
    condition     = ephemeral.rediscloud_audit_logs.outside_terraform.total_count == 0
    error_message = "Subscriptions or databases changed in the console or through an API key other than ${var.terraform_api_key_name} in the last ${var.lookback}: see the audit log."
  }
}
