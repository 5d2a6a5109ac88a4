package e2e

import (
	"archive/zip"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

const project = "terraform-provider-rediscloud"

// The mock's credentials; they only travel to 127.0.0.1. Long on purpose: the provider
// masks them in its logs, and a short one would mask common letters.
const installKey, installSecret = "install-test-account-key", "install-test-user-key"

var platform = runtime.GOOS + "_" + runtime.GOARCH

// TestInstall installs the provider as a user or a team would (scripts/install.sh, what
// `make install` runs) and checks that each CLI installs it from the mirror like a
// released provider: init without a "development overrides" warning and with a lock file
// of h1: hashes, an init from that lock file without any warning, a plan that reads the
// mock, the provider's version in its log and in `version`. Three mirrors: a MIRROR
// directory, ~/.terraform.d/plugins (`make install` with no MIRROR, HOME in a temporary
// directory), and a release directory through --from-release (INSTALL_TEST_RELEASE_DIR,
// such as `make release-snapshot`'s dist/, or one built here as .goreleaser.yml does),
// where a zip that does not match SHA256SUMS must be refused.
func TestInstall(t *testing.T) {
	all := clis(t)
	if all[len(all)-1].name != "tofu" {
		t.Log("tofu: SKIPPED: " + noTofu)
	}
	work := t.TempDir()
	home := filepath.Join(work, "home")
	url := demoAPI(t, mockapi.ShapeSeed, installKey, installSecret)

	out := install(t, nil, filepath.Join(work, "mirror"))
	version, config := out["version"], out["cli_config"]
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		bin := filepath.Join(work, "mirror", host, "redis-logs/rediscloud", version, platform, project+"_v"+version)
		if got, err := exec.Command(bin, "-version").Output(); err != nil || strings.TrimSpace(string(got)) != version {
			t.Fatalf("%s -version: %q, %v; its directory says %s", bin, got, err, version)
		}
	}
	guardDevOverrides(t, all[0], home, filepath.Join(work, "mirror", "registry.terraform.io/redis-logs/rediscloud", version, platform), url, version)
	checkInstalled(t, "mirror", all, home, config, url, version)

	// make install with no MIRROR: ~/.terraform.d/plugins, which both CLIs search with no
	// provider_installation block (the CLI config is /dev/null). Go keeps its own caches.
	goEnv := []string{"HOME=" + home}
	for _, name := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOENV"} {
		v, _ := exec.Command("go", "env", name).Output()
		goEnv = append(goEnv, name+"="+strings.TrimSpace(string(v)))
	}
	if out := install(t, goEnv); out["cli_config"] != "" {
		t.Errorf("make install with no MIRROR wrote a CLI config (%s); the implied mirror needs none", out["cli_config"])
	}
	checkInstalled(t, "default-mirror", all, home, "/dev/null", url, version)

	release := os.Getenv("INSTALL_TEST_RELEASE_DIR")
	if release == "" {
		release = makeRelease(t, work, filepath.Join(work, "mirror", "registry.terraform.io/redis-logs/rediscloud", version, platform, project+"_v"+version), version)
	}
	tampered := filepath.Join(work, "tampered")
	copyDir(t, release, tampered)
	zips, _ := filepath.Glob(filepath.Join(tampered, project+"_*_"+platform+".zip"))
	if len(zips) == 0 {
		t.Fatalf("no %s zip in %s", platform, release)
	}
	f, _ := os.OpenFile(zips[0], os.O_APPEND|os.O_WRONLY, 0)
	_, _ = f.WriteString("x")
	_ = f.Close()
	if got, err := runInstall(nil, "--from-release", tampered, filepath.Join(work, "mirror-tampered")); err == nil || !strings.Contains(got, "does not match") {
		t.Fatalf("install.sh --from-release of a zip that does not match SHA256SUMS: %v\n%s", err, got)
	}
	if left, _ := filepath.Glob(filepath.Join(work, "mirror-tampered", "*", "redis-logs", "rediscloud", "*.zip")); len(left) > 0 {
		t.Fatalf("the tampered zip reached the mirror: %v", left)
	}
	out = install(t, nil, "--from-release", release, filepath.Join(work, "mirror-release"))
	if os.Getenv("INSTALL_TEST_RELEASE_DIR") == "" && out["version"] != version {
		t.Fatalf("the release directory says %s, its binary was built as %s", out["version"], version)
	}
	// A real release directory may come from another commit (or a tag) than make install's.
	checkInstalled(t, "release", all, home, out["cli_config"], url, out["version"])
}

