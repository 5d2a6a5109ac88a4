// Package logquery holds the filtering and normalising that both log data
// sources share: the parsers that schema validators and filters both use (so
// that what `terraform validate` accepts is exactly what a read filters on),
// the audit and session filters, and the sorting, summaries and query ids that
// turn decoded entries into state.
//
// It knows the decoded entry types of internal/client and nothing of
// Terraform. A nil entry field means the server did not send it; filters treat
// absence explicitly (see AuditFilter) rather than as an empty value.
package logquery
