package client

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// terraformArgument matches the provider's argument names, which a client error must
// not use: the client speaks of its own settings, and SettingOf says which one.
var terraformArgument = regexp.MustCompile(`\b(url|api_key|secret_key|request_timeout|requests_per_minute|max_retries|retry_wait_(min|max)|max_concurrency|allow_insecure_http)\b`)

func assertSetting(t *testing.T, err error, want Setting, wantText string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one about setting %d", want)
	}
	if got := SettingOf(err); got != want {
		t.Errorf("SettingOf(%q) = %d, want %d", err, got, want)
	}
	if !strings.Contains(err.Error(), wantText) {
		t.Errorf("error %q, want %q in it", err, wantText)
	}
	if m := terraformArgument.FindString(err.Error()); m != "" {
		t.Errorf("error %q names the Terraform argument %q", err, m)
	}
}

func TestSettingOfAPIErrors(t *testing.T) {
	for status, want := range map[int]struct {
		setting Setting
		text    string
	}{
		401: {SettingKeys, "the API key is the account key, the secret key is the user key"},
		404: {SettingBaseURL, "check the base URL"},
		429: {SettingRateLimit, "lower the rate limit"},
		500: {SettingNone, "server error (500)"},
		403: {SettingNone, "access denied"},
	} {
		err := fmt.Errorf("reading the audit log at offset 0: after 2 attempts: %w", &APIError{StatusCode: status, Path: "/v1/logs"})
		assertSetting(t, err, want.setting, want.text)
	}
	if SettingOf(nil) != SettingNone || SettingOf(context.Canceled) != SettingNone {
		t.Error("an error that blames no setting must give SettingNone")
	}
}

func TestSettingOfNewErrors(t *testing.T) {
	_, err := New(Config{BaseURL: "http://api.redislabs.com/v1"})
	assertSetting(t, err, SettingAllowInsecureHTTP, `the base URL "http://api.redislabs.com/v1" uses plain http://`)
	_, err = New(Config{BaseURL: "https://user:pw@api.redislabs.com/v1"})
	assertSetting(t, err, SettingBaseURL, "pass the keys as the API key and secret key instead")
	_, err = New(Config{APIKey: "abc\n"})
	assertSetting(t, err, SettingKeys, "the API key contains characters")
	_, err = New(Config{UserAgent: "ua\n"})
	assertSetting(t, err, SettingNone, "the user agent contains characters")
}

func TestSettingOfAttemptTimeout(t *testing.T) {
	mock := mockapi.New(mockapi.Options{Latency: time.Second})
	srv := httptest.NewServer(mock)
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL+"/v1", func(cfg *Config) {
		cfg.APIKey, cfg.SecretKey = mockapi.DefaultAPIKey, mockapi.DefaultSecretKey
		cfg.RequestTimeout, cfg.MaxRetries = 50*time.Millisecond, 1
	})
	_, _, err := c.ListAuditLogs(ctxT(t), AuditLogQuery{})
	assertSetting(t, err, SettingRequestTimeout, "no complete response within the request timeout (50ms)")
}

func TestSettingOfRateLimitWait(t *testing.T) {
	// Three pages at two requests per minute: the third would wait past the deadline.
	srv := newTestAPI(t, 2500, nil)
	c, _ := newTestClient(t, srv.url, func(cfg *Config) { cfg.RequestsPerMinute, cfg.MaxConcurrency = 2, 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, err := c.ListAuditLogs(ctx, AuditLogQuery{})
	assertSetting(t, err, SettingRateLimit, "the deadline would pass while waiting for the rate limit (2 requests per minute")
}
