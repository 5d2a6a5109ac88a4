package mockapi

import (
	"encoding/binary"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// FaultKind names a fault that RandomFaults may draw.
type FaultKind string

// The kinds RandomFaults draws from. All but FaultInsert replace the answer; an
// insertion prepends entries and then answers normally, which shifts every
// offset of a read in progress, as new log entries do on the real service.
const (
	FaultRateLimited           FaultKind = "429 x-rate-limit-retry-after-seconds"
	FaultRateLimitedRetryAfter FaultKind = "429 Retry-After"
	FaultInternalServerError   FaultKind = "500"
	FaultBadGateway            FaultKind = "502"
	FaultServiceUnavailable    FaultKind = "503"
	FaultGatewayTimeout        FaultKind = "504"
	FaultConnectionReset       FaultKind = "connection reset"
	FaultSlowPage              FaultKind = "slow page"
	FaultInsert                FaultKind = "entries inserted"
)

// AllFaultKinds is every FaultKind, in a fixed order.
var AllFaultKinds = []FaultKind{
	FaultRateLimited, FaultRateLimitedRetryAfter,
	FaultInternalServerError, FaultBadGateway, FaultServiceUnavailable, FaultGatewayTimeout,
	FaultConnectionReset, FaultSlowPage, FaultInsert,
}

// RandomFaults makes the server meet a share of the requests to AuditPath and
// SessionPath with a fault drawn at random. The draw for a request depends only on
// Seed, the request's path and query, and how many requests with that same path
// and query came before it, not on arrival order, so a run with the same seed and
// the same requests meets the same faults even when pages are fetched
// concurrently. Queued faults (InjectFaults) come first.
type RandomFaults struct {
	Seed uint64
	// Rate is the chance, from 0 to 1, that a request meets a fault.
	Rate float64
	// Weights gives each kind's relative weight; a kind left out is never drawn.
	// nil draws every kind of AllFaultKinds with weight 1.
	Weights map[FaultKind]int
	// RetryAfterSeconds is sent in x-rate-limit-retry-after-seconds or Retry-After; 0 → 1.
	RetryAfterSeconds int
	// SlowDelay is how long a slow page waits before it answers normally (if the
	// client still waits); 0 → 2s. Make it longer than the client's per-attempt timeout.
	SlowDelay time.Duration
	// InsertCount is how many entries an insertion prepends; 0 → 1.
	InsertCount int
	// InsertAudit and InsertSession are the templates an insertion prepends to the
	// log being read: a zero Time becomes the arrival time and a zero ID a new one
	// (see PrependAudit, PrependSessions), so they land at the head.
	InsertAudit   AuditRecord
	InsertSession SessionRecord
}

// FaultStats counts what RandomFaults did since it was set or since ResetFaultStats.
type FaultStats struct {
	Requests int               // requests to AuditPath or SessionPath that drew
	Injected map[FaultKind]int // faults injected, by kind
	// LongestRun is the longest series of consecutive failed answers (every kind
	// but FaultInsert) met by requests with the same path and query: a read whose
	// client retries each request at most n times can only fail when it is above n.
	LongestRun int
}

// randomFaults is the state behind SetRandomFaults; Server.faultMu guards it.
type randomFaults struct {
	cfg     RandomFaults
	kinds   []FaultKind // the kinds with a positive weight
	weights []int
	total   int
	seen    map[string]int // requests so far per path and query
	run     map[string]int // consecutive failed answers per path and query
	stats   FaultStats
}

// SetRandomFaults starts injecting faults at random as cfg says, with fresh
// counts; a Rate of 0 or less stops it.
func (s *Server) SetRandomFaults(cfg RandomFaults) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	if cfg.Rate <= 0 {
		s.random = nil
		return
	}
	if cfg.RetryAfterSeconds <= 0 {
		cfg.RetryAfterSeconds = 1
	}
	if cfg.SlowDelay <= 0 {
		cfg.SlowDelay = 2 * time.Second
	}
	if cfg.InsertCount <= 0 {
		cfg.InsertCount = 1
	}
	rf := &randomFaults{cfg: cfg, seen: map[string]int{}, run: map[string]int{}}
	for _, k := range AllFaultKinds {
		w := 1
		if cfg.Weights != nil {
			w = cfg.Weights[k]
		}
		if w > 0 {
			rf.kinds, rf.weights, rf.total = append(rf.kinds, k), append(rf.weights, w), rf.total+w
		}
	}
	rf.stats.Injected = map[FaultKind]int{}
	s.random = rf
}

