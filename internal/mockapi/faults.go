package mockapi

import (
	"net"
	"net/http"
	"time"
)

// Fault is a scripted answer that replaces the normal one: an error status, a
// broken body, a slow answer or a dropped connection.
type Fault struct {
	Path        string        // "" matches any path; else AuditPath or SessionPath
	Status      int           // status to answer; 0 without Reset means 500
	Header      http.Header   // extra headers, e.g. x-rate-limit-retry-after-seconds, Retry-After
	Body        string        // raw body: HTML, JSON, empty, truncated JSON...
	ContentType string        // "" sends none (unless Header names one)
	Delay       time.Duration // wait before answering (ends early if the client goes away)
	Reset       bool          // hijack the connection and close it without answering
	Times       int           // how many matching requests it answers; 0 → 1; negative → forever
}

type queuedFault struct {
	Fault
	remaining int // < 0: forever
}

// InjectFaults appends faults to a FIFO queue. Each request consumes (one use of)
// the first queued fault whose Path matches it; faults come before routing and
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
		s.faults = append(s.faults, queuedFault{Fault: f, remaining: remaining})
	}
}

// ClearFaults empties the fault queue.
func (s *Server) ClearFaults() {
	s.faultMu.Lock()
	s.faults = nil
	s.faultMu.Unlock()
}

// takeFault consumes one use of the first fault matching path.
func (s *Server) takeFault(path string) (Fault, bool) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	for i := range s.faults {
		q := &s.faults[i]
		if q.Path != "" && q.Path != path {
			continue
		}
		f := q.Fault
		if q.remaining > 0 {
			q.remaining--
			if q.remaining == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return f, true
	}
	return Fault{}, false
}

// faultReply is the answer a fault scripts. A Content-Type given in Header counts
// as given.
func faultReply(f Fault) reply {
	if f.Reset {
		return reply{reset: true}
	}
	rep := reply{status: f.Status, contentType: f.ContentType, header: f.Header, body: []byte(f.Body)}
	if rep.status == 0 {
		rep.status = http.StatusInternalServerError
	}
	return rep
}

// resetConnection closes the client's connection without a byte of answer. When
// the writer cannot be hijacked (HTTP/2, a ResponseRecorder) it aborts the handler
// with http.ErrAbortHandler, which the net/http server turns into a dropped
// connection or stream.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // an RST, like a proxy dropping the request
	}
	_ = conn.Close()
}
