package client

import (
	"strings"
	"testing"
	"time"
)

func decodeAudit(t *testing.T, body string) ([]AuditEntry, int, error) {
	t.Helper()
	return auditLog.decode([]byte(body), "application/json")
}

func decodeSessions(t *testing.T, body string) ([]SessionEntry, int, error) {
	t.Helper()
	return sessionLog.decode([]byte(body), "application/json")
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

func TestDecodeOfficialAuditExample(t *testing.T) {
	body := `{"entries":[
	  {"id":2900349,"time":"2022-10-12T10:54:31Z","originator":"example-value","type":"Account",
	   "description":"example-value (example.value@redis.com)'s user name was changed","apiKeyName":"ci","resourceId":17,"resource":"acct"},
	  {"id":2.900348e6,"time":"2022-10-12T12:54:11.250+02:00","originator":"cab@fufu.com","type":"Account","description":"Invited"}],
	 "links":[{"rel":"next","href":"x"}], "somethingNew": {"a":[1,2]}}`
	got, n, err := decodeAudit(t, body)
	if err != nil || n != 2 || len(got) != 2 {
		t.Fatalf("n=%d len=%d err=%v", n, len(got), err)
	}
	e := got[0]
	if str(e.ID) != "2900349" || str(e.UserName) != "example-value" || e.UserEmail != nil || str(e.Type) != "Account" ||
		str(e.APIKeyName) != "ci" || str(e.ResourceID) != "17" || str(e.Resource) != "acct" || !strings.HasPrefix(str(e.Details), "example-value (") ||
		!e.Time.Equal(time.Date(2022, 10, 12, 10, 54, 31, 0, time.UTC)) {
		t.Errorf("first entry: %+v", e)
	}
	e = got[1]
	if str(e.ID) != "2900348" || str(e.UserName) != "cab@fufu.com" || str(e.UserEmail) != "cab@fufu.com" {
		t.Errorf("second entry: id %s user %s / %s", str(e.ID), str(e.UserName), str(e.UserEmail))
	}
	if want := time.Date(2022, 10, 12, 10, 54, 11, 250e6, time.UTC); !e.Time.Equal(want) || e.Time.Location() != time.UTC {
		t.Errorf("time %v, want %v in UTC", e.Time, want)
	}
}

func TestDecodeSeedAudit(t *testing.T) {
	body := `{"logs":[{"timestamp":"2025-01-01T00:00:00Z","action":"database.delete","user":{"email":"a@b.c","name":"Ann"},
	  "resource":"database","resourceId":"123","details":{"name":"db1"},"status":"success","id":"abc-1"}]}`
	got, _, err := decodeAudit(t, body)
	if err != nil || len(got) != 1 {
		t.Fatalf("len=%d err=%v", len(got), err)
	}
	e := got[0]
	if str(e.ID) != "abc-1" || str(e.Action) != "database.delete" || str(e.UserEmail) != "a@b.c" || str(e.UserName) != "Ann" ||
		str(e.ResourceID) != "123" || str(e.Details) != `{"name":"db1"}` || str(e.Status) != "success" || e.Time == nil {
		t.Errorf("entry: %+v details %s", e, str(e.Details))
	}
}

func TestDecodeToleratesMissingNullAndOddValues(t *testing.T) {
	body := `{"entries":[
	  {},
	  {"id":null,"time":null,"originator":null,"resourceId":null,"user":null},
	  {"id":{"x":1},"time":"yesterday","resourceId":[1],"user":42,"type":true},
	  "not an object", 7, null,
	  {"id":-12,"time":"2025-03-01T10:00:00","user":"Bob"},
	  {"id":1e3,"resourceId":12.5,"time":"2025-03-01 10:00:00+0100"}]}`
	got, n, err := decodeAudit(t, body)
	if err != nil {
		t.Fatal(err)
	}
	if n != 8 || len(got) != 5 {
		t.Fatalf("n=%d entries=%d, want 8 elements of which 5 objects", n, len(got))
	}
	for i := 0; i < 3; i++ {
		if got[i].ID != nil || got[i].Time != nil || got[i].ResourceID != nil || got[i].UserName != nil || got[i].UserEmail != nil {
			t.Errorf("entry %d should be empty: %+v", i, got[i])
		}
	}
	if str(got[2].Type) != "true" {
		t.Errorf("boolean type kept as text, got %s", str(got[2].Type))
	}
	if str(got[3].ID) != "-12" || str(got[3].UserName) != "Bob" || !got[3].Time.Equal(time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("entry 3: %+v", got[3])
	}
	if str(got[4].ID) != "1000" || str(got[4].ResourceID) != "12.5" || !got[4].Time.Equal(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("entry 4: id %s rid %s time %v", str(got[4].ID), str(got[4].ResourceID), got[4].Time)
	}
}

func TestDecodeSessions(t *testing.T) {
	body := `{"sessions":[
	  {"sessionId":99,"user":{"email":"a@b.c"},"ipAddress":"192.0.2.1","userAgent":"curl","startTime":"2025-01-01T00:00:00Z","endTime":null,"type":"api"},
	  {"sessionId":"s-2","startTime":"2025-01-01T00:00:00Z","endTime":"2025-01-01T01:00:00Z"},
	  {"sessionId":"s-3","time":"2025-02-01T00:00:00Z","startTime":"2025-01-01T00:00:00Z"},
	  {"id":"7","sessionId":"ignored","time":"2025-02-01T00:00:00Z","user":"ops-bot","userRole":"owner","action":"Successful login"}]}`
	got, _, err := decodeSessions(t, body)
	if err != nil || len(got) != 4 {
		t.Fatalf("len=%d err=%v", len(got), err)
	}
	jan1 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if e := got[0]; str(e.ID) != "99" || str(e.UserEmail) != "a@b.c" || !e.Time.Equal(jan1) || !e.StartTime.Equal(jan1) ||
		e.EndTime != nil || e.Active == nil || !*e.Active || str(e.Type) != "api" || str(e.UserAgent) != "curl" {
		t.Errorf("active session: %+v", e)
	}
	if e := got[1]; e.Active == nil || *e.Active || e.EndTime == nil {
		t.Errorf("ended session: %+v", e)
	}
	if e := got[2]; !e.Time.Equal(time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("time should win over startTime: %v", e.Time)
	}
	if e := got[3]; str(e.ID) != "7" || str(e.UserName) != "ops-bot" || e.UserEmail != nil || str(e.UserRole) != "owner" || e.Active != nil {
		t.Errorf("official session: %+v", e)
	}
}

func TestDecodeShapes(t *testing.T) {
	cases := []struct {
		name, body, ct string
		wantN          int
		wantErr        string // "" for success
	}{
		{"empty object", `{}`, "application/json", 0, ""},
		{"links only", `{"links":[]}`, "application/json", 0, ""},
		{"null list", `{"entries":null}`, "application/json", 0, ""},
		{"empty list", ` {"logs":[]} `, "application/json", 0, ""},
		{"other keys", `{"data":[{"id":1}],"total":1}`, "application/json", 0, `unexpected response shape: expected a list under "entries", "logs"; the top-level keys were "data", "total"`},
		{"session key on audit", `{"sessions":[]}`, "application/json", 0, `the top-level keys were "sessions"`},
		{"list is object", `{"entries":{"id":1}}`, "application/json", 0, `"entries" holds an object, not a list`},
		{"top-level array", `[{"id":1}]`, "application/json", 0, "expected a JSON object"},
		{"empty body", ``, "application/json", 0, `the response was not valid JSON (content type "application/json"; it starts with "")`},
		{"html", "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>", "text/html",
			0, `not valid JSON (content type "text/html"; it starts with "502 Bad Gateway Bad Gateway")`},
		{"truncated", `{"entries":[{"id":1},{"id":`, "application/json", 1, "not valid JSON"},
		{"trailing garbage", `{"entries":[]} <html>`, "application/json", 0, "not valid JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, n, err := auditLog.decode([]byte(tc.body), tc.ct)
			if tc.wantErr == "" {
				if err != nil || n != tc.wantN {
					t.Fatalf("n=%d err=%v", n, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestNormalizeNumber(t *testing.T) {
	for in, want := range map[string]string{
		"2900349": "2900349", "2.900349e+06": "2900349", "2900349.0": "2900349", "29003.49E2": "2900349",
		"-7": "-7", "0": "0", "0.0": "0", "-0.0e5": "0", "1.5": "1.5", "12.50": "12.50", "1e-3": "1e-3",
		"1e400": "1e400", "123456789012345678901234567890": "123456789012345678901234567890", "5E0": "5",
	} {
		if got := normalizeNumber(in); got != want {
			t.Errorf("normalizeNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

// fuzzSeeds cover both shapes, number and string ids, HTML, empty and
// truncated bodies.
var fuzzSeeds = []string{
	`{"entries":[{"id":2900349,"time":"2022-10-12T10:54:31Z","originator":"a@b.c","resourceId":5}],"links":[]}`,
	`{"logs":[{"id":"x","timestamp":"2022-10-12T10:54:31.123+05:30","user":{"email":"a@b.c"},"resourceId":"9","details":{"k":[1]}}]}`,
	`{"sessions":[{"sessionId":12,"startTime":"2022-10-12T10:54:31Z","endTime":null,"user":{"name":"n"}}]}`,
	`{"entries":[{"id":"7","time":"2022-10-12T10:54:31-07:00","user":"someone"}]}`,
	`{"entries":[{"id":2.900349e6,"time":"2022-10-12 10:54:31+0000"},null,1,"x",[]]}`,
	`<html><body>502</body></html>`, ``, `{"entries":[{"id":1},`, `{}`, `{"links":[]}`, `[]`, `null`,
	`{"entries":[{"time":"9999-12-31T23:59:59.999999999Z","id":1e40}]}`,
}

func FuzzDecodeAuditPage(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		s, info, err := decodeAndMerge(t, auditLog, body)
		checkDecodeResult(t, err, info, len(s.out))
		for _, e := range s.out {
			if e.Time != nil && e.Time.Location() != time.UTC {
				t.Fatalf("time %v is not UTC", e.Time)
			}
		}
	})
}

func FuzzDecodeSessionPage(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		s, info, err := decodeAndMerge(t, sessionLog, body)
		checkDecodeResult(t, err, info, len(s.out))
		for _, e := range s.out {
			for _, tm := range []*time.Time{e.Time, e.StartTime, e.EndTime} {
				if tm != nil && tm.Location() != time.UTC {
					t.Fatalf("time %v is not UTC", tm)
				}
			}
			if e.Active != nil && *e.Active && e.EndTime != nil {
				t.Fatal("an ended session is reported active")
			}
		}
	})
}

// decodeAndMerge decodes a page and merges it into a new scan, as a read does.
func decodeAndMerge[E any](t *testing.T, kind *logKind[E], body []byte) (*scan[E], pageInfo, error) {
	s := &scan[E]{c: &Client{}, kind: kind, seenPrev: map[string]struct{}{}, seenCur: map[string]struct{}{}}
	entries, n, err := kind.decode(body, "application/json")
	if err != nil {
		return s, pageInfo{}, err
	}
	return s, s.merge(t.Context(), &fetched[E]{entries: entries, n: n}), nil
}

func checkDecodeResult(t *testing.T, err error, info pageInfo, stored int) {
	t.Helper()
	if err != nil {
		if msg := err.Error(); !strings.Contains(msg, "not valid JSON") && !strings.Contains(msg, "unexpected response shape") {
			t.Fatalf("unexpected kind of error: %v", err)
		}
		return
	}
	if stored > info.entries || info.entries > info.n {
		t.Fatalf("stored %d of %d entries in %d elements", stored, info.entries, info.n)
	}
}

// A time that is sent but does not parse is kept as text, so that a filter can
// say why the entry cannot be placed; a good or absent time leaves no text.
func TestDecodeKeepsUnparseableTimeText(t *testing.T) {
	entries, _, err := auditLog.decode([]byte(`{"entries":[
		{"id":1,"time":"2025-06-01T10:00:00Z"},
		{"id":2,"time":"yesterday"},
		{"id":3,"time":1748772000},
		{"id":4},
		{"id":5,"time":null,"timestamp":"not a time either"},
		{"id":6,"time":"bad","timestamp":"2025-06-01T10:00:00Z"}]}`), "application/json")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"", `"yesterday"`, "1748772000", "", `"not a time either"`, ""}
	for i, e := range entries {
		got := ""
		if e.TimeText != nil {
			got = *e.TimeText
		}
		if got != want[i] {
			t.Errorf("entry %d: TimeText %q (time %v), want %q", i+1, got, e.Time, want[i])
		}
	}
	sessions, _, err := sessionLog.decode([]byte(`{"sessions":[{"sessionId":"a","startTime":"10 June"}]}`), "application/json")
	if err != nil || len(sessions) != 1 || sessions[0].TimeText == nil || *sessions[0].TimeText != `"10 June"` {
		t.Errorf("session start time: %+v, %v", sessions, err)
	}
}
