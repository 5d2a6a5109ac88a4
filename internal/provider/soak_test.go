package provider

// The soak: hundreds of reads of both data sources with one, four and sixteen pages in
// flight, against the mock API injecting faults at random (429 with either retry header,
// 500/502/503/504, dropped connections, pages slower than request_timeout, entries
// inserted between pages). Every read must return exactly the dataset's entries or, when
// the faults outlasted max_retries, fail with one error; none may crash or hang, and no
// goroutine may outlive its reads. The faults follow a seed, printed in the output and
// taken from SOAK_SEED when set, so that a failure can be replayed:
//
//	SOAK_SEED=<seed> make soak
//
// The soak asserts on what a user sees (the state and the diagnostics), never on the
// client's internals, so it holds for any paging or retry strategy that keeps the
// provider's promise. `make soak` runs it (verbose, with the race detector); `make test`
// runs `make soak` after the other tests.

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"go.uber.org/goleak"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

const (
	soakAudit   = "rediscloud_audit_logs"
	soakSession = "rediscloud_session_logs"

	soakDefaultSeed    uint64 = 20261203
	soakInsertedUser          = "inserted-while-reading@soak.invalid"
	soakReadTimeout           = time.Minute // timeouts.read of every soak read
	soakRequestTimeout        = 500 * time.Millisecond
	soakWatchdogSlack         = 15 * time.Second
	soakPageCap               = 40 // entries per page, so that each read takes about ten pages
	soakAuditEntries          = 400
	soakSessionEntries        = 320
	soakReadsPerBatch         = 13
)

// soakSeed is SOAK_SEED when set, else a fixed seed, so CI meets the same faults every run.
func soakSeed(t *testing.T) uint64 {
	t.Helper()
	s := os.Getenv("SOAK_SEED")
	if s == "" {
		return soakDefaultSeed
	}
	seed, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatalf("SOAK_SEED=%q is not an unsigned integer", s)
	}
	return seed
}

func skipUnlessAcc(t *testing.T) {
	t.Helper()
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("soak tests run with %s=1 (make test, make soak)", resource.EnvTfAcc)
	}
}

// soakWeights: how often each kind of fault is drawn, relative to the others.
var soakWeights = map[mockapi.FaultKind]int{
	mockapi.FaultRateLimited: 2, mockapi.FaultRateLimitedRetryAfter: 2,
	mockapi.FaultInternalServerError: 1, mockapi.FaultBadGateway: 1, mockapi.FaultServiceUnavailable: 1, mockapi.FaultGatewayTimeout: 1,
	mockapi.FaultConnectionReset: 2, mockapi.FaultSlowPage: 1, mockapi.FaultInsert: 2,
}

// soakRandomFaults are the mock's random faults of a batch. The inserted entries belong
// to soakInsertedUser, whom every soak read excludes or whose entries fall after the
// read's end_time: they shift the offsets of a read in progress but never belong in its
// result, so the expected result stays exact.
func soakRandomFaults(seed uint64, rate float64) mockapi.RandomFaults {
	return mockapi.RandomFaults{
		Seed: seed, Rate: rate, Weights: soakWeights,
		RetryAfterSeconds: 1, SlowDelay: 3 * soakRequestTimeout, InsertCount: 2,
		InsertAudit: mockapi.AuditRecord{Type: "Account", Action: "account.update", UserEmail: soakInsertedUser,
			Details: "inserted while a read was paging", Status: "success"},
		InsertSession: mockapi.SessionRecord{UserEmail: soakInsertedUser, UserRole: "owner", IPAddress: "192.0.2.200",
			UserAgent: "soak", Type: "console", Action: "Successful login"},
	}
}

// faultProfile is how hard a batch's faults hit.
type faultProfile struct {
	name       string
	rate       float64 // share of requests that meet a fault
	maxRetries int
}

var soakProfiles = []faultProfile{
	// Retries outlast these faults: a read fails only when one request meets seven
	// failed answers in a row, about (0.15 × 11/13)^7 ≈ 4e-7 per request.
	{name: "recoverable", rate: 0.15, maxRetries: 6},
	// These often outlast max_retries: the read must then fail with one error.
	{name: "exhausting", rate: 0.45, maxRetries: 1},
}

