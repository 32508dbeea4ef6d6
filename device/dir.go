package device

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// LoadDir loads every *.json file of dir (not its subdirectories), in
// file-name order: a file with a "schema" field is read with Parse, a file
// with "qubits_info" as a Quafu chip named after the file (dongling.json →
// "dongling"). Errors name the file; two files defining the same device
// name are an error. An empty directory gives no devices and no error.
func LoadDir(dir string) ([]*Device, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("devices directory: %w", err)
	}
	var out []*Device
	from := map[string]string{}
	for _, e := range entries { // sorted by file name
		p := filepath.Join(dir, e.Name())
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("devices directory: %w", err)
		}
		if fi.IsDir() {
			continue
		}
		d, err := LoadFile(p)
		if err != nil {
			return nil, err
		}
		if prev, dup := from[d.Name]; dup {
			return nil, fmt.Errorf("%s: device name %q is already defined by %s", p, d.Name, prev)
		}
		from[d.Name] = p
		out = append(out, d)
	}
	return out, nil
}

// LoadFile loads one device file, detecting its format as LoadDir does.
// Errors start with the file's path.
func LoadFile(path string) (*Device, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	top, err := jsonObject(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var d *Device
	switch {
	case top["schema"] != nil:
		d, err = Parse(data)
	case top["qubits_info"] != nil || top["topological_structure"] != nil:
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		d, err = ParseQuafu(data, name)
		if err == nil {
			d.Source = "Quafu chip JSON " + path
		}
	default:
		err = fmt.Errorf("unknown format: neither a %s file (no \"schema\" field) nor a Quafu chip file (no \"qubits_info\")", SchemaV1)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}
