package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Decoding a page with encoding/json. The body is one object holding a list
// under one of the log's keys ("entries" in the official shape, "logs" or
// "sessions" in the seed shape). Each list element that is an object becomes an
// entry; other elements are counted (the server counted them in its offsets)
// and dropped. Every field accepts any JSON type: what cannot be read as the
// field's kind is left nil, never an error.

// element is one list element; object is false for one that is not an object.
type element[E any] struct {
	entry  E
	object bool
}

// pageBody decodes a well-formed page in one pass: elements straight into
// their structs, null elements as nil.
type pageBody[R any] struct {
	Entries  *[]*R `json:"entries"`
	Logs     *[]*R `json:"logs"`
	Sessions *[]*R `json:"sessions"`
}

// decodePage decodes one page body into its elements and counts them. A body
// that is not JSON is an error that says so; so is a JSON value that is not an
// object holding one of listKeys, unless the object is empty or holds only
// "links" (an empty page from a server that omits an empty list). Nothing
// returned aliases body.
func decodePage[R any, E any](body []byte, contentType string, listKeys []string, entry func(*R) E) ([]element[E], int, error) {
	var out []element[E]
	add := func(r *R) {
		if r == nil {
			out = append(out, element[E]{})
		} else {
			out = append(out, element[E]{entry: entry(r), object: true})
		}
	}
	var fast pageBody[R]
	if json.Unmarshal(body, &fast) == nil {
		lists := map[string]*[]*R{"entries": fast.Entries, "logs": fast.Logs, "sessions": fast.Sessions}
		found := false
		for _, key := range listKeys {
			if l := lists[key]; l != nil {
				found = true
				for _, r := range *l {
					add(r)
				}
			}
		}
		if found {
			return out, len(out), nil
		}
	}
	// Not the usual page: find out exactly what it is.
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) || !json.Valid(body) {
			return nil, 0, fmt.Errorf("the response was not valid JSON (content type %q; it starts with %q)", contentType, snippet(body))
		}
		return nil, 0, fmt.Errorf("unexpected response shape: expected a JSON object holding %s, got %s", quoteList(listKeys), describeValue(bytes.TrimSpace(body)))
	}
	found := false
	for _, key := range listKeys {
		raw, ok := top[key]
		if !ok {
			continue
		}
		found = true
		var items []json.RawMessage
		if raw[0] != 'n' && (raw[0] != '[' || json.Unmarshal(raw, &items) != nil) {
			return nil, 0, fmt.Errorf("unexpected response shape: %q holds %s, not a list", key, describeValue(raw))
		}
		for _, item := range items {
			var r *R
			if item[0] == '{' {
				r = new(R)
				_ = json.Unmarshal(item, r) // the field types accept any value
			}
			add(r)
		}
	}
	if _, links := top["links"]; !found && (len(top) > 1 || (len(top) == 1 && !links)) {
		keys := make([]string, 0, len(top))
		for k := range top {
			keys = append(keys, k)
		}
		return nil, 0, fmt.Errorf("unexpected response shape: expected a list under %s; the top-level keys were %s", quoteList(listKeys), quoteList(keys))
	}
	return out, len(out), nil
}

// describeValue names a JSON value for a shape error.
func describeValue(b []byte) string {
	if name, ok := map[byte]string{'[': "a list", '{': "an object", '"': "a string", 't': "a boolean", 'f': "a boolean", 'n': "null"}[b[0]]; ok {
		return name
	}
	return "a number"
}

// rawAudit holds the members an audit element may carry in either shape;
// encoding/json matches keys as usual (exactly, else case-insensitively; the
// last duplicate wins).
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

// box holds the values of one entry in one allocation; the entry's fields
// point into it.
type box struct {
	texts  [12]string
	n      int
	times  [3]time.Time
	nt     int
	active bool
}

func (b *box) text(v jsonScalar) *string {
	if !v.ok {
		return nil
	}
	b.texts[b.n] = v.s
	b.n++
	return &b.texts[b.n-1]
}

func (b *box) time(v jsonTime) *time.Time {
	if !v.ok {
		return nil
	}
	b.times[b.nt] = v.t
	b.nt++
	return &b.times[b.nt-1]
}

func firstOf[T interface{ set() bool }](a, b T) T {
	if a.set() {
		return a
	}
	return b
}

// entry maps the members to an AuditEntry (see entries.go for the mapping).
func (r *rawAudit) entry() AuditEntry {
	b := new(box)
	e := AuditEntry{
		ID: b.text(r.ID), Time: b.time(firstOf(r.Time, r.Timestamp)), Action: b.text(r.Action), Type: b.text(r.Type),
		UserEmail: b.text(r.User.email), UserName: b.text(r.User.name), APIKeyName: b.text(r.APIKeyName),
		Resource: b.text(r.Resource), ResourceID: b.text(r.ResourceID), Status: b.text(r.Status),
		Details: b.text(jsonScalar(firstOf(r.Description, r.Details))),
	}
	if o := b.text(r.Originator); o != nil {
		e.UserName = o
		if e.UserEmail == nil && strings.Contains(*o, "@") {
			e.UserEmail = o
		}
	}
	return e
}

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

