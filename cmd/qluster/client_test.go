package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	ql "github.com/qluster/qluster"
	"github.com/qluster/qluster/httpapi/apitest"
)

// clientEnv isolates the client configuration: a fresh configuration
// directory and no QLUSTER_URL or QLUSTER_TOKEN.
func clientEnv(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	t.Setenv("QLUSTER_URL", "")
	t.Setenv("QLUSTER_TOKEN", "")
	return dir
}

func mustRun(t *testing.T, args ...string) (string, string) {
	t.Helper()
	out, errs, code := qluster(t, "", args...)
	if code != 0 {
		t.Fatalf("qluster %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errs)
	}
	return out, errs
}

func TestClientCLI(t *testing.T) {
	cfgDir := clientEnv(t)
	env := apitest.Start(t, apitest.Options{})

	t.Run("commands need a login", func(t *testing.T) {
		_, errs, code := qluster(t, "", "jobs")
		if code != 2 || !strings.Contains(errs, "qluster login") {
			t.Errorf("jobs before login: exit %d, stderr %q; want 2 and a hint to log in", code, errs)
		}
	})
	t.Run("login with a bad token fails and saves nothing", func(t *testing.T) {
		_, errs, code := qluster(t, "", "login", "--url", env.URL, "--token", "qlt_wrong")
		if code != 1 || !strings.Contains(errs, "401") {
			t.Errorf("exit %d, stderr %q; want 1 with 401", code, errs)
		}
		if _, err := os.Stat(filepath.Join(cfgDir, "qluster", "config.json")); err == nil {
			t.Error("config saved for a bad token")
		}
	})

	out, _ := mustRun(t, "login", "--url", env.URL+"/", "--token", env.AdminToken)
	path := filepath.Join(cfgDir, "qluster", "config.json")
	if !strings.Contains(out, path) {
		t.Errorf("login output %q does not name %s", out, path)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("config mode = %v, want 0600", st.Mode().Perm())
	}
	var cfg clientConfig
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &cfg); err != nil || cfg.URL != env.URL || cfg.Token != env.AdminToken {
		t.Errorf("config = %+v (%v), want URL %s and the admin token", cfg, err, env.URL)
	}

	bell := examplePath("bell.qasm")
	t.Run("submit --wait prints the histogram", func(t *testing.T) {
		out, errs := mustRun(t, "submit", "--shots", "1000", "--seed", "5", "--wait", bell)
		if !strings.Contains(errs, ": completed") {
			t.Errorf("stderr %q lacks the completed status", errs)
		}
		for _, re := range []string{
			`(?m)^bell\.qasm: 1000 shots, seed 5, engine \w+, `,
			`(?m)^counts:$`,
			`(?m)^  00 +\d+  +\d+\.\d\d%  █+$`,
			`(?m)^  11 +\d+  +\d+\.\d\d%  █+$`,
		} {
			if !regexp.MustCompile(re).MatchString(out) {
				t.Errorf("output does not match %s:\n%s", re, out)
			}
		}
	})

	var id string
	t.Run("submit, status, wait, result", func(t *testing.T) {
		out, _ := mustRun(t, "submit", "--shots", "64", bell, examplePath("ghz.qasm"))
		id = strings.TrimSpace(out)
		if !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(id) {
			t.Fatalf("submit printed %q, want a job ID", out)
		}
		out, _ = mustRun(t, "wait", id)
		if !strings.Contains(out, "bell.qasm: 64 shots") || !strings.Contains(out, "ghz.qasm: 64 shots") {
			t.Errorf("wait output lacks both circuits:\n%s", out)
		}
		out, _ = mustRun(t, "status", id)
		if !regexp.MustCompile(`(?m)^status: +completed$`).MatchString(out) || !strings.Contains(out, "circuits:  2") {
			t.Errorf("status output:\n%s", out)
		}
		out, _ = mustRun(t, "result", id, "-o", "json")
		var res struct {
			Results []ql.CircuitResult `json:"results"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Results) != 2 || res.Results[0].Shots != 64 {
			t.Errorf("result -o json = %v (%v)", res, err)
		}
	})
	t.Run("jobs lists the jobs", func(t *testing.T) {
		out, _ := mustRun(t, "jobs", "--status", "completed")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") || !strings.HasPrefix(lines[1], id) {
			t.Errorf("jobs output (want header and 2 jobs, newest %s first):\n%s", id, out)
		}
		out, errs := mustRun(t, "jobs", "--limit", "1")
		if strings.Count(out, "\n") != 2 || !strings.Contains(errs, "--cursor") {
			t.Errorf("jobs --limit 1: stdout %q stderr %q; want one job and a cursor hint", out, errs)
		}
	})
	t.Run("QASM error points at the file", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.qasm")
		os.WriteFile(bad, []byte("OPENQASM 2.0;\nqreg q[1];\nfoo q[0];\n"), 0o644)
		_, errs, code := qluster(t, "", "submit", bell, bad)
		if code != 1 || errs != "qluster: "+bad+":3:1: undefined gate foo\n" {
			t.Errorf("exit %d, stderr %q; want 1 and %s:3:1", code, errs, bad)
		}
	})
	t.Run("backends", func(t *testing.T) {
		out, _ := mustRun(t, "backends")
		if !regexp.MustCompile(`(?m)^sv +simulator +online +\d+ +0 `).MatchString(out) {
			t.Errorf("backends output:\n%s", out)
		}
	})
	t.Run("user and token administration", func(t *testing.T) {
		out, _ := mustRun(t, "user", "create", "bob")
		if !strings.HasPrefix(out, "user bob created") {
			t.Errorf("user create: %q", out)
		}
		out, _ = mustRun(t, "token", "create", "--user", "bob", "--name", "ci")
		secret := strings.SplitN(out, "\n", 2)[0]
		if !strings.HasPrefix(secret, ql.TokenScheme) {
			t.Fatalf("token create printed %q, want the secret first", out)
		}
		tokID := regexp.MustCompile(`token (\S+) for user bob`).FindStringSubmatch(out)
		if tokID == nil {
			t.Fatalf("token create output %q lacks the ID", out)
		}
		// Bob, through the environment, sees none of the admin's jobs.
		t.Setenv("QLUSTER_TOKEN", secret)
		out, _ = mustRun(t, "jobs")
		if strings.Count(out, "\n") != 1 {
			t.Errorf("bob's jobs:\n%s", out)
		}
		_, errs, code := qluster(t, "", "status", id)
		if code != 1 || !strings.Contains(errs, "404") {
			t.Errorf("bob's status of the admin's job: exit %d, %q; want 404", code, errs)
		}
		t.Setenv("QLUSTER_TOKEN", "")
		out, _ = mustRun(t, "token", "list", "--user", "bob")
		if !strings.Contains(out, tokID[1]) || !strings.Contains(out, "ci") {
			t.Errorf("token list:\n%s", out)
		}
		mustRun(t, "token", "revoke", tokID[1])
		t.Setenv("QLUSTER_TOKEN", secret)
		_, errs, code = qluster(t, "", "jobs")
		if code != 1 || !strings.Contains(errs, "401") {
			t.Errorf("revoked token: exit %d, %q; want 401", code, errs)
		}
		t.Setenv("QLUSTER_TOKEN", "")
	})
}

func TestClientCancel(t *testing.T) {
	clientEnv(t)
	env := apitest.Start(t, apitest.Options{NoWorker: true})
	t.Setenv("QLUSTER_URL", env.URL)
	t.Setenv("QLUSTER_TOKEN", env.AdminToken)
	out, _ := mustRun(t, "submit", examplePath("bell.qasm"))
	id := strings.TrimSpace(out)
	out, _ = mustRun(t, "status", id, "-o", "json")
	if !strings.Contains(out, `"status": "queued"`) {
		t.Errorf("status -o json:\n%s", out)
	}
	out, _ = mustRun(t, "cancel", id)
	if out != "job "+id+" cancelled\n" {
		t.Errorf("cancel printed %q", out)
	}
	_, errs, code := qluster(t, "", "wait", id)
	if code != 1 || !strings.Contains(errs, "was cancelled") {
		t.Errorf("wait on a cancelled job: exit %d, %q", code, errs)
	}
	_, errs, code = qluster(t, "", "cancel", id)
	if code != 1 || !strings.Contains(errs, "409") {
		t.Errorf("second cancel: exit %d, %q; want 409", code, errs)
	}
}
