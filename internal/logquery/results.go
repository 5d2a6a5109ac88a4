package logquery

import (
	"bytes"
	"container/heap"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
)

// Newest is what a read keeps of its matches: every match counts in Total,
// and Entries returns the newest limit of them (all when there is no limit),
// newest first, entries without a time last, entries with equal times in the
// order they were added (the server's order, the only tie-break it offers).
// Its memory grows with the entries it keeps, never with those it was shown:
// with a limit it holds a heap of that many.
type Newest[E any] struct {
	at    func(*E) *time.Time
	limit int64 // negative: no limit
	total int64
	seq   int64
	kept  keptHeap[E]  // with a limit, a heap whose root is the entry to drop first
	all   []E          // without a limit, every entry in the order added,
	times []*time.Time // and its time
}

type ranked[E any] struct {
	entry E
	seq   int64
	t     *time.Time
}

// NewNewest keeps up to *limit entries (all when limit is nil; none when it is
// zero or negative); at gives an entry's time.
func NewNewest[E any](limit *int64, at func(*E) *time.Time) *Newest[E] {
	n := &Newest[E]{at: at, limit: -1}
	if limit != nil {
		n.limit = max(*limit, 0)
	}
	return n
}

// Add counts e and keeps a copy of it while it is among the newest.
func (n *Newest[E]) Add(e *E) {
	n.total++
	if n.limit < 0 {
		n.all, n.times = append(n.all, *e), append(n.times, n.at(e))
		return
	}
	r := ranked[E]{entry: *e, seq: n.seq, t: n.at(e)}
	n.seq++
	switch {
	case int64(len(n.kept)) < n.limit:
		n.kept = append(n.kept, r) // heap.Fix, not heap.Push: Push would box r in an interface
		heap.Fix(&n.kept, len(n.kept)-1)
	case n.limit > 0 && before(&r, &n.kept[0]):
		n.kept[0] = r
		heap.Fix(&n.kept, 0)
	}
}

// Reset forgets everything added, for a read that starts over.
func (n *Newest[E]) Reset() { n.total, n.seq, n.kept, n.all, n.times = 0, 0, nil, nil, nil }

// Total is how many entries were added.
func (n *Newest[E]) Total() int64 { return n.total }

// Entries returns the kept entries, newest first, and whether any added entry
// was left out. The Newest is spent: call Reset before adding again.
func (n *Newest[E]) Entries() (kept []E, truncated bool) {
	if n.limit < 0 { // sorted in place: a copy would double what the read holds
		all := n.all
		sort.Stable(byTime[E]{all, n.times})
		n.all, n.times = nil, nil
		if all == nil {
			all = []E{} // an empty list in state, not null
		}
		return all, false
	}
	slices.SortFunc(n.kept, func(a, b ranked[E]) int {
		if before(&a, &b) {
			return -1
		}
		return 1 // seq makes every pair distinct
	})
	out := make([]E, len(n.kept))
	for i := range n.kept {
		out[i] = n.kept[i].entry
	}
	n.kept = nil
	return out, int64(len(out)) < n.total
}

// before reports whether a comes before b newest first: the newer time first,
// entries without a time last, the earlier added first among equals.
func before[E any](a, b *ranked[E]) bool {
	if c := newestFirst(a.t, b.t); c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}

// keptHeap is a container/heap whose root is the kept entry that Entries puts last.
// Newest uses heap.Fix only; Push and Pop complete heap.Interface.
type keptHeap[E any] []ranked[E]

func (h keptHeap[E]) Len() int           { return len(h) }
func (h keptHeap[E]) Less(i, j int) bool { return before(&h[j], &h[i]) }
func (h keptHeap[E]) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *keptHeap[E]) Push(x any) {
	r, _ := x.(ranked[E]) // only a ranked[E] is ever pushed
	*h = append(*h, r)
}
func (h *keptHeap[E]) Pop() any {
	last := (*h)[len(*h)-1]
	*h = (*h)[:len(*h)-1]
	return last
}

// byTime sorts entries newest first by their times, kept beside them: a comparison
// that took each entry's address would move every entry it compared to the heap.
type byTime[E any] struct {
	entries []E
	times   []*time.Time
}

func (b byTime[E]) Len() int           { return len(b.entries) }
func (b byTime[E]) Less(i, j int) bool { return newestFirst(b.times[i], b.times[j]) < 0 }
func (b byTime[E]) Swap(i, j int) {
	b.entries[i], b.entries[j] = b.entries[j], b.entries[i]
	b.times[i], b.times[j] = b.times[j], b.times[i]
}

func newestFirst(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return b.Compare(*a)
}

// Counts counts entries per non-empty key.
type Counts map[string]int64

func (c Counts) add(key string) {
	if key != "" {
		c[key]++
	}
}

// LastSeen keeps, per non-empty key, the newest time it was given.
type LastSeen map[string]time.Time

func (l LastSeen) add(key string, t *time.Time) {
	if key == "" || t == nil {
		return
	}
	if prev, ok := l[key]; !ok || t.After(prev) {
		l[key] = *t
	}
}

// Strings writes each time in RFC 3339 (FormatTime).
func (l LastSeen) Strings() map[string]string {
	out := make(map[string]string, len(l))
	for k, t := range l {
		out[k] = *FormatTime(&t)
	}
	return out
}

