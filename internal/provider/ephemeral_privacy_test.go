package provider

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis-logs/terraform-provider-rediscloud/internal/mockapi"
)

// privacyChecks are the gate's checks on the demo dataset, with kind "ephemeral" or
// "data" both as the blocks' keyword and as the references' prefix: a check that warns
// on a session from outside the office ranges, one on changes outside Terraform, and
// a precondition that reads every entry of both logs (so that the values are there to
// leak). The messages name no value of the logs.
func privacyChecks(kind string) string {
	window := fmt.Sprintf("  start_time = %q\n  end_time   = %q\n", ago(30*24*time.Hour), ts(demoNow))
	return fmt.Sprintf(`
%[1]s "rediscloud_session_logs" "outside_office" {
%[2]s  exclude_ip_cidrs = ["198.51.100.0/24", "2001:db8:100::/48"]
}

%[1]s "rediscloud_audit_logs" "outside_terraform" {
%[2]s  exclude_api_key_names = ["terraform-automation"]
}

%[1]s "rediscloud_session_logs" "all" {
%[2]s}

%[1]s "rediscloud_audit_logs" "all" {
%[2]s}

check "sessions_from_outside_the_office" {
  assert {
    condition     = %[1]s.rediscloud_session_logs.outside_office.total_count == 0
    error_message = "Sessions from outside the office ranges: see the session log."
  }
}

check "changes_outside_terraform" {
  assert {
    condition     = %[1]s.rediscloud_audit_logs.outside_terraform.total_count == 0
    error_message = "Changes outside Terraform: see the audit log."
  }
}

resource "terraform_data" "reviewed" {
  lifecycle {
    precondition {
      condition     = length(%[1]s.rediscloud_session_logs.all.entries) > 100 && length(%[1]s.rediscloud_audit_logs.all.entries) > 100
      error_message = "The logs were not read."
    }
  }
}
`, kind, window)
}

// personalData is every email, IP address and entry id of the demo dataset.
func personalData() []string {
	audit, sessions := mockapi.DemoDataset(demoNow)
	seen := map[string]bool{}
	for _, a := range audit {
		seen[a.UserEmail], seen[strconv.FormatInt(a.ID, 10)] = true, true
	}
	for _, s := range sessions {
		seen[s.UserEmail], seen[s.IPAddress], seen[s.ID] = true, true, true
	}
	delete(seen, "")
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	return out
}

// cliRun is one run of the CLI in a working directory with dev_overrides for the
// provider under test.
type cliRun struct {
	tb      testing.TB
	cli, rc string
	dir     string
}

func (r cliRun) run(args ...string) string {
	r.tb.Helper()
	cmd := exec.Command(r.cli, args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+r.rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_LOG=", "TF_LOG_PROVIDER=")
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if exit, ok := err.(*exec.ExitError); ok {
			stderr = string(exit.Stderr)
		}
		r.tb.Fatalf("%s %s: %v\n%s\n%s", filepath.Base(r.cli), strings.Join(args, " "), err, out, stderr)
	}
	return string(out)
}

// ephemeralCLI is the CLI the exec tests run (benchTerraform's), skipping the test
// when it predates ephemeral resources (Terraform 1.10, OpenTofu 1.11).
func ephemeralCLI(tb testing.TB) string {
	tb.Helper()
	if os.Getenv("TF_ACC") == "" {
		tb.Skip("runs the Terraform CLI: set TF_ACC=1")
	}
	cli := benchTerraform(tb)
	out, err := exec.Command(cli, "version").Output()
	if err != nil {
		tb.Fatalf("%s version: %v", cli, err)
	}
	// The first line that names the CLI: OpenTofu may warn about its CLI configuration first.
	var first string
	for line := range strings.Lines(string(out)) {
		if strings.HasPrefix(line, "Terraform v") || strings.HasPrefix(line, "OpenTofu v") {
			first = strings.TrimSpace(line)
			break
		}
	}
	var name string
	var major, minor int
	if _, err := fmt.Sscanf(first, "%s v%d.%d", &name, &major, &minor); err != nil {
		tb.Fatalf("cannot read the version of %s from %q", cli, first)
	}
	needs := map[string]int{"Terraform": 10, "OpenTofu": 11}[name]
	if needs == 0 || major < 1 || (major == 1 && minor < needs) {
		tb.Skipf("%s has no ephemeral resources (Terraform 1.10+, OpenTofu 1.11+)", first)
	}
	return cli
}

