# The checks that read `entries` rather than a summary, tested with a mocked provider.
# Overriding a list-nested attribute such as `entries` works on OpenTofu 1.8+ and fails on
# Terraform up to at least 1.11 ("incompatible types; expected object type, found tuple",
# hashicorp/terraform#38369), so `make policy-test` runs this file with tofu, and with
# terraform only to show whether that limitation is still there.
#
#   tofu test -filter=tests/entries.tftest.hcl
#
# OpenTofu wants every attribute of an overridden entry, null where the entry has none.

mock_provider "rediscloud" {}

variables {
  office_cidrs  = ["198.51.100.0/24", "2001:db8:100::/48"]
  account_users = []
}

run "office_sessions_stay_within_team_ranges" {
  command = plan

  override_data {
    target = data.rediscloud_session_logs.last_7d
    values = {
      entries = [
        {
          id         = "s-1"
          timestamp  = "2026-12-06T11:25:00Z"
          user       = { email = "alice@example.com", name = "Alice Johnson" }
          user_role  = "owner"
          ip_address = "198.51.100.10"
          user_agent = null
          type       = "console"
          action     = "Successful login"
          start_time = null
          end_time   = null
          active     = true
        },
        {
          id         = "s-2"
          timestamp  = "2026-12-06T06:10:00Z"
          user       = { email = "carol@example.com", name = "Carol Diaz" }
          user_role  = "manager"
          ip_address = "2001:db8:100:4::2b"
          user_agent = null
          type       = "console"
          action     = "Successful login"
          start_time = null
          end_time   = "2026-12-06T06:40:00Z"
          active     = false
        },
      ]
    }
  }

  assert {
    condition     = length(local.sessions_outside_team_ranges) == 0
    error_message = "Sessions from the office ranges should pass sessions_within_team_ranges."
  }
}

run "session_from_outside_fails_team_ranges" {
  command = plan

  override_data {
    target = data.rediscloud_session_logs.last_7d
    values = {
      entries = [
        {
          id         = "demo-unusual-ip-bob"
          timestamp  = "2026-12-03T23:00:00Z"
          user       = { email = "bob@example.com", name = "Bob Smith" }
          user_role  = "member"
          ip_address = "203.0.113.66"
          user_agent = null
          type       = "console"
          action     = "Successful login"
          start_time = null
          end_time   = "2026-12-03T23:42:00Z"
          active     = false
        },
      ]
    }
  }

  expect_failures = [check.sessions_within_team_ranges]

  assert {
    condition     = local.sessions_outside_team_ranges == ["bob@example.com from 203.0.113.66 at 2026-12-03T23:00:00Z"]
    error_message = "The check should name bob's session from 203.0.113.66."
  }
}

run "critical_action_lines_name_the_entry" {
  command = plan

  variables {
    log_shape = "seed" # action is in the seed shape only
  }

  override_data {
    target = data.rediscloud_audit_logs.critical_24h
    values = {
      total_count = 1
      entries = [
        {
          id           = "3100312"
          timestamp    = "2026-12-06T09:46:00Z"
          action       = "database.delete"
          type         = "Database"
          user         = { email = "bob@example.com", name = "Bob Smith" }
          api_key_name = null
          resource     = "cache-staging"
          resource_id  = "13000202"
          details      = "Database cache-staging (13000202) was deleted"
          status       = "success"
        },
      ]
    }
  }

  expect_failures = [check.no_critical_actions_in_last_24h]

  assert {
    condition     = local.critical_lines == ["2026-12-06T09:46:00Z database.delete by bob@example.com on cache-staging"]
    error_message = "The critical-actions check should name bob's deletion of cache-staging."
  }
}
