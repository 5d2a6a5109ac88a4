package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// TestKeysAreMaskedInEveryLogRecord configures the provider and reads both data
// sources on a context whose logger carries a field holding the API key, as a request
// context of Terraform's could: every record that the provider writes, from Configure
// and from the reads, must come out with both keys masked. (TestAccProvider_secretsNeverLogged
// checks the same through Terraform's TRACE log; this one runs without the CLI.)
func TestKeysAreMaskedInEveryLogRecord(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.SetAudit(auditFixture(fixtureBase))
	mock.SetSessions(sessionFixture(fixtureBase))
	logs := newLogScanner(testAPIKey, testSecretKey)
	ctx := loggingContext(logs)

	server, err := testAccProtoV6ProviderFactories["rediscloud"]()
	if err != nil {
		t.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	s := func(v string) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }
	configured, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.11.4", Config: dynamicValue(t, objectOf(t, schemas.Provider.ValueType(), map[string]tftypes.Value{
			"url": s(url), "api_key": s(testAPIKey), "secret_key": s(testSecretKey),
		})),
	})
	if err != nil || len(configured.Diagnostics) > 0 {
		t.Fatalf("configure: %v %v", err, diagnosticTexts(configured.Diagnostics))
	}
	for _, ds := range []string{"rediscloud_audit_logs", "rediscloud_session_logs"} {
		read, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{
			TypeName: ds, Config: dynamicValue(t, objectOf(t, schemas.DataSourceSchemas[ds].ValueType(), nil)),
		})
		if err != nil || len(errorDiagnostics(read.Diagnostics)) > 0 {
			t.Fatalf("read %s: %v %v", ds, err, diagnosticTexts(read.Diagnostics))
		}
	}
	records, leaks, sample := logs.counts()
	if records < 5 {
		t.Fatalf("%d log records: the provider's logs were not captured, so the test would prove nothing", records)
	}
	if leaks > 0 {
		t.Errorf("%d of %d log records hold a key, such as: %.300s", leaks, records, sample)
	}
}
