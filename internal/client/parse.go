package client

import (
	"bytes"
	"strings"
	"time"
)

// Decoding one list element into an entry. Elements come checked by decodePage
// (parse*Element) or are checked here (parse*Entry). Members are matched to
// fields as encoding/json matches keys to a struct's fields (exactly, else
// case-insensitively; the last duplicate wins), and decode_reference_test.go
// holds the encoding/json version that both must agree with.

// rawAudit holds the raw value of each member an audit element may carry, in
// either shape; a later duplicate replaces an earlier one, as with
// encoding/json. The values are decoded once, by parseAuditEntry.
type rawAudit struct {
	id, time, timestamp, originator, user, apiKeyName, action, typ []byte
	resource, resourceID, description, details, status             []byte
}

var auditKeys = []string{"id", "time", "timestamp", "originator", "user", "apiKeyName", "action", "type",
	"resource", "resourceId", "description", "details", "status"}

// set keeps one member's value under the field its key selects (see fieldFor).
func (r *rawAudit) set(key, value []byte) {
	switch fieldFor(key, auditKeys) {
	case "id":
		r.id = value
	case "time":
		r.time = value
	case "timestamp":
		r.timestamp = value
	case "originator":
		r.originator = value
	case "user":
		r.user = value
	case "apiKeyName":
		r.apiKeyName = value
	case "action":
		r.action = value
	case "type":
		r.typ = value
	case "resource":
		r.resource = value
	case "resourceId":
		r.resourceID = value
	case "description":
		r.description = value
	case "details":
		r.details = value
	case "status":
		r.status = value
	}
}

// parseAuditEntry maps one list element to an AuditEntry (see entries.go for
// the mapping). It reports false for an element that is not an object. Every
// value tolerates any JSON type; an invalid object yields an empty entry.
// Nothing in the entry aliases raw.
func parseAuditEntry(raw []byte) (AuditEntry, bool) { return parseAudit(raw, false) }

// parseAuditElement is parseAuditEntry for an element decodePage has checked.
func parseAuditElement(raw []byte) (AuditEntry, bool) { return parseAudit(raw, true) }

func parseAudit(raw []byte, valid bool) (AuditEntry, bool) {
	if !isObject(raw) {
		return AuditEntry{}, false
	}
	var r rawAudit
	if valid || validObject(raw) {
		for key, value := range members(raw) {
			r.set(key, value)
		}
	}
	var p textPack
	id := p.scalar(r.id)
	originator := p.scalar(r.originator)
	email, name := p.user(r.user)
	apiKeyName, action, typ := p.scalar(r.apiKeyName), p.scalar(r.action), p.scalar(r.typ)
	resource, resourceID, status := p.scalar(r.resource), p.scalar(r.resourceID), p.scalar(r.status)
	details := p.text(r.description)
	if details < 0 {
		details = p.text(r.details)
	}
	texts := p.pack()

	e := AuditEntry{
		ID:         texts.at(id),
		Action:     texts.at(action),
		Type:       texts.at(typ),
		UserEmail:  texts.at(email),
		UserName:   texts.at(name),
		APIKeyName: texts.at(apiKeyName),
		Resource:   texts.at(resource),
		ResourceID: texts.at(resourceID),
		Details:    texts.at(details),
		Status:     texts.at(status),
	}
	if t, ok := parseTime(r.time); ok {
		e.Time = &t
	} else if t, ok := parseTime(r.timestamp); ok {
		e.Time = &t
	}
	if o := texts.at(originator); o != nil {
		e.UserName = o
		if e.UserEmail == nil && strings.Contains(*o, "@") {
			e.UserEmail = o
		}
	}
	return e, true
}

// rawSession is rawAudit for session elements.
type rawSession struct {
	id, sessionID, time, user, userRole, ipAddress, userAgent, typ, action []byte
	startTime, endTime                                                     []byte
}

var sessionKeys = []string{"id", "sessionId", "time", "user", "userRole", "ipAddress", "userAgent", "type",
	"action", "startTime", "endTime"}

func (r *rawSession) set(key, value []byte) {
	switch fieldFor(key, sessionKeys) {
	case "id":
		r.id = value
	case "sessionId":
		r.sessionID = value
	case "time":
		r.time = value
	case "user":
		r.user = value
	case "userRole":
		r.userRole = value
	case "ipAddress":
		r.ipAddress = value
	case "userAgent":
		r.userAgent = value
	case "type":
		r.typ = value
	case "action":
		r.action = value
	case "startTime":
		r.startTime = value
	case "endTime":
		r.endTime = value
	}
}

// sessionTimes holds a session entry's times and activity in one allocation.
type sessionTimes struct {
	time, start, end time.Time
	active           bool
}

// parseSessionEntry maps one list element to a SessionEntry (see entries.go).
func parseSessionEntry(raw []byte) (SessionEntry, bool) { return parseSession(raw, false) }

// parseSessionElement is parseSessionEntry for an element decodePage has checked.
func parseSessionElement(raw []byte) (SessionEntry, bool) { return parseSession(raw, true) }

func parseSession(raw []byte, valid bool) (SessionEntry, bool) {
	if !isObject(raw) {
		return SessionEntry{}, false
	}
	var r rawSession
	if valid || validObject(raw) {
		for key, value := range members(raw) {
			r.set(key, value)
		}
	}
	var p textPack
	id := p.scalar(r.id)
	if id < 0 {
		id = p.scalar(r.sessionID)
	}
	email, name := p.user(r.user)
	userRole, ipAddress, userAgent := p.scalar(r.userRole), p.scalar(r.ipAddress), p.scalar(r.userAgent)
	typ, action := p.scalar(r.typ), p.scalar(r.action)
	texts := p.pack()

	e := SessionEntry{
		ID:        texts.at(id),
		UserEmail: texts.at(email),
		UserName:  texts.at(name),
		UserRole:  texts.at(userRole),
		IPAddress: texts.at(ipAddress),
		UserAgent: texts.at(userAgent),
		Type:      texts.at(typ),
		Action:    texts.at(action),
	}
	var times *sessionTimes
	box := func() *sessionTimes {
		if times == nil {
			times = new(sessionTimes)
		}
		return times
	}
	if t, ok := parseTime(r.startTime); ok {
		b := box()
		b.start = t
		e.StartTime = &b.start
	}
	if t, ok := parseTime(r.endTime); ok {
		b := box()
		b.end = t
		e.EndTime = &b.end
	}
	if t, ok := parseTime(r.time); ok {
		b := box()
		b.time = t
		e.Time = &b.time
	} else {
		e.Time = e.StartTime
	}
	// Activity is known only where the seed shape's startTime/endTime pair is sent.
	switch {
	case present(r.endTime):
		b := box()
		e.Active = &b.active // false
	case present(r.startTime):
		b := box()
		b.active = true
		e.Active = &b.active
	}
	return e, true
}

func isObject(raw []byte) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}

func ptr[T any](v T) *T { return &v }
