package client

import (
	"bytes"
	"cmp"
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

// pageBody decodes a well-formed page in one pass: the list is under "entries"
// (official shape), "logs" or "sessions" (seed shape).
type pageBody[R any] struct {
	Entries  *[]*R `json:"entries"`
	Logs     *[]*R `json:"logs"`
	Sessions *[]*R `json:"sessions"`
}

// decodePage returns the page's entries, one per list element that is an
// object, and counts every element (the server's offsets count them all). A
// body that is not an object holding one of listKeys is an error, unless it
// is {} or holds only "links": an empty page from a server that omits the list.
// Every field accepts any JSON type; what does not fit is left nil.
func decodePage[R any, E any](body []byte, contentType string, listKeys []string, entry func(*R) E) ([]E, int, error) {
	var out []E
	n := 0
	add := func(r *R) {
		if n++; r != nil {
			out = append(out, entry(r))
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
			return out, n, nil
		}
	}
	if err := decodeByElement(body, contentType, listKeys, add); err != nil {
		return nil, 0, err
	}
	return out, n, nil
}

// decodeByElement is the second pass, for a body the one-pass decode refused
// or found no list in. It tells an empty page ({} or only "links") from a body
// of another shape (an error that says what came instead), and reads a list
// element by element, so that an element that is not an object, which fails
// the one-pass decode, is still counted: the offsets of the next pages count it.
func decodeByElement[R any](body []byte, contentType string, listKeys []string, add func(*R)) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) || !json.Valid(body) {
			return fmt.Errorf("the response was not valid JSON (content type %q; it starts with %q)", contentType, snippet(body))
		}
		return fmt.Errorf("unexpected response shape: expected a JSON object holding %s, got %s", quoteList(listKeys), describeValue(bytes.TrimSpace(body)))
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
			return fmt.Errorf("unexpected response shape: %q holds %s, not a list", key, describeValue(raw))
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
		return fmt.Errorf("unexpected response shape: expected a list under %s; the top-level keys were %s", quoteList(listKeys), quoteList(keys))
	}
	return nil
}

// describeValue names a JSON value for a shape error.
func describeValue(b []byte) string {
	return cmp.Or(map[byte]string{'[': "a list", '{': "an object", '"': "a string", 't': "a boolean", 'f': "a boolean", 'n': "null"}[b[0]], "a number")
}

// rawAudit holds the members of an audit element in either shape (keys match
// as encoding/json does: exactly, else ignoring case; the last duplicate wins).
type rawAudit struct {
	ID          jsonString `json:"id"`
	Time        jsonTime   `json:"time"`
	Timestamp   jsonTime   `json:"timestamp"`
	Originator  jsonString `json:"originator"`
	User        jsonUser   `json:"user"`
	APIKeyName  jsonString `json:"apiKeyName"`
	Action      jsonString `json:"action"`
	Type        jsonString `json:"type"`
	Resource    jsonString `json:"resource"`
	ResourceID  jsonString `json:"resourceId"`
	Description jsonText   `json:"description"`
	Details     jsonText   `json:"details"`
	Status      jsonString `json:"status"`
}

func (r *rawAudit) entry() AuditEntry {
	e := AuditEntry{
		ID: r.ID.p, Time: or(r.Time.t, r.Timestamp.t), Action: r.Action.p, Type: r.Type.p,
		UserEmail: r.User.email.p, UserName: r.User.name.p, APIKeyName: r.APIKeyName.p,
		Resource: r.Resource.p, ResourceID: r.ResourceID.p, Status: r.Status.p, Details: or(r.Description.p, r.Details.p),
	}
	if e.Time == nil {
		e.TimeText = or(r.Time.bad, r.Timestamp.bad)
	}
	if o := r.Originator.p; o != nil {
		e.UserName = o
		if e.UserEmail == nil && strings.Contains(*o, "@") {
			e.UserEmail = o
		}
	}
	return e
}

type rawSession struct {
	ID        jsonString `json:"id"`
	SessionID jsonString `json:"sessionId"`
	Time      jsonTime   `json:"time"`
	User      jsonUser   `json:"user"`
	UserRole  jsonString `json:"userRole"`
	IPAddress jsonString `json:"ipAddress"`
	UserAgent jsonString `json:"userAgent"`
	Type      jsonString `json:"type"`
	Action    jsonString `json:"action"`
	StartTime jsonTime   `json:"startTime"`
	EndTime   jsonTime   `json:"endTime"`
}

