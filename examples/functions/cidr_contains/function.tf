# Each team has its own ranges: flag every session of the last 7 days that came from
# outside the ranges of its user's team. Same parsing as the ip_cidrs filter.
variable "team_cidrs" {
  type = map(list(string))
  default = {
    "*@example.com"  = ["198.51.100.0/24", "2001:db8:100::/48"]
    "*@partner.test" = ["192.0.2.0/24"]
  }
}

data "rediscloud_session_logs" "week" {
  lookback = "7d"
}

output "sessions_outside_team_ranges" {
  value = [
    for s in data.rediscloud_session_logs.week.entries :
    "${coalesce(s.user.email, s.user.name, "unknown")} from ${s.ip_address}"
    if s.ip_address != null && !anytrue([
      for pattern, cidrs in var.team_cidrs :
      provider::rediscloud::glob_match([pattern], try(coalesce(s.user.email, s.user.name), "")) &&
      provider::rediscloud::cidr_contains(cidrs, s.ip_address)
    ])
  ]
}

# provider::rediscloud::cidr_contains(["198.51.100.0/24"], "198.51.100.7")    → true
# provider::rediscloud::cidr_contains(["2001:db8::/32"], "::ffff:198.51.100.7") → false
