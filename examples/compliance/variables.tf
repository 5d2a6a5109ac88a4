variable "log_shape" {
  description = "The response shape of the API the plan reads: \"official\" (api.redislabs.com: audit type and API key names, session actions and roles) or \"seed\" (audit action and status). The reads that need fields of the other shape are left out, so that a plan against either shows no warning it did not ask for."
  type        = string
  default     = "official"

  validation {
    condition     = contains(["official", "seed"], var.log_shape)
    error_message = "log_shape must be \"official\" or \"seed\"."
  }
}

variable "office_cidrs" {
  description = "IPv4 and IPv6 ranges that sessions are expected to come from. A session from anywhere else in the last 7 days fails the plan (see enforce_session_ranges)."
  type        = list(string)
  default     = ["198.51.100.0/24", "2001:db8:100::/48"]

  validation {
    # cidrhost(c, 0) is the network: a range written with host bits ("198.51.100.1/24",
    # or "198.51.100.0/2" for /24) would silently widen the allow-list.
    condition     = alltrue([for c in var.office_cidrs : can(cidrhost(c, 0)) && try(cidrhost(c, 0) == split("/", c)[0], false)])
    error_message = "Every office_cidrs element must be a CIDR range with no bits set beyond its prefix, such as \"198.51.100.0/24\" or \"2001:db8:100::/48\"."
  }
}

variable "enforce_session_ranges" {
  description = "When true, a session from outside office_cidrs in the last 7 days fails the plan. When false, such sessions only show up in the unusual_sessions output."
  type        = bool
  default     = true
}

variable "critical_actions" {
  description = "Audit actions that raise a warning when they happened in the last 24 hours. Glob patterns, matched case-insensitively against the action field, which only the seed response shape carries (log_shape = \"seed\")."
  type        = list(string)
  default     = ["subscription.delete", "database.delete", "user.remove", "apiKey.delete"]
}

variable "critical_details_patterns" {
  description = "RE2 patterns (the syntax of regex()) matched against the details text of audit entries, which both response shapes carry; an entry matching any of them raises a warning when it happened in the last 24 hours. Adjust them to the wording your account's log uses."
  type        = list(string)
  default     = ["(?i)\\b(deleted|removed)\\b"]
}

variable "terraform_api_key_name" {
  description = "Name of the API key that Terraform uses for this account. Subscription and Database changes of the last 24 hours that came through any other key, or from the console, raise a warning."
  type        = string
  default     = "terraform"
}

variable "max_failed_logins_per_user" {
  description = "A user with more failed logins than this in the last 24 hours raises a warning."
  type        = number
  default     = 3
}

variable "account_users" {
  description = "E-mail addresses of the account's users, for the access review: each one must have a session within max_inactive_days. Empty by default: list your account's users (Access Management in the console)."
  type        = list(string)
  default     = []
}

variable "access_review_days" {
  description = "The access review window, in days: how far back the session log is read for last activity and privileged sessions."
  type        = number
  default     = 90
}

variable "max_inactive_days" {
  description = "A listed user whose newest session is older than this many days raises a warning."
  type        = number
  default     = 30

  validation {
    condition     = var.max_inactive_days > 0
    error_message = "max_inactive_days must be positive."
  }
}

variable "privileged_roles" {
  description = "User roles (case-insensitive globs) whose sessions from outside office_cidrs raise a warning in the access review."
  type        = list(string)
  default     = ["owner"]
}
