terraform {
  # check blocks and plantimestamp() need Terraform 1.5 or later.
  required_version = ">= 1.5"

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
