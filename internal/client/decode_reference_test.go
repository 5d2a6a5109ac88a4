package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// The decoder before the byte scanner, built on encoding/json's Decoder and
// Unmarshal, kept as the reference the scanner must agree with on every input.

func referenceDecodePage(body []byte, contentType string, listKeys []string, visit func(raw json.RawMessage)) (int, error) {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	notJSON := func() error {
		return fmt.Errorf("the response was not valid JSON (content type %q; it starts with %q)", contentType, snippet(body))
	}
	tok, err := dec.Token()
	if err != nil {
		return 0, notJSON()
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return 0, fmt.Errorf("unexpected response shape: expected a JSON object holding %s, got %s", quoteList(listKeys), referenceDescribeToken(tok))
	}
	var keys []string
	found := false
	n := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return n, notJSON()
		}
		key, _ := tok.(string)
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
		if tok == nil {
			found = true
			continue
		}
		if d, ok := tok.(json.Delim); !ok || d != '[' {
			if d, ok := tok.(json.Delim); ok && d == '{' {
				return n, fmt.Errorf("unexpected response shape: %q holds an object, not a list", key)
			}
			return n, fmt.Errorf("unexpected response shape: %q holds %s, not a list", key, referenceDescribeToken(tok))
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
		if _, err := dec.Token(); err != nil {
			return n, notJSON()
		}
	}
	if _, err := dec.Token(); err != nil {
		return n, notJSON()
	}
	if _, err := dec.Token(); err != io.EOF {
		return n, notJSON()
	}
	onlyLinks := len(keys) == 0 || (len(keys) == 1 && keys[0] == "links")
	if !found && !onlyLinks {
		return n, fmt.Errorf("unexpected response shape: expected a list under %s; the top-level keys were %s", quoteList(listKeys), quoteList(keys))
	}
	return n, nil
}

func referenceDescribeToken(tok json.Token) string {
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

// The value types as they were, fed by json.Unmarshal.

// jsonScalar holds a string, number or boolean as text; null, objects and
// lists leave it nil. Numbers keep their decimal form: 2900349, never 2.900349e+06.
type jsonScalar struct{ s *string }

func (j *jsonScalar) UnmarshalJSON(b []byte) error {
	j.s = scalarText(b, false)
	return nil
}

// jsonText is a jsonScalar that keeps an object or list as compact JSON, for
// free-text fields such as details that some servers send structured.
type jsonText struct{ s *string }

func (j *jsonText) UnmarshalJSON(b []byte) error {
	j.s = scalarText(b, true)
	return nil
}

func scalarText(b []byte, keepComposite bool) *string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '"':
		if s, ok := referenceUnquote(b); ok {
			return &s
		}
		return nil
	case 'n':
		return nil
	case 't', 'f':
		return ptr(string(b))
	case '{', '[':
		if !keepComposite {
			return nil
		}
		var buf bytes.Buffer
		if json.Compact(&buf, b) != nil {
			return nil
		}
		return ptr(buf.String())
	default:
		return ptr(normalizeNumber(string(b)))
	}
}

// jsonTime parses an RFC 3339 time into UTC; anything else leaves it nil.
// present records that a non-null value was sent, parsable or not.
type jsonTime struct {
	t       *time.Time
	present bool
}

func (j *jsonTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	j.t, j.present = nil, len(b) > 0 && !bytes.Equal(b, []byte("null"))
	s, ok := referenceUnquote(b)
	if !ok {
		return nil
	}
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[10] == ' ' { // "2022-10-12 10:54:31", as some exports write it
		s = s[:10] + "T" + s[11:]
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			j.t = ptr(t.UTC())
			return nil
		}
	}
	return nil
}

// jsonUser accepts a user as a string (an e-mail address when it holds "@",
// else a name) or as an object {"email", "name"}.
type jsonUser struct{ email, name *string }

