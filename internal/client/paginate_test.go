package client

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// modes runs a test sequentially and with four pages in flight.
var modes = []struct {
	name        string
	concurrency int
}{{"sequential", 1}, {"concurrent", 4}}

func TestListAuditLogsCounts(t *testing.T) {
	// Requests: page by page until an empty page, or a short one after a full
	// page; at most ceil(N/1000)+1. Concurrent reads go ahead one page per full
	// page read so far: these short logs cost what a sequential read costs, or
	// one request more when the end is a short page right after read-ahead began.
	cases := []struct {
		name             string
		entries          int
		shape            mockapi.Shape
		wantSeq, wantCon int
	}{
		{"empty", 0, mockapi.ShapeOfficial, 1, 1},
		{"one entry", 1, mockapi.ShapeOfficial, 2, 2},
		{"exactly one page", 1000, mockapi.ShapeOfficial, 2, 2},
		{"one page plus one", 1001, mockapi.ShapeOfficial, 2, 2},
		{"2500 official", 2500, mockapi.ShapeOfficial, 3, 4},
		{"2500 seed", 2500, mockapi.ShapeSeed, 3, 4},
	}
	for _, tc := range cases {
		for _, m := range modes {
			t.Run(tc.name+"/"+m.name, func(t *testing.T) {
				srv := newTestAPI(t, tc.entries, func(o *mockapi.Options) { o.Shape = tc.shape })
				c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = m.concurrency })
				got, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
				if err != nil {
					t.Fatal(err)
				}
				assertIDs(t, auditIDs(t, got), descending(tc.entries, 1))
				want := map[int]int{1: tc.wantSeq, 4: tc.wantCon}[m.concurrency]
				// A request past the end is cancelled once the end is known: it may
				// not reach the server, nor come back as a page.
				if stats.Requests > want || stats.Requests < want-1 || srv.RequestCount() > want || stats.Pages > want || stats.Pages < want-1 || stats.Retries != 0 {
					t.Errorf("stats %+v, server saw %d requests; want %d requests", stats, srv.RequestCount(), want)
				}
				if stats.Scanned != tc.entries {
					t.Errorf("Scanned = %d, want %d", stats.Scanned, tc.entries)
				}
				if got == nil {
					t.Error("an empty result must be an empty slice, not nil")
				}
				for _, q := range srv.queries() {
					if q.Get("limit") != "1000" && q.Get("offset") != "0" {
						t.Errorf("page asked with limit %s, want 1000", q.Get("limit"))
					}
				}
			})
		}
	}
}

func TestListAuditLogsFieldsBothShapes(t *testing.T) {
	for _, shape := range []mockapi.Shape{mockapi.ShapeOfficial, mockapi.ShapeSeed} {
		t.Run(string(shape), func(t *testing.T) {
			srv := newTestAPI(t, 3, func(o *mockapi.Options) { o.Shape = shape })
			c, _ := newTestClient(t, srv.url, nil)
			got, _, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
			if err != nil {
				t.Fatal(err)
			}
			e := got[0] // id 3
			if *e.ID != "3" || !e.Time.Equal(testNewest) || e.Time.Location() != time.UTC || *e.ResourceID != "1000" {
				t.Errorf("entry %+v", e)
			}
			if shape == "official" && (*e.UserName != "user3" || e.UserEmail != nil || *e.Details != "changed 3" || *e.Type != "Database") {
				t.Errorf("official fields wrong: %+v", e)
			}
			if shape == "seed" && (*e.UserEmail != "u3@example.com" || *e.Action != "database.update" || *e.Status != "success") {
				t.Errorf("seed fields wrong: %+v", e)
			}
		})
	}
}

func TestListSessionLogsPagesBy100(t *testing.T) {
	for _, shape := range []mockapi.Shape{mockapi.ShapeOfficial, mockapi.ShapeSeed} {
		t.Run(string(shape), func(t *testing.T) {
			srv := newTestAPI(t, 250, func(o *mockapi.Options) { o.Shape = shape })
			c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 1 })
			got, stats, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
			if err != nil {
				t.Fatal(err)
			}
			assertIDs(t, sessionIDs(t, got), descending(250, 1))
			// 200 holds 50 after full pages of 100: the end.
			if want := []int{0, 100, 200}; !slices.Equal(srv.offsets(), want) || stats.Requests != 3 {
				t.Errorf("offsets %v (stats %+v), want %v", srv.offsets(), stats, want)
			}
			for _, q := range srv.queries() {
				if q.Get("limit") != "100" {
					t.Errorf("limit %q, want 100", q.Get("limit"))
				}
			}
			if shape == "seed" && (got[0].Active == nil || !*got[0].Active || got[0].StartTime == nil) {
				t.Errorf("seed session not active: %+v", got[0])
			}
		})
	}
}

