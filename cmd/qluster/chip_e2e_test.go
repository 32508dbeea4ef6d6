package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ql "github.com/qluster/qluster"
	"github.com/qluster/qluster/device"
)

// cleanDevice is a 3-qubit line chip with errors ten times below the
// presets', so that automatic choice must pick it.
func cleanDevice() *device.Device {
	d := &device.Device{Name: "clean3", Basis: []string{"cz", "rx", "ry", "rz"}}
	for i := range 3 {
		d.Qubits = append(d.Qubits, device.Qubit{
			Index: i, Name: fmt.Sprintf("Q%d", i), Usable: true, T1: 300, T2: 300,
			Gate1QDuration: 20, Gate1QError: 1e-5, ReadoutP10: 1e-4, ReadoutP01: 2e-4, ReadoutDuration: 500,
		})
	}
	d.Edges = []device.Edge{{A: 0, B: 1, Gate: "cz", Error: 1e-4, Duration: 30}, {A: 1, B: 2, Gate: "cz", Error: 1e-4, Duration: 30}}
	return d
}

// startServeInProcess runs serve in this process with extra settings and
// returns a client for it; the server stops at cleanup.
func startServeInProcess(t *testing.T, configure func(*serveCommand)) *serveProc {
	t.Helper()
	var logs syncBuffer
	s := newServeCommand(&logs)
	s.Addr, s.DataDir, s.Workers, s.SQLiteSync = "127.0.0.1:0", t.TempDir(), 2, "NORMAL"
	configure(s)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop within 30s")
		}
	})
	var addr string
	for deadline := time.Now().Add(20 * time.Second); addr == ""; {
		for _, line := range strings.Split(logs.String(), "\n") {
			var m struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &m) == nil && m.Msg == "listening" {
				addr = m.Addr
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not listening after 20s:\n%s", logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	tok, err := os.ReadFile(filepath.Join(s.DataDir, adminTokenFile))
	if err != nil {
		t.Fatal(err)
	}
	return &serveProc{t: t, url: "http://" + addr, token: strings.TrimSpace(string(tok))}
}

func TestServeChipBackends(t *testing.T) {
	devDir := t.TempDir()
	raw, err := device.Marshal(cleanDevice())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(devDir, "clean3.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	p := startServeInProcess(t, func(s *serveCommand) { s.DevicesDir = devDir })

	t.Run("backends list the chips", func(t *testing.T) {
		var list struct{ Backends []ql.BackendInfo }
		if code := p.call("GET", "/v1/backends", nil, &list); code != http.StatusOK {
			t.Fatalf("GET /v1/backends: %d", code)
		}
		names := map[string]bool{}
		for _, b := range list.Backends {
			names[b.Name] = true
		}
		for _, want := range append([]string{"sv", "clean3"}, device.Presets()...) {
			if !names[want] {
				t.Errorf("backend %s missing from %v", want, names)
			}
		}
		var info ql.BackendInfo
		if code := p.call("GET", "/v1/backends/dongling", nil, &info); code != http.StatusOK {
			t.Fatalf("GET /v1/backends/dongling: %d", code)
		}
		if info.Kind != ql.BackendChip || info.NumQubits != 106 || len(info.CouplingMap) != 210 || !info.Defaults.Transpile {
			t.Errorf("dongling: kind %s, %d qubits, %d coupling pairs, defaults %+v; want chip, 106, 210, transpile on",
				info.Kind, info.NumQubits, len(info.CouplingMap), info.Defaults)
		}
		if _, err := device.Parse(info.Calibration); err != nil {
			t.Errorf("dongling calibration: %v", err)
		}
	})

	type chipResult struct {
		Backend string `json:"backend"`
		Results []struct {
			Counts   map[string]int      `json:"counts"`
			Engine   string              `json:"engine"`
			Compiled *ql.CompiledCircuit `json:"compiled"`
		} `json:"results"`
	}
	submit := func(t *testing.T, body map[string]any) (string, int) {
		t.Helper()
		var r struct{ ID string }
		code := p.call("POST", "/v1/jobs", body, &r)
		return r.ID, code
	}
	bellJob := func(backend string, opts map[string]any) map[string]any {
		return map[string]any{"backend": backend, "shots": 1000, "seed": 7, "options": opts,
			"circuits": []map[string]string{{"name": "bell", "qasm": serveBell}}}
	}
	for _, tt := range []struct{ name, backend, want string }{
		{"bell on dongling", "dongling", "dongling"},
		{"auto picks the cleanest chip", "auto", "clean3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			id, code := submit(t, bellJob(tt.backend, nil))
			if code != http.StatusAccepted {
				t.Fatalf("submit: %d, want 202", code)
			}
			if j := p.waitTerminal([]string{id}, 30*time.Second)[id]; j.Status != "completed" {
				t.Fatalf("job %s: %s (%s), want completed", id, j.Status, j.Error)
			}
			var r chipResult
			if code := p.call("GET", "/v1/jobs/"+id+"/result", nil, &r); code != http.StatusOK || len(r.Results) != 1 {
				t.Fatalf("GET result: %d, %d results", code, len(r.Results))
			}
			res := r.Results[0]
			if r.Backend != tt.want || res.Engine != "density_matrix" || res.Compiled == nil || res.Compiled.TwoQubitGates != 1 {
				t.Errorf("result on %s, engine %q, compiled %+v; want %s, density_matrix, one two-qubit gate", r.Backend, res.Engine, res.Compiled, tt.want)
			}
			if n := res.Counts["00"] + res.Counts["11"]; n < 800 || n == 1000 && tt.want == "dongling" {
				t.Errorf("counts %v: want mostly 00 and 11, with some noise on dongling", res.Counts)
			}
		})
	}
	t.Run("transpile off rejects a non-native circuit", func(t *testing.T) {
		var problem struct{ Detail, Code string }
		body := bellJob("line20", map[string]any{"transpile": false})
		raw, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", p.url+"/v1/jobs", strings.NewReader(string(raw)))
		req.Header.Set("Authorization", "Bearer "+p.token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		json.NewDecoder(resp.Body).Decode(&problem)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(problem.Detail, "gate h is not in device line20's basis") {
			t.Errorf("status %d, %+v; want 400 naming gate h", resp.StatusCode, problem)
		}
	})
}

func TestServeBadDevicesDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "broken.json"), []byte(`{"schema": "qluster.device/v1"`), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	s := newServeCommand(&logs)
	s.Addr, s.DataDir, s.Workers, s.DevicesDir = "127.0.0.1:0", t.TempDir(), 1, dir
	err := s.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "broken.json") {
		t.Errorf("Run = %v, want an error naming broken.json", err)
	}
}