func (j *jsonUser) UnmarshalJSON(b []byte) error {
	j.email, j.name = nil, nil
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
	case b[0] == '"':
		s := scalarText(b, false)
		if s != nil && strings.Contains(*s, "@") {
			j.email = s
		} else {
			j.name = s
		}
	case b[0] == '{':
		var o struct {
			Email jsonScalar `json:"email"`
			Name  jsonScalar `json:"name"`
		}
		_ = json.Unmarshal(b, &o)
		j.email, j.name = o.Email.s, o.Name.s
	}
	return nil
}

// referenceRawAudit and referenceRawSession are the element structs as they
// were; json.Unmarshal matches the members to their fields.
type referenceRawAudit struct {
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

type referenceRawSession struct {
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

func referenceParseAudit(raw []byte) (AuditEntry, bool) {
	var r referenceRawAudit
	if !isObject(raw) {
		return AuditEntry{}, false
	}
	_ = json.Unmarshal(raw, &r)
	e := AuditEntry{
		ID: r.ID.s, Time: firstTime(r.Time.t, r.Timestamp.t), Action: r.Action.s, Type: r.Type.s,
		UserEmail: r.User.email, UserName: r.User.name, APIKeyName: r.APIKeyName.s, Resource: r.Resource.s,
		ResourceID: r.ResourceID.s, Details: firstString(r.Description.s, r.Details.s), Status: r.Status.s,
	}
	if o := r.Originator.s; o != nil {
		e.UserName = o
		if e.UserEmail == nil && strings.Contains(*o, "@") {
			e.UserEmail = o
		}
	}
	return e, true
}

func referenceParseSession(raw []byte) (SessionEntry, bool) {
	var r referenceRawSession
	if !isObject(raw) {
		return SessionEntry{}, false
	}
	_ = json.Unmarshal(raw, &r)
	e := SessionEntry{
		ID: firstString(r.ID.s, r.SessionID.s), Time: firstTime(r.Time.t, r.StartTime.t),
		UserEmail: r.User.email, UserName: r.User.name, UserRole: r.UserRole.s, IPAddress: r.IPAddress.s,
		UserAgent: r.UserAgent.s, Type: r.Type.s, Action: r.Action.s, StartTime: r.StartTime.t, EndTime: r.EndTime.t,
	}
	switch {
	case r.EndTime.present:
		e.Active = ptr(false)
	case r.StartTime.present:
		e.Active = ptr(true)
	}
	return e, true
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

func referenceUnquote(b []byte) (s string, ok bool) {
	if len(b) == 0 || b[0] != '"' || json.Unmarshal(b, &s) != nil {
		return "", false
	}
	return s, true
}

// scannerSeeds are bodies and values on which a hand-written JSON reader is
// likely to part ways with encoding/json.
var scannerSeeds = []string{
	`{"entries":[{"ID":1,"TIME":"2025-01-01T00:00:00Z","Originator":"a@b","resourceid":7}]}`,
	`{"entries":[{"id":1,"id":null},{"id":2,"Id":3},{"api\u212AeyName":"kelvin","\u0069d":"esc"}]}`,
	`{"entries":[{"user":{"EMAIL":"x@y","name":"n","name":null}},{"user":{"email":1e2}},{"user":{}}]}`,
	`{"entr\u0069es":[{"id":"\u00e9\ud83d\ude00\n"}],"links":[]}`,
	"{\"entries\":[{\"id\":\"bad \xff utf8\",\"originator\":\"\xc3\"}]}",
	"{\"entries\":[{\"id\":\"ctl \x01\"}]}",
	`{"entries":[{"id":"x"}],}`, `{"entries":[{"id":"x"},]}`, `{"entries":[{"id":"x"} {"id":"y"}]}`,
	`{"entries":[1 2]}`, `{"entries":[,1]}`, `{"entries":[1}`, `{"entries":]`, `{"entries" []}`,
	`{"entries":"x"}`, `{"entries":1e400}`, `{"entries":-0.5e-7}`, `{"entries":true}`, `{"entries":nul}`,
	`{"entries":nullx}`, `{"entries":null,"logs":[{"id":1}]}`, `{"logs":[1],"logs":[2,3]}`,
	`{"links":[],"x":1}`, `{"links":{}}`, `{,}`, `{"a" 1}`, `{"a":1 "b":2}`, `{} {}`, `{}x`, `{} `,
	`"str"`, `"str"x`, `"unterminated`, `truex`, `true`, `123abc`, `123`, `1e400`, `-`, `01`, `[`, `]`, `}`,
	`{"entries":[01]}`, `{"entries":[1.]}`, `{"entries":[.5]}`, `{"entries":[1e]}`, `{"entries":[-01.5E+3]}`,
	`{"entries":["\x"]}`, `{"entries":["\u12"]}`, `{"entries":["\u12G4"]}`, `{"entries":[tru]}`,
	"{\"entries\":[{\"id\":1}\t,\r\n{\"id\":2}]}\n",
	`{"entries":[{"details":{"a": [1, {"b" : null}] }},{"description":[ ]}]}`,
	`{"sessions":[{"sessionId":"s","startTime":"2025-01-01T00:00:00Z","endTime":"garbage"},{"STARTTIME":null}]}`,
	`{"entries":[{"time":" 2025-01-01 10:00:00+0100 ","timestamp":"2025-01-02T00:00:00Z"}]}`,
	`{"entries":[{"id":true,"type":false,"status":{"x":1},"resourceId":-1.50e1}]}`,
}

// deepSeeds sit at encoding/json's nesting limit; too slow to mutate when fuzzing.
var deepSeeds = []string{
	`{"entries":[` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `]}`,
	`{"entries":[` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `]}`,
	`{"entries":[{"details":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}]}`,
	`{"entries":[{"details":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}]}`,
}

type visited struct {
	raws    []string
	audit   []AuditEntry
	session []SessionEntry
}

func decodeBoth(t *testing.T, body []byte, listKeys []string) {
	t.Helper()
	var got, want visited
	record := func(v *visited, parseA func([]byte) (AuditEntry, bool), parseS func([]byte) (SessionEntry, bool)) func(json.RawMessage) {
		return func(raw json.RawMessage) {
			v.raws = append(v.raws, string(raw))
			a, _ := parseA(raw)
			s, _ := parseS(raw)
			v.audit, v.session = append(v.audit, a), append(v.session, s)
		}
	}
	gotN, gotErr := decodePage(body, "application/json", listKeys, record(&got, auditLog.parse, sessionLog.parse))
	wantN, wantErr := referenceDecodePage(body, "application/json", listKeys, record(&want, referenceParseAudit, referenceParseSession))
	if gotN != wantN || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Fatalf("body %q:\ngot  n=%d err=%v\nwant n=%d err=%v", body, gotN, gotErr, wantN, wantErr)
	}
	if !reflect.DeepEqual(got.raws, want.raws) {
		t.Fatalf("body %q: visited %q, want %q", body, got.raws, want.raws)
	}
	for i := range got.audit {
		if !reflect.DeepEqual(got.audit[i], want.audit[i]) {
			t.Fatalf("element %q: audit entry\ngot  %s\nwant %s", got.raws[i], dump(got.audit[i]), dump(want.audit[i]))
		}
		if !reflect.DeepEqual(got.session[i], want.session[i]) {
			t.Fatalf("element %q: session entry\ngot  %s\nwant %s", got.raws[i], dump(got.session[i]), dump(want.session[i]))
		}
	}
}

// dump prints an entry's pointed-to values.
func dump(v any) string {
	rv := reflect.ValueOf(v)
	var b strings.Builder
	for i := range rv.NumField() {
		f := rv.Field(i)
		fmt.Fprintf(&b, "%s=", rv.Type().Field(i).Name)
		if f.IsNil() {
			b.WriteString("<nil> ")
		} else {
			fmt.Fprintf(&b, "%q ", fmt.Sprint(f.Elem().Interface()))
		}
	}
	return b.String()
}

func TestScannerAgreesWithEncodingJSON(t *testing.T) {
	for _, body := range slices.Concat(scannerSeeds, fuzzSeeds, deepSeeds) {
		decodeBoth(t, []byte(body), auditLog.listKeys)
		decodeBoth(t, []byte(body), sessionLog.listKeys)
	}
}

func FuzzScannerAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range append(scannerSeeds, fuzzSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		decodeBoth(t, body, auditLog.listKeys)
		decodeBoth(t, body, sessionLog.listKeys)
		// Each body is a value too: validity and string decoding must agree.
		i := skipSpace(body, 0)
		end := scanValue(body, i)
		if valid := end >= 0 && skipSpace(body, end) == len(body); valid != json.Valid(body) {
			t.Fatalf("scanValue says valid=%v for %q, json.Valid says %v", valid, body, !valid)
		}
		gotS, gotOK := decodeStringOK(body)
		wantS, wantOK := referenceUnquote(body)
		if gotS != wantS || gotOK != wantOK {
			t.Fatalf("decodeStringOK(%q) = %q, %v; encoding/json gives %q, %v", body, gotS, gotOK, wantS, wantOK)
		}
		parseBoth(t, body)
	})
}

