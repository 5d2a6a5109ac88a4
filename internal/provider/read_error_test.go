package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// TestReadErrorNamesTheRightTimeout: an attempt that outlasted request_timeout wraps
// context.DeadlineExceeded too, but only the read's own context running out is
// timeouts.read; blaming it for an attempt timeout sends the user to the wrong knob.
func TestReadErrorNamesTheRightTimeout(t *testing.T) {
	attemptTimeout := fmt.Errorf("reading the audit log at offset 0: after 2 attempts: no complete response within 500ms (request_timeout): %w", context.DeadlineExceeded)

	expired, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-expired.Done()
	cancelled, cancelNow := context.WithCancel(context.Background())
	cancelNow()

	for name, tc := range map[string]struct {
		ctx       context.Context
		want, not string
	}{
		"attempt timeout, read still within its time": {context.Background(), "request_timeout", "timeouts.read"},
		"read past timeouts.read":                     {expired, "did not finish within timeouts.read", ""},
		"read cancelled":                              {cancelled, "The read was cancelled", "timeouts.read"},
	} {
		t.Run(name, func(t *testing.T) {
			var diags diag.Diagnostics
			addReadError(tc.ctx, &diags, "Audit Logs", attemptTimeout)
			if len(diags) != 1 || !diags.HasError() {
				t.Fatalf("want one error, got %v", diags)
			}
			detail := diags[0].Detail()
			if !strings.Contains(detail, tc.want) || (tc.not != "" && strings.Contains(detail, tc.not)) {
				t.Fatalf("detail %q: want %q in it and not %q", detail, tc.want, tc.not)
			}
		})
	}
}
