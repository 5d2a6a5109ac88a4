package client

import (
	"bytes"
	"context"
	"testing"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// BenchmarkDecodeAuditPage decodes and merges one official-shape page of 1000
// generated audit entries: the client's CPU cost per page, without the network.
func BenchmarkDecodeAuditPage(b *testing.B) {
	ds := benchDataset{"audit-1k", false, 1000}
	srv := newBenchServer(b, mockapi.Options{}, ds)
	c := newBenchClient(b, srv.url, 1)
	page, _, err := c.get(context.Background(), "/logs?offset=0&limit=1000")
	if err != nil {
		b.Fatal(err)
	}
	body := bytes.Clone(page.body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		s := &scan[AuditEntry]{c: c, kind: auditLog, seenPrev: map[string]struct{}{}, seenCur: map[string]struct{}{}}
		entries, n, err := auditLog.decode(body, "application/json")
		if err != nil {
			b.Fatal(err)
		}
		info := s.merge(context.Background(), &fetched[AuditEntry]{entries: entries, n: n})
		if info.n != ds.entries || len(s.out) != ds.entries {
			b.Fatalf("%d elements, %d kept", info.n, len(s.out))
		}
	}
}
