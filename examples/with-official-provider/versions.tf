# This provider next to the official Redis Cloud provider. Both are named `rediscloud` by
# their authors, and a module can give a local name to only one of them: the official
# provider keeps `rediscloud`, which most configurations already use for it, and this one
# is required as `redislogs`. Each of its data sources then says `provider = redislogs`;
# the data source types keep their names (rediscloud_audit_logs, rediscloud_session_logs),
# since they come from the provider, not from the local name.
terraform {
  # check blocks and plantimestamp() need Terraform 1.5 or later (OpenTofu 1.6 or later).
  required_version = ">= 1.5"

  required_providers {
    # The official provider (official.tf uses it).
    rediscloud = {
      source  = "RedisLabs/rediscloud"
      version = "~> 2.0"
    }
    # This provider.
    redislogs = {
      source  = "redis-logs/rediscloud"
      version = "~> 0.1"
    }
  }
}

# Both providers read their credentials and URL from the same environment variables:
# REDISCLOUD_ACCESS_KEY, REDISCLOUD_SECRET_KEY and REDISCLOUD_URL (optional).
provider "redislogs" {}
