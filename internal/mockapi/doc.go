// Package mockapi is an in-process stand-in for Redis Cloud's account logs API
// (GET /v1/logs and GET /v1/session-logs), used by the acceptance tests, the client
// tests, the benchmarks and the demo. It imports only the standard library.
//
// The server answers in one of two shapes: ShapeOfficial follows the published
// OpenAPI document ({"entries": [...], "links": []}); ShapeSeed follows the seed
// document this project started from ({"logs": [...]}, {"sessions": [...]}). The same
// canonical AuditRecord and SessionRecord values are rendered in either shape.
//
// Behaviour, in the order a request meets it:
//
//  1. Options.Latency (or SetLatency) is slept; the sleep ends early, without an
//     answer, when the request context is cancelled.
//  2. The OnRequest hook runs. It may block (a slow page) and may change the
//     request's URL, which the rest follows (a server that ignores offset).
//  3. The first queued Fault whose Path and Query match answers instead of everything below
//     (faults take precedence over routing and authentication). Without one, the
//     random faults of SetRandomFaults, if set, may draw one for /v1/logs and
//     /v1/session-logs: a 429 with either retry header, a 5xx, a dropped
//     connection, a slow page, or new entries prepended before the normal answer.
//  4. Routing: an unknown path is 404 with a small JSON body; a method other than GET
//     on a known path is 405.
//  5. Authentication: x-api-key equal to Options.ForbiddenAPIKey is 403 (JSON);
//     a missing or wrong x-api-key or x-api-secret-key is 401 with the nginx HTML page
//     that the real service has been seen to send.
//  6. Query: offset (≥ 0, default 0), limit (default 100; 1..1000 on /v1/logs, 1..100
//     on /v1/session-logs), startTime and endTime (inclusive), resourceId (/v1/logs
//     only; 400 on /v1/session-logs). Bad values are 400 with {"description": "..."}.
//     With Options.IgnoreFilters, startTime, endTime and resourceId are neither
//     validated nor applied, like a server older than the 2025 filters.
//  7. Filtering happens first, then offset and limit over the newest-first list;
//     Options.PageCap silently shortens pages.
//
// Every answer carries X-Rate-Limit-Remaining: the requests left to the x-api-key
// in a fixed window (400 per minute, counted down, never enforced; or, with
// Options.RateLimit, that many per Options.RateLimitWindow, enforced: once the
// window is spent, requests are answered 429 with x-rate-limit-retry-after-seconds
// and Retry-After until it ends, before faults and authentication). SetRateLimit
// changes the limit while the server runs.
//
// Every request is recorded (Requests) with its arrival time and the status sent,
// 0 when no answer was sent (Fault.Reset or Close, or the client went away during
// a delay). A request is recorded just before its answer is written, so once a
// client holds a response its request is already in Requests. MaxInFlight is the
// most requests handled at once.
//
// Records are stored newest first (Time descending, then ID descending) with times
// truncated to whole seconds in UTC, exactly as they are rendered, so that a client
// re-applying a time filter to what it received agrees with the server.
//
// One thing to know when testing Fault.Reset or Close with Go's http.Client: the
// Transport retries an idempotent request once, silently, when a reused keep-alive
// connection closes before any answer. A single such fault may therefore be
// invisible to the caller; queue it with Times: 2 (or more), or disable
// keep-alives, to see the error.
package mockapi
