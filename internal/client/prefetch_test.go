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

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

func TestPagesAreReadAheadOnlyAfterFullPages(t *testing.T) {
	// 1000 sessions are 10 full pages. The first two pages go alone, then the
	// pages in flight double per full page, up to MaxConcurrency: the read ends
	// at the empty page at 1000 with at most MaxConcurrency-1 requests past it.
	srv := newTestAPI(t, 1000, func(o *mockapi.Options) { o.Latency = 20 * time.Millisecond })
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 4 })
	got, stats, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, sessionIDs(t, got), descending(1000, 1))
	offsets := srv.offsets()
	// Requests past the end are cancelled once the empty page arrives: one
	// cancelled before it was on the wire never reaches the server, nor counts.
	if offsets[0] != 0 || offsets[1] != 100 || stats.Requests > 11+3 || stats.Requests < 11 {
		t.Errorf("offsets %v (stats %+v): want 0, then 100 alone, at most 3 past the end", offsets, stats)
	}
	for _, o := range offsets {
		if o > 1300 {
			t.Errorf("offset %d requested: more than MaxConcurrency-1 pages past the end at 1000", o)
		}
	}
	if srv.MaxInFlight() < 3 {
		t.Errorf("at most %d requests in flight; pages should be read ahead", srv.MaxInFlight())
	}
}

func TestReadAheadIsStoppedWhenTheReadFails(t *testing.T) {
	// A server that ignores offset sends full pages of the same entries, so the
	// read goes ahead before it finds out.
	srv := newTestAPI(t, 100, nil)
	srv.OnRequest(func(r *http.Request) { setQuery(r, "offset", "0") })
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 4 })
	_, stats, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
	if err == nil || !strings.Contains(err.Error(), "it seems to ignore the offset parameter") {
		t.Fatalf("err = %v", err)
	}
	// No page's goroutine outlives the read, and every request the server
	// saw was counted. A page's goroutine closes its done channel in a
	// deferred call and then returns: on a busy machine the read may return
	// in between, so it is given a moment to; one that is blocked never does.
	stacks := make([]byte, 1<<20)
	for deadline := time.Now().Add(time.Second); ; time.Sleep(10 * time.Millisecond) {
		n := runtime.Stack(stacks, true)
		if !strings.Contains(string(stacks[:n]), ").start.func") {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("a page's goroutine is still running a second after the read returned:\n%s", stacks[:n])
			break
		}
	}
	time.Sleep(200 * time.Millisecond)
	if served := srv.RequestCount(); stats.Requests < 4 || stats.Requests < served {
		t.Errorf("stats %+v; the server saw %d requests", stats, served)
	}
}

func TestKeepSeesEntriesInOrderFromOneGoroutine(t *testing.T) {
	srv := newTestAPI(t, 5000, func(o *mockapi.Options) { o.Shape = mockapi.ShapeSeed })
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 8 })
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

func TestReadBody(t *testing.T) {
	body := strings.Repeat(`{"entries":[]}`, 100)
	if page, err := readBody(strings.NewReader(body)); err != nil || string(page.body) != body {
		t.Fatalf("%q, %v", shorten(string(page.body), 30), err)
	}
	if _, err := readBody(io.LimitReader(zeros{}, maxPageBytes+10)); !errors.Is(err, errResponseTooLarge) {
		t.Fatalf("oversized body: %v", err)
	}
	broken := io.MultiReader(strings.NewReader("{"), failingReader{})
	if _, err := readBody(broken); err == nil || !strings.Contains(err.Error(), "connection reset") {
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
