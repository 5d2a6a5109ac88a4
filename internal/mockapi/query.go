package mockapi

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"time"
)

const (
	defaultLimit    = 100
	maxAuditLimit   = 1000
	maxSessionLimit = 100
)

// pageQuery is a validated query string.
type pageQuery struct {
	offset, limit    int
	start, end       time.Time
	hasStart, hasEnd bool
	resourceID       int64
	hasResourceID    bool
}

// badRequest is a 400 answer's description.
type badRequest string

func (b badRequest) Error() string { return string(b) }

// parsePageQuery validates the query of either endpoint. maxLimit is the endpoint's
// largest limit; resourceIDAllowed is false on /v1/session-logs, which does not
// accept resourceId. With ignoreFilters the time and resource parameters are neither
// validated nor kept, like a server older than those filters.
func parsePageQuery(v url.Values, maxLimit int, resourceIDAllowed, ignoreFilters bool) (pageQuery, error) {
	q := pageQuery{limit: defaultLimit}
	if s := v.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return q, badRequest("offset must be a non-negative integer")
		}
		q.offset = n
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return q, badRequest(fmt.Sprintf("limit must be an integer between 1 and %d", maxLimit))
		}
		if n < 1 || n > maxLimit {
			return q, badRequest(fmt.Sprintf("limit must be between 1 and %d", maxLimit))
		}
		q.limit = n
	}
	if ignoreFilters {
		return q, nil
	}
	var err error
	if q.start, q.hasStart, err = parseTimeParam(v, "startTime"); err != nil {
		return q, err
	}
	if q.end, q.hasEnd, err = parseTimeParam(v, "endTime"); err != nil {
		return q, err
	}
	if _, present := v["resourceId"]; present {
		if !resourceIDAllowed {
			return q, badRequest("unknown parameter resourceId")
		}
		if s := v.Get("resourceId"); s != "" {
			n, err := strconv.ParseInt(s, 10, 32) // int32 in the API's document, which rejects the rest
			if err != nil {
				return q, badRequest("resourceId must be a 32-bit integer")
			}
			q.resourceID, q.hasResourceID = n, true
		}
	}
	return q, nil
}

// timeLayouts are the ISO-8601 forms accepted for startTime and endTime. A time
// without a zone is UTC, as the API documents.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02",
}

func parseTimeParam(v url.Values, name string) (time.Time, bool, error) {
	s := v.Get(name)
	if s == "" {
		return time.Time{}, false, nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true, nil
		}
	}
	return time.Time{}, false, badRequest(fmt.Sprintf("%s must be an ISO-8601 date-time such as 2025-01-31T23:59:59Z", name))
}

// timeWindow returns the half-open index range [lo, hi) of a newest-first slice
// whose times t satisfy start <= t <= end (each bound only when given). It is a
// pair of binary searches, so a 100,000-entry dataset costs nothing per request.
func timeWindow(n int, timeAt func(int) time.Time, q pageQuery) (lo, hi int) {
	lo, hi = 0, n
	if q.hasEnd {
		lo = sort.Search(n, func(i int) bool { return !timeAt(i).After(q.end) })
	}
	if q.hasStart {
		hi = sort.Search(n, func(i int) bool { return timeAt(i).Before(q.start) })
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// auditPage applies the query to a newest-first snapshot: time window, resourceId,
// then offset and limit. The result aliases the snapshot and must not be modified.
func auditPage(all []AuditRecord, q pageQuery, pageCap int) []AuditRecord {
	lo, hi := timeWindow(len(all), func(i int) time.Time { return all[i].Time }, q)
	window := all[lo:hi]
	limit := effectiveLimit(q.limit, pageCap)
	if !q.hasResourceID {
		return slicePage(window, q.offset, limit)
	}
	page := make([]AuditRecord, 0, min(limit, 64))
	skipped := 0
	for _, r := range window {
		if r.ResourceID != q.resourceID {
			continue
		}
		if skipped < q.offset {
			skipped++
			continue
		}
		page = append(page, r)
		if len(page) == limit {
			break
		}
	}
	return page
}

// sessionPage applies the query to a newest-first snapshot of sessions.
func sessionPage(all []SessionRecord, q pageQuery, pageCap int) []SessionRecord {
	lo, hi := timeWindow(len(all), func(i int) time.Time { return all[i].Time }, q)
	window := all[lo:hi]
	limit := effectiveLimit(q.limit, pageCap)
	return slicePage(window, q.offset, limit)
}

// slicePage returns window[offset:offset+limit], clipped, without overflowing on a
// huge offset.
func slicePage[T any](window []T, offset, limit int) []T {
	from := min(offset, len(window))
	return window[from:min(from+limit, len(window))]
}

func effectiveLimit(limit, pageCap int) int {
	if pageCap > 0 && pageCap < limit {
		return pageCap
	}
	return limit
}
