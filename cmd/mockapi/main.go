// Command mockapi serves the mock Redis Cloud account logs API on a loopback
// address, for the demo and for trying the provider by hand.
//
//	go run ./cmd/mockapi -dataset demo -url-file /tmp/mockapi.url
//
// With -rate-limit 400 it enforces the API's limit of 400 requests per minute per
// API key (-rate-window sets another window), for trying several Terraform runs
// on one key.
//
// It prints "mock Redis Cloud API listening on http://127.0.0.1:PORT/v1" once it
// accepts connections and stops cleanly on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mockapi:", err)
		os.Exit(1)
	}
}

type config struct {
	addr, shape, dataset, urlFile string
	apiKey, secretKey             string
	auditCount, sessionCount      int
	seed                          int64
	latency                       time.Duration
	ignoreFilters                 bool
	rateLimit                     int
	rateWindow                    time.Duration
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("mockapi", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "loopback address to listen on (port 0 picks a free one)")
	fs.StringVar(&c.shape, "shape", string(mockapi.ShapeOfficial), "response shape: official or seed")
	fs.StringVar(&c.dataset, "dataset", "demo", "dataset: demo (planted events, see mockapi.DemoDataset) or generated")
	fs.IntVar(&c.auditCount, "audit", 1000, "number of audit entries for -dataset generated")
	fs.IntVar(&c.sessionCount, "sessions", 200, "number of sessions for -dataset generated")
	fs.Int64Var(&c.seed, "seed", 1, "random seed for -dataset generated")
	fs.DurationVar(&c.latency, "latency", 0, "delay added to every request, e.g. 50ms")
	fs.StringVar(&c.apiKey, "api-key", mockapi.DefaultAPIKey, "expected x-api-key header")
	fs.StringVar(&c.secretKey, "secret-key", mockapi.DefaultSecretKey, "expected x-api-secret-key header")
	fs.BoolVar(&c.ignoreFilters, "ignore-filters", false, "ignore startTime, endTime and resourceId, like an older server")
	fs.IntVar(&c.rateLimit, "rate-limit", 0, "enforce this many requests per -rate-window for each x-api-key, answering 429 with x-rate-limit-retry-after-seconds once spent, as the API does with 400 per minute (0: only count down X-Rate-Limit-Remaining)")
	fs.DurationVar(&c.rateWindow, "rate-window", time.Minute, "the fixed window of -rate-limit")
	fs.StringVar(&c.urlFile, "url-file", "", "write the base URL (http://127.0.0.1:PORT/v1) to this file once listening")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	switch mockapi.Shape(c.shape) {
	case mockapi.ShapeOfficial, mockapi.ShapeSeed:
	default:
		return c, fmt.Errorf("-shape must be official or seed, not %q", c.shape)
	}
	if c.dataset != "demo" && c.dataset != "generated" {
		return c, fmt.Errorf("-dataset must be demo or generated, not %q", c.dataset)
	}
	if c.auditCount < 0 || c.sessionCount < 0 {
		return c, errors.New("-audit and -sessions must not be negative")
	}
	if c.rateLimit < 0 || c.rateWindow <= 0 {
		return c, errors.New("-rate-limit must not be negative and -rate-window must be positive")
	}
	if err := checkLoopback(c.addr); err != nil {
		return c, err
	}
	return c, nil
}

// checkLoopback refuses any address that another machine could reach: the mock
// accepts well-known test credentials.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %q: only loopback addresses (127.0.0.1, ::1, localhost) are allowed", addr)
}

func run(args []string) error {
	c, err := parseFlags(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}

	srv := mockapi.New(mockapi.Options{
		APIKey:          c.apiKey,
		SecretKey:       c.secretKey,
		Shape:           mockapi.Shape(c.shape),
		IgnoreFilters:   c.ignoreFilters,
		Latency:         c.latency,
		RateLimit:       c.rateLimit,
		RateLimitWindow: c.rateWindow,
	})
	now := time.Now()
	if c.dataset == "demo" {
		audit, sessions := mockapi.DemoDataset(now)
		srv.SetAudit(audit)
		srv.SetSessions(sessions)
	} else {
		const span = 30 * 24 * time.Hour
		srv.SetAudit(mockapi.GenerateAudit(c.auditCount, c.seed, now, span))
		srv.SetSessions(mockapi.GenerateSessions(c.sessionCount, c.seed, now, span))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", c.addr)
	if err != nil {
		return err
	}
	baseURL := "http://" + ln.Addr().String() + "/v1"
	httpSrv := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpSrv.Serve(ln) }()

	if c.urlFile != "" {
		if err := writeFileAtomic(c.urlFile, baseURL); err != nil {
			_ = httpSrv.Close()
			return err
		}
	}
	fmt.Println("mock Redis Cloud API listening on " + baseURL)

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// writeFileAtomic writes through a temporary file and a rename, so that a script
// polling for the file never reads half a URL.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mockapi-url-*")
	if err != nil {
		return err
	}
	// After the rename the temporary name no longer exists; the error is expected then.
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.WriteString(content); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