func (r *rawSession) entry() SessionEntry {
	b := new(box)
	e := SessionEntry{
		ID: b.text(firstOf(r.ID, r.SessionID)), UserEmail: b.text(r.User.email), UserName: b.text(r.User.name),
		UserRole: b.text(r.UserRole), IPAddress: b.text(r.IPAddress), UserAgent: b.text(r.UserAgent),
		Type: b.text(r.Type), Action: b.text(r.Action), StartTime: b.time(r.StartTime), EndTime: b.time(r.EndTime),
	}
	e.Time = b.time(r.Time)
	if e.Time == nil {
		e.Time = e.StartTime
	}
	// Activity is known only where the seed shape's startTime/endTime pair is sent.
	if r.EndTime.present || r.StartTime.present {
		b.active = !r.EndTime.present
		e.Active = &b.active
	}
	return e
}

// jsonScalar is a text field (an id too): a string, number or boolean as text;
// null, objects and lists leave it unset. Numbers keep their decimal form
// (2900349, never 2.900349e+06), so an id sent as a number or a string is one id.
type jsonScalar struct {
	s  string
	ok bool
}

// jsonText is a jsonScalar that keeps an object or list as compact JSON, for
// free-text fields such as details that some servers send structured.
type jsonText jsonScalar

func (j jsonScalar) set() bool { return j.ok }
func (j jsonText) set() bool   { return j.ok }

func (j *jsonScalar) UnmarshalJSON(b []byte) error { j.s, j.ok = scalarText(b, false); return nil }
func (j *jsonText) UnmarshalJSON(b []byte) error   { j.s, j.ok = scalarText(b, true); return nil }

func scalarText(b []byte, keepComposite bool) (string, bool) {
	switch b[0] {
	case '"':
		return unquote(b)
	case 'n':
		return "", false
	case 't', 'f':
		return string(b), true
	case '{', '[':
		var buf bytes.Buffer
		if !keepComposite || json.Compact(&buf, b) != nil {
			return "", false
		}
		return buf.String(), true
	}
	return normalizeNumber(string(b)), true
}

// unquote decodes a JSON string literal; one without escapes, in valid UTF-8,
// is copied as it is.
func unquote(b []byte) (string, bool) {
	if len(b) >= 2 && b[0] == '"' && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) {
		return string(b[1 : len(b)-1]), true
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		return "", false
	}
	return s, true
}

// jsonTime is a time: an RFC 3339 string in UTC; anything else leaves it unset.
// present records that a value other than null was sent, parsable or not.
type jsonTime struct {
	t           time.Time
	ok, present bool
}

func (j jsonTime) set() bool { return j.ok }

var timeLayouts = []string{
	time.RFC3339Nano,                     // 2022-10-12T10:54:31Z, with optional fraction and offset
	"2006-01-02T15:04:05.999999999Z0700", // offset without a colon: +0000
	"2006-01-02T15:04:05.999999999",      // no offset: the API speaks UTC
}

func (j *jsonTime) UnmarshalJSON(b []byte) error {
	*j = jsonTime{present: b[0] != 'n'}
	s, ok := unquote(b)
	if !ok || b[0] != '"' {
		return nil
	}
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[10] == ' ' { // "2022-10-12 10:54:31", as some exports write it
		s = s[:10] + "T" + s[11:]
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			j.t, j.ok = t.UTC(), true
			return nil
		}
	}
	return nil
}

// jsonUser accepts a user as a string (an e-mail address when it holds "@",
// else a name) or as an object {"email", "name"}.
type jsonUser struct{ email, name jsonScalar }

func (j *jsonUser) UnmarshalJSON(b []byte) error {
	*j = jsonUser{}
	switch b[0] {
	case '"':
		var s jsonScalar
		s.s, s.ok = scalarText(b, false)
		if strings.Contains(s.s, "@") {
			j.email = s
		} else {
			j.name = s
		}
	case '{':
		var o struct {
			Email jsonScalar `json:"email"`
			Name  jsonScalar `json:"name"`
		}
		_ = json.Unmarshal(b, &o)
		j.email, j.name = o.Email, o.Name
	}
	return nil
}

// normalizeNumber writes a JSON number that holds an integer as plain
// decimal digits ("2.900349e+06" → "2900349"), exactly, without going through
// float64. Other numbers, and integers of more than 40 digits, are returned
// as sent.
func normalizeNumber(lit string) string {
	if !strings.ContainsAny(lit, ".eE") {
		return lit
	}
	if r, ok := new(big.Rat).SetString(lit); ok && r.IsInt() {
		if digits := r.Num().String(); len(digits) <= 41 {
			return digits
		}
	}
	return lit
}

// quoteList renders at most ten keys, sorted and each shortened, so that a
// hostile body cannot make the error message huge.
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