// AuditSummary is the summaries of the audit matches, added one at a time.
type AuditSummary struct {
	// Actions counts entries per Action; entries without an action (the
	// official response shape has none) are left out rather than counted under "".
	Actions Counts
	// Users counts entries per actor, keyed by AuditUserKey, so that API-key
	// actions are visible without being mistaken for a person.
	Users Counts
	// Types counts entries per Type (Account, Subscription, Database, ...).
	Types Counts
	// LastSeen is each actor's newest entry; entries without a time are left out.
	LastSeen LastSeen
}

// NewAuditSummary is an empty summary.
func NewAuditSummary() *AuditSummary {
	return &AuditSummary{Actions: Counts{}, Users: Counts{}, Types: Counts{}, LastSeen: LastSeen{}}
}

// Add adds one match.
func (s *AuditSummary) Add(e *client.AuditEntry) {
	user := AuditUserKey(e)
	s.Actions.add(nonBlank(e.Action))
	s.Users.add(user)
	s.Types.add(nonBlank(e.Type))
	s.LastSeen.add(user, e.Time)
}

// AuditUserKey is the key of an audit entry's actor in user_counts and
// last_seen: the e-mail, else the user name, else "api_key:" and the API key
// name; "" when the entry names none of them.
func AuditUserKey(e *client.AuditEntry) string {
	if key := firstNonBlank(e.UserEmail, e.UserName); key != "" {
		return key
	}
	if k := nonBlank(e.APIKeyName); k != "" {
		return "api_key:" + k
	}
	return ""
}

// SessionUserKey is the key of a session's user in user_counts and last_seen:
// the e-mail, else the user name; "" when the session names neither.
func SessionUserKey(e *client.SessionEntry) string {
	return firstNonBlank(e.UserEmail, e.UserName)
}

// SessionSummary is the summaries of the session matches, added one at a time.
type SessionSummary struct {
	// Actions counts sessions per Action ("Successful login", "Failed login",
	// ...); sessions without one (the seed shape has none) are left out.
	Actions Counts
	// Users counts sessions per SessionUserKey.
	Users Counts
	// Roles counts sessions per UserRole, as sent ("owner", "Logs viewer").
	Roles Counts
	// LastSeen is each user's newest session; sessions without a time are left out.
	LastSeen LastSeen

	addrs  map[netip.Addr]struct{}
	others map[string]struct{}
}

// NewSessionSummary is an empty summary.
func NewSessionSummary() *SessionSummary {
	return &SessionSummary{Actions: Counts{}, Users: Counts{}, Roles: Counts{}, LastSeen: LastSeen{},
		addrs: map[netip.Addr]struct{}{}, others: map[string]struct{}{}}
}

// Add adds one match.
func (s *SessionSummary) Add(e *client.SessionEntry) {
	user := SessionUserKey(e)
	s.Actions.add(nonBlank(e.Action))
	s.Users.add(user)
	s.Roles.add(nonBlank(e.UserRole))
	s.LastSeen.add(user, e.Time)
	if addr, ok := parseEntryAddr(e.IPAddress); ok {
		s.addrs[addr] = struct{}{}
	} else if a := nonBlank(e.IPAddress); a != "" {
		s.others[a] = struct{}{}
	}
}

// DistinctUsers returns the users of the sessions (SessionUserKey), sorted.
func (s *SessionSummary) DistinctUsers() []string {
	return append([]string{}, slices.Sorted(maps.Keys(s.Users))...) // empty, not nil: an empty list in state
}

// DistinctIPAddresses returns the IP addresses of the sessions. Addresses
// that parse are written in canonical form (so "::FFFF:10.0.0.1" and
// "10.0.0.1" are one address, as they are to the ip_cidrs filter) and come
// first in address order, IPv4 before IPv6; the rest follow as sent, sorted
// as strings.
func (s *SessionSummary) DistinctIPAddresses() []string {
	out := make([]string, 0, len(s.addrs)+len(s.others))
	for _, a := range slices.SortedFunc(maps.Keys(s.addrs), netip.Addr.Compare) {
		out = append(out, a.String())
	}
	return append(out, slices.Sorted(maps.Keys(s.others))...)
}

// QueryID returns an id for a query: 32 hex characters of the SHA-256 of the
// canonical JSON of {"args": args, "kind": kind}. encoding/json writes map keys
// sorted and nil as null, and lists keep their order (order can matter to a
// query), so the same query gets the same id on every run and machine. Args
// should be JSON values (strings, numbers, bools, nil, slices, string-keyed
// maps, or types that marshal themselves); anything else is hashed through
// its %#v form rather than failing, because an id must always be produced.
func QueryID(kind string, args map[string]any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Escaping <, > and & would be stable too, but raw text is what a person
	// reproducing an id by hand would write.
	enc.SetEscapeHTML(false)
	doc := map[string]any{"kind": kind, "args": args}
	if err := enc.Encode(doc); err != nil {
		buf.Reset()
		fmt.Fprintf(&buf, "%s\n%#v", kind, args)
	}
	sum := sha256.Sum256(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return hex.EncodeToString(sum[:16])
}

// FormatTime writes t in RFC 3339 in UTC, with fractional seconds only when
// they are not zero; nil stays nil so that an absent time stays null in state.
func FormatTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}

// nonBlank returns *s, or "" when s is nil or only spaces: a blank value
// names nothing and would make an odd map key.
func nonBlank(s *string) string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return ""
	}
	return *s
}

func firstNonBlank(ss ...*string) string {
	for _, s := range ss {
		if v := nonBlank(s); v != "" {
			return v
		}
	}
	return ""
}
