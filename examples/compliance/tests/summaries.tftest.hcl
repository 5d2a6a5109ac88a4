# Tests of the compliance module's checks and postcondition without an account: the
# provider is mocked, and each run overrides the summaries (total_count, user_counts,
# last_seen) of one data source, so that one check fails while every other stays quiet.
#
#   terraform test -filter=tests/summaries.tftest.hcl   (Terraform 1.7+)
#   tofu test -filter=tests/summaries.tftest.hcl        (OpenTofu 1.8+)
#
# In a test run, a check or postcondition that fails fails the run unless the run lists
# it in expect_failures, and a run whose expected failure does not happen fails too. So
# each run expects exactly the failures its overrides cause; the asserts say in words
# what a passing run shows.
# Overriding `entries` fails on Terraform 1.11 (hashicorp/terraform#38369): the checks on
# entries are tested in entries.tftest.hcl, which OpenTofu runs.

mock_provider "rediscloud" {}

variables {
  terraform_api_key_name = "terraform-automation"
  account_users          = ["alice@example.com", "erin@example.com"]
  max_inactive_days      = 14
}

# Both users of the review were active recently: their last_seen lies in the future of
# any plan, so the test does not age. Runs override it again where they need to.
override_data {
  target = data.rediscloud_session_logs.access_review
  values = {
    last_seen = {
      "alice@example.com" = "2999-01-01T00:00:00Z"
      "erin@example.com"  = "2999-01-01T00:00:00Z"
    }
  }
}

run "quiet_account_passes_every_check" {
  command = plan

  assert {
    condition     = data.rediscloud_audit_logs.critical_details_24h.total_count == 0 && data.rediscloud_audit_logs.outside_terraform_24h[0].total_count == 0
    error_message = "The mocked account should have no critical action and no change outside Terraform."
  }
  assert {
    condition     = length(data.rediscloud_audit_logs.critical_24h) == 0 && length(data.rediscloud_audit_logs.failed_24h) == 0
    error_message = "With log_shape = \"official\" (the default) the reads that need the seed shape's action and status are left out."
  }
  assert {
    condition     = length(local.failed_login_lines) == 0 && length(local.inactive_users) == 0
    error_message = "The mocked account should have no repeated failed login and no inactive user."
  }
  assert {
    condition     = data.rediscloud_session_logs.outside_office_7d.total_count == 0 && data.rediscloud_session_logs.privileged_outside_office[0].total_count == 0
    error_message = "The mocked account should have no session from outside the office."
  }
}

run "critical_action_fails_its_check" {
  command = plan

  variables {
    log_shape = "seed" # action is in the seed shape only
  }

  override_data {
    target = data.rediscloud_audit_logs.critical_24h
    values = { total_count = 3 }
  }

  expect_failures = [check.no_critical_actions_in_last_24h]
}

run "critical_details_fail_their_check" {
  command = plan

  override_data {
    target = data.rediscloud_audit_logs.critical_details_24h
    values = { total_count = 3 }
  }

  expect_failures = [check.no_critical_details_in_last_24h]
}

run "failed_action_fails_its_check" {
  command = plan

  variables {
    log_shape = "seed" # status is in the seed shape only
  }

  override_data {
    target = data.rediscloud_audit_logs.failed_24h
    values = { total_count = 2 }
  }

  expect_failures = [check.no_failed_actions_in_last_24h]
}

run "change_outside_terraform_fails_its_check" {
  command = plan

  override_data {
    target = data.rediscloud_audit_logs.outside_terraform_24h
    values = { total_count = 2 }
  }

  expect_failures = [check.no_changes_outside_terraform_in_last_24h]
}

run "three_failed_logins_pass" {
  command = plan

  override_data {
    target = data.rediscloud_session_logs.failed_logins_24h
    values = {
      user_counts = { "carol@example.com" = 3 }
      last_seen   = { "carol@example.com" = "2026-12-06T06:10:00Z" }
    }
  }

  assert {
    condition     = length(local.failed_login_lines) == 0
    error_message = "Three failed logins are not more than max_failed_logins_per_user (3)."
  }
}

run "five_failed_logins_fail_their_check" {
  command = plan

  override_data {
    target = data.rediscloud_session_logs.failed_logins_24h
    values = {
      user_counts = { "carol@example.com" = 5 }
      last_seen   = { "carol@example.com" = "2026-12-06T06:10:00Z" }
    }
  }

  expect_failures = [check.no_repeated_failed_logins_in_last_24h]

  assert {
    condition     = local.failed_login_lines == ["carol@example.com: 5 failed logins, the last at 2026-12-06T06:10:00Z"]
    error_message = "The check should name carol and her five failed logins."
  }
}

run "inactive_user_fails_the_access_review" {
  command = plan

  override_data {
    target = data.rediscloud_session_logs.access_review
    values = {
      last_seen = {
        "alice@example.com" = "2999-01-01T00:00:00Z"
        "erin@example.com"  = "2020-01-01T00:00:00Z"
      }
    }
  }

  expect_failures = [check.no_inactive_users]

  assert {
    condition     = local.inactive_users == ["erin@example.com: last seen 2020-01-01T00:00:00Z, more than 14 days ago"]
    error_message = "The access review should name erin, and only her."
  }
}

run "user_without_session_fails_the_access_review" {
  command = plan

  override_data {
    target = data.rediscloud_session_logs.access_review
    values = { last_seen = { "alice@example.com" = "2999-01-01T00:00:00Z" } }
  }

  expect_failures = [check.no_inactive_users]
}

run "privileged_session_from_outside_fails_its_check" {
  command = plan

  override_data {
    target = data.rediscloud_session_logs.privileged_outside_office
    values = { total_count = 1 }
  }

  expect_failures = [check.no_privileged_sessions_from_outside_office]
}

run "session_from_outside_fails_the_postcondition" {
  command = plan

  override_data {
    target = data.rediscloud_session_logs.outside_office_7d
    values = { total_count = 1 }
  }

  expect_failures = [data.rediscloud_session_logs.outside_office_7d]
}

run "postcondition_switched_off_passes" {
  command = plan

  variables {
    enforce_session_ranges = false
  }

  override_data {
    target = data.rediscloud_session_logs.outside_office_7d
    values = { total_count = 1 }
  }

  assert {
    condition     = data.rediscloud_session_logs.outside_office_7d.total_count == 1
    error_message = "The override should reach the data source; the postcondition is off, so the plan goes on."
  }
}
