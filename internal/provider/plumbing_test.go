package provider

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// The provider's plumbing, spoken through the plugin protocol as Terraform would,
// without the Terraform CLI: the id of each data source, and every diagnostic that
// checks one argument against another or an argument only known at apply time, with
// its summary, its detail and the attribute it lands on.

// idArguments holds two valid values of each argument of each data source. The list
// arguments of one data source share their values, so that two arguments hashed under
// one name would give the same id.
func idArguments(dataSource string) map[string][2]tftypes.Value {
	s := func(v string) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }
	n := func(v int) tftypes.Value { return tftypes.NewValue(tftypes.Number, v) }
	b := func(v bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, v) }
	globs := [2]tftypes.Value{tfStrings("a*", "b*"), tfStrings("c*")}
	args := map[string][2]tftypes.Value{
		"start_time":    {s("2025-05-01T00:00:00Z"), s("2025-05-02T00:00:00Z")},
		"end_time":      {s("2025-06-01T00:00:00Z"), s("2025-06-02T00:00:00Z")},
		"lookback":      {s("24h"), s("7d")},
		"users":         globs,
		"exclude_users": globs,
		"types":         globs,
		"actions":       globs,
		"max_results":   {n(0), n(5)},
		// Whether a filter that cannot match fails the read changes the result.
		"on_unmatchable": {s("warn"), s("error")},
	}
	switch dataSource {
	case "rediscloud_audit_logs":
		for _, name := range []string{"exclude_actions", "details_patterns", "exclude_details_patterns", "api_key_names", "exclude_api_key_names"} {
			args[name] = globs // "a*" is a pattern too
		}
		args["resource_id"] = [2]tftypes.Value{s("501"), s("db-prod")}
		args["status"] = [2]tftypes.Value{s("success"), s("failure")}
	case "rediscloud_session_logs":
		cidrs := [2]tftypes.Value{tfStrings("198.51.100.0/24", "2001:db8::/32"), tfStrings("203.0.113.7")}
		args["ip_cidrs"], args["exclude_ip_cidrs"] = cidrs, cidrs
		args["user_roles"], args["exclude_user_roles"] = globs, globs
		// false is what a null active_only means; true is the other value.
		args["active_only"] = [2]tftypes.Value{b(true), b(true)}
	}
	return args
}

// optionalArguments are the arguments of a data source's schema, timeouts aside.
func optionalArguments(t *testing.T, p *protocolProvider, dataSource string) []string {
	t.Helper()
	var out []string
	for _, a := range p.schemas.DataSourceSchemas[dataSource].Block.Attributes {
		if a.Optional && !a.Computed && a.Name != "timeouts" {
			out = append(out, a.Name)
		}
	}
	sort.Strings(out)
	return out
}

// readID reads dataSource with args and returns its id, failing on any error.
func readID(t *testing.T, p *protocolProvider, dataSource string, args map[string]tftypes.Value) string {
	t.Helper()
	o := p.read(t, context.Background(), dataSource, args, 30*time.Second)
	if o.err != nil || o.panicked != nil || o.hung {
		t.Fatalf("read %v: err %v, panic %v, hung %v", args, o.err, o.panicked, o.hung)
	}
	for _, d := range errorDiagnostics(o.resp.Diagnostics) {
		t.Fatalf("read %v: %s: %s", args, d.Summary, d.Detail)
	}
	state, err := o.resp.State.Unmarshal(p.schemaType(dataSource))
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var id string
	if err := attrs["id"].As(&id); err != nil || len(id) != 32 {
		t.Fatalf("id %q (%v), want 32 hex characters", id, err)
	}
	return id
}

