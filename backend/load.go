package backend

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/qluster/qluster/device"
)

// ServiceOptions configure NewServiceRegistry.
type ServiceOptions struct {
	// Node names the machine the backends run on.
	Node string
	// DevicesDir, when not empty, is a directory whose *.json files (the
	// qluster.device/v1 schema or the Quafu chip format, see
	// device.LoadFile) each add a chip.
	DevicesDir string
	// MemoryLimit caps one run's state memory; 0 means sim.MemoryBudget().
	MemoryLimit int64
	// Workers bounds the goroutines of one run; 0 means GOMAXPROCS.
	Workers int
}

// NewServiceRegistry returns the registry a server runs: the ideal
// simulator "sv", a Chip for every device preset (device.Presets) and a Chip
// for every *.json file of opt.DevicesDir, in file-name order. A file's
// device replaces the preset of the same name (an operator's fresher
// calibration). Errors name the file: one that does not load, a device
// whose calibration gives no noise model, two files defining one name, or a
// device named "sv" or "auto".
func NewServiceRegistry(opt ServiceOptions) (*Registry, error) {
	var devices []*device.Device
	from := map[string]string{}
	if opt.DevicesDir != "" {
		entries, err := os.ReadDir(opt.DevicesDir)
		if err != nil {
			return nil, fmt.Errorf("devices directory: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
				continue
			}
			path := filepath.Join(opt.DevicesDir, e.Name())
			d, err := device.LoadFile(path)
			if err != nil {
				return nil, err
			}
			switch {
			case d.Name == StateVectorName || d.Name == AutoName:
				return nil, fmt.Errorf("%s: device name %q is reserved", path, d.Name)
			case from[d.Name] != "":
				return nil, fmt.Errorf("%s: device name %q is already defined by %s", path, d.Name, from[d.Name])
			}
			from[d.Name] = path
			devices = append(devices, d)
		}
	}
	for _, name := range device.Presets() {
		if from[name] != "" {
			continue
		}
		d, err := device.Preset(name)
		if err != nil {
			return nil, err
		}
		from[name] = "preset " + name
		devices = append(devices, d)
	}
	reg := NewRegistry(NewStateVector(StateVectorOptions{Node: opt.Node, MemoryLimit: opt.MemoryLimit, Workers: opt.Workers}))
	for _, d := range devices {
		chip, err := NewChip(ChipOptions{Device: d, Node: opt.Node, MemoryLimit: opt.MemoryLimit, Workers: opt.Workers})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", from[d.Name], err)
		}
		if err := reg.Register(chip); err != nil {
			return nil, fmt.Errorf("%s: %w", from[d.Name], err)
		}
	}
	return reg, nil
}