// soakBatch is one provider configuration and one mock, read soakReadsPerBatch times.
type soakBatch struct {
	dataSource    string
	concurrency   int
	profile       faultProfile
	shape         mockapi.Shape
	ignoreFilters bool // the mock behaves like an older server that ignores startTime and endTime
}

func (b soakBatch) name() string {
	server := "filters"
	if b.ignoreFilters {
		server = "ignores-filters"
	}
	return fmt.Sprintf("%s/in-flight-%d/%s/%s-%s", strings.TrimPrefix(b.dataSource, "rediscloud_"), b.concurrency,
		b.profile.name, b.shape, server)
}

// soakTally counts the outcomes of the reads of one data source and concurrency.
type soakTally struct {
	reads, exact, failed, wrong, hangs, crashes int
	slowest                                     time.Duration
}

type soakTotals struct {
	byCase   map[string]*soakTally
	byProf   map[string]*soakTally
	faults   map[mockapi.FaultKind]int
	requests int
	batches  int
	leaks    int
	failures map[string]int    // error summaries of the reads that failed as they should
	samples  map[string]string // one error detail of each
}

func (s *soakTotals) tally(b soakBatch) (byCase, byProfile *soakTally) {
	key := fmt.Sprintf("%s, %2d in flight", b.dataSource, b.concurrency)
	if s.byCase[key] == nil {
		s.byCase[key] = &soakTally{}
	}
	prof := fmt.Sprintf("%s faults (rate %.2f, max_retries %d)", b.profile.name, b.profile.rate, b.profile.maxRetries)
	if s.byProf[prof] == nil {
		s.byProf[prof] = &soakTally{}
	}
	return s.byCase[key], s.byProf[prof]
}

// TestSoakReads is the soak of every read path: 24 batches (both data sources; 1, 4 and
// 16 pages in flight; two fault profiles; both response shapes, one of them from a server
// that ignores the time filters) of 13 reads each, 312 reads in all, with three argument
// forms per batch (exclude_users, start_time with end_time, lookback with exclude_users).
func TestSoakReads(t *testing.T) {
	skipUnlessAcc(t)
	seed := soakSeed(t)
	t.Logf("soak seed %d (replay: SOAK_SEED=%d make soak)", seed, seed)
	logs := newLogScanner(testAPIKey, testSecretKey)
	totals := &soakTotals{byCase: map[string]*soakTally{}, byProf: map[string]*soakTally{}, faults: map[mockapi.FaultKind]int{}, failures: map[string]int{}, samples: map[string]string{}}
	began := time.Now()

	index := uint64(0)
	for _, dataSource := range []string{soakAudit, soakSession} {
		for _, concurrency := range []int{1, 4, 16} {
			for _, profile := range soakProfiles {
				for _, server := range []struct {
					shape         mockapi.Shape
					ignoreFilters bool
				}{{mockapi.ShapeOfficial, false}, {mockapi.ShapeSeed, true}} {
					b := soakBatch{dataSource: dataSource, concurrency: concurrency, profile: profile,
						shape: server.shape, ignoreFilters: server.ignoreFilters}
					index++
					batchSeed := seed*1_000_003 + index // each batch draws its own faults
					t.Run(b.name(), func(t *testing.T) {
						runSoakBatch(t, b, batchSeed, logs, totals)
					})
				}
			}
		}
	}

	records, leaked, sample := logs.counts()
	if leaked > 0 {
		t.Errorf("%d of %d log records hold a secret, such as: %.300s", leaked, records, sample)
	}
	if records < 1000 {
		t.Errorf("only %d log records: the provider's logger was not exercised", records)
	}
	reportSoak(t, seed, totals, records, leaked, time.Since(began))
}

