// Package client reads the Redis Cloud account logs, the audit (system) log at
// GET /v1/logs and the session log at GET /v1/session-logs, and returns them as
// complete, de-duplicated lists, paging, retrying and rate limiting as it goes.
//
// It accepts both response shapes in use: the official one ({"entries": [...]})
// and the older one some servers and exports speak ({"logs": [...]} and
// {"sessions": [...]}). It knows nothing of Terraform.
package client
