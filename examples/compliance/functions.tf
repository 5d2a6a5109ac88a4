# Provider-defined functions need Terraform 1.8 or later, or OpenTofu 1.7 or later.
# With an older CLI, delete this file: the rest of the module works from Terraform 1.5.
#
# Per-team ranges: every session of the last 7 days must come from the ranges of its
# user's team. glob_match and cidr_contains apply exactly the rules of the users and
# ip_cidrs filters, so this check and those filters never disagree.

variable "team_cidrs" {
  description = "Map from user patterns (globs, as in the users filter) to the IPv4/IPv6 ranges that team's sessions must come from. Empty by default, which means every user must stay within office_cidrs."
  type        = map(list(string))
  default     = {}
}

locals {
  team_cidrs = length(var.team_cidrs) > 0 ? var.team_cidrs : { "*" = var.office_cidrs }
  sessions_outside_team_ranges = [
    for s in data.rediscloud_session_logs.last_7d.entries :
    "${coalesce(s.user.email, s.user.name, "unknown user")} from ${coalesce(s.ip_address, "no IP address")} at ${coalesce(s.timestamp, "unknown time")}"
    # An address that does not parse (cidr_contains fails on it) counts as outside.
    if !try(anytrue([
      for pattern, cidrs in local.team_cidrs :
      provider::rediscloud::glob_match([pattern], try(coalesce(s.user.email, s.user.name), "")) &&
      provider::rediscloud::cidr_contains(cidrs, s.ip_address)
    ]), false)
  ]
}

check "sessions_within_team_ranges" {
  assert {
    condition     = length(local.sessions_outside_team_ranges) == 0
    error_message = "Sessions of the last 7 days outside their team's ranges (${length(local.sessions_outside_team_ranges)}):\n  ${join("\n  ", local.sessions_outside_team_ranges)}"
  }
}
