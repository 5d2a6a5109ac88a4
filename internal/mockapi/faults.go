package mockapi

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Fault is a scripted answer that replaces the normal one: an error status, a
// broken body, a slow answer or a dropped connection.
type Fault struct {
	Path        string        // "" matches any path; else AuditPath or SessionPath
	Query       url.Values    // nil matches any query; else each listed parameter must have one of its values, e.g. offset=300
	Status      int           // status to answer; 0 without Reset means 500
	Header      http.Header   // extra headers, e.g. x-rate-limit-retry-after-seconds, Retry-After
	Body        string        // raw body: HTML, JSON, empty, truncated JSON...
	ContentType string        // "" sends none (unless Header names one)
	Delay       time.Duration // wait before answering (ends early if the client goes away)
	Reset       bool          // hijack the connection and close it without answering, with a TCP reset
	Close       bool          // the same, closed cleanly: the client reads EOF, not a reset
	Answer      bool          // after Delay, answer as if there were no fault (a slow page)
	Times       int           // how many matching requests it answers; 0 → 1; negative → forever
}

type queuedFault struct {
	Fault
	remaining int // < 0: forever
}

// InjectFaults appends faults to a FIFO queue. Each request consumes (one use of)
// the first queued fault whose Path and Query match it; faults come before routing and
// authentication.
func (s *Server) InjectFaults(faults ...Fault) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	for _, f := range faults {
		remaining := f.Times
		switch {
		case remaining == 0:
			remaining = 1
		case remaining < 0:
			remaining = -1
		}
		f.Header = f.Header.Clone()
		f.Query = cloneValues(f.Query)
		s.faults = append(s.faults, queuedFault{Fault: f, remaining: remaining})
	}
}

// ClearFaults empties the fault queue.
func (s *Server) ClearFaults() {
	s.faultMu.Lock()
	s.faults = nil
	s.faultMu.Unlock()
}

// takeFault consumes one use of the first queued fault matching the request's
// path; without one, it lets the random faults (SetRandomFaults) draw. An insertion
// drawn at random is done here, and the request then goes on to its normal answer.
func (s *Server) takeFault(r *http.Request) (Fault, bool) {
	f, ok, insert := s.nextFault(r)
	if insert != nil {
		insert()
	}
	return f, ok
}

func (s *Server) nextFault(r *http.Request) (f Fault, ok bool, insert func()) {
	path := r.URL.Path
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	for i := range s.faults {
		q := &s.faults[i]
		if (q.Path != "" && q.Path != path) || !matchQuery(q.Query, r) {
			continue
		}
		f := q.Fault
		if q.remaining > 0 {
			q.remaining--
			if q.remaining == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return f, true, nil
	}
	rf := s.random
	if rf == nil || (path != AuditPath && path != SessionPath) {
		return Fault{}, false, nil
	}
	kind, faulted := rf.draw(path + "?" + r.URL.RawQuery)
	switch {
	case !faulted:
		return Fault{}, false, nil
	case kind == FaultInsert:
		return Fault{}, false, s.inserter(path, rf.cfg)
	}
	return rf.fault(kind), true, nil
}

// matchQuery reports whether r's query has, for each parameter of want, one of
// its values. It parses the query only when there is something to match, so
// that requests without faults cost nothing more.
func matchQuery(want url.Values, r *http.Request) bool {
	if len(want) == 0 {
		return true
	}
	query := r.URL.Query()
	for k, vs := range want {
		if !slices.Contains(vs, query.Get(k)) {
			return false
		}
	}
	return true
}

// inserter returns the insertion of cfg's template entries at the head of the log
// at path, to run once faultMu is released (it takes the dataset lock).
func (s *Server) inserter(path string, cfg RandomFaults) func() {
	if path == AuditPath {
		batch := make([]AuditRecord, cfg.InsertCount)
		for i := range batch {
			batch[i] = cfg.InsertAudit
		}
		return func() { s.PrependAudit(batch...) }
	}
	batch := make([]SessionRecord, cfg.InsertCount)
	for i := range batch {
		batch[i] = cfg.InsertSession
	}
	return func() { s.PrependSessions(batch...) }
}

// faultReply is the answer a fault scripts. A Content-Type given in Header counts
// as given.
func (s *Server) faultReply(f Fault, r *http.Request) reply {
	if f.Answer {
		return s.answer(r)
	}
	if f.Reset || f.Close {
		return reply{reset: true, clean: f.Close}
	}
	rep := reply{status: f.Status, contentType: f.ContentType, header: f.Header, body: []byte(f.Body)}
	if rep.status == 0 {
		rep.status = http.StatusInternalServerError
	}
	return rep
}

// resetConnection closes the client's connection without a byte of answer, with
// an RST unless clean. When the writer cannot be hijacked (HTTP/2, a
// ResponseRecorder) it aborts the handler with http.ErrAbortHandler, which the
// net/http server turns into a dropped connection or stream.
func resetConnection(w http.ResponseWriter, clean bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok && !clean {
		_ = tcp.SetLinger(0) // an RST, like a proxy dropping the request
	}
	_ = conn.Close()
}
