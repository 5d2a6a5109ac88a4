package provider

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// syncBuffer is an io.Writer safe for the concurrent log calls below; the race detector
// must only see what the logger adapter does, not the test's own buffer.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestLoggerConcurrentWithMasks logs through the client's logger adapter from many
// goroutines at once, on a context that carries string fields (as the framework's
// request contexts do) and the secret masks. Through tflog directly this is a concurrent
// write to the options' field map (hashicorp/terraform-plugin-log#246): under -race the
// test fails, without it the process may die with "concurrent map writes".
func TestLoggerConcurrentWithMasks(t *testing.T) {
	out := &syncBuffer{}
	ctx := tflogtest.RootLogger(context.Background(), out)
	ctx = tflog.SetField(ctx, "tf_req_id", "req-"+testAPIKey)
	ctx = tflog.SetField(ctx, "tf_data_source_type", "rediscloud_audit_logs")
	secrets := []string{testAPIKey, testSecretKey}
	ctx = maskSecrets(ctx, secrets)
	logger := tflogLogger{secrets: secrets}

	const goroutines, lines = 16, 50
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range lines {
				fields := map[string]any{"page": g, "line": i, "header": "x-api-key: " + testAPIKey}
				if i%2 == 0 {
					logger.Debug(ctx, "request with secret "+testSecretKey, fields)
				} else {
					logger.Warn(ctx, "retry with secret "+testSecretKey, fields)
				}
			}
		}()
	}
	wg.Wait()

	records, err := tflogtest.MultilineJSONDecode(strings.NewReader(out.String()))
	if err != nil {
		t.Fatalf("decoding the log: %v", err)
	}
	if len(records) != goroutines*lines {
		t.Fatalf("got %d log records, want %d", len(records), goroutines*lines)
	}
	for _, secret := range secrets {
		if strings.Contains(out.String(), secret) {
			t.Fatalf("a secret reached the log:\n%s", firstLines(out.String(), 3))
		}
	}
	if !strings.Contains(out.String(), "x-api-key: ***") || !strings.Contains(out.String(), "req-***") {
		t.Fatalf("masked values missing from the log:\n%s", firstLines(out.String(), 3))
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