func TestBackendsDetailCLI(t *testing.T) {
	p := startServeInProcess(t, func(*serveCommand) {})
	conn := []string{"--url", p.url, "--token", p.token}
	t.Run("chip", func(t *testing.T) {
		out, errs, code := qluster(t, "", append([]string{"backends", "dongling"}, conn...)...)
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, errs)
		}
		for _, want := range []string{"dongling: chip, online, 106 qubits", "basis:     cz, rx, ry, rz, h",
			"engines:   auto, density_matrix, trajectory", "transpile on, optimization level 2", "coupling:  105 edges",
			"calibration: 2024-04-01", "T1 (µs)", "2q gate error", "not measured (defaults or derived):", "readout_p10 = 0.02"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("ideal simulator", func(t *testing.T) {
		out, _, code := qluster(t, "", append([]string{"backends", "sv"}, conn...)...)
		if code != 0 || !strings.Contains(out, "any gate of the gate table") || !strings.Contains(out, "all-to-all") || strings.Contains(out, "calibration") {
			t.Errorf("exit %d, output:\n%s", code, out)
		}
	})
	t.Run("submit shows the compiled figures", func(t *testing.T) {
		out, errs, code := qluster(t, "", append([]string{"submit", "--backend", "example10", "--seed", "4", "--wait", examplePath("bell.qasm")}, conn...)...)
		if code != 0 || !strings.Contains(out, "engine density_matrix") || !strings.Contains(out, "compiled: 1 two-qubit gates, depth 3, initial layout [") {
			t.Errorf("exit %d, stderr %q, output:\n%s", code, errs, out)
		}
	})
	t.Run("unknown", func(t *testing.T) {
		_, errs, code := qluster(t, "", append([]string{"backends", "nope"}, conn...)...)
		if code == 0 || !strings.Contains(errs, "nope") {
			t.Errorf("exit %d, stderr %q; want an error naming nope", code, errs)
		}
	})
}
