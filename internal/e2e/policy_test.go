package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// opa is the OPA binary of the policy tests: $OPA (make policy-test and make test set it
// from scripts/ensure-opa.sh, which builds one into bin/ when there is none).
func opa(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("OPA"); p != "" {
		return p
	}
	if p, err := exec.LookPath("opa"); err == nil {
		return p
	}
	t.Skip("no opa: set OPA (make policy-test does, building one into bin/ when none is on PATH)")
	return ""
}

// runOPA runs opa in the repository root and returns its standard output.
func runOPA(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(opa(t), args...)
	cmd.Dir = repoRoot
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("opa %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
	}
	return strings.TrimSpace(string(out))
}

// TestPolicyUnits is `opa fmt`, `opa check --strict` and `opa test` of policies/rediscloud.
func TestPolicyUnits(t *testing.T) {
	if os.Getenv("TF_ACC") == "" && os.Getenv("OPA") == "" {
		t.Skip("set OPA or TF_ACC=1 (make policy-test, make test)")
	}
	if out := runOPA(t, "", "fmt", "--list", "policies/rediscloud"); out != "" {
		t.Fatalf("policies need formatting (opa fmt -w policies/rediscloud): %s", out)
	}
	runOPA(t, "", "check", "--strict", "policies/rediscloud", "policies/data.json")
	t.Log(runOPA(t, "", "test", "policies/rediscloud"))
}

