package qluster

import "encoding/json"

// BackendKind says what runs a backend's circuits.
type BackendKind string

// Backend kinds.
const (
	// BackendSimulator is an ideal (noise-free) simulator.
	BackendSimulator BackendKind = "simulator"
	// BackendChip is a quantum chip: real, or emulated from its calibration.
	BackendChip BackendKind = "chip"
)

// BackendStatus says whether a backend takes jobs.
type BackendStatus string

// Backend statuses.
const (
	// BackendOnline takes and runs jobs.
	BackendOnline BackendStatus = "online"
	// BackendOffline takes no jobs (its node is gone or it is switched off).
	BackendOffline BackendStatus = "offline"
	// BackendMaintenance takes jobs but runs none until it is back online.
	BackendMaintenance BackendStatus = "maintenance"
)

// BackendInfo describes a backend to users and to the scheduler: what it can
// run (width, shots, basis, topology), where it runs and how busy it is.
type BackendInfo struct {
	// Name identifies the backend in JobSpec submissions ("sv", a chip's
	// name).
	Name string `json:"name"`
	// Kind is simulator or chip.
	Kind BackendKind `json:"kind"`
	// Description is one line for people.
	Description string `json:"description,omitempty"`
	// Status says whether the backend takes jobs.
	Status BackendStatus `json:"status"`
	// NumQubits is the widest circuit the backend runs: the most qubits a
	// circuit may use (a chip's usable qubits).
	NumQubits int `json:"num_qubits"`
	// PhysicalQubits, for a chip, is the number of physical qubits
	// (indices 0 to PhysicalQubits-1 of CouplingMap and Calibration),
	// unusable ones included; a circuit compiled for the chip elsewhere
	// (by Qiskit, say) may declare that many qubits as long as it uses at
	// most NumQubits usable ones. 0 means NumQubits.
	PhysicalQubits int `json:"physical_qubits,omitempty"`
	// CliffordQubits, for a simulator with a stabilizer engine, is the
	// widest circuit of Clifford operations only that it accepts (wider
	// than NumQubits, which bounds state vectors); 0 means NumQubits.
	CliffordQubits int `json:"clifford_qubits,omitempty"`
	// MaxShots bounds JobSpec.Shots.
	MaxShots int `json:"max_shots"`
	// Basis lists the native gates; empty means any gate of the gate table.
	Basis []string `json:"basis,omitempty"`
	// CouplingMap lists the directed pairs of physical qubits a two-qubit
	// gate may act on; empty means all-to-all.
	CouplingMap [][2]int `json:"coupling_map,omitempty"`
	// Engines lists the simulators the backend may use ("auto" first when
	// it chooses by itself).
	Engines []string `json:"engines,omitempty"`
	// Node names the machine that runs the backend.
	Node string `json:"node,omitempty"`
	// QueueLength is the number of queued jobs for the backend; the server
	// fills it in when it answers.
	QueueLength int `json:"queue_length"`
	// Calibration holds a chip's calibration data (T1, T2, gate errors,
	// durations, readout) as JSON; empty for ideal simulators.
	Calibration json.RawMessage `json:"calibration,omitempty"`
	// Defaults are the values used for options a job leaves unset.
	Defaults BackendDefaults `json:"defaults"`
}

// BackendDefaults are the option values a backend uses when a job does not
// set them.
type BackendDefaults struct {
	// Shots is the shot count clients should submit when the user gives
	// none.
	Shots int `json:"shots"`
	// Transpile says whether circuits are compiled to the backend's target
	// when JobOptions.Transpile is nil.
	Transpile bool `json:"transpile"`
	// OptimizationLevel is the transpiler level used when
	// JobOptions.OptimizationLevel is nil.
	OptimizationLevel int `json:"optimization_level"`
	// Engine is the simulator used when none is asked for ("auto").
	Engine string `json:"engine,omitempty"`
}