// TestIDIsAHashOfEveryArgument: the id changes with each argument and with its value,
// stays the same for the same arguments (lookback included, whatever the time), does
// not depend on timeouts, and keeps the order of list elements (logquery.QueryID: order
// can matter to a query).
func TestIDIsAHashOfEveryArgument(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.SetAudit(auditFixture(fixtureBase))
	mock.SetSessions(sessionFixture(fixtureBase))
	p := configureProtocolProvider(t, url, nil)
	bases := map[string]string{}
	// The same lookback a second later: the window has moved, the id has not.
	lookback := map[string]tftypes.Value{"lookback": tftypes.NewValue(tftypes.String, "24h")}
	lookbackIDs := map[string]string{}
	for _, ds := range []string{"rediscloud_audit_logs", "rediscloud_session_logs"} {
		lookbackIDs[ds] = readID(t, p, ds, lookback)
	}
	time.Sleep(1100 * time.Millisecond) // the read resolves lookback against the clock, to the second at least
	for ds, first := range lookbackIDs {
		if again := readID(t, p, ds, lookback); again != first {
			t.Errorf("%s: lookback = \"24h\" gave ids %s and, a second later, %s", ds, first, again)
		}
	}
	for _, ds := range []string{"rediscloud_audit_logs", "rediscloud_session_logs"} {
		t.Run(ds, func(t *testing.T) {
			table := idArguments(ds)
			names := optionalArguments(t, p, ds)
			for _, name := range names {
				if _, ok := table[name]; !ok {
					t.Errorf("argument %s has no values in idArguments: add them, so that the id is checked to change with it", name)
				}
			}
			base := readID(t, p, ds, nil)
			bases[ds] = base
			if again := readID(t, p, ds, nil); again != base {
				t.Errorf("the same arguments gave ids %s and %s", base, again)
			}
			owner := map[string]string{base: "(no arguments)"}
			for _, name := range names {
				values, ok := table[name]
				if !ok {
					continue
				}
				for i, v := range values {
					if i == 1 && values[1].Equal(values[0]) {
						continue
					}
					id := readID(t, p, ds, map[string]tftypes.Value{name: v})
					if other, taken := owner[id]; taken {
						t.Errorf("%s = %v gives id %s, the id of %s", name, v, id, other)
					}
					owner[id] = name + "=" + v.String()
				}
			}

			timeouts := readTimeoutValue(t, p.schemaType(ds), 5*time.Minute)
			if id := readID(t, p, ds, map[string]tftypes.Value{"timeouts": timeouts}); id != base {
				t.Errorf("timeouts.read changed the id (%s, without: %s); it is no query argument", id, base)
			}

			for _, name := range []string{"users", map[string]string{
				"rediscloud_audit_logs": "details_patterns", "rediscloud_session_logs": "user_roles"}[ds]} {
				ab := readID(t, p, ds, map[string]tftypes.Value{name: tfStrings("a*", "b*")})
				ba := readID(t, p, ds, map[string]tftypes.Value{name: tfStrings("b*", "a*")})
				if ab == ba {
					t.Errorf("%s: [a*, b*] and [b*, a*] give the same id %s; lists keep their order in the hash", name, ab)
				}
				if again := readID(t, p, ds, map[string]tftypes.Value{name: tfStrings("a*", "b*")}); again != ab {
					t.Errorf("%s: the same list gave ids %s and %s", name, ab, again)
				}
			}
		})
	}
	if bases["rediscloud_audit_logs"] == bases["rediscloud_session_logs"] {
		t.Error("both data sources give the same id without arguments; the id names the data source too")
	}
}

// wantDiag is one expected diagnostic: severity error, this summary, a detail that
// holds detail, on attribute (nil: none).
type wantDiag struct {
	summary, detail string
	attribute       *tftypes.AttributePath
}

func attr(name string, index ...int) *tftypes.AttributePath {
	p := tftypes.NewAttributePath().WithAttributeName(name)
	for _, i := range index {
		p = p.WithElementKeyInt(i)
	}
	return p
}