func TestOverlappingPagesSequential(t *testing.T) {
	// 7 new entries arrive before each of the first 6 requests: every page
	// overlaps the previous one by 7. The result is the log as of the first page.
	srv := newTestAPI(t, 1000, nil)
	srv.OnRequest(srv.insertBefore(7, 6))
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 1 })
	got, _, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, sessionIDs(t, got), descending(1007, 1))
}

func TestConcurrentGapIsDetectedAndReadAgain(t *testing.T) {
	// The first pages read ahead take their snapshots in reverse offset order,
	// each after 5 new entries: a lower offset sees more entries at the head than
	// a higher one, which opens gaps between them. Without the second pass
	// (started by the duplicates the inserts cause) the result would miss entries.
	srv := newTestAPI(t, 1000, nil)
	insert := srv.insertBefore(5, 5)
	srv.OnRequest(func(r *http.Request) {
		if o := offsetOf(r); o > 0 && o <= 400 {
			time.Sleep(time.Duration(400-o) / 100 * 40 * time.Millisecond)
		}
		insert(r)
	})
	c, log := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 4 })
	keepCalls := map[string]int{}
	restarts := 0
	got, stats, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{Keep: func(e *SessionEntry) bool {
		keepCalls[*e.ID]++
		return true
	}, Restart: func() { restarts++ }})
	if err != nil {
		t.Fatal(err)
	}
	if restarts != 1 {
		t.Errorf("Restart called %d times, want 1 (before the second pass)", restarts)
	}
	for id, n := range keepCalls {
		if n > 2 { // once per pass
			t.Errorf("Keep called %d times for %s", n, id)
		}
	}
	// 1000 + 5 (page 0) + 4×5 (the next pages) entries, newest first, each once.
	assertIDs(t, sessionIDs(t, got), descending(1025, 1))
	if stats.Scanned != 1025 {
		t.Errorf("Scanned = %d, want 1025 (the pass that produced the result)", stats.Scanned)
	}
	// The second pass reads 10 full pages and the short one of 25: at most 11
	// requests after the first pass, which reads at most 4 pages past its end.
	if first := stats.Requests - 11; first < 11 || first > 11+4 {
		t.Errorf("Requests = %d: %d in the first pass, want 11 to 15", stats.Requests, first)
	}
	if srv.MaxInFlight() < 2 {
		t.Errorf("at most %d request in flight; pages should be read ahead", srv.MaxInFlight())
	}
	if !containsMsg(log, "reading the log again one page at a time") {
		t.Errorf("no log line about the second pass:\n%s", log.text())
	}
}

func TestConcurrentWithoutNewEntriesNeedsNoSecondPass(t *testing.T) {
	srv := newTestAPI(t, 950, nil)
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 3 })
	got, stats, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, sessionIDs(t, got), descending(950, 1))
	// 0; 100; 200, 300; 300–500 (3 ahead); ... 900 holds 50: the end, with at
	// most 2 pages requested past it; and no second pass.
	if stats.Requests < 10 || stats.Requests > 12 || stats.Pages < 10 {
		t.Errorf("Requests = %d, want 10 to 12; offsets %v", stats.Requests, srv.offsets())
	}
}

func TestServerCapsPageSize(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv := newTestAPI(t, 450, func(o *mockapi.Options) { o.PageCap = 100 })
			c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = m.concurrency })
			got, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
			if err != nil {
				t.Fatal(err)
			}
			assertIDs(t, auditIDs(t, got), descending(450, 1))
			// The second page of 100 confirms the cap; 400 holds 50: the end.
			want := map[int][]int{
				1: {0, 100, 200, 300, 400},
				// then pages ahead at a stride of 100: 200; 300, 400; 400 to 700
				// (after three full pages, four in flight).
				4: {0, 100, 200, 300, 400, 500, 600, 700},
			}[m.concurrency]
			// Pages read ahead arrive in any order; those past the end are
			// cancelled once 400 ends the read, and any of them may never reach
			// the server.
			offsets := srv.offsets()
			slices.Sort(offsets)
			unexpected := slices.ContainsFunc(offsets, func(o int) bool { return !slices.Contains(want, o) })
			if unexpected || !slices.Equal(offsets[:min(5, len(offsets))], want[:5]) || stats.Requests > len(want) || stats.Requests < 5 {
				t.Errorf("offsets %v (stats %+v), want %v", offsets, stats, want)
			}
		})
	}
}

