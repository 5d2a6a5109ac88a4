package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// These tests drive the budget directly, one admitted request at a time, so that
// each rule is asserted on its own: what is admitted at once, what waits and for
// how long. A request that should wait for an answer is asked with a short
// deadline and must come back with errRateLimitWait; one that should go at once
// is asked with a long one and must come back without waiting.

// answer is a response as done sees it: a status and X-Rate-Limit-Remaining
// ("" leaves the header out), plus header pairs.
func answer(code int, remaining string, headers ...string) *http.Response {
	h := http.Header{}
	if remaining != "" {
		h.Set("X-Rate-Limit-Remaining", remaining)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		h.Set(headers[i], headers[i+1])
	}
	return &http.Response{StatusCode: code, Header: h}
}

// admitNow asks b for a request that must be admitted without waiting.
func admitNow(t *testing.T, b *budget) (probe bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	waited, probe, err := b.wait(ctx)
	if err != nil {
		t.Fatalf("a request that should go at once waited: %v", err)
	}
	if waited != 0 {
		t.Fatalf("a request admitted at once reports a wait of %s, want 0", waited)
	}
	return probe
}

// refused asks b for a request that must wait for an answer (or a window), with
// a deadline it cannot meet, and checks that it did not get through.
func refused(t *testing.T, b *budget, why string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, _, err := b.wait(ctx); err == nil {
		t.Fatalf("admitted, but %s", why)
	} else if _, ok := isRateLimitWait(err); !ok || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a rate limit wait ending in the deadline (%s)", err, why)
	}
}

func inFlight(b *budget) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.inFlight
}

func TestBudgetFirstRequestGoesAloneUntilAnAnswerComes(t *testing.T) {
	b := newBudget(100, time.Minute)
	if admitNow(t, b) {
		t.Error("the first request is a probe; nothing says the window is spent")
	}
	refused(t, b, "no answer has come yet: the first request goes alone")
	// No answer (a dropped connection) teaches nothing: still one at a time.
	b.done(nil, false, time.Second)
	admitNow(t, b)
	refused(t, b, "the only request so far got no answer")
	b.done(answer(200, ""), false, time.Second)
	// An answer without X-Rate-Limit-Remaining: our own budget alone sets the pace.
	for range 5 {
		if admitNow(t, b) {
			t.Error("a probe while the server said nothing of its count")
		}
	}
	if n := inFlight(b); n != 5 {
		t.Errorf("%d in flight, want 5", n)
	}
}

func TestBudgetNeverMoreInFlightThanTheServerSaysIsLeft(t *testing.T) {
	b := newBudget(100, time.Minute)
	admitNow(t, b)
	b.done(answer(200, "3"), false, time.Second)
	for i := range 3 {
		if admitNow(t, b) {
			t.Errorf("request %d of the 3 left is a probe", i+1)
		}
	}
	refused(t, b, "3 requests are in flight and the server said 3 were left")
	// One answer frees one place; its count (2, lower) is believed.
	b.done(answer(200, "2"), false, time.Second)
	refused(t, b, "2 in flight, 2 left")
	b.done(answer(200, "1"), false, time.Second)
	refused(t, b, "1 in flight, 1 left")
	b.done(answer(200, "0"), false, time.Second)
	if n := inFlight(b); n != 0 {
		t.Fatalf("%d in flight, want 0", n)
	}
	// Spent: one request goes alone, as a probe, to learn whether the window turned.
	if !admitNow(t, b) {
		t.Error("the request into a spent window is not a probe")
	}
	refused(t, b, "the window is spent and the probe is unanswered")
	// The probe's answer is believed even though the count went up: the window turned.
	b.done(answer(200, "50"), true, time.Second)
	for range 10 {
		if admitNow(t, b) {
			t.Error("a probe after the window turned")
		}
	}
}

func TestBudgetAnswersThatOvertakeDoNotRaiseTheCount(t *testing.T) {
	b := newBudget(100, time.Minute)
	admitNow(t, b)
	b.done(answer(200, "5"), false, time.Second)
	admitNow(t, b)
	admitNow(t, b)
	// An older answer (of the same window) arrives last with a higher count:
	// only a probe's answer may raise it.
	b.done(answer(200, "1"), false, time.Second)
	b.done(answer(200, "4"), false, time.Second)
	admitNow(t, b)
	refused(t, b, "the server said 1 left, and 1 is in flight")
}

func TestBudgetRemainingHeaderParsing(t *testing.T) {
	for _, tc := range []struct {
		header string
		admits int // requests admitted at once after the answer, of 6 asked
	}{
		{" 2 ", 2},  // spaces around the number are ignored
		{"0", 1},    // spent: one probe
		{"-1", 6},   // not a count: unknown, our own budget decides
		{"many", 6}, // likewise
	} {
		t.Run(tc.header, func(t *testing.T) {
			b := newBudget(100, time.Minute)
			admitNow(t, b)
			b.done(answer(200, "4"), false, time.Second)
			// A bad header after a good one forgets the count instead of keeping it.
			admitNow(t, b)
			b.done(answer(200, tc.header), false, time.Second)
			for range tc.admits {
				admitNow(t, b)
			}
			if tc.admits < 6 {
				refused(t, b, "X-Rate-Limit-Remaining: "+tc.header)
			}
		})
	}
}