func runSoakBatch(t *testing.T, b soakBatch, seed uint64, logs *logScanner, totals *soakTotals) {
	ignore := goleak.IgnoreCurrent()
	mock := mockapi.New(mockapi.Options{APIKey: testAPIKey, SecretKey: testSecretKey, Shape: b.shape,
		IgnoreFilters: b.ignoreFilters, PageCap: soakPageCap})
	var want []readEntry
	if b.dataSource == soakAudit {
		records := mockapi.GenerateAudit(soakAuditEntries, int64(seed>>1), fixtureBase, 30*24*time.Hour)
		mock.SetAudit(records)
		want = auditEntries(records)
	} else {
		records := mockapi.GenerateSessions(soakSessionEntries, int64(seed>>1), fixtureBase, 30*24*time.Hour)
		mock.SetSessions(records)
		want = sessionEntries(records)
	}
	oldest, newest := want[0].at, want[0].at
	for _, e := range want {
		oldest, newest = minTime(oldest, e.at), maxTime(newest, e.at)
	}
	mock.SetRandomFaults(soakRandomFaults(seed, b.profile.rate))
	srv, url := startMock(mock)
	defer srv.Close()

	p := configureProtocolProvider(t, url, map[string]tftypes.Value{
		"max_concurrency":     tftypes.NewValue(tftypes.Number, b.concurrency),
		"max_retries":         tftypes.NewValue(tftypes.Number, b.profile.maxRetries),
		"retry_wait_min":      tftypes.NewValue(tftypes.String, "1ms"),
		"retry_wait_max":      tftypes.NewValue(tftypes.String, "20ms"),
		"request_timeout":     tftypes.NewValue(tftypes.String, soakRequestTimeout.String()),
		"requests_per_minute": tftypes.NewValue(tftypes.Number, 1_000_000),
	})
	schemaType := p.schemaType(b.dataSource)
	ctx := loggingContext(logs)
	tally, profileTally := totals.tally(b)
	totals.batches++

	for i := range soakReadsPerBatch {
		args := map[string]tftypes.Value{"timeouts": readTimeoutValue(t, schemaType, soakReadTimeout)}
		switch i % 3 {
		case 0:
			args["exclude_users"] = tfStringList(soakInsertedUser)
		case 1:
			args["start_time"] = tftypes.NewValue(tftypes.String, ts(oldest))
			args["end_time"] = tftypes.NewValue(tftypes.String, ts(newest))
		case 2:
			args["lookback"] = tftypes.NewValue(tftypes.String, "3650d")
			args["exclude_users"] = tfStringList(soakInsertedUser)
		}
		mock.ResetFaultStats()
		o := p.read(t, ctx, b.dataSource, args, soakReadTimeout+soakWatchdogSlack)
		stats := mock.FaultStats()
		totals.requests += stats.Requests
		for kind, n := range stats.Injected {
			totals.faults[kind] += n
		}
		tally.reads++
		tally.slowest = max(tally.slowest, o.took)

		verdict, detail := judgeSoakRead(o, schemaType, want, stats, b.profile.maxRetries, soakReadTimeout)
		profileTally.reads++
		switch verdict {
		case "exact":
			profileTally.exact++
		case "failed":
			profileTally.failed++
		}
		switch verdict {
		case "exact":
			tally.exact++
		case "failed":
			tally.failed++
			kind, _, _ := strings.Cut(detail, "\n")
			totals.failures[kind]++
			if _, example, _ := strings.Cut(detail, "\n"); totals.samples[kind] == "" {
				totals.samples[kind] = example
			}
		case "hang":
			tally.hangs++
			t.Fatalf("read %d hung (%s); seed %d", i, detail, seed)
		case "crash":
			tally.crashes++
			t.Errorf("read %d crashed: %s", i, detail)
		default:
			tally.wrong++
			t.Errorf("read %d (args form %d): %s; faults met: %v (longest run %d)", i, i%3, detail,
				stats.Injected, stats.LongestRun)
		}
	}

	srv.Close() // ends the connections the provider keeps alive, and with them their goroutines
	if err := leakedGoroutines(ignore, 10*time.Second); err != nil {
		totals.leaks++
		t.Errorf("goroutines left behind after the batch's reads: %v", err)
	}
}

