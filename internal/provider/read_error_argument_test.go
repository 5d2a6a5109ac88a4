package provider

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/client"
	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// TestReadErrorNamesTheArgument: the client's errors speak of its settings ("the request
// timeout"); the user reads which provider argument sets it.
func TestReadErrorNamesTheArgument(t *testing.T) {
	mock := mockapi.New(mockapi.Options{Latency: time.Second})
	srv := httptest.NewServer(mock)
	defer srv.Close()
	c, err := client.New(client.Config{BaseURL: srv.URL + "/v1", APIKey: mockapi.DefaultAPIKey, SecretKey: mockapi.DefaultSecretKey,
		RequestTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, _, timeout := c.ListSessionLogs(context.Background(), client.SessionLogQuery{})
	if timeout == nil || !strings.Contains(timeout.Error(), "no complete response within the request timeout (50ms)") {
		t.Fatalf("want an attempt timeout, got %v", timeout)
	}

	for name, tc := range map[string]struct {
		err  error
		want string
	}{
		"attempt timeout": {timeout, "context deadline exceeded. The request timeout is the provider's request_timeout argument."},
		"429":             {fmt.Errorf("after 3 attempts: %w", &client.APIError{StatusCode: 429}), "lower the rate limit. The rate limit is the provider's requests_per_minute argument."},
		"401":             {&client.APIError{StatusCode: 401, Message: "Invalid key"}, `The API said: "Invalid key". The API key is the provider's api_key argument, the secret key its secret_key argument.`},
		"404":             {&client.APIError{StatusCode: 404, Path: "/v1/logs"}, "check the base URL; it must end with the API version, e.g. https://api.redislabs.com/v1. The base URL is the provider's url argument."},
		"500":             {&client.APIError{StatusCode: 500}, "contact Redis Cloud support"},
	} {
		t.Run(name, func(t *testing.T) {
			var diags diag.Diagnostics
			addReadError(context.Background(), &diags, "Session Logs", tc.err)
			if len(diags) != 1 || !strings.HasSuffix(diags[0].Detail(), tc.want) {
				t.Fatalf("diagnostics %v: want one error whose detail ends with %q", diags, tc.want)
			}
			if name == "500" && strings.Contains(diags[0].Detail(), "argument") {
				t.Errorf("a server error names an argument: %q", diags[0].Detail())
			}
		})
	}
}