func (r *rawSession) entry() SessionEntry {
	e := SessionEntry{
		ID: or(r.ID.p, r.SessionID.p), Time: or(r.Time.t, r.StartTime.t), UserEmail: r.User.email.p, UserName: r.User.name.p,
		UserRole: r.UserRole.p, IPAddress: r.IPAddress.p, UserAgent: r.UserAgent.p,
		Type: r.Type.p, Action: r.Action.p, StartTime: r.StartTime.t, EndTime: r.EndTime.t,
	}
	if e.Time == nil {
		e.TimeText = or(r.Time.bad, r.StartTime.bad)
	}
	// Activity is known only where the seed shape's startTime/endTime pair is sent.
	if r.EndTime.present || r.StartTime.present {
		active := !r.EndTime.present
		e.Active = &active
	}
	return e
}

func or[T any](a, b *T) *T {
	if a != nil {
		return a
	}
	return b
}

// jsonString is a string, number or boolean as text (an id sent as 2900349,
// "2900349" or 2.900349e6 is one id); null, objects and lists leave it nil.
type jsonString struct{ p *string }

// jsonText also keeps an object or list, as compact JSON (structured details).
type jsonText jsonString

func (j *jsonString) UnmarshalJSON(b []byte) error { j.p = scalarText(b, false); return nil }
func (j *jsonText) UnmarshalJSON(b []byte) error   { j.p = scalarText(b, true); return nil }

func scalarText(b []byte, keepComposite bool) *string {
	var s string
	switch b[0] {
	case '"':
		var ok bool
		if s, ok = unquote(b); !ok {
			return nil
		}
	case 'n':
		return nil
	case 't', 'f':
		s = string(b)
	case '{', '[':
		var buf bytes.Buffer
		if !keepComposite || json.Compact(&buf, b) != nil {
			return nil
		}
		s = buf.String()
	default:
		s = normalizeNumber(string(b))
	}
	return &s
}

// unquote decodes a JSON string literal, copying one without escapes as it is.
func unquote(b []byte) (string, bool) {
	if len(b) >= 2 && b[0] == '"' && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) {
		return string(b[1 : len(b)-1]), true
	}
	var s string
	return s, json.Unmarshal(b, &s) == nil
}

// jsonTime is an RFC 3339 string, as UTC, else nil; present: not null; bad:
// the value as sent when it is present and not a time (shortened).
type jsonTime struct {
	t       *time.Time
	present bool
	bad     *string
}

var timeLayouts = []string{
	time.RFC3339Nano,                     // 2022-10-12T10:54:31Z, with optional fraction and offset
	"2006-01-02T15:04:05.999999999Z0700", // offset without a colon: +0000
	"2006-01-02T15:04:05.999999999",      // no offset: the API speaks UTC
}

func (j *jsonTime) UnmarshalJSON(b []byte) error {
	*j = jsonTime{present: b[0] != 'n'}
	if !j.present {
		return nil
	}
	s, ok := unquote(b)
	if !ok || b[0] != '"' {
		j.setBad(b)
		return nil
	}
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[10] == ' ' { // "2022-10-12 10:54:31", as some exports write it
		s = s[:10] + "T" + s[11:]
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.UTC()
			j.t = &t
			return nil
		}
	}
	j.setBad(b)
	return nil
}

// setBad keeps the value as sent, shortened, for a filter to quote.
func (j *jsonTime) setBad(b []byte) {
	bad := shorten(string(b), 64)
	j.bad = &bad
}

// jsonUser is a string (an e-mail address when it holds "@", else a name) or
// an object {"email", "name"}.
type jsonUser struct{ email, name jsonString }

func (j *jsonUser) UnmarshalJSON(b []byte) error {
	*j = jsonUser{}
	switch b[0] {
	case '"':
		if s := scalarText(b, false); s != nil && strings.Contains(*s, "@") {
			j.email.p = s
		} else {
			j.name.p = s
		}
	case '{':
		var o struct{ Email, Name jsonString } // matched ignoring case
		_ = json.Unmarshal(b, &o)
		j.email, j.name = o.Email, o.Name
	}
	return nil
}

// normalizeNumber writes an integer as plain digits ("2.900349e+06" →
// "2900349"), exactly; other numbers, and integers over 40 digits, stay as sent.
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

// quoteList renders at most ten keys, sorted and shortened: a hostile body
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
