package mockapi

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// base is a fixed instant so that expected bodies can be written out in full.
var base = time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)

// startServer runs s on 127.0.0.1 and returns the base URL ending in /v1.
func startServer(t *testing.T, s *Server) string {
	t.Helper()
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts.URL + "/v1"
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// call sends GET base+path?query with the default credentials unless hdr says
// otherwise (an empty value removes the header).
func call(t *testing.T, baseURL, path, query string, hdr ...string) response {
	t.Helper()
	return callMethod(t, http.MethodGet, baseURL, path, query, hdr...)
}

func callMethod(t *testing.T, method, baseURL, path, query string, hdr ...string) response {
	t.Helper()
	u := baseURL + path
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequestWithContext(context.Background(), method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-api-key", DefaultAPIKey)
	req.Header.Set("x-api-secret-key", DefaultSecretKey)
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: body}
}

// decodeEntries returns the official-shape entries of a 200 body.
func decodeEntries(t *testing.T, r response) []map[string]any {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, body %s", r.status, r.body)
	}
	var page struct {
		Entries []map[string]any `json:"entries"`
	}
	if err := json.Unmarshal(r.body, &page); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return page.Entries
}

// auditIDs returns the ids of an official /v1/logs answer.
func auditIDs(t *testing.T, r response) []int64 {
	t.Helper()
	var ids []int64
	for _, e := range decodeEntries(t, r) {
		id, ok := e["id"].(float64)
		if !ok {
			t.Fatalf("id %v is not a number", e["id"])
		}
		ids = append(ids, int64(id))
	}
	return ids
}

func description(t *testing.T, r response) string {
	t.Helper()
	var body struct {
		Description string `json:"description"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatalf("error body %q is not JSON: %v", r.body, err)
	}
	return body.Description
}

// simpleAudit returns n records one minute apart, the newest at base, IDs n..1.
func simpleAudit(n int) []AuditRecord {
	out := make([]AuditRecord, n)
	for i := range out {
		out[i] = AuditRecord{
			ID: int64(n - i), Time: base.Add(-time.Duration(i) * time.Minute),
			Action: "database.update", Type: "Database", UserEmail: "alice@example.com",
			Resource: "db", ResourceID: int64(100 + i%3), Status: "success",
		}
	}
	return out
}

func q(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}
