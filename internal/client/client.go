package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Logger receives one Debug line per HTTP attempt and one Warn line per retry.
// The provider adapts tflog to it. No field ever holds a header value or a key.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// DefaultBaseURL is the Redis Cloud API, version included.
const DefaultBaseURL = "https://api.redislabs.com/v1"

// Documented maximum page sizes; the client always asks for a full page.
const (
	AuditPageLimit   = 1000
	SessionPageLimit = 100
)

// Defaults for the zero values in Config. DefaultMaxRetries is not applied by
// New (0 means no retries there); callers pass it when the user set nothing.
const (
	DefaultMaxRetries        = 5
	DefaultRetryWaitMin      = time.Second
	DefaultRetryWaitMax      = 30 * time.Second
	DefaultRequestTimeout    = 60 * time.Second
	DefaultRequestsPerMinute = 400 // the API's documented limit per API key
	DefaultMaxConcurrency    = 4
)

// Config configures a Client. The provider validates the numbers on their
// attributes; New reads a zero or negative one as its default (MaxRetries: as 0).
type Config struct {
	BaseURL           string // "" → DefaultBaseURL; trailing slash tolerated
	APIKey, SecretKey string // sent as x-api-key and x-api-secret-key headers
	UserAgent         string
	AllowInsecureHTTP bool // allow http:// to hosts other than loopback
	// HTTPClient: nil → a new one on a clone of http.DefaultTransport. A given
	// client is copied; unless it sets CheckRedirect, redirects to another host
	// are refused, since net/http would forward the key headers there.
	HTTPClient        *http.Client
	MaxRetries        int           // retries after the first attempt
	RetryWaitMin      time.Duration // first backoff
	RetryWaitMax      time.Duration // cap of one wait, server-requested waits included; at least RetryWaitMin
	RequestTimeout    time.Duration // per attempt
	RequestsPerMinute int           // budget of a fixed one-minute window shared by every call on the Client
	MaxConcurrency    int           // pages in flight at once; 1 = strictly sequential
	Logger            Logger        // nil → no logging
}

// Client reads the account logs. It is safe for concurrent use; all calls share
// one budget (see budget): the budget of one provider configuration.
type Client struct {
	baseURL, basePath                          string // scheme://host/path without a trailing slash; its path
	apiKey, secretKey, userAgent               string
	httpClient                                 *http.Client
	maxRetries, concurrency                    int
	retryWaitMin, retryWaitMax, requestTimeout time.Duration
	budget                                     *budget
	logger                                     Logger
}

// New checks cfg and returns a Client. Its errors are sentences a user can act on.
func New(cfg Config) (*Client, error) {
	base, err := parseBaseURL(cfg.BaseURL, cfg.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	for _, h := range [][2]string{{"api_key", cfg.APIKey}, {"secret_key", cfg.SecretKey}, {"user agent", cfg.UserAgent}} {
		if strings.ContainsFunc(h[1], func(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f }) {
			// net/http would refuse it later, less helpfully. The value is never echoed: it may be a secret.
			return nil, fmt.Errorf("the %s contains characters that cannot be sent in an HTTP header (such as a line break); check for a stray newline where it was pasted", h[0])
		}
	}
	c := &Client{
		baseURL: base.String(), basePath: base.Path, apiKey: cfg.APIKey, secretKey: cfg.SecretKey, userAgent: cfg.UserAgent,
		maxRetries: max(cfg.MaxRetries, 0), concurrency: positiveOr(cfg.MaxConcurrency, DefaultMaxConcurrency), logger: cfg.Logger,
		retryWaitMin:   positiveOr(cfg.RetryWaitMin, DefaultRetryWaitMin),
		requestTimeout: positiveOr(cfg.RequestTimeout, DefaultRequestTimeout),
		budget:         newBudget(positiveOr(cfg.RequestsPerMinute, DefaultRequestsPerMinute), time.Minute),
	}
	c.retryWaitMax = max(positiveOr(cfg.RetryWaitMax, DefaultRetryWaitMax), c.retryWaitMin)
	c.httpClient = guardRedirects(cfg.HTTPClient, c.concurrency)
	tr := &transport{base: c.httpClient.Transport, budget: c.budget, timeout: c.requestTimeout, maxWait: c.retryWaitMax}
	if tr.base == nil {
		tr.base = http.DefaultTransport
	}
	c.httpClient.Transport = tr
	return c, nil
}

func positiveOr[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// parseBaseURL accepts an absolute http(s) URL without credentials, query or
// fragment. Plain http is refused off loopback because the keys travel in headers.
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
		return nil, fmt.Errorf("the url is not a valid URL (%v); use an absolute address such as %s", err, DefaultBaseURL)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("the url %q must be an absolute https:// address such as %s", u.Redacted(), DefaultBaseURL)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("the url %q has no host name; use an address such as %s", u.Redacted(), DefaultBaseURL)
	}
	if u.User != nil {
		return nil, errors.New("the url must not contain a user name or password; pass the keys as api_key and secret_key instead")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("the url %q must not contain a query string or fragment; it should end with the API version, e.g. %s", u.Redacted(), DefaultBaseURL)
	}
	if u.Scheme == "http" && !allowInsecure && !isLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("the url %q uses plain http://, which would send the API keys unencrypted; use https://, or allow insecure HTTP explicitly (only loopback hosts such as 127.0.0.1 or localhost are allowed without it)", u.Redacted())
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

func isLoopbackHost(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") || (ip != nil && ip.IsLoopback())
}

// guardRedirects returns an http.Client that refuses to follow a redirect to
// another host: net/http forwards custom headers such as x-api-secret-key on
// redirects, so following one off-host would hand the keys to that host.
func guardRedirects(hc *http.Client, concurrency int) *http.Client {
	var out http.Client
	if hc != nil {
		out = *hc // shallow copy: the caller's client keeps its own settings
	} else if tr, ok := http.DefaultTransport.(*http.Transport); ok {
		tr = tr.Clone() // proxies from the environment, dial and TLS timeouts
		tr.MaxIdleConnsPerHost = max(tr.MaxIdleConnsPerHost, concurrency+1)
		out.Transport = tr
	}
	if out.CheckRedirect == nil {
		out.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			first := via[0].URL
			if req.URL.Host != first.Host || (req.URL.Scheme != first.Scheme && req.URL.Scheme != "https") {
				return fmt.Errorf("the server redirected to %s://%s; the client does not send the API keys to another host: set url to the address the API really lives at", req.URL.Scheme, req.URL.Host)
			}
			return nil
		}
	}
	return &out
}

// setHeaders sets the keys and the content negotiation of every request.
func (c *Client) setHeaders(h http.Header) {
	h.Set("x-api-key", c.apiKey)
	h.Set("x-api-secret-key", c.secretKey)
	h.Set("Accept", "application/json")
	if c.userAgent != "" {
		h.Set("User-Agent", c.userAgent)
	}
}

// redact removes the keys from text that came from the server (an error
// message, a quoted body), in case a server echoes a key back. Keys shorter
// than four characters are left alone: replacing them would mangle ordinary words.
func (c *Client) redact(s string) string {
	for _, k := range []string{c.secretKey, c.apiKey} {
		if len(k) >= 4 {
			s = strings.ReplaceAll(s, k, "[redacted]")
		}
	}
	return s
}

func (c *Client) debug(ctx context.Context, msg string, fields map[string]any) {
	if c.logger != nil {
		c.logger.Debug(ctx, msg, fields)
	}
}
