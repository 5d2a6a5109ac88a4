package client

import "time"

// rateLimitWait is how long a read's requests waited on the rate limit. It
// sits in a file of its own: the before/after runs replace it for clients
// that did not report it (BENCHMARKS.md).
func rateLimitWait(s ListStats) time.Duration { return s.RateLimitWait }
