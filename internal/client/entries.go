package client

import "time"

// AuditEntry is one system (audit) log entry, decoded from either response shape.
// A nil field means the server did not send it (or sent null); nothing is invented.
//
// Official shape (GET /v1/logs → {"entries": [...]}) → field:
//
//	id → ID, time → Time, originator → UserName (UserEmail too when it holds an "@"),
//	apiKeyName → APIKeyName, resource → Resource, resourceId → ResourceID,
//	type → Type, description → Details
//
// Seed shape ({"logs": [...]}) → field:
//
//	id → ID, timestamp → Time, action → Action, user.email → UserEmail,
//	user.name → UserName, resource → Resource, resourceId → ResourceID,
//	details → Details, status → Status, type → Type
type AuditEntry struct {
	ID         *string
	Time       *time.Time // always UTC
	Action     *string
	Type       *string
	UserEmail  *string
	UserName   *string
	APIKeyName *string
	Resource   *string
	ResourceID *string
	Details    *string
	Status     *string
}

// SessionEntry is one session log entry, decoded from either response shape.
//
// Official shape (GET /v1/session-logs → {"entries": [...]}) → field:
//
//	id → ID, time → Time, user → UserEmail when it holds an "@", else UserName,
//	userRole → UserRole, ipAddress → IPAddress, userAgent → UserAgent,
//	type → Type, action → Action
//
// Seed shape ({"sessions": [...]}) → field:
//
//	sessionId → ID, startTime → StartTime and Time, endTime → EndTime,
//	user.email → UserEmail, user.name → UserName, ipAddress → IPAddress,
//	userAgent → UserAgent, type → Type
//
// Active is known only for the seed shape: true when startTime is present and
// endTime is null or absent, false when endTime is present.
type SessionEntry struct {
	ID        *string
	Time      *time.Time // always UTC; the seed shape's startTime when time is absent
	UserEmail *string
	UserName  *string
	UserRole  *string
	IPAddress *string
	UserAgent *string
	Type      *string
	Action    *string
	StartTime *time.Time
	EndTime   *time.Time
	Active    *bool
}