// judgeSoakRead classifies one read: "exact", "failed" (one error, after faults that
// outlasted max_retries; detail is the error's summary), "hang", "crash", or "wrong"
// (with what was wrong).
func judgeSoakRead(o protocolOutcome, schemaType tftypes.Type, want []readEntry, stats mockapi.FaultStats,
	maxRetries int, readTimeout time.Duration) (verdict, detail string) {
	switch {
	case o.hung:
		return "hang", fmt.Sprintf("no answer after %v", o.took)
	case o.panicked != nil:
		return "crash", fmt.Sprint(o.panicked)
	case o.err != nil:
		return "wrong", "ReadDataSource returned an error: " + o.err.Error()
	case o.took > readTimeout+5*time.Second:
		return "hang", fmt.Sprintf("took %v, past timeouts.read (%v)", o.took, readTimeout)
	}
	for _, d := range o.resp.Diagnostics {
		for _, secret := range []string{testAPIKey, testSecretKey} {
			if strings.Contains(d.Summary+d.Detail, secret) {
				return "wrong", "a diagnostic holds a secret: " + d.Summary
			}
		}
	}
	state, err := decodeReadState(o.resp, schemaType)
	if err != nil {
		return "wrong", "decoding the state: " + err.Error()
	}
	errs := errorDiagnostics(o.resp.Diagnostics)
	switch {
	case len(errs) == 0:
		if diff := sameEntries(state, want); diff != "" {
			return "wrong", "wrong result: " + diff
		}
		return "exact", ""
	case len(errs) > 1:
		return "wrong", fmt.Sprintf("%d errors, want one: %q, %q", len(errs), errs[0].Summary, errs[1].Summary)
	case !state.entriesNull:
		return "wrong", fmt.Sprintf("an error (%s) and %d entries in the state", errs[0].Summary, len(state.entries))
	case stats.LongestRun <= maxRetries:
		return "wrong", fmt.Sprintf("failed (%s: %.200s) although no request met more than %d failed answers in a row, and max_retries is %d",
			errs[0].Summary, errs[0].Detail, stats.LongestRun, maxRetries)
	}
	return "failed", errs[0].Summary + ": " + errorKind(errs[0].Detail) + "\n" + errs[0].Detail
}

// errorKind reduces an error detail to what it names, for the summary.
func errorKind(detail string) string {
	for _, kind := range []string{"request_timeout", "429", "500", "502", "503", "504", "reset", "EOF", "timeouts.read"} {
		if strings.Contains(detail, kind) {
			return kind
		}
	}
	return "other"
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// reportSoak logs the figures that the README's reliability table quotes and fails the
// test on any wrong result, hang, crash or leak.
func reportSoak(t *testing.T, seed uint64, totals *soakTotals, logRecords, logLeaks int, took time.Duration) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "soak summary (seed %d, %d batches, %v):\n", seed, totals.batches, took.Round(time.Second))
	keys := make([]string, 0, len(totals.byCase))
	for k := range totals.byCase {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var all soakTally
	fmt.Fprintf(&b, "  %-40s %5s %5s %6s %5s %5s %7s %8s\n", "case", "reads", "exact", "failed", "wrong", "hangs", "crashes", "slowest")
	for _, k := range keys {
		c := totals.byCase[k]
		fmt.Fprintf(&b, "  %-40s %5d %5d %6d %5d %5d %7d %8v\n", k, c.reads, c.exact, c.failed, c.wrong, c.hangs, c.crashes,
			c.slowest.Round(time.Millisecond))
		all.reads += c.reads
		all.exact += c.exact
		all.failed += c.failed
		all.wrong += c.wrong
		all.hangs += c.hangs
		all.crashes += c.crashes
		all.slowest = max(all.slowest, c.slowest)
	}
	fmt.Fprintf(&b, "  %-40s %5d %5d %6d %5d %5d %7d %8v\n", "all", all.reads, all.exact, all.failed, all.wrong, all.hangs,
		all.crashes, all.slowest.Round(time.Millisecond))
	profiles := make([]string, 0, len(totals.byProf))
	for k := range totals.byProf {
		profiles = append(profiles, k)
	}
	sort.Strings(profiles)
	for _, k := range profiles {
		c := totals.byProf[k]
		fmt.Fprintf(&b, "  %s: %d reads, %d exact, %d failed with one error\n", k, c.reads, c.exact, c.failed)
	}
	injected := 0
	fmt.Fprintf(&b, "  faults injected into %d requests:", totals.requests)
	for _, kind := range mockapi.AllFaultKinds {
		fmt.Fprintf(&b, " %s: %d;", kind, totals.faults[kind])
		injected += totals.faults[kind]
	}
	fmt.Fprintf(&b, " total %d\n", injected)
	failures := make([]string, 0, len(totals.failures))
	for f, n := range totals.failures {
		failures = append(failures, fmt.Sprintf("%d × %s", n, f))
	}
	sort.Strings(failures)
	fmt.Fprintf(&b, "  reads failing after max_retries, by error: %s\n", strings.Join(failures, "; "))
	kinds := make([]string, 0, len(totals.samples))
	for k := range totals.samples {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(&b, "    e.g. %s: %.300s\n", k, totals.samples[k])
	}
	fmt.Fprintf(&b, "  batches leaving goroutines behind: %d of %d; log records: %d, holding a secret: %d",
		totals.leaks, totals.batches, logRecords, logLeaks)
	t.Log(b.String())

	if all.reads < 300 {
		t.Errorf("only %d reads: the soak promises at least 300", all.reads)
	}
	if all.exact == 0 || all.failed == 0 {
		t.Errorf("%d exact and %d failed reads: the soak must see both outcomes to say anything", all.exact, all.failed)
	}
	for _, kind := range mockapi.AllFaultKinds {
		if totals.faults[kind] == 0 {
			t.Errorf("no %q fault was injected: that read path went untested", kind)
		}
	}
}

