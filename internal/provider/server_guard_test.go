package provider

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// The fast path runs: a read through NewServer has its entries written by
// entriesServer, not by the framework. Handing no entries to the slot (in Read, or a
// slot that never reaches it) still gives the same state, so only this test fails.
func TestNewServerWritesTheEntries(t *testing.T) {
	mock, url := testMock(t, mockapi.Options{})
	mock.SetAudit(auditFixture(fixtureBase))
	mock.SetSessions(sessionFixture(fixtureBase))
	for _, ds := range []string{"rediscloud_audit_logs", "rediscloud_session_logs"} {
		before := fastPathReads.Load()
		protocolReadWith(t, NewServer("test"), url, nil, ds, nil)
		if got := fastPathReads.Load() - before; got != 1 {
			t.Errorf("%s through NewServer: entriesServer wrote the entries of %d reads, want 1", ds, got)
		}
		before = fastPathReads.Load()
		protocolReadWith(t, providerserver.NewProtocol6WithError(New("test")()), url, nil, ds, nil)
		if got := fastPathReads.Load() - before; got != 0 {
			t.Errorf("%s through the framework's server: %d reads counted as the fast path", ds, got)
		}
	}
}

// optionalServers are terraform-plugin-go's optional server interfaces, which
// tf6server finds by type assertion, with a check that NewServer's server has each.
var optionalServers = map[string]func(tfprotov6.ProviderServer) bool{
	"ProviderServerWithListResource": func(s tfprotov6.ProviderServer) bool {
		_, ok := s.(tfprotov6.ProviderServerWithListResource) //nolint:staticcheck // what tf6server asserts
		return ok
	},
	"ProviderServerWithActions": func(s tfprotov6.ProviderServer) bool {
		_, ok := s.(tfprotov6.ProviderServerWithActions) //nolint:staticcheck // what tf6server asserts
		return ok
	},
	"ProviderServerWithStateStores": func(s tfprotov6.ProviderServer) bool {
		_, ok := s.(tfprotov6.ProviderServerWithStateStores) //nolint:staticcheck // what tf6server asserts
		return ok
	},
}

// entriesServer forwards every optional interface of terraform-plugin-go's that the
// framework's server implements. The list is read from terraform-plugin-go's source,
// so that an upgrade which adds one fails here until frameworkServer forwards it.
func TestEntriesServerForwardsEveryInterface(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.Dir}}", "github.com/hashicorp/terraform-plugin-go/tfprotov6").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	files, err := filepath.Glob(filepath.Join(strings.TrimSpace(string(out)), "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range g.Specs {
				if ts, ok := spec.(*ast.TypeSpec); ok && strings.HasPrefix(ts.Name.Name, "ProviderServerWith") {
					if _, isInterface := ts.Type.(*ast.InterfaceType); isInterface {
						found = append(found, ts.Name.Name)
					}
				}
			}
		}
	}
	if len(found) == 0 {
		t.Fatalf("no ProviderServerWith* interface in %s: the scan is broken", filepath.Base(strings.TrimSpace(string(out))))
	}
	framework, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	wrapped, err := NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range found {
		has, known := optionalServers[name]
		if !known {
			t.Errorf("terraform-plugin-go has %s: add it to frameworkServer (server.go) and to optionalServers", name)
			continue
		}
		if has(framework) && !has(wrapped) {
			t.Errorf("the framework's server implements %s and NewServer's does not", name)
		}
	}
}
