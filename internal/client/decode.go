package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// decodePage streams one page body and calls visit for each element of a list
// under one of listKeys, in order, one element at a time, so that the caller can
// drop an element before the next is decoded. It returns how many elements the
// lists held (elements that are not objects count too: the server counted them
// in its offsets).
//
// A body that is not JSON is an error that says so; so is a JSON object that
// holds none of listKeys, unless it is empty or holds only "links" (an empty
// page from a server that omits an empty list).
func decodePage(body []byte, contentType string, listKeys []string, visit func(raw json.RawMessage)) (int, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	notJSON := func() error {
		return fmt.Errorf("the response was not valid JSON (content type %q; it starts with %q)", contentType, snippet(body))
	}
	tok, err := dec.Token()
	if err != nil {
		return 0, notJSON()
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return 0, fmt.Errorf("unexpected response shape: expected a JSON object holding %s, got %s", quoteList(listKeys), describeToken(tok))
	}

	var keys []string
	found := false
	n := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return n, notJSON()
		}
		key, _ := tok.(string) // object keys are always strings
		keys = append(keys, key)
		if !isOneOf(key, listKeys) {
			var skipped json.RawMessage
			if err := dec.Decode(&skipped); err != nil {
				return n, notJSON()
			}
			continue
		}
		tok, err = dec.Token()
		if err != nil {
			return n, notJSON()
		}
		if tok == nil { // "entries": null is an empty page
			found = true
			continue
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			if d, ok := tok.(json.Delim); ok && d == '{' {
				return n, fmt.Errorf("unexpected response shape: %q holds an object, not a list", key)
			}
			return n, fmt.Errorf("unexpected response shape: %q holds %s, not a list", key, describeToken(tok))
		}
		found = true
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return n, notJSON()
			}
			n++
			visit(raw)
		}
		if _, err := dec.Token(); err != nil { // the closing ']'
			return n, notJSON()
		}
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return n, notJSON()
	}
	if _, err := dec.Token(); err != io.EOF { // nothing may follow the object
		return n, notJSON()
	}
	onlyLinks := len(keys) == 0 || (len(keys) == 1 && keys[0] == "links")
	if !found && !onlyLinks {
		return n, fmt.Errorf("unexpected response shape: expected a list under %s; the top-level keys were %s", quoteList(listKeys), quoteList(keys))
	}
	return n, nil
}

func isOneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}

// quoteList renders at most ten keys, each shortened, so that a hostile body
// cannot make the error message huge.
func quoteList(keys []string) string {
	keys = append([]string(nil), keys...)
	sort.Strings(keys)
	var parts []string
	for i, k := range keys {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(keys)-10))
			break
		}
		parts = append(parts, strconv.Quote(shorten(k, 40)))
	}
	if len(parts) == 0 {
		return "(none)"
	}
	return strings.Join(parts, ", ")
}

func describeToken(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			return "a list"
		}
		return "an object"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	default:
		return "a number"
	}
}

// rawAudit accepts both audit shapes; every field tolerates any JSON type.
type rawAudit struct {
	ID          jsonScalar `json:"id"`
	Time        jsonTime   `json:"time"`
	Timestamp   jsonTime   `json:"timestamp"`
	Originator  jsonScalar `json:"originator"`
	User        jsonUser   `json:"user"`
	APIKeyName  jsonScalar `json:"apiKeyName"`
	Action      jsonScalar `json:"action"`
	Type        jsonScalar `json:"type"`
	Resource    jsonScalar `json:"resource"`
	ResourceID  jsonScalar `json:"resourceId"`
	Description jsonText   `json:"description"`
	Details     jsonText   `json:"details"`
	Status      jsonScalar `json:"status"`
}

// parseAuditEntry maps one list element to an AuditEntry (see entries.go for
// the mapping). It reports false for an element that is not an object.
func parseAuditEntry(raw []byte) (AuditEntry, bool) {
	var r rawAudit
	if !isObject(raw) {
		return AuditEntry{}, false
	}
	_ = json.Unmarshal(raw, &r) // field types never fail; keep what decoded
	e := AuditEntry{
		ID:         r.ID.s,
		Time:       firstTime(r.Time.t, r.Timestamp.t),
		Action:     r.Action.s,
		Type:       r.Type.s,
		UserEmail:  r.User.email,
		UserName:   r.User.name,
		APIKeyName: r.APIKeyName.s,
		Resource:   r.Resource.s,
		ResourceID: r.ResourceID.s,
		Details:    firstString(r.Description.s, r.Details.s),
		Status:     r.Status.s,
	}
	if o := r.Originator.s; o != nil {
		e.UserName = o
		if e.UserEmail == nil && strings.Contains(*o, "@") {
			e.UserEmail = o
		}
	}
	return e, true
}

// rawSession accepts both session shapes.
type rawSession struct {
	ID        jsonScalar `json:"id"`
	SessionID jsonScalar `json:"sessionId"`
	Time      jsonTime   `json:"time"`
	User      jsonUser   `json:"user"`
	UserRole  jsonScalar `json:"userRole"`
	IPAddress jsonScalar `json:"ipAddress"`
	UserAgent jsonScalar `json:"userAgent"`
	Type      jsonScalar `json:"type"`
	Action    jsonScalar `json:"action"`
	StartTime jsonTime   `json:"startTime"`
	EndTime   jsonTime   `json:"endTime"`
}

// parseSessionEntry maps one list element to a SessionEntry (see entries.go).
func parseSessionEntry(raw []byte) (SessionEntry, bool) {
	var r rawSession
	if !isObject(raw) {
		return SessionEntry{}, false
	}
	_ = json.Unmarshal(raw, &r)
	e := SessionEntry{
		ID:        firstString(r.ID.s, r.SessionID.s),
		Time:      firstTime(r.Time.t, r.StartTime.t),
		UserEmail: r.User.email,
		UserName:  r.User.name,
		UserRole:  r.UserRole.s,
		IPAddress: r.IPAddress.s,
		UserAgent: r.UserAgent.s,
		Type:      r.Type.s,
		Action:    r.Action.s,
		StartTime: r.StartTime.t,
		EndTime:   r.EndTime.t,
	}
	// Activity is known only where the seed shape's startTime/endTime pair is sent.
	switch {
	case r.EndTime.present:
		e.Active = ptr(false)
	case r.StartTime.present:
		e.Active = ptr(true)
	}
	return e, true
}

func isObject(raw []byte) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}

func firstString(a, b *string) *string {
	if a != nil {
		return a
	}
	return b
}

func firstTime(a, b *time.Time) *time.Time {
	if a != nil {
		return a
	}
	return b
}

func ptr[T any](v T) *T { return &v }
