package client

import (
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// Boundaries of the paging loop, each asserted on the exact requests the
// server saw.

func TestEndAtExactMultiplesOfThePageSize(t *testing.T) {
	// A log of k full pages ends with the empty page at k×limit: k+1 requests,
	// one page after another at offsets 0, limit, …, k×limit.
	for _, tc := range []struct {
		name    string
		entries int
		session bool
	}{
		{"audit 2000", 2000, false},
		{"audit 3000", 3000, false},
		{"session 100", 100, true},
		{"session 300", 300, true},
		{"session 299", 299, true}, // one short: the short page ends it
		{"session 301", 301, true}, // one over: a page of one ends it
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newTestAPI(t, tc.entries, nil)
			c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 1 })
			limit := AuditPageLimit
			var ids []int
			var stats ListStats
			var err error
			if tc.session {
				limit = SessionPageLimit
				var got []SessionEntry
				got, stats, err = c.ListSessionLogs(ctxT(t), SessionLogQuery{})
				ids = sessionIDs(t, got)
			} else {
				var got []AuditEntry
				got, stats, err = c.ListAuditLogs(ctxT(t), AuditLogQuery{})
				ids = auditIDs(t, got)
			}
			if err != nil {
				t.Fatal(err)
			}
			assertIDs(t, ids, descending(tc.entries, 1))
			var want []int
			for o := 0; o <= tc.entries; o += limit {
				want = append(want, o)
			}
			if !slices.Equal(srv.offsets(), want) || stats.Requests != len(want) || stats.Pages != len(want) {
				t.Errorf("offsets %v (stats %+v), want %v", srv.offsets(), stats, want)
			}
			if stats.Scanned != tc.entries || stats.Retries != 0 {
				t.Errorf("stats %+v, want %d scanned and no retry", stats, tc.entries)
			}
		})
	}
}

func TestServerCapIsFollowedAtItsOwnSize(t *testing.T) {
	// A server that caps pages at 300 (below the limit of 1000): the first page
	// is short, so the log may go on; the second of the same size shows the cap,
	// and from then a shorter page is the end.
	for _, tc := range []struct {
		entries     int
		wantOffsets []int
	}{
		{1000, []int{0, 300, 600, 900}},             // 300, 300, 300, 100: the end
		{900, []int{0, 300, 600, 900}},              // three full pages of the cap, then empty
		{250, []int{0, 250}},                        // a short first page, then the empty one
		{550, []int{0, 300, 550}},                   // 300, then 250 after a page of another size: read on
		{1300, []int{0, 300, 600, 900, 1200}},       // 100 at 1200: short after the cap showed
		{1500, []int{0, 300, 600, 900, 1200, 1500}}, // a multiple of the cap: ends empty
	} {
		t.Run(strconv.Itoa(tc.entries), func(t *testing.T) {
			srv := newTestAPI(t, tc.entries, func(o *mockapi.Options) { o.PageCap = 300 })
			c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 1 })
			got, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
			if err != nil {
				t.Fatal(err)
			}
			assertIDs(t, auditIDs(t, got), descending(tc.entries, 1))
			if !slices.Equal(srv.offsets(), tc.wantOffsets) || stats.Requests != len(tc.wantOffsets) {
				t.Errorf("offsets %v (stats %+v), want %v", srv.offsets(), stats, tc.wantOffsets)
			}
		})
	}
}

func TestConcurrentOffsetsAreMultiplesOfThePageSize(t *testing.T) {
	// Read ahead, every page of the log is asked once, at its offset, and
	// nothing past the end but the pages in flight when it was found.
	for _, concurrency := range []int{2, 4, 8} {
		t.Run(strconv.Itoa(concurrency), func(t *testing.T) {
			srv := newTestAPI(t, 2000, func(o *mockapi.Options) { o.Latency = 5 * time.Millisecond })
			c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = concurrency })
			got, stats, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
			if err != nil {
				t.Fatal(err)
			}
			assertIDs(t, sessionIDs(t, got), descending(2000, 1))
			offsets := srv.offsets()
			slices.Sort(offsets)
			seen := map[int]bool{}
			for _, o := range offsets {
				if o%SessionPageLimit != 0 || seen[o] || o > 2000+(concurrency-1)*SessionPageLimit {
					t.Errorf("offset %d asked (all: %v)", o, offsets)
				}
				seen[o] = true
			}
			for o := 0; o <= 2000; o += SessionPageLimit {
				if !seen[o] {
					t.Errorf("offset %d never asked (all: %v)", o, offsets)
				}
			}
			if stats.Pages < 21 || stats.Scanned != 2000 {
				t.Errorf("stats %+v, want at least the 21 pages up to the empty one", stats)
			}
		})
	}
}

func TestReadAheadWhileTheHeadPageIsSlow(t *testing.T) {
	// Pages 0 and 100 go alone; after them two pages are in flight (200 and 300)
	// and up to four unmerged. With 200 held by the server, every page done
	// behind it frees its place for the next: 300, 400 and 500 are asked, and not
	// 600, which would make a fifth unmerged page.
	const head = 200
	var mu sync.Mutex
	var behind []int // offsets past the head asked before it was answered
	answered := false
	release := make(chan struct{})
	srv := newTestAPI(t, 1000, nil)
	srv.OnRequest(func(r *http.Request) {
		o := offsetOf(r)
		mu.Lock()
		if !answered && o > head {
			behind = append(behind, o)
			if len(behind) == 3 {
				close(release)
			}
		}
		mu.Unlock()
		if o != head {
			return
		}
		select {
		case <-release: // then a while to show a fourth would come
			time.Sleep(150 * time.Millisecond)
		case <-time.After(2 * time.Second):
		}
		mu.Lock()
		answered = true
		mu.Unlock()
	})
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 4 })
	got, _, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, sessionIDs(t, got), descending(1000, 1))
	mu.Lock()
	defer mu.Unlock()
	if offsets := srv.offsets(); len(offsets) < 3 || !slices.Equal(offsets[:2], []int{0, 100}) {
		t.Fatalf("offsets %v: want 0, then 100, alone", offsets)
	}
	slices.Sort(behind)
	if !slices.Equal(behind, []int{300, 400, 500}) {
		t.Errorf("asked %v while page %d was held, want [300 400 500]", behind, head)
	}
}

func TestFailedPageAheadStopsTheReadAhead(t *testing.T) {
	// A page ahead that failed (here: 300, a 400 answer with no retry) ends what
	// is worth asking: no page is added after it while the head page (200) is
	// held, and the read fails with it once 200 is merged.
	const head = 200
	var mu sync.Mutex
	var behind []int
	release := make(chan struct{})
	var once sync.Once
	srv := newTestAPI(t, 1000, nil)
	srv.InjectFaults(forever(offset(300, fault(400, "application/json", `{"description":"no such page"}`))))
	srv.OnRequest(func(r *http.Request) {
		o := offsetOf(r)
		mu.Lock()
		if o > head {
			behind = append(behind, o)
		}
		mu.Unlock()
		switch o {
		case 300:
			time.AfterFunc(150*time.Millisecond, func() { once.Do(func() { close(release) }) })
		case head:
			select {
			case <-release:
			case <-time.After(2 * time.Second):
			}
		}
	})
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 4 })
	_, _, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
	if err == nil || err.Error() != "reading the session log at offset 300: the API rejected the request (400 Bad Request): no such page" {
		t.Fatalf("err = %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(behind, []int{300}) {
		t.Errorf("asked %v past the head page, want only the page that failed", behind)
	}
}
