package client

import "time"

// AuditEntry is one audit (system) log entry from either response shape; nil
// means not sent (or null), nothing is invented. Official shape ({"entries"}):
// id, time, originator → UserName (and UserEmail when it holds "@"), apiKeyName,
// resource, resourceId, type, description → Details. Seed shape ({"logs"}): id,
// timestamp → Time, action, user.email, user.name, resource, resourceId,
// details, status, type.
type AuditEntry struct {
	ID, Action, Type, UserEmail, UserName *string
	APIKeyName, Resource, ResourceID      *string
	Details, Status                       *string
	Time                                  *time.Time // UTC
	TimeText                              *string    // the time as sent (shortened) when Time is nil because it did not parse
}

// SessionEntry is one session log entry from either response shape. Official
// ({"entries"}): id, time, user → UserEmail when it holds "@", else UserName,
// userRole, ipAddress, userAgent, type, action. Seed ({"sessions"}): sessionId
// → ID, startTime → StartTime and Time, endTime, user.email, user.name,
// ipAddress, userAgent, type. Active: nil unless startTime or endTime is sent,
// then whether endTime is null or absent.
type SessionEntry struct {
	ID, UserEmail, UserName, UserRole  *string
	IPAddress, UserAgent, Type, Action *string
	Time                               *time.Time // UTC; startTime when time is absent
	TimeText                           *string    // the time as sent (shortened) when Time is nil because it did not parse
	StartTime, EndTime                 *time.Time
	Active                             *bool
}