func TestEarlyStopWhenServerIgnoresStartTime(t *testing.T) {
	start := testNewest.Add(-30 * time.Minute)
	for _, tc := range []struct {
		name            string
		start           time.Time
		wantIDs         []int
		wantSeq, wantCC int
	}{
		{"within the first page", start, descending(5000, 4970), 1, 1},
		// the second page reaches past the start; it went alone, after one full page.
		{"within the second page", testNewest.Add(-1500 * time.Minute), descending(5000, 3500), 2, 2},
	} {
		for _, m := range modes {
			t.Run(tc.name+"/"+m.name, func(t *testing.T) {
				srv := newTestAPI(t, 5000, nil) // ignores startTime
				c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = m.concurrency })
				got, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{Start: &tc.start, Keep: inWindow(&tc.start, nil)})
				if err != nil {
					t.Fatal(err)
				}
				assertIDs(t, auditIDs(t, got), tc.wantIDs)
				want := map[int]int{1: tc.wantSeq, 4: tc.wantCC}[m.concurrency]
				if stats.Requests != want {
					t.Errorf("Requests = %d, want %d", stats.Requests, want)
				}
				if q := srv.queries()[0]; q.Get("startTime") != tc.start.Format(time.RFC3339) || q.Has("endTime") {
					t.Errorf("query %v does not push the start time down", q)
				}
			})
		}
	}
}

func TestOneHourWindowOnAServerThatFilters(t *testing.T) {
	srv := newTestAPI(t, 5000, func(o *mockapi.Options) { o.IgnoreFilters = false })
	c, _ := newTestClient(t, srv.url, nil)
	start, end := testNewest.Add(-90*time.Minute), testNewest.Add(-30*time.Minute)
	got, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{Start: &start, End: &end, Keep: inWindow(&start, &end)})
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, auditIDs(t, got), descending(4970, 4910))
	if stats.Requests != 2 {
		t.Errorf("Requests = %d, want 2 (the page and the empty probe)", stats.Requests)
	}
}

func TestOutOfOrderPageDisablesEarlyStop(t *testing.T) {
	start := testNewest.Add(-30 * time.Minute)
	srv := newTestAPI(t, 3000, nil)
	// Swap two entries on the first page, and put one in-window entry deep
	// in the third page: only a full read finds it.
	page := func(from int) []mockapi.AuditRecord {
		var out []mockapi.AuditRecord
		for id := 3000 - from; id > 2000-from; id-- {
			audit, _ := srv.records(id)
			out = append(out, audit)
		}
		return out
	}
	first, third := page(0), page(2000)
	first[10], first[11] = first[11], first[10]
	third[500].Time = testNewest.Add(-5 * time.Minute)
	srv.InjectFaults(
		forever(offset(0, fault(200, "application/json", mockapi.AuditPageBody(mockapi.ShapeOfficial, first)))),
		forever(offset(2000, fault(200, "application/json", mockapi.AuditPageBody(mockapi.ShapeOfficial, third)))),
	)
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 1 })
	got, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{Start: &start, Keep: inWindow(&start, nil)})
	if err != nil {
		t.Fatal(err)
	}
	want := descending(3000, 2970)
	want[10], want[11] = want[11], want[10]
	want = append(want, 500) // third[500] has id 3000-2500
	assertIDs(t, auditIDs(t, got), want)
	if stats.Requests != 4 || stats.Scanned != 3000 {
		t.Errorf("stats %+v, want 4 requests and 3000 entries scanned (a full read)", stats)
	}
}

func TestKeepFiltersWhileDecoding(t *testing.T) {
	// Sequential: 3 new entries before each of the first 4 requests, so pages
	// overlap and the duplicates must not reach Keep. Concurrent: the 3 new
	// entries arrive before the first page only (a later arrival would make the
	// concurrent read start over, and Keep see entries again; see the gap test).
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv := newTestAPI(t, 2300, nil)
			srv.OnRequest(srv.insertBefore(3, map[int]int{1: 4, 4: 1}[m.concurrency]))
			c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = m.concurrency })
			start := testNewest.Add(-2000 * time.Minute) // the entry with id 300, inclusive
			calls := map[int]int{}
			window := inWindow(&start, nil) // as the provider's filter applies it
			got, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{Start: &start, Keep: func(e *AuditEntry) bool {
				if !window(e) {
					return false
				}
				id := atoiPtr(t, e.ID)
				calls[id]++
				return id%2 == 0
			}})
			if err != nil {
				t.Fatal(err)
			}
			var wantKept []int
			for id := 2303; id >= 300; id-- {
				if calls[id] != 1 {
					t.Errorf("Keep called %d times for entry %d, want once", calls[id], id)
				}
				if id%2 == 0 {
					wantKept = append(wantKept, id)
				}
			}
			if len(calls) != 2004 {
				t.Errorf("Keep saw %d entries, want the 2004 in the window", len(calls))
			}
			assertIDs(t, auditIDs(t, got), wantKept)
			if stats.Scanned < 2004 {
				t.Errorf("Scanned = %d, want at least the 2004 entries Keep saw", stats.Scanned)
			}
		})
	}
}