// checkDiagnostics requires exactly the errors in want, in any order, and no others.
func checkDiagnostics(t *testing.T, diags []*tfprotov6.Diagnostic, want ...wantDiag) {
	t.Helper()
	errs := errorDiagnostics(diags)
	if len(errs) != len(want) {
		t.Fatalf("%d errors, want %d: %v", len(errs), len(want), diagnosticTexts(diags))
	}
	for _, w := range want {
		if !slices.ContainsFunc(errs, func(d *tfprotov6.Diagnostic) bool {
			return d.Summary == w.summary && strings.Contains(d.Detail, w.detail) &&
				((d.Attribute == nil && w.attribute == nil) || (d.Attribute != nil && w.attribute != nil && d.Attribute.Equal(w.attribute)))
		}) {
			t.Errorf("no error %q on %v with %q in its detail among %v (on %v)", w.summary, w.attribute, w.detail,
				diagnosticTexts(diags), attributesOf(errs))
		}
	}
}

func attributesOf(diags []*tfprotov6.Diagnostic) []string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Attribute.String())
	}
	return out
}

func TestConfigureDiagnostics(t *testing.T) {
	for _, name := range []string{envAPIKey, envSecretKey, envSeedAPIKey, envSeedSecretKey, envURL} {
		t.Setenv(name, "")
	}
	_, url := testMock(t, mockapi.Options{})
	s := func(v string) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	keys := map[string]tftypes.Value{"url": s(url), "api_key": s(testAPIKey), "secret_key": s(testSecretKey)}
	with := func(args map[string]tftypes.Value) map[string]tftypes.Value {
		out := map[string]tftypes.Value{}
		for k, v := range keys {
			out[k] = v
		}
		for k, v := range args {
			if v.Equal(tftypes.Value{}) {
				delete(out, k)
				continue
			}
			out[k] = v
		}
		return out
	}
	unset := tftypes.Value{}
	for name, tc := range map[string]struct {
		args map[string]tftypes.Value
		want []wantDiag
	}{
		"retry_wait_max below retry_wait_min": {with(map[string]tftypes.Value{"retry_wait_min": s("10s"), "retry_wait_max": s("5s")}),
			[]wantDiag{{"Invalid Retry Wait", "retry_wait_max must not be shorter than retry_wait_min.", attr("retry_wait_max")}}},
		"retry_wait_max below the default retry_wait_min": {with(map[string]tftypes.Value{"retry_wait_max": s("500ms")}),
			[]wantDiag{{"Invalid Retry Wait", "retry_wait_max must not be shorter than retry_wait_min.", attr("retry_wait_max")}}},
		"retry_wait_max equal to retry_wait_min": {with(map[string]tftypes.Value{"retry_wait_min": s("2s"), "retry_wait_max": s("2s")}), nil},
		"api_key unknown": {with(map[string]tftypes.Value{"api_key": unknown}),
			[]wantDiag{{"Unknown Provider Argument", "The provider cannot read the logs while api_key is unknown during the plan.", attr("api_key")}}},
		"secret_key unknown": {with(map[string]tftypes.Value{"secret_key": unknown}),
			[]wantDiag{{"Unknown Provider Argument", "while secret_key is unknown during the plan", attr("secret_key")}}},
		"url unknown": {with(map[string]tftypes.Value{"url": unknown}),
			[]wantDiag{{"Unknown Provider Argument", "while url is unknown during the plan", attr("url")}}},
		"api_key missing": {with(map[string]tftypes.Value{"api_key": unset}),
			[]wantDiag{{"Missing API Key", "Set api_key in the provider block, or the environment variable REDISCLOUD_ACCESS_KEY (or REDIS_API_KEY).", attr("api_key")}}},
		"both keys missing": {with(map[string]tftypes.Value{"api_key": unset, "secret_key": unset}), []wantDiag{
			{"Missing API Key", "REDISCLOUD_ACCESS_KEY", attr("api_key")},
			{"Missing Secret Key", "Set secret_key in the provider block, or the environment variable REDISCLOUD_SECRET_KEY (or REDIS_API_SECRET).", attr("secret_key")},
		}},
		"plain http to another host": {with(map[string]tftypes.Value{"url": s("http://api.example.com/v1")}),
			[]wantDiag{{"Invalid API URL", `the base URL "http://api.example.com/v1" uses plain http://, which would send the API keys unencrypted; use https://, or allow insecure HTTP explicitly (only loopback hosts such as 127.0.0.1 or localhost are allowed without it). The base URL is the provider's url argument; plain HTTP to a host other than a loopback address needs allow_insecure_http = true.`, attr("url")}}},
		"plain http allowed": {with(map[string]tftypes.Value{"url": s("http://api.example.com/v1"), "allow_insecure_http": tftypes.NewValue(tftypes.Bool, true)}), nil},
		"request_timeout known only now": {with(map[string]tftypes.Value{"request_timeout": s("soon")}),
			[]wantDiag{{"Invalid Duration", `"soon" is not a valid duration`, attr("request_timeout")}}},
		"every bad duration at once": {with(map[string]tftypes.Value{"retry_wait_min": s("x"), "retry_wait_max": s("-1s"), "request_timeout": s("1")}), []wantDiag{
			{"Invalid Duration", `"x" is not a valid duration`, attr("retry_wait_min")},
			{"Invalid Duration", `"-1s" is not a valid duration`, attr("retry_wait_max")},
			{"Invalid Duration", `"1" is not a valid duration`, attr("request_timeout")},
		}},
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			server, err := testAccProtoV6ProviderFactories["rediscloud"]()
			if err != nil {
				t.Fatal(err)
			}
			schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
			if err != nil {
				t.Fatal(err)
			}
			resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
				TerraformVersion: "1.11.4", Config: dynamicValue(t, objectOf(t, schemas.Provider.ValueType(), tc.args)),
			})
			if err != nil {
				t.Fatal(err)
			}
			checkDiagnostics(t, resp.Diagnostics, tc.want...)
		})
	}
}

