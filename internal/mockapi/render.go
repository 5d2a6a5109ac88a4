package mockapi

import (
	"bytes"
	"encoding/json"
	"time"
)

// Shape selects how entries are rendered.
type Shape string

const (
	// ShapeOfficial follows the published OpenAPI document:
	// {"entries": [...], "links": []} on both endpoints.
	ShapeOfficial Shape = "official"
	// ShapeSeed follows the seed document: {"logs": [...]} and {"sessions": [...]}.
	ShapeSeed Shape = "seed"
)

// wireTime is the one time format on the wire: RFC 3339, UTC, whole seconds.
const wireTime = "2006-01-02T15:04:05Z"

func formatTime(t time.Time) string { return t.UTC().Format(wireTime) }

// Official shape: AccountSystemLogEntry / AccountSessionLogEntry. Empty optional
// fields are left out, and there is no action, status or user object, because the
// OpenAPI document has none.
type officialAuditEntry struct {
	ID          int64  `json:"id"`
	Time        string `json:"time"`
	Originator  string `json:"originator,omitempty"`
	APIKeyName  string `json:"apiKeyName,omitempty"`
	Resource    string `json:"resource,omitempty"`
	ResourceID  int64  `json:"resourceId,omitempty"`
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
}

type officialSessionEntry struct {
	ID        string `json:"id"`
	Time      string `json:"time"`
	User      string `json:"user,omitempty"`
	UserAgent string `json:"userAgent,omitempty"`
	IPAddress string `json:"ipAddress,omitempty"`
	UserRole  string `json:"userRole,omitempty"`
	Type      string `json:"type,omitempty"`
	Action    string `json:"action,omitempty"`
}

type officialPage[T any] struct {
	Entries []T                 `json:"entries"`
	Links   []map[string]string `json:"links"`
}

// Seed shape.
type seedUser struct {
	Email string `json:"email,omitempty"`
	Name  string `json:"name,omitempty"`
}

type seedAuditEntry struct {
	ID         int64     `json:"id"`
	Timestamp  string    `json:"timestamp"`
	Action     string    `json:"action,omitempty"`
	User       *seedUser `json:"user,omitempty"`
	Resource   string    `json:"resource,omitempty"`
	ResourceID int64     `json:"resourceId,omitempty"`
	Details    string    `json:"details,omitempty"`
	Status     string    `json:"status,omitempty"`
}

type seedSessionEntry struct {
	SessionID string    `json:"sessionId"`
	User      *seedUser `json:"user,omitempty"`
	IPAddress string    `json:"ipAddress,omitempty"`
	UserAgent string    `json:"userAgent,omitempty"`
	StartTime string    `json:"startTime"`
	EndTime   *string   `json:"endTime"` // null while active, as the seed says
	Type      string    `json:"type,omitempty"`
}

type seedAuditPage struct {
	Logs []seedAuditEntry `json:"logs"`
}

type seedSessionPage struct {
	Sessions []seedSessionEntry `json:"sessions"`
}

// AuditPageBody is the body of a page holding records, in the order given and
// as given (times are not truncated): for a Fault.Body serving a page the
// normal answer cannot, such as entries out of time order.
func AuditPageBody(shape Shape, records []AuditRecord) string {
	body, err := renderAudit(shape, records)
	if err != nil { // the entry types always encode
		panic(err)
	}
	return string(body)
}

// SessionPageBody is AuditPageBody for session records.
func SessionPageBody(shape Shape, records []SessionRecord) string {
	body, err := renderSessions(shape, records)
	if err != nil {
		panic(err)
	}
	return string(body)
}

// renderAudit returns the response body for a page of audit records.
func renderAudit(shape Shape, page []AuditRecord) ([]byte, error) {
	if shape == ShapeSeed {
		out := seedAuditPage{Logs: make([]seedAuditEntry, len(page))}
		for i, r := range page {
			out.Logs[i] = seedAuditEntry{
				ID:         r.ID,
				Timestamp:  formatTime(r.Time),
				Action:     r.Action,
				User:       newSeedUser(r.UserEmail, r.UserName),
				Resource:   r.Resource,
				ResourceID: r.ResourceID,
				Details:    r.Details,
				Status:     r.Status,
			}
		}
		return encode(out)
	}
	out := officialPage[officialAuditEntry]{
		Entries: make([]officialAuditEntry, len(page)),
		Links:   []map[string]string{},
	}
	for i, r := range page {
		originator := r.UserName
		if originator == "" {
			originator = r.UserEmail
		}
		out.Entries[i] = officialAuditEntry{
			ID:          r.ID,
			Time:        formatTime(r.Time),
			Originator:  originator,
			APIKeyName:  r.APIKeyName,
			Resource:    r.Resource,
			ResourceID:  r.ResourceID,
			Type:        r.Type,
			Description: r.Details,
		}
	}
	return encode(out)
}

// renderSessions returns the response body for a page of session records.
func renderSessions(shape Shape, page []SessionRecord) ([]byte, error) {
	if shape == ShapeSeed {
		out := seedSessionPage{Sessions: make([]seedSessionEntry, len(page))}
		for i, r := range page {
			entry := seedSessionEntry{
				SessionID: r.ID,
				User:      newSeedUser(r.UserEmail, ""),
				IPAddress: r.IPAddress,
				UserAgent: r.UserAgent,
				StartTime: formatTime(r.Time),
				Type:      r.Type,
			}
			if r.EndTime != nil {
				end := formatTime(*r.EndTime)
				entry.EndTime = &end
			}
			out.Sessions[i] = entry
		}
		return encode(out)
	}
	out := officialPage[officialSessionEntry]{
		Entries: make([]officialSessionEntry, len(page)),
		Links:   []map[string]string{},
	}
	for i, r := range page {
		user := r.UserEmail
		if user == "" {
			user = r.UserName
		}
		out.Entries[i] = officialSessionEntry{
			ID:        r.ID,
			Time:      formatTime(r.Time),
			User:      user,
			UserAgent: r.UserAgent,
			IPAddress: r.IPAddress,
			UserRole:  r.UserRole,
			Type:      r.Type,
			Action:    r.Action,
		}
	}
	return encode(out)
}

func newSeedUser(email, name string) *seedUser {
	if email == "" && name == "" {
		return nil
	}
	return &seedUser{Email: email, Name: name}
}

// encode marshals v without HTML escaping (a real server sends "<" as "<") and
// with a trailing newline.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