// TestSoakConcurrentFullRead is the reproduction of the crash in issue 9 (a full read of
// 100,000 audit entries at a 100 ms round trip with requests_per_minute = 100000 crashed
// the provider with "concurrent map writes" in one run of six), scaled to CI: a read of
// 100 pages (1,000 entries, 10 a page) at a 20 ms round trip, with the default
// max_concurrency and with 16, on a context that logs with the secrets masked as
// Terraform's does, 50 times in a row. What crashed was page goroutines logging at once,
// one line per request, so the number of pages and of pages in flight is what the
// reproduction keeps; the race detector (make soak runs it) flags the unsynchronised map
// writes on every such read, where the crash needed them to collide. Each read must return
// every entry. SOAK_REPRO=full runs the original figures instead (100,000 entries in pages
// of 1,000 at 100 ms, default concurrency): minutes, so not in CI; SOAK_REPRO_RUNS changes
// the number of reads.
func TestSoakConcurrentFullRead(t *testing.T) {
	skipUnlessAcc(t)
	runs := 50
	if s := os.Getenv("SOAK_REPRO_RUNS"); s != "" {
		var err error
		if runs, err = strconv.Atoi(s); err != nil || runs < 1 {
			t.Fatalf("SOAK_REPRO_RUNS=%q is not a positive integer", s)
		}
	}
	n, pageCap, rtt, concurrencies := 1_000, 10, 20*time.Millisecond, []int{0, 16}
	full := os.Getenv("SOAK_REPRO") == "full"
	if full {
		n, pageCap, rtt, concurrencies = 100_000, 0, 100*time.Millisecond, []int{0}
	}
	records := mockapi.GenerateAudit(n, 9, fixtureBase, 90*24*time.Hour)
	want := auditEntries(records)
	logs := newLogScanner(testAPIKey, testSecretKey)
	ignore := goleak.IgnoreCurrent()

	mock := mockapi.New(mockapi.Options{APIKey: testAPIKey, SecretKey: testSecretKey, PageCap: pageCap, Latency: rtt})
	mock.SetAudit(records)
	srv, url := startMock(mock)
	defer srv.Close()
	providers := map[int]*protocolProvider{}
	for _, c := range concurrencies {
		args := map[string]tftypes.Value{"requests_per_minute": tftypes.NewValue(tftypes.Number, 100_000)}
		if c > 0 {
			args["max_concurrency"] = tftypes.NewValue(tftypes.Number, c)
		}
		providers[c] = configureProtocolProvider(t, url, args)
	}
	schemaType := providers[concurrencies[0]].schemaType(soakAudit)
	ctx := loggingContext(logs)

	var slowest time.Duration
	for run := range runs {
		c := concurrencies[run%len(concurrencies)]
		before := mock.RequestCount()
		o := providers[c].read(t, ctx, soakAudit, nil, defaultReadTimeout+soakWatchdogSlack)
		verdict, detail := judgeSoakRead(o, schemaType, want, mockapi.FaultStats{}, -1, defaultReadTimeout)
		if verdict != "exact" {
			t.Fatalf("run %d of %d (max_concurrency %d): %s: %s", run+1, runs, c, verdict, detail)
		}
		if pages := mock.RequestCount() - before; pages < 100 {
			t.Fatalf("run %d made %d requests: fewer pages than the reproduction needs", run+1, pages)
		}
		slowest = max(slowest, o.took)
		if full { // minutes in all: show progress
			t.Logf("run %d of %d: %d entries, exact, in %v", run+1, runs, n, o.took.Round(time.Millisecond))
		}
	}
	srv.Close()
	if err := leakedGoroutines(ignore, 10*time.Second); err != nil {
		t.Errorf("goroutines left behind: %v", err)
	}
	records2, leaked, sample := logs.counts()
	if leaked > 0 {
		t.Errorf("%d log records hold a secret, such as: %.300s", leaked, sample)
	}
	if records2 < runs*100 {
		t.Errorf("only %d log records: the provider's logger was not exercised", records2)
	}
	t.Logf("%d full reads of %d audit entries in a row (max_concurrency %v; 0 is the default), every one exact; "+
		"slowest %v; %d log records, none holding a secret", runs, n, concurrencies, slowest.Round(time.Millisecond), records2)
}

