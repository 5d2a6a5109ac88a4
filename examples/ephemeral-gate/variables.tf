variable "office_cidrs" {
  description = "IPv4 and IPv6 ranges that sessions are expected to come from. A session from anywhere else within lookback fails the plan."
  type        = list(string)
  default     = ["198.51.100.0/24", "2001:db8:100::/48"]
}

variable "terraform_api_key_name" {
  description = "Name of the API key this Terraform uses. Changes made through any other key, or in the console, warn."
  type        = string
  default     = "terraform-automation"
}

variable "lookback" {
  description = "How far back the gate looks, such as \"24h\" or \"7d\"."
  type        = string
  default     = "7d"
}

variable "enforce_session_ranges" {
  description = "Fail the plan on a session from outside office_cidrs. false turns the gate off for one run (-var enforce_session_ranges=false), for example to apply while someone investigates."
  type        = bool
  default     = true
}
