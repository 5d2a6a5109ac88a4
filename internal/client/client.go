package client

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Logger receives one Debug line per HTTP attempt and one Warn line per retry;
// no field ever holds a header value or a key.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// DefaultBaseURL is the Redis Cloud API, version included.
const DefaultBaseURL = "https://api.redislabs.com/v1"

// The documented maximum page sizes, which the client always asks for.
const (
	AuditPageLimit   = 1000
	SessionPageLimit = 100
)

// Defaults of Config; New applies all but DefaultMaxRetries (zero MaxRetries is no retry).
const (
	DefaultMaxRetries        = 5
	DefaultRetryWaitMin      = time.Second
	DefaultRetryWaitMax      = 30 * time.Second
	DefaultRequestTimeout    = 60 * time.Second
	DefaultRequestsPerMinute = 400 // the API's documented limit per API key
	DefaultMaxConcurrency    = 4
)

// Config configures a Client. The caller validates the numbers where its
// users set them; New reads a zero or negative one as its default (MaxRetries: as 0).
type Config struct {
	BaseURL           string // "" → DefaultBaseURL; trailing slash tolerated
	APIKey, SecretKey string // sent as x-api-key and x-api-secret-key headers
	UserAgent         string
	AllowInsecureHTTP bool          // allow http:// to hosts other than loopback
	MaxRetries        int           // retries after the first attempt
	RetryWaitMin      time.Duration // first backoff
	RetryWaitMax      time.Duration // cap of one wait, server-requested waits included; at least RetryWaitMin
	RequestTimeout    time.Duration // per attempt
	RequestsPerMinute int           // budget of a fixed one-minute window shared by every call on the Client
	MaxConcurrency    int           // pages in flight at once; 1 = strictly sequential
	Logger            Logger
}

// Client reads the account logs. It is safe for concurrent use; all calls share
// one budget: that of one provider configuration.
type Client struct {
	baseURL, basePath                          string // scheme://host/path without a trailing slash; its path
	apiKey, secretKey, userAgent               string
	httpClient                                 *http.Client // base transport and redirect policy; each get sends through a copy (callState)
	maxRetries, concurrency                    int
	retryWaitMin, retryWaitMax, requestTimeout time.Duration
	budget                                     *budget
	logger                                     Logger
}

// New checks cfg and returns a Client. Its errors are sentences a user can act on.
func New(cfg Config) (*Client, error) {
	base, err := parseBaseURL(cfg.BaseURL, cfg.AllowInsecureHTTP)
	if err != nil {
		if SettingOf(err) == SettingNone {
			err = settingError{SettingBaseURL, err}
		}
		return nil, err
	}
	for _, key := range [][2]string{{"API key", cfg.APIKey}, {"secret key", cfg.SecretKey}} {
		if !HeaderSafe(key[1]) {
			return nil, settingError{SettingKeys, fmt.Errorf("the %s %w", key[0], ErrNotHeaderSafe)}
		}
	}
	if !HeaderSafe(cfg.UserAgent) {
		return nil, fmt.Errorf("the user agent %w", ErrNotHeaderSafe)
	}
	c := &Client{
		baseURL: base.String(), basePath: base.Path, apiKey: cfg.APIKey, secretKey: cfg.SecretKey, userAgent: cfg.UserAgent,
		maxRetries: max(cfg.MaxRetries, 0), concurrency: cmp.Or(max(cfg.MaxConcurrency, 0), DefaultMaxConcurrency), logger: cfg.Logger,
		retryWaitMin:   cmp.Or(max(cfg.RetryWaitMin, 0), DefaultRetryWaitMin),
		requestTimeout: cmp.Or(max(cfg.RequestTimeout, 0), DefaultRequestTimeout),
		budget:         newBudget(cmp.Or(max(cfg.RequestsPerMinute, 0), DefaultRequestsPerMinute), time.Minute),
	}
	c.retryWaitMax = max(cmp.Or(max(cfg.RetryWaitMax, 0), DefaultRetryWaitMax), c.retryWaitMin)
	if c.logger == nil {
		c.logger = nopLogger{}
	}
	c.httpClient = newHTTPClient(c)
	return c, nil
}

// ErrNotHeaderSafe is why New refuses a key that HeaderSafe refuses.
var ErrNotHeaderSafe = errors.New("contains characters that cannot be sent in an HTTP header (such as a line break); check for a stray newline where it was pasted")

// HeaderSafe reports whether s can be sent as an HTTP header value: no control
// character but the tab.
func HeaderSafe(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f })
}

// parseBaseURL accepts an absolute https URL (http to loopback) without extras.
func parseBaseURL(raw string, allowInsecure bool) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		raw = DefaultBaseURL
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the whole URL, which may hold a password
		}
		return nil, fmt.Errorf("the base URL is not a valid URL (%v); use an absolute address such as %s", err, DefaultBaseURL)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("the base URL %q must be an absolute https:// address such as %s", u.Redacted(), DefaultBaseURL)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("the base URL %q has no host name; use an address such as %s", u.Redacted(), DefaultBaseURL)
	}
	if u.User != nil {
		return nil, errors.New("the base URL must not contain a user name or password; pass the keys as the API key and secret key instead")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("the base URL %q must not contain a query string or fragment; it should end with the API version, e.g. %s", u.Redacted(), DefaultBaseURL)
	}
	ip, host := net.ParseIP(u.Hostname()), strings.TrimSuffix(u.Hostname(), ".")
	if u.Scheme == "http" && !allowInsecure && !strings.EqualFold(host, "localhost") && (ip == nil || !ip.IsLoopback()) {
		return nil, settingError{SettingAllowInsecureHTTP, fmt.Errorf("the base URL %q uses plain http://, which would send the API keys unencrypted; use https://, or allow insecure HTTP explicitly (only loopback hosts such as 127.0.0.1 or localhost are allowed without it)", u.Redacted())}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

// newHTTPClient returns a client on a clone of http.DefaultTransport (proxies
// from the environment, dial and TLS timeouts) that refuses a redirect to
// another host: net/http would forward the key headers there. Each get sends
// through a copy whose Transport is its callState, which wraps this one.
func newHTTPClient(c *Client) *http.Client {
	tr := http.DefaultTransport
	if base, ok := tr.(*http.Transport); ok {
		base = base.Clone()
		base.MaxIdleConnsPerHost = max(base.MaxIdleConnsPerHost, c.concurrency+1)
		tr = base
	}
	return &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		first := via[0].URL
		if req.URL.Host != first.Host || (req.URL.Scheme != first.Scheme && req.URL.Scheme != "https") {
			return settingError{SettingBaseURL, fmt.Errorf("the server redirected to %s://%s; the client does not send the API keys to another host: use the address the API really lives at as the base URL", req.URL.Scheme, req.URL.Host)}
		}
		return nil
	}}
}

// redact removes the keys (of four characters or more) from a server's text.
func (c *Client) redact(s string) string {
	for _, k := range []string{c.secretKey, c.apiKey} {
		if len(k) >= 4 {
			s = strings.ReplaceAll(s, k, "[redacted]")
		}
	}
	return s
}

type nopLogger struct{}

func (nopLogger) Debug(context.Context, string, map[string]any) {}
func (nopLogger) Warn(context.Context, string, map[string]any)  {}