// TestPolicies runs the policy pack on real plan JSON, with each CLI: examples/compliance
// against the mock's demo dataset (official shape) must give exactly the findings of
// policies/testdata/demo-findings.txt, through `opa eval`, `opa exec` and conftest (when
// on PATH); policies/testdata/quiet must give none while its reads hold entries; and the
// `test` files of examples/compliance must pass (mock_provider: Terraform 1.7, OpenTofu 1.8).
func TestPolicies(t *testing.T) {
	forEachCLI(t, func(t *testing.T, c cli) {
		const key, secret = "policy-test-key", "policy-test-secret"
		env := []string{"TF_CLI_CONFIG_FILE=" + devOverrides(t, builtProvider(t)), "REDISCLOUD_ACCESS_KEY=" + key,
			"REDISCLOUD_SECRET_KEY=" + secret, "REDISCLOUD_URL=" + demoAPI(t, mockapi.ShapeOfficial, key, secret)}
		work := t.TempDir()
		compliance := filepath.Join(work, "compliance")
		copyDir(t, filepath.Join(repoRoot, "examples", "compliance"), compliance)
		if !c.hasFunctions() {
			_ = os.Remove(filepath.Join(compliance, "functions.tf"))
		}
		testCopy := filepath.Join(work, "tests") // before the demo's variables: the tests set their own
		copyDir(t, compliance, testCopy)
		writeFile(t, filepath.Join(compliance, "demo.auto.tfvars"), "terraform_api_key_name = \"terraform-automation\"\n"+
			"max_inactive_days = 14\naccount_users = [\"alice@example.com\", \"bob@example.com\", \"carol@example.com\", \"erin@example.com\"]\n")

		t.Run("demo findings", func(t *testing.T) {
			plan := planJSON(t, c, compliance, env, "-var", "enforce_session_ranges=false")
			got := lines(runOPA(t, "", "eval", "--format", "raw", "-i", plan, "-d", "policies/rediscloud", "-d", "policies/data.json",
				`concat("\n", sort(data.rediscloud.deny))`))
			want := expectedFindings(t)
			for _, pattern := range want {
				if n := countMatches(pattern, got); n != 1 {
					t.Errorf("%d findings match %s, expected exactly 1", n, pattern)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d findings, expected the %d of demo-findings.txt:\n%s", len(got), len(want), strings.Join(got, "\n"))
			}
			decisions := runOPA(t, "", "exec", "--decision", "rediscloud/deny", "--bundle", "policies", plan)
			if n := runOPA(t, decisions, "eval", "--stdin-input", "--format", "raw", "count(input.result[0].result)"); n != strconv.Itoa(len(want)) {
				t.Errorf("opa exec found %s findings, opa eval %d", n, len(want))
			}
			if conftest, err := exec.LookPath("conftest"); err == nil {
				out, _ := exec.Command(conftest, "test", "--no-color", "--policy", filepath.Join(repoRoot, "policies/rediscloud"),
					"--data", filepath.Join(repoRoot, "policies/data.json"), "--namespace", "rediscloud", plan).CombinedOutput()
				if !strings.Contains(string(out), strconv.Itoa(len(want))+" failures") {
					t.Errorf("conftest disagrees with opa: %s", out)
				}
			}
			checks := runOPA(t, "", "eval", "--format", "raw", "-i", plan, "-d", "policies/rediscloud", "-d", "policies/data.json",
				`concat("\n", data.rediscloud.required_checks.deny) with data.rediscloud_params.required_checks as ["check.no_inactive_users"]`)
			if !regexp.MustCompile(`^required_checks: check.no_inactive_users: fail; Users of the account inactive(?s:.*)erin@example.com: last seen`).MatchString(checks) {
				t.Errorf("required_checks did not report the failed check.no_inactive_users with its message: %s", checks)
			}
		})

		t.Run("quiet", func(t *testing.T) {
			quiet := filepath.Join(work, "quiet")
			copyDir(t, filepath.Join(repoRoot, "policies", "testdata", "quiet"), quiet)
			c.must(t, quiet, env, "get", "-no-color")
			plan := planJSON(t, c, quiet, env)
			if n := runOPA(t, "", "eval", "--format", "raw", "-i", plan, `count([r | some m in input.prior_state.values.root_module.child_modules; some r in m.resources; r.mode == "data"])`); n != "3" {
				t.Errorf("the quiet plan holds %s reads in its child module, expected 3", n)
			}
			// Not a vacuous pass: the reads hold the dataset's background entries.
			if n := runOPA(t, "", "eval", "--format", "raw", "-i", plan, "-d", "policies/rediscloud",
				"count(data.rediscloud.lib.audit_entries | data.rediscloud.lib.session_entries)"); n == "0" {
				t.Error("the quiet plan read no entry at all")
			}
			if got := runOPA(t, "", "eval", "--format", "raw", "-i", plan, "-d", "policies/rediscloud", "-d",
				"policies/testdata/quiet/quiet-params.json", `concat("\n", sort(data.rediscloud.deny))`); got != "" {
				t.Errorf("the quiet plan gave findings: %s", got)
			}
		})

		t.Run("terraform test", func(t *testing.T) {
			if !c.atLeast(7, 8) {
				t.Skip("tests/*.tftest.hcl need mock_provider (Terraform 1.7+, OpenTofu 1.8+)")
			}
			c.must(t, testCopy, env, "test", "-no-color", "-filter=tests/summaries.tftest.hcl")
			out, err := c.run(t, testCopy, env, "test", "-no-color", "-filter=tests/entries.tftest.hcl")
			switch {
			case err != nil && strings.Contains(out, "incompatible types; expected object type, found tuple"):
				t.Skip("this CLI cannot override entries (hashicorp/terraform#38369); summaries passed")
			case err != nil:
				t.Fatalf("tests/entries.tftest.hcl: %v\n%s", err, out)
			}
		})
	})
}

// planJSON plans dir with -out and returns the path of `show -json` of it.
func planJSON(t *testing.T, c cli, dir string, env []string, args ...string) string {
	t.Helper()
	c.must(t, dir, env, append([]string{"plan", "-input=false", "-no-color", "-out=plan.out"}, args...)...)
	writeFile(t, filepath.Join(dir, "plan.json"), c.stdout(t, dir, env, "show", "-json", "plan.out"))
	return filepath.Join(dir, "plan.json")
}

// expectedFindings is policies/testdata/demo-findings.txt: a regular expression a line.
func expectedFindings(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "policies", "testdata", "demo-findings.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range lines(string(b)) {
		if !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

func countMatches(pattern string, lines []string) int {
	re := regexp.MustCompile(pattern)
	n := 0
	for _, l := range lines {
		if re.MatchString(l) {
			n++
		}
	}
	return n
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