// parseBoth feeds an arbitrary element, valid JSON or not, to both parsers.
func parseBoth(t *testing.T, raw []byte) {
	t.Helper()
	a, aok := parseAuditEntry(raw)
	ra, raok := referenceParseAudit(raw)
	if aok != raok || !reflect.DeepEqual(a, ra) {
		t.Fatalf("audit element %q:\ngot  %v %s\nwant %v %s", raw, aok, dump(a), raok, dump(ra))
	}
	s, sok := parseSessionEntry(raw)
	rs, rsok := referenceParseSession(raw)
	if sok != rsok || !reflect.DeepEqual(s, rs) {
		t.Fatalf("session element %q:\ngot  %v %s\nwant %v %s", raw, sok, dump(s), rsok, dump(rs))
	}
}

func TestParseAgreesWithEncodingJSONOnInvalidElements(t *testing.T) {
	for _, raw := range []string{`{"id":1`, `{"id":1,}`, `{"id":1} x`, ` {"id":"a"} `, `{"user":{"email":"a@b"`, `{"id":01}`} {
		parseBoth(t, []byte(raw))
	}
}

// timeSeeds are near misses of the form parseWireTime reads itself.
var timeSeeds = []string{
	"2025-06-01T12:00:00Z", "2024-02-29T00:00:00Z", "2025-02-29T00:00:00Z", "2025-04-31T10:00:00Z",
	"2025-13-01T00:00:00Z", "2025-00-10T00:00:00Z", "2025-01-00T00:00:00Z", "2025-01-01T24:00:00Z",
	"2025-01-01T23:60:00Z", "2025-01-01T23:59:60Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
	"2025-01-01t00:00:00Z", "2025-01-01T00:00:00z", "+025-01-01T00:00:00Z", "2025-1-01T00:00:00Z ",
	"2025-01-01 00:00:00Z", "2025-01-01T00:00:00+00:00", "2025-01-01T00:00:00.5Z", "２025-01-01T00:00:00Z",
}

func TestParseTimeAgreesWithTimeParse(t *testing.T) {
	for _, s := range timeSeeds {
		compareTime(t, []byte(`"`+s+`"`))
	}
}

func FuzzParseTimeAgreesWithTimeParse(f *testing.F) {
	for _, s := range timeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		compareTime(t, []byte(strconvQuote(s)))
		compareTime(t, []byte(s))
	})
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func compareTime(t *testing.T, raw []byte) {
	t.Helper()
	var want jsonTime
	_ = want.UnmarshalJSON(raw)
	got, ok := parseTime(raw)
	if ok != (want.t != nil) || (ok && !reflect.DeepEqual(got, *want.t)) || present(raw) != want.present {
		t.Fatalf("parseTime(%s) = %v, %v (present %v); want %v (present %v)", raw, got, ok, present(raw), want.t, want.present)
	}
}
