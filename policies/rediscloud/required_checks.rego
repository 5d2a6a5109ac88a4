# Checks that must pass: for each address in required_checks (such as
# "check.no_inactive_users"), the plan's top-level checks[] must hold it with the status
# "pass". This is what a policy engine can still judge of reads whose values never reach
# the plan JSON (ephemeral reads): their checks' statuses. Empty by default.
package rediscloud.required_checks

import data.rediscloud.lib

status(address) := s if {
	some c in input.checks
	c.address.to_display == address
	s := c.status
} else := "missing from the plan"

deny contains msg if {
	some address in lib.params.required_checks
	status(address) != "pass"
	msg := sprintf("required_checks: %s: %s%s", [address, status(address), problems(address)])
}

# problems(address): the failed instances' messages, as the plan printed them.
problems(address) := concat("", [sprintf("; %s", [p.message]) |
	some c in input.checks
	c.address.to_display == address
	some i in c.instances
	some p in i.problems
])
