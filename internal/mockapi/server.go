package mockapi

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// Paths served, as the real API spells them under https://api.redislabs.com.
const (
	AuditPath   = "/v1/logs"
	SessionPath = "/v1/session-logs"
)

// Default credentials when Options leaves them empty.
const (
	DefaultAPIKey    = "test-api-key"
	DefaultSecretKey = "test-secret-key"
)

// nginx401 is the body a real 401 has been seen with: HTML, not JSON.
const nginx401 = `<html><head><title>401 Authorization Required</title></head><body><center><h1>401 Authorization Required</h1></center><hr><center>nginx</center></body></html>`

// Options configures a Server. The zero value is a working official-shape server
// with the default credentials.
type Options struct {
	APIKey, SecretKey string        // required x-api-key / x-api-secret-key; "" → DefaultAPIKey / DefaultSecretKey
	Shape             Shape         // "" → ShapeOfficial
	IgnoreFilters     bool          // behave like an older server: ignore startTime, endTime and resourceId
	PageCap           int           // > 0: return at most PageCap entries per page, whatever the limit
	Latency           time.Duration // added to every request (a simulated round trip)
	ForbiddenAPIKey   string        // requests with this x-api-key get 403, whatever the secret
	// RateLimit > 0 enforces that many requests per RateLimitWindow (0 → one
	// minute) for each x-api-key: see ratelimit.go. 0 only counts down the API's
	// 400 per minute in X-Rate-Limit-Remaining.
	RateLimit       int
	RateLimitWindow time.Duration
}

// Request is one request as the server saw it.
type Request struct {
	Time   time.Time // arrival
	Path   string
	Query  url.Values
	Status int // status sent; 0 when no answer was sent
}

// Server is the mock API. It is an http.Handler; mount it on an httptest.Server
// (or any listener) and point a client at URL+"/v1". All methods are safe for
// concurrent use.
type Server struct {
	apiKey, secretKey, forbiddenKey string
	ignoreFilters                   bool
	pageCap                         int

	// mu guards the datasets and settings. The record slices are never modified
	// in place once stored: writers build a new slice and swap it in, so a reader
	// may keep using the slice it took under the read lock.
	mu          sync.RWMutex
	audit       []AuditRecord
	sessions    []SessionRecord
	shape       Shape
	latency     time.Duration
	hook        func(*http.Request)
	prependedID int64

	faultMu sync.Mutex
	faults  []queuedFault
	random  *randomFaults // SetRandomFaults; nil when off

	reqMu                 sync.Mutex
	requests              []Request
	inFlight, maxInFlight int // requests being handled; the most at once
	rate                  *rateWindows
}

// New returns a server with empty datasets.
func New(opts Options) *Server {
	s := &Server{
		apiKey:        opts.APIKey,
		secretKey:     opts.SecretKey,
		forbiddenKey:  opts.ForbiddenAPIKey,
		ignoreFilters: opts.IgnoreFilters,
		pageCap:       opts.PageCap,
		shape:         opts.Shape,
		latency:       opts.Latency,
		rate:          newRateWindows(opts),
	}
	if s.apiKey == "" {
		s.apiKey = DefaultAPIKey
	}
	if s.secretKey == "" {
		s.secretKey = DefaultSecretKey
	}
	if s.shape == "" {
		s.shape = ShapeOfficial
	}
	return s
}

// SetAudit replaces the audit log. The records are copied and stored newest first
// (Time descending, then ID descending), times truncated to whole seconds in UTC.
func (s *Server) SetAudit(records []AuditRecord) {
	sorted := normalizeAudit(records)
	s.mu.Lock()
	s.audit = sorted
	s.mu.Unlock()
}

// SetSessions replaces the session log, stored like SetAudit stores the audit log.
func (s *Server) SetSessions(records []SessionRecord) {
	sorted := normalizeSessions(records)
	s.mu.Lock()
	s.sessions = sorted
	s.mu.Unlock()
}

// PrependAudit adds entries that have just arrived, which shifts every existing
// entry's offset. A zero Time becomes the arrival time and a zero ID the next ID
// above all stored ones, so the entry lands at the head. Entries with an explicit
// older Time are merged in at their place, keeping the list newest first.
func (s *Server) PrependAudit(records ...AuditRecord) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	batch := append([]AuditRecord(nil), records...)
	fillPrependedAudit(batch, s.audit, now)
	s.audit = mergeSorted(normalizeAudit(batch), s.audit, auditNewerFirst)
}

// PrependSessions adds sessions that have just started. A zero Time becomes the
// arrival time and an empty ID a unique "prepended-NNNNNN".
func (s *Server) PrependSessions(records ...SessionRecord) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	batch := append([]SessionRecord(nil), records...)
	fillPrependedSessions(batch, now, &s.prependedID)
	s.sessions = mergeSorted(normalizeSessions(batch), s.sessions, sessionNewerFirst)
}

// SetShape switches the rendering of every later answer.
func (s *Server) SetShape(shape Shape) {
	if shape == "" {
		shape = ShapeOfficial
	}
	s.mu.Lock()
	s.shape = shape
	s.mu.Unlock()
}

// SetLatency changes the delay added to every later request.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

// OnRequest installs a hook called for every request before it is answered (after
// Latency, before faults), for instance to prepend entries in the middle of a scan.
// The hook runs without any lock held, so it may call the server's methods.
// nil removes it.
func (s *Server) OnRequest(hook func(r *http.Request)) {
	s.mu.Lock()
	s.hook = hook
	s.mu.Unlock()
}

