package device

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadDir(t *testing.T) {
	tinyJSON, err := Marshal(tiny())
	if err != nil {
		t.Fatal(err)
	}
	dir := writeFiles(t, map[string]string{
		"b-chip.json":   string(readData(t, "chipexample.json")),
		"a.json":        string(tinyJSON),
		"notes.txt":     "not a device",
		"sub.json/":     "",
		"README.md":     "# devices",
		"c-mini.json":   minimalSchema,
		"z-dongle.json": string(readData(t, "dongling.json")),
	})
	ds, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range ds {
		names = append(names, d.Name)
	}
	want := []string{"tiny", "b-chip", "mini", "z-dongle"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("got %v, want %v", names, want)
	}
	if !strings.Contains(ds[1].Source, "b-chip.json") {
		t.Errorf("Quafu source %q does not name the file", ds[1].Source)
	}
}

func TestLoadDirErrors(t *testing.T) {
	tinyJSON, _ := Marshal(tiny())
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"duplicate device names", map[string]string{"one.json": string(tinyJSON), "two.json": string(tinyJSON)},
			`two.json: device name "tiny" is already defined by `},
		{"Quafu file name clashes with a schema device", map[string]string{"tiny.json": string(readData(t, "chipexample.json")), "x.json": string(tinyJSON)},
			`x.json: device name "tiny" is already defined by `},
		{"bad JSON names the file", map[string]string{"broken.json": `{"schema": `},
			`broken.json: invalid JSON at line 1, column 12`},
		{"unknown format", map[string]string{"other.json": `{"qubits": 5}`},
			`other.json: unknown format: neither a qluster.device/v1 file (no "schema" field) nor a Quafu chip file (no "qubits_info")`},
		{"unknown schema version", map[string]string{"v9.json": `{"schema": "qluster.device/v9"}`},
			`v9.json: device file: unsupported schema "qluster.device/v9"`},
		{"Quafu file name is not a device name", map[string]string{"my chip.json": string(readData(t, "chipexample.json"))},
			`my chip.json: quafu chip my chip: device name "my chip": character ' ' not allowed`},
		{"Quafu error names the file", map[string]string{"q.json": strings.Replace(string(readData(t, "chipexample.json")), `"T1": 30,`, `"T1": "x",`, 1)},
			`q.json: quafu chip q: qubits_info.Q0101.T1: want a number, got string "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadDir(writeFiles(t, tt.files))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v\nwant an error containing %q", err, tt.want)
			}
		})
	}
	t.Run("missing directory", func(t *testing.T) {
		_, err := LoadDir(filepath.Join(t.TempDir(), "nope"))
		if err == nil || !strings.Contains(err.Error(), "devices directory: open ") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("empty directory", func(t *testing.T) {
		ds, err := LoadDir(t.TempDir())
		if err != nil || len(ds) != 0 {
			t.Errorf("got %v, %v; want no devices and no error", ds, err)
		}
	})
}
