package mockapi

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func shapeFixture() *Server {
	s := New(Options{})
	end := base.Add(-30 * time.Minute)
	s.SetAudit([]AuditRecord{
		{
			ID: 2900349, Time: base, Action: "database.delete", Type: "Database",
			UserEmail: "bob@example.com", UserName: "Bob Smith", APIKeyName: "ci-pipeline",
			Resource: "cache-staging", ResourceID: 13000202, Details: "Database <cache-staging> was deleted", Status: "success",
		},
		{
			// Sparse: no name, no key, no resource id, as the official Account entries are.
			ID: 2900348, Time: base.Add(-time.Second), Action: "account.update", Type: "Account",
			UserEmail: "alice@example.com", Details: "Account billing address was changed", Status: "failure",
		},
	})
	s.SetSessions([]SessionRecord{
		{
			ID: "s-active", Time: base, UserEmail: "alice@example.com", UserName: "Alice Johnson", UserRole: "owner",
			IPAddress: "198.51.100.10", UserAgent: "curl/8.8.0", Type: "api", Action: "Successful login",
		},
		{
			ID: "s-ended", Time: base.Add(-time.Hour), EndTime: &end, UserEmail: "bob@example.com", UserRole: "member",
			IPAddress: "2001:db8:100::1", UserAgent: "Mozilla/5.0", Type: "console", Action: "Logout",
		},
	})
	return s
}

func TestOfficialShapeExactBodies(t *testing.T) {
	u := startServer(t, shapeFixture())

	r := call(t, u, "/logs", "")
	want := `{"entries":[` +
		`{"id":2900349,"time":"2025-03-14T12:00:00Z","originator":"Bob Smith","apiKeyName":"ci-pipeline","resource":"cache-staging","resourceId":13000202,"type":"Database","description":"Database <cache-staging> was deleted"},` +
		`{"id":2900348,"time":"2025-03-14T11:59:59Z","originator":"alice@example.com","type":"Account","description":"Account billing address was changed"}` +
		`],"links":[]}` + "\n"
	if r.status != http.StatusOK || string(r.body) != want {
		t.Errorf("official /v1/logs:\n got %s\nwant %s", r.body, want)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}

	r = call(t, u, "/session-logs", "")
	want = `{"entries":[` +
		`{"id":"s-active","time":"2025-03-14T12:00:00Z","user":"alice@example.com","userAgent":"curl/8.8.0","ipAddress":"198.51.100.10","userRole":"owner","type":"api","action":"Successful login"},` +
		`{"id":"s-ended","time":"2025-03-14T11:00:00Z","user":"bob@example.com","userAgent":"Mozilla/5.0","ipAddress":"2001:db8:100::1","userRole":"member","type":"console","action":"Logout"}` +
		`],"links":[]}` + "\n"
	if string(r.body) != want {
		t.Errorf("official /v1/session-logs:\n got %s\nwant %s", r.body, want)
	}
}

func TestSeedShapeExactBodies(t *testing.T) {
	s := shapeFixture()
	s.SetShape(ShapeSeed)
	u := startServer(t, s)

	r := call(t, u, "/logs", "")
	want := `{"logs":[` +
		`{"id":2900349,"timestamp":"2025-03-14T12:00:00Z","action":"database.delete","user":{"email":"bob@example.com","name":"Bob Smith"},"resource":"cache-staging","resourceId":13000202,"details":"Database <cache-staging> was deleted","status":"success"},` +
		`{"id":2900348,"timestamp":"2025-03-14T11:59:59Z","action":"account.update","user":{"email":"alice@example.com"},"details":"Account billing address was changed","status":"failure"}` +
		`]}` + "\n"
	if r.status != http.StatusOK || string(r.body) != want {
		t.Errorf("seed /v1/logs:\n got %s\nwant %s", r.body, want)
	}

	r = call(t, u, "/session-logs", "")
	want = `{"sessions":[` +
		`{"sessionId":"s-active","user":{"email":"alice@example.com"},"ipAddress":"198.51.100.10","userAgent":"curl/8.8.0","startTime":"2025-03-14T12:00:00Z","endTime":null,"type":"api"},` +
		`{"sessionId":"s-ended","user":{"email":"bob@example.com"},"ipAddress":"2001:db8:100::1","userAgent":"Mozilla/5.0","startTime":"2025-03-14T11:00:00Z","endTime":"2025-03-14T11:30:00Z","type":"console"}` +
		`]}` + "\n"
	if string(r.body) != want {
		t.Errorf("seed /v1/session-logs:\n got %s\nwant %s", r.body, want)
	}

	s.SetShape(ShapeOfficial)
	if r := call(t, u, "/logs", q("limit", "1")); len(decodeEntries(t, r)) != 1 {
		t.Errorf("SetShape(official) did not switch back: %s", r.body)
	}
}

func TestEmptyPagesInBothShapes(t *testing.T) {
	s := New(Options{Shape: ShapeSeed})
	u := startServer(t, s)
	if r := call(t, u, "/logs", ""); string(r.body) != `{"logs":[]}`+"\n" {
		t.Errorf("seed empty logs: %s", r.body)
	}
	if r := call(t, u, "/session-logs", ""); string(r.body) != `{"sessions":[]}`+"\n" {
		t.Errorf("seed empty sessions: %s", r.body)
	}
	s.SetShape("")
	if r := call(t, u, "/logs", ""); string(r.body) != `{"entries":[],"links":[]}`+"\n" {
		t.Errorf("official empty logs: %s", r.body)
	}
}

func TestPageBodiesKeepTheOrderGiven(t *testing.T) {
	records := simpleAudit(2)
	records[0], records[1] = records[1], records[0]
	body := AuditPageBody(ShapeOfficial, records)
	if !strings.Contains(body, `"entries":[{"id":1,`) || !strings.Contains(body, `},{"id":2,`) {
		t.Errorf("audit body %s, want id 1 then 2", body)
	}
	body = SessionPageBody(ShapeSeed, []SessionRecord{{ID: "b", Time: base}, {ID: "a", Time: base.Add(time.Hour)}})
	if !strings.HasPrefix(body, `{"sessions":[{"sessionId":"b",`) {
		t.Errorf("session body %s, want b first", body)
	}
}
