package provider

import "regexp"

// diagPattern is an ExpectError pattern (for errorPattern) that matches one error of
// Terraform's output by its summary and a piece of its detail, both literal: Terraform
// prints the offending configuration line with every error, so a pattern that only names
// an attribute matches any error on that line.
func diagPattern(summary, detail string) string {
	return `(?s)Error: ` + regexp.QuoteMeta(summary) + `.*` + regexp.QuoteMeta(detail)
}