// install runs scripts/install.sh with args and returns the KEY=value lines it prints last.
func install(t *testing.T, env []string, args ...string) map[string]string {
	t.Helper()
	out, err := runInstall(env, args...)
	if err != nil {
		t.Fatalf("scripts/install.sh %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	values := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^(version|cli_config)=(.*)$`).FindAllStringSubmatch(out, -1) {
		values[m[1]] = m[2]
	}
	if values["version"] == "" {
		t.Fatalf("scripts/install.sh printed no version:\n%s", out)
	}
	return values
}

func runInstall(env []string, args ...string) (string, error) {
	cmd := exec.Command("bash", append([]string{filepath.Join(repoRoot, "scripts", "install.sh")}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// guardDevOverrides proves that checkInstalled's "development overrides" check can fail:
// the same module through dev_overrides (the route a mirror replaces) prints the warning.
func guardDevOverrides(t *testing.T, c cli, home, providerDir, url, version string) {
	dir := writeModule(t, url, version)
	out, err := c.run(t, dir, []string{"HOME=" + home, "TF_CLI_CONFIG_FILE=" + devOverrides(t, providerDir)}, "plan", "-input=false", "-no-color")
	if !strings.Contains(strings.ToLower(out), "development overrides") {
		t.Fatalf("a plan through dev_overrides did not print the warning this test looks for (%v):\n%s", err, out)
	}
}

// checkInstalled runs init, init from the lock file, plan and version with each CLI in a
// fresh module that pins version, with the CLI config the install wrote.
func checkInstalled(t *testing.T, label string, all []cli, home, config, url, version string) {
	t.Helper()
	for _, c := range all {
		t.Run(label+"/"+c.name, func(t *testing.T) {
			host := map[string]string{"terraform": "registry.terraform.io", "tofu": "registry.opentofu.org"}[c.name]
			dir := writeModule(t, url, version)
			env := []string{"HOME=" + home, "TF_CLI_CONFIG_FILE=" + config}
			initOut := c.must(t, dir, env, "init", "-input=false", "-no-color")
			if strings.Contains(strings.ToLower(initOut), "development overrides") {
				t.Errorf("init warned about development overrides:\n%s", initOut)
			}
			if !strings.Contains(initOut, "Installed redis-logs/rediscloud v"+version) {
				t.Fatalf("init did not install redis-logs/rediscloud v%s:\n%s", version, initOut)
			}
			lock, _ := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
			block := regexp.MustCompile(`(?ms)^provider "` + regexp.QuoteMeta(host) + `/redis-logs/rediscloud" \{\n.*?^\}`).Find(lock)
			if !strings.Contains(string(block), `version     = "`+version+`"`) || !strings.Contains(string(block), `"h1:`) {
				t.Fatalf("the lock file has no %s/redis-logs/rediscloud at %s with an h1: hash:\n%s", host, version, lock)
			}
			// A CI run starts from a committed lock file: its init must not warn at all.
			_ = os.RemoveAll(filepath.Join(dir, ".terraform"))
			if out := c.must(t, dir, env, "init", "-input=false", "-no-color"); strings.Contains(out, "Warning") {
				t.Errorf("init with the lock file in place warned:\n%s", out)
			}
			tflog := filepath.Join(dir, "plan.tflog")
			plan := c.must(t, dir, append(env, "TF_LOG=INFO", "TF_LOG_PATH="+tflog), "plan", "-input=false", "-no-color")
			if strings.Contains(strings.ToLower(plan), "development overrides") {
				t.Errorf("plan warned about development overrides:\n%s", plan)
			}
			if m := regexp.MustCompile(`(?m)^ *\+ audit_entries_7d *= *([1-9][0-9]*)$`).FindStringSubmatch(plan); m == nil {
				t.Errorf("plan read no audit entries from the mock:\n%s", plan)
			}
			if logged, _ := os.ReadFile(tflog); !strings.Contains(string(logged), project+" "+version+" starting") {
				t.Errorf("the provider did not log its version at start (TF_LOG=INFO)")
			}
			if out := c.must(t, dir, env, "version", "-no-color"); !strings.Contains(out, "provider "+host+"/redis-logs/rediscloud v"+version) {
				t.Errorf("%s version does not list the provider at %s:\n%s", c.name, version, out)
			}
		})
	}
}

// writeModule is a fresh module that pins version and reads the mock at url.
func writeModule(t *testing.T, url, version string) string {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.tf"), fmt.Sprintf(`terraform {
  required_providers {
    rediscloud = {
      source  = "redis-logs/rediscloud"
      version = %q
    }
  }
}

provider "rediscloud" {
  url        = %q
  api_key    = %q
  secret_key = %q
}

data "rediscloud_audit_logs" "week" {
  lookback = "168h"
}

output "audit_entries_7d" {
  value = data.rediscloud_audit_logs.week.total_count
}
`, version, url, installKey, installSecret))
	return dir
}

// makeRelease writes a release directory as goreleaser's snapshot does for this platform
// (.goreleaser.yml): the binary zipped with the files goreleaser adds by default, the
// registry manifest, and SHA256SUMS listing both.
func makeRelease(t *testing.T, work, binary, version string) string {
	t.Helper()
	dir := filepath.Join(work, "release")
	zipName := fmt.Sprintf("%s_%s_%s.zip", project, version, platform)
	manifest := fmt.Sprintf("%s_%s_manifest.json", project, version)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, zipName))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, src := range []string{binary, filepath.Join(repoRoot, "README.md"), filepath.Join(repoRoot, "LICENSE"), filepath.Join(repoRoot, "CHANGELOG.md")} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		hdr := &zip.FileHeader{Name: filepath.Base(src), Method: zip.Deflate}
		hdr.SetMode(0o755)
		w, err := zw.CreateHeader(hdr)
		if err == nil {
			_, err = w.Write(b)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	m, _ := os.ReadFile(filepath.Join(repoRoot, "terraform-registry-manifest.json"))
	writeFile(t, filepath.Join(dir, manifest), string(m))
	var sums strings.Builder
	for _, name := range []string{zipName, manifest} {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		fmt.Fprintf(&sums, "%x  %s\n", sha256.Sum256(b), name)
	}
	writeFile(t, filepath.Join(dir, fmt.Sprintf("%s_%s_SHA256SUMS", project, version)), sums.String())
	return dir
}
