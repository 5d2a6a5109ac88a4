# Sessions of the last 24 hours from outside the office ranges, for a gate: the result
# is never written to the plan file or the state.
ephemeral "rediscloud_session_logs" "outside_office" {
  lookback         = "24h"
  exclude_ip_cidrs = ["198.51.100.0/24", "2001:db8:100::/48"]
  max_results      = 0 # the gate needs the count only
}

# The gate: a precondition on terraform_data fails the plan. Its message names no value
# of the log: Terraform withholds a message that refers to an ephemeral value.
resource "terraform_data" "session_gate" {
  lifecycle {
    precondition {
      condition     = ephemeral.rediscloud_session_logs.outside_office.total_count == 0
      error_message = "Sessions from outside the office ranges in the last 24 hours: see the session log."
    }
  }
}
