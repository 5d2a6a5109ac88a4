# Who may do what: a map from user patterns to the actions they are expected to take.
# Entries of the last 24 hours outside that map are listed. Same glob rules as the
# actions and users filters (whole value, case-insensitive, * ? [a-z] \).
variable "expected_actions" {
  type = map(list(string))
  default = {
    "*@example.com" = ["database.*", "subscription.update"]
    "admin@*"       = ["*"]
  }
}

data "rediscloud_audit_logs" "day" {
  lookback = "24h"
}

output "unexpected_actions" {
  value = [
    for e in data.rediscloud_audit_logs.day.entries :
    "${coalesce(e.user.email, e.user.name, "unknown")}: ${e.action}"
    if e.action != null && !anytrue([
      for who, actions in var.expected_actions :
      provider::rediscloud::glob_match([who], try(coalesce(e.user.email, e.user.name), "")) &&
      provider::rediscloud::glob_match(actions, e.action)
    ])
  ]
}

# provider::rediscloud::glob_match(["database.*"], "Database.Delete") → true
# provider::rediscloud::glob_match(["database"], "database.delete")   → false