func TestSequentialAndConcurrentGiveTheSameResult(t *testing.T) {
	srv := newTestAPI(t, 2345, func(o *mockapi.Options) { o.Shape = mockapi.ShapeSeed })
	var results [][]int
	for _, m := range modes {
		c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = m.concurrency })
		got, _, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, auditIDs(t, got))
	}
	assertIDs(t, results[1], results[0])
	assertIDs(t, results[0], descending(2345, 1))
}

func TestIDsAsStringsAndNumbersDeduplicateAlike(t *testing.T) {
	// The first page sends numeric IDs, later pages string IDs; 3 head inserts
	// before each of the first 3 requests make the pages overlap.
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			srv := newTestAPI(t, 250, nil)
			srv.OnRequest(srv.insertBefore(3, 3))
			// The first page as the mock would send it after the first 3
			// inserts (253 to 154), with the IDs as numbers.
			var first []mockapi.SessionRecord
			for id := 253; id > 153; id-- {
				_, session := srv.records(id)
				first = append(first, session)
			}
			body := regexp.MustCompile(`"id":"(\d+)"`).ReplaceAllString(mockapi.SessionPageBody(mockapi.ShapeOfficial, first), `"id":$1`)
			srv.InjectFaults(fault(200, "application/json", body))
			c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = m.concurrency })
			got, _, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
			if err != nil {
				t.Fatal(err)
			}
			ids := sessionIDs(t, got)
			if ids[0] < 253 || !slices.Equal(ids, descending(ids[0], 1)) {
				t.Fatalf("IDs %s are not a complete descending run", summarize(ids))
			}
		})
	}
}

func containsMsg(l *recLogger, part string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if strings.Contains(line.msg, part) {
			return true
		}
	}
	return false
}

func TestServerIgnoringOffsetIsCaught(t *testing.T) {
	srv := newTestAPI(t, 100, nil)
	srv.OnRequest(func(r *http.Request) { setQuery(r, "offset", "0") })
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 1 })
	_, stats, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
	if err == nil || !strings.Contains(err.Error(), "it seems to ignore the offset parameter") || stats.Requests != 4 {
		t.Fatalf("err = %v after %d requests", err, stats.Requests)
	}
}

func TestFailureBeyondTheEndIsMoot(t *testing.T) {
	// Some servers reject an offset past the end. The page at the end is empty,
	// so the failures of pages read ahead past it do not matter.
	srv := newTestAPI(t, 3000, nil)
	srv.OnRequest(func(r *http.Request) {
		if offsetOf(r) == 3000 { // the end page comes last
			time.Sleep(time.Second)
		}
	})
	for o := 4000; o <= 10_000; o += 1000 {
		srv.InjectFaults(forever(offset(o, fault(400, "application/json", `{"description":"offset out of range"}`))))
	}
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 4 })
	got, _, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, auditIDs(t, got), descending(3000, 1))
	if slices.Max(srv.offsets()) <= 3000 {
		t.Errorf("offsets %v: nothing was read ahead past the end, so the test shows nothing", srv.offsets())
	}
}

func TestHTMLOn200IsAnError(t *testing.T) {
	srv := newTestAPI(t, 1, nil)
	srv.InjectFaults(forever(fault(200, "text/html; charset=utf-8", nginx502)))
	c, _ := newTestClient(t, srv.url, nil)
	_, stats, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
	want := `reading the audit log at offset 0: the response was not valid JSON (content type "text/html; charset=utf-8"; it starts with "502 Bad Gateway 502 Bad Gateway nginx")`
	if err == nil || err.Error() != want || stats.Requests != 1 {
		t.Fatalf("err = %v (%d requests)\nwant %s", err, stats.Requests, want)
	}
}
