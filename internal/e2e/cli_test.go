// Package e2e holds the tests that drive the Terraform and OpenTofu CLIs as a user does,
// outside terraform-plugin-testing: every example through fmt and validate
// (examples_test.go), the policy pack on real plan JSON (policy_test.go) and the install
// through a filesystem mirror (install_test.go). The provider runs as a built binary, the
// API is internal/mockapi on 127.0.0.1, and nothing reads ~/.terraformrc.
//
// They run with TF_ACC set, as the acceptance tests do (`make test`), with the CLI in
// TF_ACC_TERRAFORM_PATH; OpenTofu joins when $TOFU, a tofu on PATH or
// bin/tofu-$TOFU_PINNED_VERSION is at hand, and its subtests say SKIP otherwise.
// `make validate-examples`, `make policy-test` and `make install-test` run one file each.
package e2e

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// repoRoot is the repository's root: go test runs in this package's directory.
var repoRoot = func() string {
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return dir
}()

// cli is a Terraform or OpenTofu binary and its 1.x minor version.
type cli struct {
	path  string
	name  string // "terraform" or "tofu", as its version line says
	minor int
}

// atLeast says whether the CLI is Terraform 1.terraform or OpenTofu 1.tofu or later.
func (c cli) atLeast(terraform, tofu int) bool {
	if c.name == "tofu" {
		return c.minor >= tofu
	}
	return c.minor >= terraform
}

func (c cli) hasFunctions() bool { return c.atLeast(8, 7) }
func (c cli) hasEphemeral() bool { return c.atLeast(10, 11) }

var versionLine = regexp.MustCompile(`^(Terraform|OpenTofu) v1\.(\d+)\.`)

func newCLI(t *testing.T, path string) cli {
	t.Helper()
	cmd := exec.Command(path, "version")
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE=/dev/null", "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	m := versionLine.FindSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("%s version: %v: %.200s", path, err, out)
	}
	minor, _ := strconv.Atoi(string(m[2]))
	return cli{path: path, name: map[string]string{"Terraform": "terraform", "OpenTofu": "tofu"}[string(m[1])], minor: minor}
}

// clis are the CLIs to test with: the one of the acceptance tests, and OpenTofu when
// one is at hand and is not that one. Without TF_ACC the test skips.
func clis(t *testing.T) []cli {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs the Terraform CLI: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH (make test does)")
	}
	first := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if first == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH is not set: make test sets it (scripts/ensure-terraform.sh)")
	}
	out := []cli{newCLI(t, first)}
	if tofu := findTofu(); out[0].name != "tofu" && tofu != "" {
		out = append(out, newCLI(t, tofu))
	}
	return out
}

const noTofu = "no OpenTofu at hand ($TOFU, a tofu on PATH or bin/tofu-$TOFU_PINNED_VERSION; make tofu builds one)"

// forEachCLI runs test as a subtest per CLI of clis, and a skipped "tofu" when there is none.
func forEachCLI(t *testing.T, test func(t *testing.T, c cli)) {
	t.Helper()
	all := clis(t)
	for _, c := range all {
		t.Run(c.name, func(t *testing.T) { test(t, c) })
	}
	if all[len(all)-1].name != "tofu" {
		t.Run("tofu", func(t *testing.T) { t.Skip(noTofu) })
	}
}

func findTofu() string {
	if p := os.Getenv("TOFU"); p != "" {
		return p
	}
	if p, err := exec.LookPath("tofu"); err == nil {
		return p
	}
	pinned := filepath.Join(repoRoot, "bin", "tofu-"+cmp.Or(os.Getenv("TOFU_PINNED_VERSION"), "1.12.6"))
	if _, err := os.Stat(pinned); err == nil {
		return pinned
	}
	return ""
}

// run runs the CLI in dir with env on top of a clean environment (nothing of the
// caller's TF_CLI_ARGS, TF_VAR_ or TF_LOG reaches it) and returns its combined output.
func (c cli) run(t *testing.T, dir string, env []string, args ...string) (string, error) {
	t.Helper()
	_, all, err := c.exec(dir, env, args...)
	return all, err
}

// must is run that fails the test, with the output, when the CLI fails.
func (c cli) must(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	_, all, err := c.exec(dir, env, args...)
	if err != nil {
		t.Fatalf("%s %s in %s: %v\n%s", c.name, strings.Join(args, " "), dir, err, all)
	}
	return all
}

// stdout is must's standard output alone (show -json: the warnings go to stderr).
func (c cli) stdout(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	stdout, all, err := c.exec(dir, env, args...)
	if err != nil {
		t.Fatalf("%s %s in %s: %v\n%s", c.name, strings.Join(args, " "), dir, err, all)
	}
	return stdout
}

func (c cli) exec(dir string, env []string, args ...string) (stdout, all string, err error) {
	cmd := exec.Command(c.path, args...)
	cmd.Dir = dir
	cmd.Env = append(cleanEnv(), env...)
	var out bytes.Buffer
	both := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = io.MultiWriter(&out, both), both
	err = cmd.Run()
	return out.String(), both.String(), err
}

// lockedBuffer takes the writes of two goroutines (exec copies stdout and stderr apart).
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "REDISCLOUD_") || strings.HasPrefix(name, "REDIS_API_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
}

var (
	buildOnce   sync.Once
	providerDir string
	buildErr    error
)

// builtProvider is the directory of this provider built once for the test binary.
func builtProvider(t *testing.T) string {
	t.Helper()
	buildOnce.Do(buildProvider)
	if buildErr != nil {
		t.Fatalf("building the provider: %v", buildErr)
	}
	return providerDir
}

// buildProvider builds into a directory that outlives each test; TestMain removes it.
func buildProvider() {
	if providerDir, buildErr = os.MkdirTemp("", "e2e-provider"); buildErr == nil {
		buildErr = goBuild(filepath.Join(providerDir, "terraform-provider-rediscloud"))
	}
}

func goBuild(out string) error {
	cmd := exec.Command("go", "build", "-o", out, ".")
	cmd.Dir = repoRoot
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%w: %s", err, b)
	}
	return nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if providerDir != "" {
		_ = os.RemoveAll(providerDir)
	}
	os.Exit(code)
}

// devOverrides writes a CLI config that takes redis-logs/rediscloud from dir and every
// other provider as usual, and returns its path.
func devOverrides(t *testing.T, dir string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "terraformrc")
	writeFile(t, file, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
		"redis-logs/rediscloud", dir))
	return file
}

// demoAPI serves the mock's demo dataset in shape on 127.0.0.1 and returns its base URL.
func demoAPI(t *testing.T, shape mockapi.Shape, apiKey, secretKey string) string {
	t.Helper()
	s := mockapi.New(mockapi.Options{APIKey: apiKey, SecretKey: secretKey, Shape: shape})
	audit, sessions := mockapi.DemoDataset(time.Now())
	s.SetAudit(audit)
	s.SetSessions(sessions)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv.URL + "/v1"
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyDir copies the regular files under src to dst, leaving out .terraform directories.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if d.Name() == ".terraform" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
