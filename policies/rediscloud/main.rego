# Every policy's findings in one set: `data.rediscloud.deny`, which is what
# `conftest test --namespace rediscloud` and `opa eval ... 'data.rediscloud.deny'` read.
# Each message starts with the policy's name and says which entry or user caused it.
package rediscloud

import data.rediscloud.complete_reads
import data.rediscloud.critical_actions
import data.rediscloud.failed_logins
import data.rediscloud.inactive_users
import data.rediscloud.outside_terraform
import data.rediscloud.privileged_sessions
import data.rediscloud.required_checks
import data.rediscloud.session_cidrs

findings := [
	critical_actions.deny,
	outside_terraform.deny,
	failed_logins.deny,
	session_cidrs.deny,
	privileged_sessions.deny,
	inactive_users.deny,
	complete_reads.deny,
	required_checks.deny,
]

deny := {msg | some policy in findings; some msg in policy}
