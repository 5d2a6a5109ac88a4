variable "office_cidrs" {
  description = "IPv4 and IPv6 ranges that sessions are expected to come from. A session from anywhere else in the last 7 days fails the plan (see enforce_session_ranges)."
  type        = list(string)
  default     = ["198.51.100.0/24", "2001:db8:100::/48"]

  validation {
    condition     = alltrue([for c in var.office_cidrs : can(cidrhost(c, 0))])
    error_message = "Every office_cidrs element must be a CIDR range such as \"198.51.100.0/24\" or \"2001:db8:100::/48\"."
  }
}

variable "enforce_session_ranges" {
  description = "When true, a session from outside office_cidrs in the last 7 days fails the plan. When false, such sessions only show up in the unusual_sessions output."
  type        = bool
  default     = true
}

variable "critical_actions" {
  description = "Audit actions that raise a warning when they happened in the last 24 hours. Glob patterns, matched case-insensitively against the action field, which only the seed response shape carries."
  type        = list(string)
  default     = ["subscription.delete", "database.delete", "user.remove", "apiKey.delete"]
}

variable "critical_details_pattern" {
  description = "RE2 pattern matched against the details text of audit entries that carry no action field (the official response shape of api.redislabs.com). Adjust it to the wording your account's log uses."
  type        = string
  default     = "(?i)\\b(deleted|removed)\\b"
}
