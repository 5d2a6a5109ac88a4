package provider

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"go.uber.org/goleak"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// Helpers of the soak and concurrency tests: a provider configured once and read many
// times through the plugin protocol, on a context that logs as Terraform's does, and the
// checks of a read's outcome.

// logScanner is the provider's log sink: it counts the records and every one that holds
// a secret. hclog writes each record with one Write.
type logScanner struct {
	mu      sync.Mutex
	secrets [][]byte
	records int
	leaks   int
	sample  string
}

func newLogScanner(secrets ...string) *logScanner {
	s := &logScanner{}
	for _, secret := range secrets {
		s.secrets = append(s.secrets, []byte(secret))
	}
	return s
}

func (s *logScanner) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records += bytes.Count(p, []byte("\n"))
	for _, secret := range s.secrets {
		if bytes.Contains(p, secret) {
			s.leaks++
			if s.sample == "" {
				s.sample = string(p)
			}
		}
	}
	return len(p), nil
}

func (s *logScanner) counts() (records, leaks int, sample string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.records, s.leaks, s.sample
}

// loggingContext is a context whose provider logger writes JSON records at TRACE to w,
// with the string fields Terraform's plugin server puts on every request. Masks apply to
// those fields, which is what made concurrent logging write to a shared map
// (hashicorp/terraform-plugin-log#246): without a field, the race had nothing to touch.
func loggingContext(w *logScanner) context.Context {
	ctx := tflogtest.RootLogger(context.Background(), w)
	ctx = tflog.SetField(ctx, "tf_provider_addr", "registry.terraform.io/redis-logs/rediscloud")
	ctx = tflog.SetField(ctx, "tf_req_id", "soak-"+testAPIKey) // a secret in a field: must come out masked
	ctx = tflog.SetField(ctx, "tf_rpc", "ReadDataSource")
	return ctx
}

// protocolProvider is one provider configuration, as Terraform holds it during a plan,
// read through the plugin protocol in this process.
type protocolProvider struct {
	server  tfprotov6.ProviderServer
	schemas *tfprotov6.GetProviderSchemaResponse
}

func configureProtocolProvider(t testing.TB, url string, args map[string]tftypes.Value) *protocolProvider {
	t.Helper()
	return configureServer(t, testAccProtoV6ProviderFactories["rediscloud"], url, args)
}

// configureServer starts a provider server with newServer and configures it for the
// mock at url with the test keys and args, as Terraform would before a plan's reads.
func configureServer(t testing.TB, newServer func() (tfprotov6.ProviderServer, error), url string,
	args map[string]tftypes.Value,
) *protocolProvider {
	t.Helper()
	ctx := context.Background()
	server, err := newServer()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]tftypes.Value{
		"url":        tftypes.NewValue(tftypes.String, url),
		"api_key":    tftypes.NewValue(tftypes.String, testAPIKey),
		"secret_key": tftypes.NewValue(tftypes.String, testSecretKey),
	}
	for k, v := range args {
		set[k] = v
	}
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.11.4", Config: dynamicValue(t, objectOf(t, schemas.Provider.ValueType(), set)),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range configured.Diagnostics {
		t.Fatalf("configure: %s: %s", d.Summary, d.Detail)
	}
	return &protocolProvider{server: server, schemas: schemas}
}

func (p *protocolProvider) schemaType(dataSource string) tftypes.Type {
	return p.schemas.DataSourceSchemas[dataSource].ValueType()
}

// protocolOutcome is what one ReadDataSource call came to.
type protocolOutcome struct {
	resp     *tfprotov6.ReadDataSourceResponse
	err      error
	panicked any
	took     time.Duration
	hung     bool // no answer within the watchdog's limit
}

// read calls ReadDataSource on its own goroutine and waits at most watchdog for it, so
// that a read that hangs is reported as such instead of stalling the test binary.
func (p *protocolProvider) read(t testing.TB, ctx context.Context, dataSource string, args map[string]tftypes.Value,
	watchdog time.Duration) protocolOutcome {
	t.Helper()
	config := dynamicValue(t, objectOf(t, p.schemaType(dataSource), args))
	done := make(chan protocolOutcome, 1)
	go func() {
		began := time.Now()
		defer func() {
			if r := recover(); r != nil {
				done <- protocolOutcome{panicked: r, took: time.Since(began)}
			}
		}()
		resp, err := p.server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: dataSource, Config: config})
		done <- protocolOutcome{resp: resp, err: err, took: time.Since(began)}
	}()
	timer := time.NewTimer(watchdog)
	defer timer.Stop()
	select {
	case o := <-done:
		return o
	case <-timer.C:
		return protocolOutcome{hung: true, took: watchdog}
	}
}

// readEntry is one entry of a read's state, or of a dataset, by id and time.
type readEntry struct {
	id string
	at time.Time
}

