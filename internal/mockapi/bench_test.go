package mockapi

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// BenchmarkAuditPage serves pages of 1000 from 100,000 entries, through a time
// window, without the network, so the numbers are the server's own cost.
func BenchmarkAuditPage(b *testing.B) {
	s := New(Options{})
	s.SetAudit(GenerateAudit(100_000, 1, base, 365*24*time.Hour))
	queries := []string{
		"limit=1000&offset=50000",
		"limit=1000&startTime=2024-09-01T00:00:00Z&endTime=2024-12-31T23:59:59Z&offset=1000",
		"limit=1000&resourceId=13000101",
	}
	for i, query := range queries {
		b.Run(strconv.Itoa(i), func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, AuditPath+"?"+query, nil)
			req.Header.Set("x-api-key", DefaultAPIKey)
			req.Header.Set("x-api-secret-key", DefaultSecretKey)
			for b.Loop() {
				w := httptest.NewRecorder()
				s.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
			s.ResetRequests()
		})
	}
}