// FaultStats returns what the random faults did since they were set or since
// ResetFaultStats; the zero FaultStats when none are set.
func (s *Server) FaultStats() FaultStats {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	out := FaultStats{Injected: map[FaultKind]int{}}
	if s.random == nil {
		return out
	}
	out.Requests, out.LongestRun = s.random.stats.Requests, s.random.stats.LongestRun
	for k, n := range s.random.stats.Injected {
		out.Injected[k] = n
	}
	return out
}

// ResetFaultStats zeroes the counts and the runs of failed answers, for instance
// between two reads. The draws go on where they were.
func (s *Server) ResetFaultStats() {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	if s.random != nil {
		s.random.stats = FaultStats{Injected: map[FaultKind]int{}}
		clear(s.random.run)
	}
}

// draw decides the fate of one request; the caller holds faultMu.
func (rf *randomFaults) draw(key string) (FaultKind, bool) {
	n := rf.seen[key]
	rf.seen[key] = n + 1
	rf.stats.Requests++

	h := fnv.New64a()
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], rf.cfg.Seed)
	_, _ = h.Write(buf[:])
	_, _ = h.Write([]byte(key))
	binary.LittleEndian.PutUint64(buf[:], uint64(n))
	_, _ = h.Write(buf[:])
	rng := rand.New(rand.NewPCG(rf.cfg.Seed, h.Sum64()))

	kind, faulted := FaultKind(""), false
	if rng.Float64() < rf.cfg.Rate && rf.total > 0 {
		pick := rng.IntN(rf.total)
		for i, w := range rf.weights {
			if pick < w {
				kind, faulted = rf.kinds[i], true
				break
			}
			pick -= w
		}
	}
	if faulted {
		rf.stats.Injected[kind]++
	}
	if faulted && kind != FaultInsert {
		rf.run[key]++
		rf.stats.LongestRun = max(rf.stats.LongestRun, rf.run[key])
	} else {
		delete(rf.run, key)
	}
	return kind, faulted
}

// fault is the scripted answer of a drawn kind other than FaultInsert.
func (rf *randomFaults) fault(kind FaultKind) Fault {
	retryAfter := strconv.Itoa(rf.cfg.RetryAfterSeconds)
	switch kind {
	case FaultRateLimited:
		return Fault{Status: http.StatusTooManyRequests, Header: http.Header{"X-Rate-Limit-Retry-After-Seconds": {retryAfter}},
			ContentType: "application/json", Body: `{"description":"Too many requests"}`}
	case FaultRateLimitedRetryAfter:
		return Fault{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {retryAfter}},
			ContentType: "text/html", Body: "<html><body><h1>429 Too Many Requests</h1></body></html>"}
	case FaultInternalServerError:
		return Fault{Status: http.StatusInternalServerError, ContentType: "application/json", Body: `{"description":"Internal error"}`}
	case FaultBadGateway:
		return Fault{Status: http.StatusBadGateway, ContentType: "text/html", Body: "<html><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"}
	case FaultServiceUnavailable:
		return Fault{Status: http.StatusServiceUnavailable, Body: "Service Unavailable"}
	case FaultGatewayTimeout:
		return Fault{Status: http.StatusGatewayTimeout, ContentType: "text/html", Body: "<html><body><h1>504 Gateway Time-out</h1></body></html>"}
	case FaultConnectionReset:
		return Fault{Reset: true}
	case FaultSlowPage:
		return Fault{Delay: rf.cfg.SlowDelay, Answer: true}
	}
	return Fault{}
}
