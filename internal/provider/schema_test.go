package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// TestSchemaDescriptionsQuoteTheDefaults: the docs are generated from these
// descriptions, so the defaults they quote are the ones users read.
func TestSchemaDescriptionsQuoteTheDefaults(t *testing.T) {
	server, err := testAccProtoV6ProviderFactories["rediscloud"]()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"retry_wait_min":      "Defaults to `\"1s\"`.",
		"retry_wait_max":      "Defaults to `\"30s\"`.",
		"request_timeout":     "Defaults to `\"60s\"`.",
		"max_retries":         "Defaults to `5`.",
		"requests_per_minute": "Defaults to `400`.",
		"max_concurrency":     "Defaults to `4`.",
	}
	for _, a := range resp.Provider.Block.Attributes {
		if w, ok := want[a.Name]; ok {
			if !strings.HasSuffix(a.Description, w) {
				t.Errorf("%s: description %q does not end with %q", a.Name, a.Description, w)
			}
			delete(want, a.Name)
		}
	}
	for name := range want {
		t.Errorf("no provider attribute %s", name)
	}
}
