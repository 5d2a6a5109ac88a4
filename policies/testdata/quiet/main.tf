# The quiet run of `make policy-test` (TestPolicies, internal/e2e/policy_test.go): the mock's demo dataset
# read through filters that leave out every planted event, from a child module, so the
# policies must find the data sources under child_modules and must find nothing.
terraform {
  required_providers {
    rediscloud = {
      source = "redis-logs/rediscloud"
    }
  }
}

provider "rediscloud" {}

module "account_logs" {
  source       = "./modules/account_logs"
  office_cidrs = ["198.51.100.0/24", "2001:db8:100::/48"]
}