// readState is the part of a read's state that the soak checks.
type readState struct {
	total       int64
	entries     []readEntry
	entriesNull bool
}

func decodeReadState(resp *tfprotov6.ReadDataSourceResponse, schemaType tftypes.Type) (readState, error) {
	var out readState
	if resp.State == nil {
		out.entriesNull = true
		return out, nil
	}
	state, err := resp.State.Unmarshal(schemaType)
	if err != nil {
		return out, err
	}
	var attrs map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		return out, err
	}
	if attrs["entries"].IsNull() || !attrs["entries"].IsKnown() {
		out.entriesNull = true
		return out, nil
	}
	var count big.Float
	if err := attrs["total_count"].As(&count); err != nil {
		return out, err
	}
	out.total, _ = count.Int64()
	var list []tftypes.Value
	if err := attrs["entries"].As(&list); err != nil {
		return out, err
	}
	for i, v := range list {
		var obj map[string]tftypes.Value
		if err := v.As(&obj); err != nil {
			return out, err
		}
		var id, ts *string
		if err := obj["id"].As(&id); err != nil {
			return out, err
		}
		if err := obj["timestamp"].As(&ts); err != nil {
			return out, err
		}
		if id == nil || ts == nil {
			return out, fmt.Errorf("entry %d has a null id or timestamp", i)
		}
		at, err := time.Parse(time.RFC3339, *ts)
		if err != nil {
			return out, fmt.Errorf("entry %d: %w", i, err)
		}
		out.entries = append(out.entries, readEntry{id: *id, at: at})
	}
	return out, nil
}

func auditEntries(records []mockapi.AuditRecord) []readEntry {
	out := make([]readEntry, len(records))
	for i, r := range records {
		out[i] = readEntry{id: strconv.FormatInt(r.ID, 10), at: r.Time.UTC().Truncate(time.Second)}
	}
	return out
}

func sessionEntries(records []mockapi.SessionRecord) []readEntry {
	out := make([]readEntry, len(records))
	for i, r := range records {
		out[i] = readEntry{id: r.ID, at: r.Time.UTC().Truncate(time.Second)}
	}
	return out
}

// sameEntries reports how got differs from want, "" when it holds exactly the wanted
// entries, newest first. Entries with the same time may come in any order.
func sameEntries(got readState, want []readEntry) string {
	if got.total != int64(len(want)) || len(got.entries) != len(want) {
		return fmt.Sprintf("total_count %d and %d entries, want %d", got.total, len(got.entries), len(want))
	}
	for i := 1; i < len(got.entries); i++ {
		if got.entries[i].at.After(got.entries[i-1].at) {
			return fmt.Sprintf("entry %d (%s) is newer than entry %d", i, got.entries[i].id, i-1)
		}
	}
	order := func(a, b readEntry) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	}
	g, w := slices.Clone(got.entries), slices.Clone(want)
	slices.SortFunc(g, order)
	slices.SortFunc(w, order)
	for i := range w {
		if g[i].id != w[i].id || !g[i].at.Equal(w[i].at) {
			return fmt.Sprintf("entry %d is %s at %s, want %s at %s", i, g[i].id, g[i].at.Format(time.RFC3339),
				w[i].id, w[i].at.Format(time.RFC3339))
		}
	}
	return ""
}

func errorDiagnostics(diags []*tfprotov6.Diagnostic) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			out = append(out, d)
		}
	}
	return out
}

// startMock runs mock on 127.0.0.1; the caller closes the server, which also ends
// every connection the provider keeps open to it.
func startMock(mock *mockapi.Server) (*httptest.Server, string) {
	srv := httptest.NewServer(mock)
	return srv, srv.URL + "/v1"
}

// leakedGoroutines waits up to limit for the goroutines started since ignore was taken
// to end, and describes those that did not.
func leakedGoroutines(ignore goleak.Option, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		err := goleak.Find(ignore)
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func tfStringList(values ...string) tftypes.Value {
	elems := make([]tftypes.Value, len(values))
	for i, v := range values {
		elems[i] = tftypes.NewValue(tftypes.String, v)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, elems)
}

// readTimeoutValue is the timeouts attribute with read set, typed from the schema.
func readTimeoutValue(t testing.TB, schemaType tftypes.Type, read time.Duration) tftypes.Value {
	t.Helper()
	obj, ok := schemaType.(tftypes.Object)
	if !ok {
		t.Fatalf("schema type is %T", schemaType)
	}
	typ, ok := obj.AttributeTypes["timeouts"].(tftypes.Object)
	if !ok {
		t.Fatalf("timeouts is %T", obj.AttributeTypes["timeouts"])
	}
	return tftypes.NewValue(typ, map[string]tftypes.Value{"read": tftypes.NewValue(tftypes.String, read.String())})
}