// TestValidateCrossAttributeDiagnostics speaks ValidateDataResourceConfig, the call
// behind `terraform validate` (and the validation of every plan), for the rules that
// hold between two arguments of a data source.
func TestValidateCrossAttributeDiagnostics(t *testing.T) {
	ctx := context.Background()
	server, err := testAccProtoV6ProviderFactories["rediscloud"]()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	s := func(v string) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }
	for _, ds := range []string{"rediscloud_audit_logs", "rediscloud_session_logs"} {
		for name, tc := range map[string]struct {
			args map[string]tftypes.Value
			want []wantDiag
		}{
			"start_time with lookback": {map[string]tftypes.Value{"start_time": s("2025-01-01T00:00:00Z"), "lookback": s("24h")},
				[]wantDiag{{"Invalid Attribute Combination", `Attribute "lookback" cannot be specified when "start_time" is specified`, attr("start_time")}}},
			"end_time before start_time": {map[string]tftypes.Value{"start_time": s("2025-02-01T00:00:00Z"), "end_time": s("2025-01-31T23:59:59Z")},
				[]wantDiag{{"Invalid Time Range", "end_time must not be before start_time: end_time is 2025-01-31T23:59:59Z, start_time is 2025-02-01T00:00:00Z.", attr("end_time")}}},
			"end_time before start_time in another zone": {map[string]tftypes.Value{"start_time": s("2025-02-01T00:30:00+01:00"), "end_time": s("2025-01-31T23:00:00Z")},
				[]wantDiag{{"Invalid Time Range", "end_time must not be before start_time", attr("end_time")}}},
			"end_time equal to start_time":        {map[string]tftypes.Value{"start_time": s("2025-02-01T00:00:00Z"), "end_time": s("2025-02-01T01:00:00+01:00")}, nil},
			"end_time with lookback":              {map[string]tftypes.Value{"lookback": s("24h"), "end_time": s("2025-01-01T00:00:00Z")}, nil},
			"end_time before an unknown start":    {map[string]tftypes.Value{"start_time": tftypes.NewValue(tftypes.String, tftypes.UnknownValue), "end_time": s("2025-01-01T00:00:00Z")}, nil},
			"start_time malformed, end_time late": {map[string]tftypes.Value{"start_time": s("soon"), "end_time": s("2025-01-01T00:00:00Z")}, []wantDiag{{"Invalid Timestamp", `"soon"`, attr("start_time")}}},
		} {
			t.Run(ds+"/"+name, func(t *testing.T) {
				resp, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{
					TypeName: ds, Config: dynamicValue(t, objectOf(t, schemas.DataSourceSchemas[ds].ValueType(), tc.args)),
				})
				if err != nil {
					t.Fatal(err)
				}
				checkDiagnostics(t, resp.Diagnostics, tc.want...)
			})
		}
	}
}

