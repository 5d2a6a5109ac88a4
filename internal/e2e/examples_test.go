package e2e

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// needsRegistry names, per example directory, the file that uses a provider from a
// registry (no internet here, and validate needs every required provider installed). The
// copy loses it and the `rediscloud = { ... }` entry of required_providers; the rest is
// still validated, which catches a data source of this provider without
// `provider = redislogs`, that Terraform would hand to the missing `rediscloud`.
var needsRegistry = map[string]string{"with-official-provider": "official.tf"}

var (
	registryEntry  = regexp.MustCompile(`(?ms)^    rediscloud = \{\n.*?^    \}\n`)
	callsFunction  = regexp.MustCompile(`provider::`)
	declaresEphRes = regexp.MustCompile(`(?m)^ephemeral "`)
)

// TestExamples checks every example as a user meets it: `fmt -check`, then `validate` of
// each directory against the built provider through dev_overrides, in a copy (nothing is
// written under examples/). A CLI too old to parse a file (provider functions: Terraform
// 1.8, OpenTofu 1.7; ephemeral blocks: 1.10, 1.11) validates the examples without it.
// The documentation snippets leave out required_providers, as registry docs do: their
// copy gets one, so that `rediscloud` is redis-logs/rediscloud, not hashicorp/rediscloud.
func TestExamples(t *testing.T) {
	forEachCLI(t, func(t *testing.T, c cli) {
		work := t.TempDir()
		copyDir(t, filepath.Join(repoRoot, "examples"), work)
		dirs := map[string]bool{}
		err := filepath.WalkDir(work, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(path) != ".tf" {
				return err
			}
			b, err := os.ReadFile(path)
			switch {
			case err != nil:
				return err
			case !c.hasFunctions() && callsFunction.Match(b), !c.hasEphemeral() && declaresEphRes.Match(b):
				t.Logf("%s 1.%d: leaving out %s (it needs a newer CLI)", c.name, c.minor, path[len(work)+1:])
				return os.Remove(path)
			}
			dirs[filepath.Dir(path)] = true
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if out, err := c.run(t, work, nil, "fmt", "-check", "-recursive", "-diff"); err != nil {
			t.Fatalf("these example files need formatting (terraform fmt -recursive examples):\n%s", out)
		}
		env := []string{"TF_CLI_CONFIG_FILE=" + devOverrides(t, builtProvider(t))}
		names := slices.Sorted(maps.Keys(dirs))
		if len(names) < 5 {
			t.Fatalf("found %d example directories: %v", len(names), names)
		}
		for _, dir := range names {
			rel, _ := filepath.Rel(work, dir)
			t.Run(rel, func(t *testing.T) {
				prepare(t, dir, needsRegistry[rel])
				out := c.must(t, dir, env, "validate", "-no-color")
				for _, line := range strings.Split(out, "\n") {
					if strings.HasPrefix(line, "Warning: ") && !strings.Contains(line, "Provider development overrides are in effect") {
						t.Errorf("validate warned:\n%s", out)
						break
					}
				}
			})
		}
	})
}

// prepare makes the copy in dir validatable without a registry: it drops the file that
// needs one (and its required_providers entry) and adds required_providers where none is.
func prepare(t *testing.T, dir, registryFile string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	if registryFile != "" {
		if err := os.Remove(filepath.Join(dir, registryFile)); err != nil {
			t.Fatalf("needsRegistry lists %s: %v", registryFile, err)
		}
	}
	declared := false
	for _, f := range files {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if registryFile != "" {
			b = registryEntry.ReplaceAll(b, nil)
			if strings.Contains(string(b), "RedisLabs/rediscloud") {
				t.Fatalf("could not take RedisLabs/rediscloud out of %s", f)
			}
			writeFile(t, f, string(b))
		}
		declared = declared || strings.Contains(string(b), "required_providers")
	}
	if !declared {
		writeFile(t, filepath.Join(dir, "zz_required_providers.tf"),
			"terraform {\n  required_providers {\n    rediscloud = {\n      source = \"redis-logs/rediscloud\"\n    }\n  }\n}\n")
	}
}