func TestBudgetOwnWindowWaitsThenGoesBackToFullSpeed(t *testing.T) {
	const window = 150 * time.Millisecond
	b := newBudget(3, window)
	began := time.Now()
	admitNow(t, b)
	b.done(answer(200, ""), false, time.Second)
	admitNow(t, b)
	admitNow(t, b)
	// The window's 3 are spent; a deadline inside the window fails at once,
	// without waiting for it: the wait would pass the deadline.
	ctx, cancel := context.WithTimeout(context.Background(), window/3)
	t0 := time.Now()
	_, _, err := b.wait(ctx)
	cancel()
	if err == nil || !strings.Contains(err.Error(), "the deadline would pass while waiting for the rate limit (3 requests per minute") {
		t.Fatalf("err = %v, want the deadline-would-pass error", err)
	}
	if d := time.Since(t0); d > window/3 {
		t.Errorf("gave up after %s; a wait known to pass the deadline should fail at once", d)
	}
	// With time enough, the 4th goes when the window turns, not before.
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	waited, _, err := b.wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if since := time.Since(began); since < window {
		t.Errorf("the 4th request went after %s, inside the %s window", since, window)
	}
	if waited <= 0 || waited > time.Since(began) {
		t.Errorf("waited = %s, want the time spent held (under %s)", waited, time.Since(began))
	}
	// The new window is a full one: two more go at once, then the window is spent again.
	admitNow(t, b)
	admitNow(t, b)
	refused(t, b, "3 requests in the new window of 3")
}

func TestBudget429HoldsEveryRequestForItsWait(t *testing.T) {
	b := newBudget(100, time.Minute)
	admitNow(t, b)
	b.done(answer(200, "50"), false, time.Second)
	admitNow(t, b)
	admitNow(t, b)
	hold := 120 * time.Millisecond
	got429 := time.Now()
	// The server asks for 5 s; maxWait (retry_wait_max) caps it.
	b.done(answer(http.StatusTooManyRequests, "7", "Retry-After", "5"), false, hold)
	b.mu.Lock()
	paused, left := b.pausedUntil.Sub(got429), b.serverLeft
	b.mu.Unlock()
	if paused < hold-10*time.Millisecond || paused > hold+50*time.Millisecond {
		t.Errorf("paused for %s, want the cap %s", paused, hold)
	}
	if left != 0 {
		t.Errorf("serverLeft = %d after a 429, want 0 whatever its header says", left)
	}
	// Even with nothing in flight but the other request, and the one place a
	// probe would take, nothing goes until the wait is over.
	b.done(answer(200, "40"), false, hold)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	waited, probe, err := b.wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if since := time.Since(got429); since < hold {
		t.Errorf("a request went %s after the 429, inside its %s wait", since, hold)
	}
	if waited <= 0 || !probe {
		t.Errorf("waited %s, probe %v: want a held probe (the 429 spent the window)", waited, probe)
	}
}

func TestBudget429WaitIsAtLeastOneSecondAndNeverShortened(t *testing.T) {
	b := newBudget(100, time.Minute)
	admitNow(t, b)
	got429 := time.Now()
	// No header: at least a second, even when retry_wait_max allows more.
	b.done(answer(http.StatusTooManyRequests, ""), false, 10*time.Second)
	pausedFor := func() time.Duration {
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.pausedUntil.Sub(got429)
	}
	if p := pausedFor(); p < time.Second || p > time.Second+100*time.Millisecond {
		t.Errorf("paused for %s, want 1 s", p)
	}
	// A deadline before the end of the wait fails at once.
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	if _, _, err := b.wait(ctx); err == nil || !strings.Contains(err.Error(), "the deadline would pass") {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(t0); d > 250*time.Millisecond {
		t.Errorf("gave up after %s, want at once", d)
	}
	// A longer wait extends the pause; a shorter one after it does not cut it.
	// (The pause holds wait itself, so the requests that meet these 429s are
	// counted in flight by hand, as if sent before the first one.)
	sentBefore := func() {
		b.mu.Lock()
		b.inFlight++
		b.mu.Unlock()
	}
	sentBefore()
	b.done(answer(http.StatusTooManyRequests, "", "X-Rate-Limit-Retry-After-Seconds", "3"), false, 10*time.Second)
	if p := pausedFor(); p < 3*time.Second || p > 3*time.Second+100*time.Millisecond {
		t.Errorf("paused for %s, want 3 s", p)
	}
	sentBefore()
	b.done(answer(http.StatusTooManyRequests, "", "Retry-After", "1"), false, 10*time.Second)
	if p := pausedFor(); p < 3*time.Second {
		t.Errorf("a later 429 asking 1 s cut the pause to %s", p)
	}
}

func TestBudgetWaitWakesOnAnAnswer(t *testing.T) {
	// A request waiting for an answer goes as soon as one comes, not at a
	// window's end or a timer.
	b := newBudget(100, time.Minute)
	admitNow(t, b)
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _, err := b.wait(ctx)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("the second request went before the first was answered (%v)", err)
	case <-time.After(50 * time.Millisecond):
	}
	answered := time.Now()
	b.done(answer(200, "10"), false, time.Second)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
		if d := time.Since(answered); d > time.Second {
			t.Errorf("went %s after the answer", d)
		}
	case <-time.After(4 * time.Second):
		t.Fatal("the waiting request never went after the answer")
	}
}

func TestBudgetCancelledWaitSaysRateLimit(t *testing.T) {
	b := newBudget(7, time.Minute)
	admitNow(t, b)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, _, err := b.wait(ctx)
	if !errors.Is(err, context.Canceled) || err.Error() != "waiting for the rate limit (7 requests per minute): context canceled" {
		t.Fatalf("err = %v", err)
	}
}