// TestReadReportsArgumentsKnownOnlyAtApply: values unknown at validate time reach Read
// unchecked by the validators; Read parses them and reports each bad one on its own
// attribute (and list element), all at once, before a single request is sent.
func TestReadReportsArgumentsKnownOnlyAtApply(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	p := configureProtocolProvider(t, url, nil)
	s := func(v string) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }
	for name, tc := range map[string]struct {
		ds   string
		args map[string]tftypes.Value
		want []wantDiag
	}{
		"start_time": {"rediscloud_audit_logs", map[string]tftypes.Value{"start_time": s("2025-13-01T00:00:00Z")},
			[]wantDiag{{"Invalid Timestamp", `"2025-13-01T00:00:00Z"`, attr("start_time")}}},
		"end_time": {"rediscloud_session_logs", map[string]tftypes.Value{"end_time": s("yesterday")},
			[]wantDiag{{"Invalid Timestamp", `"yesterday"`, attr("end_time")}}},
		"lookback": {"rediscloud_session_logs", map[string]tftypes.Value{"lookback": s("a week")},
			[]wantDiag{{"Invalid Lookback", `"a week"`, attr("lookback")}}},
		"users element": {"rediscloud_audit_logs", map[string]tftypes.Value{"users": tfStrings("*@example.com", "[z-a]*")},
			[]wantDiag{{"Invalid Glob Pattern", "[z-a]*", attr("users", 1)}}},
		"actions element": {"rediscloud_session_logs", map[string]tftypes.Value{"actions": tfStrings("[login")},
			[]wantDiag{{"Invalid Glob Pattern", "[login", attr("actions", 0)}}},
		"exclude_actions element": {"rediscloud_audit_logs", map[string]tftypes.Value{"exclude_actions": tfStrings("ok", "")},
			[]wantDiag{{"Invalid Glob Pattern", "empty", attr("exclude_actions", 1)}}},
		"ip_cidrs element": {"rediscloud_session_logs", map[string]tftypes.Value{"ip_cidrs": tfStrings("10.0.0.0/33")},
			[]wantDiag{{"Invalid CIDR Range", "10.0.0.0/33", attr("ip_cidrs", 0)}}},
		"details_patterns element": {"rediscloud_audit_logs", map[string]tftypes.Value{"details_patterns": tfStrings("(deleted")},
			[]wantDiag{{"Invalid Regular Expression", "missing closing )", attr("details_patterns", 0)}}},
		"every bad argument at once": {"rediscloud_session_logs", map[string]tftypes.Value{
			"lookback": s("-1h"), "exclude_users": tfStrings("bob[@"), "exclude_ip_cidrs": tfStrings("office"), "user_roles": tfStrings("[owner"),
		}, []wantDiag{
			{"Invalid Lookback", `"-1h"`, attr("lookback")},
			{"Invalid Glob Pattern", "bob[@", attr("exclude_users", 0)},
			{"Invalid CIDR Range", "office", attr("exclude_ip_cidrs", 0)},
			{"Invalid Glob Pattern", "[owner", attr("user_roles", 0)},
		}},
	} {
		t.Run(name, func(t *testing.T) {
			before := mock.RequestCount()
			o := p.read(t, context.Background(), tc.ds, tc.args, 30*time.Second)
			if o.err != nil || o.hung || o.panicked != nil {
				t.Fatalf("err %v, hung %v, panic %v", o.err, o.hung, o.panicked)
			}
			checkDiagnostics(t, o.resp.Diagnostics, tc.want...)
			if n := mock.RequestCount() - before; n != 0 {
				t.Errorf("%d requests sent for a configuration with errors", n)
			}
		})
	}
}