// planAndApply plans config into a saved plan and applies it, against a fresh demo
// mock; it returns everything the run wrote (the plan file's members, show -json of
// it, the state, the CLI's output) and the requests the plan and the apply sent.
func planAndApply(t *testing.T, cli, providerDir, config string) (written map[string]string, planRequests, applyRequests int) {
	t.Helper()
	mock, url := demoMock(t, mockapi.ShapeOfficial)
	dir := t.TempDir()
	rc := filepath.Join(dir, "dev.tfrc")
	writeFile(t, rc, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/redis-logs/rediscloud"  = %[1]q
    "registry.opentofu.org/redis-logs/rediscloud" = %[1]q
  }
  direct {}
}
`, providerDir))
	writeFile(t, filepath.Join(dir, "main.tf"), `terraform {
  required_providers {
    rediscloud = { source = "redis-logs/rediscloud" }
  }
}
`+providerBlock(url, "")+config)
	r := cliRun{tb: t, cli: cli, rc: rc, dir: dir}
	written = map[string]string{}

	before := mock.RequestCount()
	written["plan output"] = r.run("plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan")
	planRequests = mock.RequestCount() - before
	written["show -json"] = r.run("show", "-json", "tfplan")
	plan, err := zip.OpenReader(filepath.Join(dir, "tfplan"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = plan.Close() }()
	for _, f := range plan.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		written["plan file: "+f.Name] = string(b)
	}

	before = mock.RequestCount()
	written["apply output"] = r.run("apply", "-input=false", "-no-color", "-lock=false", "tfplan")
	applyRequests = mock.RequestCount() - before
	state, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	written["state"] = string(state)
	return written, planRequests, applyRequests
}

// planFileHolds is the number of values found in the plan file's members, or the number
// of members when found is nil.
func planFileHolds(written map[string]string, found map[string][]string) int {
	n := 0
	for where := range written {
		if strings.HasPrefix(where, "plan file: ") {
			if found == nil {
				n++
			} else {
				n += len(found[where])
			}
		}
	}
	return n
}

// found lists the values of people found in what a run wrote, by where.
func found(written map[string]string, values []string) map[string][]string {
	out := map[string][]string{}
	for where, text := range written {
		for _, v := range values {
			if strings.Contains(text, v) {
				out[where] = append(out[where], v)
			}
		}
	}
	return out
}

// The ephemeral gate leaves nothing of the logs behind: its saved plan, show -json of
// it, the state after apply and the CLI's output hold none of the dataset's emails, IP
// addresses or entry ids, where the same checks on the data sources hold them (which
// shows that the search finds them). Its plan sends as many requests as the data
// sources' plan, and its apply opens the ephemeral resources again, as many again.
func TestAccEphemeralLogs_nothingInPlanOrState(t *testing.T) {
	cli := ephemeralCLI(t)
	providerDir := benchProviderDir(t)
	people := personalData()

	dataWritten, dataPlan, dataApply := planAndApply(t, cli, providerDir, privacyChecks("data"))
	leaked := found(dataWritten, people)
	for _, where := range []string{"show -json", "state"} {
		if len(leaked[where]) < 50 {
			t.Errorf("the data sources' %s holds %d of the dataset's values; the search cannot be trusted", where, len(leaked[where]))
		}
	}
	if n := planFileHolds(dataWritten, leaked); n < 50 {
		t.Errorf("the data sources' plan file holds %d of the dataset's values; the search cannot be trusted", n)
	}
	if dataApply != 0 {
		t.Errorf("applying the data sources' plan sent %d requests, want 0", dataApply)
	}

	ephWritten, ephPlan, ephApply := planAndApply(t, cli, providerDir, privacyChecks("ephemeral"))
	for where, values := range found(ephWritten, people) {
		t.Errorf("the ephemeral run's %s holds %d of the dataset's values, such as %q", where, len(values), values[0])
	}
	if planFileHolds(ephWritten, nil) == 0 {
		t.Error("the ephemeral run's plan file has no members to search")
	}
	if ephPlan != dataPlan || ephPlan == 0 {
		t.Errorf("requests per plan: ephemeral %d, data sources %d; want equal and more than 0", ephPlan, dataPlan)
	}
	if ephApply != ephPlan {
		t.Errorf("requests of the apply: %d, want the plan's %d (the ephemeral resources are opened again)", ephApply, ephPlan)
	}
	t.Logf("requests: data sources plan %d + apply %d; ephemeral plan %d + apply %d", dataPlan, dataApply, ephPlan, ephApply)
}
