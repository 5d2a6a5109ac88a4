package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// terraform-plugin-testing cannot assert warnings, so these tests speak the plugin
// protocol to the provider directly, as Terraform does, and read the diagnostics.

// objectOf builds a value of an object type with every attribute null except those given.
func objectOf(t testing.TB, typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("schema type is %T, not an object", typ)
	}
	values := map[string]tftypes.Value{}
	for name, attrType := range obj.AttributeTypes {
		values[name] = tftypes.NewValue(attrType, nil)
	}
	for name, v := range set {
		if _, ok := obj.AttributeTypes[name]; !ok {
			t.Fatalf("no attribute %q", name)
		}
		values[name] = v
	}
	return tftypes.NewValue(obj, values)
}

func dynamicValue(t testing.TB, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// protocolRead configures a fresh provider for url (with providerArgs besides the
// credentials), as Terraform would, and reads one data source with args. It returns the
// response, the data source's schema type and how long the ReadDataSource call took.
func protocolRead(t testing.TB, url string, providerArgs map[string]tftypes.Value, dataSource string,
	args map[string]tftypes.Value) (*tfprotov6.ReadDataSourceResponse, tftypes.Type, time.Duration) {
	t.Helper()
	return protocolReadWith(t, testAccProtoV6ProviderFactories["rediscloud"], url, providerArgs, dataSource, args)
}

// protocolReadWith is protocolRead with the provider server that newServer makes.
func protocolReadWith(t testing.TB, newServer func() (tfprotov6.ProviderServer, error), url string,
	providerArgs map[string]tftypes.Value, dataSource string, args map[string]tftypes.Value,
) (*tfprotov6.ReadDataSourceResponse, tftypes.Type, time.Duration) {
	t.Helper()
	ctx := context.Background()
	p := configureServer(t, newServer, url, providerArgs)
	server, schemas := p.server, p.schemas
	schemaType := schemas.DataSourceSchemas[dataSource].ValueType()
	config := dynamicValue(t, objectOf(t, schemaType, args))
	began := time.Now()
	read, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: dataSource, Config: config})
	took := time.Since(began)
	if err != nil {
		t.Fatal(err)
	}
	return read, schemaType, took
}

// readDiagnostics configures the provider for url and reads one data source with args.
func readDiagnostics(t *testing.T, url, dataSource string, args map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	t.Helper()
	read, _, _ := protocolRead(t, url, nil, dataSource, args)
	return read.Diagnostics
}

func findDiagnostic(diags []*tfprotov6.Diagnostic, severity tfprotov6.DiagnosticSeverity, summary string) *tfprotov6.Diagnostic {
	for _, d := range diags {
		if d.Severity == severity && d.Summary == summary {
			return d
		}
	}
	return nil
}

func TestReadWarnsWhenMaxResultsTruncates(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.SetSessions(sessionFixture(fixtureBase))
	diags := readDiagnostics(t, url, "rediscloud_session_logs", map[string]tftypes.Value{
		"max_results": tftypes.NewValue(tftypes.Number, 2),
	})
	d := findDiagnostic(diags, tfprotov6.DiagnosticSeverityWarning, "Results Truncated")
	if d == nil {
		t.Fatalf("no truncation warning among %v", diags)
	}
	if !strings.Contains(d.Detail, "5 entries matched") || d.Attribute.String() != `AttributeName("max_results")` {
		t.Errorf("warning = %q on %v", d.Detail, d.Attribute)
	}
}

func TestReadDoesNotWarnWithoutTruncation(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{Shape: mockapi.ShapeSeed})
	mock.SetAudit(auditFixture(fixtureBase))
	diags := readDiagnostics(t, url, "rediscloud_audit_logs", map[string]tftypes.Value{
		"max_results": tftypes.NewValue(tftypes.Number, 6),
		"actions":     tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "*")}),
	})
	if len(diags) != 0 {
		t.Errorf("unexpected diagnostics: %v", diags)
	}
}

func TestReadWarnsWhenTheShapeLacksTheFilteredField(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{Shape: mockapi.ShapeOfficial})
	mock.SetAudit(auditFixture(fixtureBase))
	diags := readDiagnostics(t, url, "rediscloud_audit_logs", map[string]tftypes.Value{
		"status": tftypes.NewValue(tftypes.String, "failure"),
	})
	d := findDiagnostic(diags, tfprotov6.DiagnosticSeverityWarning, "Filter Field Missing From Entries")
	if d == nil {
		t.Fatalf("no missing-field warning among %v", diags)
	}
	if !strings.HasPrefix(d.Detail, "6 entries") || d.Attribute.String() != `AttributeName("status")` {
		t.Errorf("warning = %q on %v", d.Detail, d.Attribute)
	}
}
