terraform {
  required_providers {
    rediscloud = {
      source = "redis-logs/rediscloud"
    }
  }
}

# Credentials are read from the environment when the arguments are left out:
#
#   api_key    <- REDISCLOUD_ACCESS_KEY, else REDIS_API_KEY      (account API key,  x-api-key)
#   secret_key <- REDISCLOUD_SECRET_KEY, else REDIS_API_SECRET   (user API key,     x-api-secret-key)
#   url        <- REDISCLOUD_URL, else https://api.redislabs.com/v1
#
# The REDISCLOUD_* names are the ones the official Redis Cloud provider reads and win
# when both pairs are set; REDIS_API_KEY / REDIS_API_SECRET are the names of Redis's own
# curl examples. Prefer the environment: keys written in a file end up in version control.
provider "rediscloud" {}

# The same, configured explicitly (for example from a secrets manager), with the
# client-side rate limit lowered because another tool shares the account key.
variable "rediscloud_api_key" {
  type      = string
  sensitive = true
}

variable "rediscloud_secret_key" {
  type      = string
  sensitive = true
}

provider "rediscloud" {
  alias      = "explicit"
  api_key    = var.rediscloud_api_key
  secret_key = var.rediscloud_secret_key
  url        = "https://api.redislabs.com/v1"

  # Redis Cloud allows 400 requests per minute per account API key.
  requests_per_minute = 200
  max_retries         = 5
  request_timeout     = "60s"
}
