package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// Small rules of the client, each pinned where a mutation of it passed every
// other test.

func TestRedirectPolicy(t *testing.T) {
	c, _ := newTestClient(t, "http://127.0.0.1:1/v1", nil)
	check := c.httpClient.CheckRedirect
	req := func(raw string) *http.Request {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		return &http.Request{URL: u}
	}
	via := func(first string, n int) []*http.Request {
		out := []*http.Request{req(first)}
		for len(out) < n {
			out = append(out, req(first))
		}
		return out
	}
	for _, tc := range []struct {
		name, from, to string
		hops           int
		want           string // "" allowed, else part of the error
	}{
		{"same host and scheme", "https://api.example.com/v1/logs", "https://api.example.com/v1/logs?offset=0", 1, ""},
		{"http to https, same host", "http://127.0.0.1:8080/v1/logs", "https://127.0.0.1:8080/v1/logs", 1, ""},
		{"https to http, same host", "https://api.example.com/v1/logs", "http://api.example.com/v1/logs", 1, "redirected to http://api.example.com"},
		{"another host", "https://api.example.com/v1/logs", "https://evil.example.com/v1/logs", 1, "does not send the API keys to another host"},
		{"another port", "https://api.example.com/v1/logs", "https://api.example.com:8443/v1/logs", 1, "another host"},
		{"ninth redirect", "https://api.example.com/v1/logs", "https://api.example.com/v1/logs", 9, ""},
		{"tenth redirect", "https://api.example.com/v1/logs", "https://api.example.com/v1/logs", 10, "stopped after 10 redirects"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := check(req(tc.to), via(tc.from, tc.hops))
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestRedactKeysOfFourCharactersOrMore(t *testing.T) {
	c, err := New(Config{APIKey: "abcd", SecretKey: "xyz"})
	if err != nil {
		t.Fatal(err)
	}
	// Shorter keys are not real keys, and replacing them would garble the text.
	if got := c.redact("key abcd, secret xyz"); got != "key [redacted], secret xyz" {
		t.Errorf("redact = %q", got)
	}
}

func TestKeysMayHoldSpacesButNotControlCharacters(t *testing.T) {
	for key, ok := range map[string]bool{
		"key with spaces": true, "tab\tinside": true, "line\nbreak": false, "nul\x00": false, "del\x7f": false, "unit\x1f": false,
	} {
		_, err := New(Config{APIKey: key})
		if (err == nil) != ok {
			t.Errorf("New(api key %q): err = %v, want accepted = %v", key, err, ok)
		}
	}
}

func TestIdleConnectionsCoverEveryPageInFlight(t *testing.T) {
	// One idle connection per page in flight, plus the one that goes alone,
	// so that no read ahead opens a new connection per page.
	c, _ := newTestClient(t, "http://127.0.0.1:1/v1", func(cfg *Config) { cfg.MaxConcurrency = 16 })
	base, ok := c.httpClient.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("base transport is %T", c.httpClient.Transport)
	}
	if base.MaxIdleConnsPerHost != 17 {
		t.Errorf("MaxIdleConnsPerHost = %d, want 17", base.MaxIdleConnsPerHost)
	}
}

func TestDecodeStringsWithEscapesAndOddTimes(t *testing.T) {
	body := `{"entries":[
	  {"id":"a\"1","time":"2025-01-01","user":"ops@example.com","description":"said \"hi\"\u00e9\n"},
	  {"id":"2","time":"2025-01-01 10:00:00","user":"Ops Bot"}]}`
	got, _, err := decodeAudit(t, body)
	if err != nil || len(got) != 2 {
		t.Fatalf("len=%d err=%v", len(got), err)
	}
	e := got[0]
	if str(e.ID) != `a"1` || str(e.Details) != "said \"hi\"é\n" || str(e.UserEmail) != "ops@example.com" || e.UserName != nil {
		t.Errorf("escaped strings: id %q details %q email %q name %q", str(e.ID), str(e.Details), str(e.UserEmail), str(e.UserName))
	}
	if e.Time != nil {
		t.Errorf("a date without a time is not a time: %v", e.Time)
	}
	e = got[1]
	if str(e.UserName) != "Ops Bot" || e.UserEmail != nil || !e.Time.Equal(time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("second entry: name %q email %q time %v", str(e.UserName), str(e.UserEmail), e.Time)
	}
	sessions, _, err := decodeSessions(t, `{"entries":[{"id":1,"user":"a@b.c"},{"id":2,"user":"Ann"}]}`)
	if err != nil || len(sessions) != 2 || str(sessions[0].UserEmail) != "a@b.c" || sessions[0].UserName != nil ||
		str(sessions[1].UserName) != "Ann" || sessions[1].UserEmail != nil {
		t.Errorf("session users: %+v, %v", sessions, err)
	}
}

func TestNormalizeNumberAtForty(t *testing.T) {
	forty := "1" + strings.Repeat("0", 39)
	for in, want := range map[string]string{
		"1e39":  forty,       // 40 digits: plain
		"-1e39": "-" + forty, // 40 digits and a sign: plain too
	} {
		if got := normalizeNumber(in); got != want {
			t.Errorf("normalizeNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShapeErrorListsTenKeysAtMost(t *testing.T) {
	var keys []string
	for i := range 12 {
		keys = append(keys, `"k`+strconv.Itoa(10+i)+`":1`)
	}
	_, _, err := decodeAudit(t, "{"+strings.Join(keys, ",")+"}")
	want := `the top-level keys were "k10", "k11", "k12", "k13", "k14", "k15", "k16", "k17", "k18", "k19", and 2 more`
	if err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("err = %v\nwant it to end with %s", err, want)
	}
}

func TestServerErrorMessagesUpTo200Runes(t *testing.T) {
	for n, kept := range map[int]bool{200: true, 201: false} {
		msg := strings.Repeat("é", n)
		got := newAPIError(503, "/v1/logs", []byte(msg), "text/plain", func(s string) string { return s }).Error()
		if strings.Contains(got, msg) != kept {
			t.Errorf("a message of %d runes: kept = %v, want %v (%d runes)", n, !kept, kept, utf8.RuneCountInString(got))
		}
	}
}

func TestErrorMessagesLoseControlCharactersAndBrokenUTF8(t *testing.T) {
	got := errorMessage([]byte("bad\x00 re\x07quest \xff\xfeend"), "text/plain")
	if got != "bad request end" {
		t.Errorf("errorMessage = %q, want %q", got, "bad request end")
	}
}

func TestEndTimeOnAWholeSecondIsSentAsIs(t *testing.T) {
	end := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	got := query{end: &end}.path("/logs", 0, 1000)
	if want := "/logs?offset=0&limit=1000&endTime=2025-03-01T10:00:00Z"; got != want {
		t.Errorf("path %s, want %s", got, want)
	}
}

func TestMergeCountsEntriesWithoutID(t *testing.T) {
	s, info, err := decodeAndMerge(t, sessionLog, []byte(`{"entries":[{"id":"1"},{"time":"2025-01-01T00:00:00Z"},{"id":""},{"id":"1"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	// Entries without an id cannot be de-duplicated: each is kept and counted,
	// so that a read ahead that met one reads the log again one page at a time.
	if s.idless != 2 || s.dups != 1 || len(s.out) != 3 || info.fresh != 3 || info.ids != 2 {
		t.Errorf("idless %d dups %d kept %d, info %+v; want 2, 1, 3", s.idless, s.dups, len(s.out), info)
	}
}

func TestTwoPagesOfDuplicatesThenTheEndIsNotAnError(t *testing.T) {
	// Pages 100 and 200 repeat page 0 (new entries pushed it along, or a
	// server's hiccup); page 300 is empty. Two stale pages are not three: the
	// read ends normally.
	srv := newTestAPI(t, 100, nil)
	srv.OnRequest(func(r *http.Request) {
		if o := offsetOf(r); o == 100 || o == 200 {
			setQuery(r, "offset", "0")
		}
	})
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 1 })
	got, stats, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, sessionIDs(t, got), descending(100, 1))
	if want := []int{0, 100, 200, 300}; !slices.Equal(srv.offsets(), want) || stats.Requests != 4 {
		t.Errorf("offsets %v (stats %+v), want %v", srv.offsets(), stats, want)
	}
}

func TestPagesReadAheadAtAnotherStrideAreDropped(t *testing.T) {
	// The server caps its first three pages at 100 entries, then stops capping.
	// Read ahead at the stride of 100 (pages 300 and 400 together), page 300
	// comes back with 1000 entries: page 400, asked at the old stride, is
	// dropped rather than merged, so the read needs no second pass.
	var mu sync.Mutex
	served := 0
	srv := newTestAPI(t, 2500, nil)
	srv.OnRequest(func(r *http.Request) {
		mu.Lock()
		served++
		capped := served <= 3
		mu.Unlock()
		if capped {
			setQuery(r, "limit", "100")
		}
	})
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 4 })
	restarts := 0
	got, _, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{Restart: func() { restarts++ }})
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, auditIDs(t, got), descending(2500, 1))
	if restarts != 0 {
		t.Errorf("Restart called %d times: a page read at the old stride was merged (offsets %v)", restarts, srv.offsets())
	}
	offsets := srv.offsets()
	if !slices.Equal(offsets[:3], []int{0, 100, 200}) || !slices.Contains(offsets, 1300) {
		t.Errorf("offsets %v: want 0, 100, 200 capped, then 300 and on at the stride of 1000", offsets)
	}
}

func TestPagesCappedAtOneEntryEarnReadAheadLikeOthers(t *testing.T) {
	// A server that caps pages at one entry: the first page is short, so it
	// shows nothing yet; the second of the same size shows the cap and counts
	// as the first full page. So the first three requests go one at a time.
	var mu sync.Mutex
	inFlight := map[int]bool{}
	overlapped := map[int]bool{} // offsets in flight at the same time as another
	srv := newTestAPI(t, 8, func(o *mockapi.Options) { o.PageCap = 1 })
	srv.OnRequest(func(r *http.Request) {
		o := offsetOf(r)
		mu.Lock()
		for other := range inFlight {
			overlapped[other], overlapped[o] = true, true
		}
		inFlight[o] = true
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		mu.Lock()
		delete(inFlight, o)
		mu.Unlock()
	})
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 4 })
	got, _, err := c.ListSessionLogs(ctxT(t), SessionLogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, sessionIDs(t, got), descending(8, 1))
	mu.Lock()
	defer mu.Unlock()
	if offsets := srv.offsets(); !slices.Equal(offsets[:3], []int{0, 1, 2}) {
		t.Errorf("offsets %v, want 0, 1, 2 first", offsets)
	}
	first := slices.Sorted(maps.Keys(overlapped))
	if len(first) == 0 || first[0] < 3 {
		t.Errorf("offsets %v were in flight together; want read ahead from offset 3 on, not before", first)
	}
}

func TestAttemptsCountWhatReachedTheWire(t *testing.T) {
	srv := newTestAPI(t, 1, nil)
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxRetries = 0 })
	// Cancelled before it was sent (a page read ahead past the end): not an attempt.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, st, err := c.get(ctx, "/logs?offset=0&limit=1000")
	if !errors.Is(err, context.Canceled) || st.attempts != 0 || srv.RequestCount() != 0 {
		t.Errorf("cancelled before sending: err %v, %d attempts, server saw %d; want context.Canceled and none", err, st.attempts, srv.RequestCount())
	}
	// Refused by the host: an attempt, though nothing was written.
	closed := newTestAPI(t, 1, nil)
	closed.srv.Close()
	c, _ = newTestClient(t, closed.url, func(cfg *Config) { cfg.MaxRetries = 0 })
	_, st, err = c.get(ctxT(t), "/logs?offset=0&limit=1000")
	if err == nil || st.attempts != 1 {
		t.Errorf("connection refused: err %v, %d attempts; want an error after 1 attempt", err, st.attempts)
	}
}

func TestABodyOfExactly64MiBIsRead(t *testing.T) {
	page, err := readBody(io.LimitReader(zeros{}, maxPageBytes))
	if err != nil || len(page.body) != maxPageBytes {
		t.Errorf("%d bytes, err %v; want the whole 64 MiB", len(page.body), err)
	}
}

func TestShortenKeepsAMessageOfExactlyTheLimit(t *testing.T) {
	for s, want := range map[string]string{
		"abcde":  "abcde",
		"abcdef": "abcde…",
		"ab de":  "ab de",
		"abcd f": "abcd…", // cut, then trimmed
	} {
		if got := shorten(s, 5); got != want {
			t.Errorf("shorten(%q, 5) = %q, want %q", s, got, want)
		}
	}
}

func TestARequestCancelledAfterItWasSentIsAnAttempt(t *testing.T) {
	// The server has the request; the caller gives up before the answer
	// (a page read ahead past the end of the log). It reached the server, so
	// it counts.
	arrived := make(chan struct{})
	srv := newTestAPI(t, 1, nil)
	srv.OnRequest(func(*http.Request) { close(arrived) })
	srv.InjectFaults(mockapi.Fault{Delay: time.Minute}) // no answer
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxRetries = 0 })
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	_, st, err := c.get(ctx, "/logs?offset=0&limit=1000")
	if !errors.Is(err, context.Canceled) || st.attempts != 1 {
		t.Errorf("err %v, %d attempts; want context.Canceled after 1 attempt", err, st.attempts)
	}
}

func TestEvery5xxReadsAsAServerError(t *testing.T) {
	for _, code := range []int{500, 505, 599} {
		got := newAPIError(code, "/v1/logs", nil, "", func(s string) string { return s }).Error()
		if want := fmt.Sprintf("server error (%d): retry later", code); !strings.HasPrefix(got, want) {
			t.Errorf("%d: %q, want it to start with %q", code, got, want)
		}
	}
}

func TestAPageOfANewSizeIsNoKnownSizeYet(t *testing.T) {
	// The server capped pages at 100, then caps them at 300 (its setting
	// changed mid-read). A page of 300 after pages of 100 shows no size yet:
	// the short page after it (50 at 600) does not end the log; the empty one
	// does.
	var mu sync.Mutex
	served := 0
	srv := newTestAPI(t, 650, nil)
	srv.OnRequest(func(r *http.Request) {
		mu.Lock()
		served++
		limit := map[bool]string{true: "100", false: "300"}[served <= 3]
		mu.Unlock()
		setQuery(r, "limit", limit)
	})
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.MaxConcurrency = 1 })
	got, _, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
	if err != nil {
		t.Fatal(err)
	}
	assertIDs(t, auditIDs(t, got), descending(650, 1))
	if want := []int{0, 100, 200, 300, 600, 650}; !slices.Equal(srv.offsets(), want) {
		t.Errorf("offsets %v, want %v", srv.offsets(), want)
	}
}
