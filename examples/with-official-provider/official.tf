# What uses the official Redis Cloud provider, RedisLabs/rediscloud. Under its usual local
# name, its resources and data sources need no `provider` argument.
#
# `make validate-examples` cannot check this file: `terraform validate` needs the official
# provider installed from the registry, and the build and CI machines of this repository
# have no internet. The script validates the rest of the example without this file and
# without the official provider's entry in versions.tf.

provider "rediscloud" {}

variable "subscription_name" {
  description = "Name of a Redis Cloud subscription managed with the official provider."
  type        = string
}

data "rediscloud_subscription" "main" {
  name = var.subscription_name
}

# The audit log of that one subscription: an id from the official provider feeds a filter
# of this one.
data "rediscloud_audit_logs" "subscription_7d" {
  provider = redislogs

  lookback    = "7d"
  resource_id = data.rediscloud_subscription.main.id
}

output "subscription_changes_7d" {
  description = "Audit entries about var.subscription_name from the last 7 days."
  value = [
    for e in data.rediscloud_audit_logs.subscription_7d.entries :
    "${e.timestamp} ${coalesce(e.user.email, e.user.name, e.api_key_name, "unknown")}: ${coalesce(e.details, "?")}"
  ]
}
