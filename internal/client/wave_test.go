package client

import (
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNextWaveIsInFlightWhileTheLastIsMerged(t *testing.T) {
	// Keep holds up the merging of the first wave's first entry until the
	// server sees the second wave's first page: only a wave started ahead of
	// the merge can get there.
	secondWave := make(chan struct{})
	var once atomic.Bool
	srv := newLogServer(t, 1000, func(s *logServer) {
		s.inject = func(_ http.ResponseWriter, r *http.Request, _ int) bool {
			if r.URL.Query().Get("offset") == "500" && once.CompareAndSwap(false, true) {
				close(secondWave)
			}
			return false
		}
	})
	c, _ := newTestClient(t, srv.url(), func(cfg *Config) { cfg.MaxConcurrency = 4 })
	overlapped := false
	got, stats, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{Keep: func(e *SessionEntry) bool {
		if *e.ID == "900" { // the first entry of the first wave (offset 100)
			select {
			case <-secondWave:
				overlapped = true
			case <-time.After(5 * time.Second):
			}
		}
		return true
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !overlapped {
		t.Error("the second wave was not requested while the first was being merged")
	}
	assertIDs(t, sessionIDs(t, got), descending(1000, 1))
	// The same requests as waves read one after another: page 0, waves at
	// 100–400, 500–800 and 900–1200 (1000 is empty), the head re-read.
	if want := 1 + 12 + 1; stats.Requests != want || srv.requestCount() != want {
		t.Errorf("%d requests (server saw %d), want %d", stats.Requests, srv.requestCount(), want)
	}
}

func TestWaveStartedAheadIsStoppedWhenTheReadFails(t *testing.T) {
	// A server that ignores offset sends full pages of the same entries: the
	// first wave arrives full and starts the next before the merge finds out.
	srv := newLogServer(t, 100, nil)
	srv.inject = func(_ http.ResponseWriter, r *http.Request, _ int) bool {
		q := r.URL.Query()
		q.Set("offset", "0")
		r.URL.RawQuery = q.Encode()
		return false
	}
	c, _ := newTestClient(t, srv.url(), func(cfg *Config) { cfg.MaxConcurrency = 4 })
	_, stats, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
	if err == nil || !strings.Contains(err.Error(), "it seems to ignore the offset parameter") {
		t.Fatalf("err = %v", err)
	}
	// No goroutine of a wave outlives the read, and every request the server
	// saw (some cancelled ones arrive late) was counted.
	stacks := make([]byte, 1<<20)
	if n := runtime.Stack(stacks, true); strings.Contains(string(stacks[:n]), ").startWave.func") {
		t.Errorf("a wave's goroutine is still running after the read returned:\n%s", stacks[:n])
	}
	time.Sleep(200 * time.Millisecond)
	if served := srv.requestCount(); stats.Requests < 1+4 || stats.Requests < served {
		t.Errorf("stats %+v; the server saw %d requests", stats, served)
	}
}

func TestKeepSeesEntriesInOrderFromOneGoroutine(t *testing.T) {
	srv := newLogServer(t, 5000, func(s *logServer) { s.shape = "seed" })
	c, _ := newTestClient(t, srv.url(), func(cfg *Config) { cfg.MaxConcurrency = 8 })
	var inKeep atomic.Int32
	var seen []int
	_, _, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{Keep: func(e *AuditEntry) bool {
		if inKeep.Add(1) != 1 {
			t.Error("Keep called from two goroutines at once")
		}
		defer inKeep.Add(-1)
		seen = append(seen, atoiPtr(t, e.ID))
		return false
	}})
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, seen, descending(5000, 1))
}

func TestEntriesDoNotAliasRecycledBodies(t *testing.T) {
	// Page bodies are recycled once decoded: entries read earlier must not
	// change when later bodies reuse the buffers.
	seed := newLogServer(t, 3000, func(s *logServer) { s.shape = "seed" })
	official := newLogServer(t, 3000, nil)
	c, _ := newTestClient(t, seed.url(), func(cfg *Config) { cfg.MaxConcurrency = 4 })
	first, _, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	snapshot := dumpAudit(first)
	other, _ := newTestClient(t, official.url(), func(cfg *Config) { cfg.MaxConcurrency = 4 })
	for range 3 {
		if _, _, err := other.ListAuditLogs(ctxT(t), AuditLogQuery{}); err != nil {
			t.Fatal(err)
		}
	}
	if after := dumpAudit(first); after != snapshot {
		t.Fatal("entries changed after later reads reused the page buffers")
	}
}

func dumpAudit(es []AuditEntry) string {
	var b strings.Builder
	for i := range es {
		b.WriteString(dump(es[i]))
		b.WriteByte('\n')
	}
	return b.String()
}

func TestReadBody(t *testing.T) {
	body := strings.Repeat(`{"entries":[]}`, 100)
	for _, length := range []int64{int64(len(body)), -1, 3} { // exact, unknown, wrong
		page, err := readBody(strings.NewReader(body), length)
		if err != nil || string(page.body) != body {
			t.Fatalf("length %d: %q, %v", length, shorten(string(page.body), 30), err)
		}
		page.release()
		if page.body != nil || page.buf != nil {
			t.Fatal("release left the page usable")
		}
	}
	if _, err := readBody(io.LimitReader(zeros{}, maxPageBytes+10), -1); !errors.Is(err, errResponseTooLarge) {
		t.Fatalf("oversized body: %v", err)
	}
	broken := io.MultiReader(strings.NewReader("{"), failingReader{})
	if _, err := readBody(broken, -1); err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Fatalf("broken body: %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection reset by peer") }

func TestParseWireTimeMatchesTimeParseOnEveryDayOfALeapYear(t *testing.T) {
	day := time.Date(2024, 1, 1, 23, 59, 59, 0, time.UTC)
	for range 367 {
		s := day.Format(apiTimeLayout)
		got, ok := parseWireTime([]byte(s))
		want, err := time.Parse(time.RFC3339, s)
		if !ok || err != nil || !got.Equal(want) {
			t.Fatalf("%s: %v %v, time.Parse %v %v", s, got, ok, want, err)
		}
		day = day.AddDate(0, 0, 1)
	}
	for _, bad := range []string{"2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z"} {
		if _, ok := parseWireTime([]byte(bad)); ok {
			t.Errorf("%s accepted", bad)
		}
	}
}
