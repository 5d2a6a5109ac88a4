# Changes outside Terraform: audit entries of the last outside_terraform_lookback_hours
# about an entity type Terraform manages (managed_types) that did not come through one of
# terraform_api_key_names: console changes (no API key) and changes through any other
# key. Only the official shape carries type and api_key_name; an entry without a type is
# left alone, as the provider's `types` filter leaves it out. The check block
# no_changes_outside_terraform_in_last_24h asks the same question.
package rediscloud.outside_terraform

import data.rediscloud.lib

deny contains msg if {
	some e in lib.audit_entries
	lib.within_hours(e.timestamp, lib.params.outside_terraform_lookback_hours)
	is_string(e.type)
	lower(e.type) in {lower(t) | some t in lib.params.managed_types}
	not lib.glob_any(lib.params.terraform_api_key_names, e.api_key_name)
	msg := sprintf("outside_terraform: %s %s %s changed by %s %s: %s (audit entry %s)", [
		lib.or_else(e.timestamp, "?"), e.type, lib.or_else(e.resource, lib.or_else(e.resource_id, "?")),
		lib.who(e), how(e), lib.or_else(e.details, "no details"), lib.or_else(e.id, "?"),
	])
}

how(e) := sprintf("through API key %s", [e.api_key_name]) if is_string(e.api_key_name)

how(e) := "in the console" if not is_string(e.api_key_name)