// TestSoakThroughTerraform runs a few of the soak's reads through the real Terraform
// CLI: both data sources, 16 and then 4 pages in flight, random faults that retries
// outlast.
func TestSoakThroughTerraform(t *testing.T) {
	seed := soakSeed(t)
	mock, url := testMock(t, mockapi.Options{Shape: mockapi.ShapeSeed, PageCap: soakPageCap})
	audit := mockapi.GenerateAudit(soakAuditEntries, 3, fixtureBase, 30*24*time.Hour)
	sessions := mockapi.GenerateSessions(soakSessionEntries, 3, fixtureBase, 30*24*time.Hour)
	mock.SetAudit(audit)
	mock.SetSessions(sessions)
	mock.SetRandomFaults(soakRandomFaults(seed, 0.2))

	config := func(concurrency int) string {
		return providerBlock(url, fmt.Sprintf(`max_concurrency = %d
  max_retries = 10
  retry_wait_min = "1ms"
  retry_wait_max = "20ms"
  request_timeout = "1s"
  requests_per_minute = 1000000`, concurrency)) + fmt.Sprintf(`
data "rediscloud_audit_logs" "test" {
  exclude_users = [%[1]q]
}
data "rediscloud_session_logs" "test" {
  exclude_users = [%[1]q]
}
`, soakInsertedUser)
	}
	for _, want := range [][]readEntry{auditEntries(audit), sessionEntries(sessions)} {
		last := len(want) - 1
		if want[0].at.Equal(want[1].at) || want[last].at.Equal(want[last-1].at) {
			t.Fatal("the dataset's newest or oldest entries share a time: pick another generator seed")
		}
	}
	checks := []statecheck.StateCheck{
		attrEquals(auditAddr, "total_count", knownvalue.Int64Exact(soakAuditEntries)),
		attrEquals(auditAddr, "entries", knownvalue.ListSizeExact(soakAuditEntries)),
		newestAndOldest(auditAddr, auditEntries(audit)),
		attrEquals(sessionAddr, "total_count", knownvalue.Int64Exact(soakSessionEntries)),
		attrEquals(sessionAddr, "entries", knownvalue.ListSizeExact(soakSessionEntries)),
		newestAndOldest(sessionAddr, sessionEntries(sessions)),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config(16), ConfigStateChecks: checks},
			{Config: config(4), ConfigStateChecks: checks},
		},
	})
	stats := mock.FaultStats()
	injected := 0
	for _, n := range stats.Injected {
		injected += n
	}
	if injected == 0 {
		t.Fatal("no fault was injected: the test proved nothing")
	}
	t.Logf("seed %d: %d requests, %d faults injected: %v", seed, stats.Requests, injected, stats.Injected)
}

// newestAndOldest checks the first and last entries' ids against a newest-first dataset
// whose first two and last two entries have distinct times.
func newestAndOldest(address string, want []readEntry) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(address, tfjsonpath.New("entries"), knownvalue.ListPartial(map[int]knownvalue.Check{
		0:             knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(want[0].id)}),
		len(want) - 1: knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact(want[len(want)-1].id)}),
	}))
}