// Requests returns a copy of every request recorded so far, in the order their
// answers were decided (each is recorded just before its answer is written).
func (s *Server) Requests() []Request {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Query = cloneValues(r.Query)
		out[i] = r
	}
	return out
}

// ResetRequests forgets the recorded requests and the MaxInFlight seen so far.
func (s *Server) ResetRequests() {
	s.reqMu.Lock()
	s.requests = nil
	s.maxInFlight = s.inFlight
	s.reqMu.Unlock()
}

// MaxInFlight is the most requests the server has been handling at once, each
// from its arrival until its answer was written (or the client went away): how
// far a client reads ahead.
func (s *Server) MaxInFlight() int {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	return s.maxInFlight
}

// RequestCount is len(Requests()) without the copy.
func (s *Server) RequestCount() int {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	return len(s.requests)
}

// ServeHTTP answers one request; see the package documentation for the order of
// the checks. The request is recorded before the answer is written, so a caller
// that has its response can count on finding the request in Requests.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := Request{Time: time.Now(), Path: r.URL.Path, Query: cloneValues(r.URL.Query())}
	s.reqMu.Lock()
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	s.reqMu.Unlock()
	defer func() {
		s.reqMu.Lock()
		s.inFlight--
		s.reqMu.Unlock()
	}()

	s.mu.RLock()
	latency, hook := s.latency, s.hook
	s.mu.RUnlock()

	if !sleepCtx(r, latency) {
		s.record(rec) // the client went away: no answer
		return
	}
	if hook != nil {
		hook(r)
	}
	var rep reply
	remaining, refused, retryAfter := s.rate.take(r.Header.Get("x-api-key"))
	if refused {
		rep = rateLimited(retryAfter)
	} else if f, ok := s.takeFault(r); ok {
		if !sleepCtx(r, f.Delay) {
			s.record(rec)
			return
		}
		rep = s.faultReply(f, r)
	} else {
		rep = s.answer(r)
	}
	if rep.reset {
		s.record(rec)
		resetConnection(w, rep.clean)
		return
	}
	rec.Status = rep.status
	s.record(rec)
	w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(remaining))
	s.write(w, rep)
}

// reply is an answer decided but not yet sent.
type reply struct {
	status      int
	contentType string      // "" sends no Content-Type
	header      http.Header // extra headers, applied last
	body        []byte
	reset       bool // drop the connection instead
	clean       bool // when reset: close it cleanly, without an RST
}

// answer is the normal (fault-free) path.
func (s *Server) answer(r *http.Request) reply {
	var maxLimit int
	switch r.URL.Path {
	case AuditPath:
		maxLimit = maxAuditLimit
	case SessionPath:
		maxLimit = maxSessionLimit
	default:
		return errorReply(http.StatusNotFound, "The resource you were trying to reach was not found or does not exist")
	}
	if r.Method != http.MethodGet {
		rep := errorReply(http.StatusMethodNotAllowed, "Method "+r.Method+" is not allowed; use GET")
		rep.header = http.Header{"Allow": {http.MethodGet}}
		return rep
	}
	key := r.Header.Get("x-api-key")
	if s.forbiddenKey != "" && key == s.forbiddenKey {
		return errorReply(http.StatusForbidden, "Not allowed to access requested resource")
	}
	if key != s.apiKey || r.Header.Get("x-api-secret-key") != s.secretKey {
		return reply{status: http.StatusUnauthorized, contentType: "text/html", body: []byte(nginx401)}
	}

	q, err := parsePageQuery(r.URL.Query(), maxLimit, r.URL.Path == AuditPath, s.ignoreFilters)
	if err != nil {
		var bad badRequest
		if errors.As(err, &bad) {
			return errorReply(http.StatusBadRequest, bad.Error())
		}
		return errorReply(http.StatusInternalServerError, err.Error())
	}

	s.mu.RLock()
	audit, sessions, shape := s.audit, s.sessions, s.shape
	s.mu.RUnlock()

	var body []byte
	if r.URL.Path == AuditPath {
		body, err = renderAudit(shape, auditPage(audit, q, s.pageCap))
	} else {
		body, err = renderSessions(shape, sessionPage(sessions, q, s.pageCap))
	}
	if err != nil {
		return errorReply(http.StatusInternalServerError, err.Error())
	}
	return reply{status: http.StatusOK, contentType: "application/json", body: body}
}

// errorReply is {"description": msg}, the error body used throughout.
func errorReply(status int, msg string) reply {
	body, err := encode(map[string]string{"description": msg})
	if err != nil {
		body = []byte(`{"description":"internal error"}`)
	}
	return reply{status: status, contentType: "application/json", body: body}
}

func (s *Server) write(w http.ResponseWriter, rep reply) {
	h := w.Header()
	if rep.contentType != "" {
		h.Set("Content-Type", rep.contentType)
	} else {
		// Without this net/http would sniff one; the reply says there is none.
		h["Content-Type"] = nil
	}
	for k, vs := range rep.header {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	h.Set("Content-Length", strconv.Itoa(len(rep.body)))
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body)
}

func (s *Server) record(r Request) {
	s.reqMu.Lock()
	s.requests = append(s.requests, r)
	s.reqMu.Unlock()
}

// sleepCtx waits d, or less if the request's context ends first; it reports
// whether the whole wait happened.
func sleepCtx(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
