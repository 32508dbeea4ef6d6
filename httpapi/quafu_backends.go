package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/qluster/qluster"
	"github.com/qluster/qluster/circuit"
	"github.com/qluster/qluster/gate"
	"github.com/qluster/qluster/qasm"
)

// quafuBackend is one entry of the Quafu backend list: a backend under a
// Quafu system name and id.
type quafuBackend struct {
	name string // Quafu system_name
	id   int    // Quafu system_id
	info qluster.BackendInfo
}

// quafuBackendList lists the backends as the Quafu endpoints show them:
// first QuafuAlias (pyquafu's default, and the first entry is the
// client's default backend), then every backend under its own name, with
// system ids 0, 1, … in that order. A backend really named QuafuAlias
// stands for itself and no alias is added.
func (s *Server) quafuBackendList() []quafuBackend {
	list := s.backends.List()
	var out []quafuBackend
	own := false
	for _, b := range list {
		own = own || b.Name == QuafuAlias
	}
	if alias, ok := quafuAliasOf(list); ok && !own {
		out = append(out, quafuBackend{name: QuafuAlias, info: alias})
	}
	for _, b := range list {
		out = append(out, quafuBackend{name: b.Name, id: len(out), info: b})
	}
	return out
}

// quafuAliasOf picks the backend behind QuafuAlias: the online chip whose
// width is closest to 10 qubits (the first on ties), else "sv".
func quafuAliasOf(list []qluster.BackendInfo) (qluster.BackendInfo, bool) {
	best, found := qluster.BackendInfo{}, false
	dist := func(b qluster.BackendInfo) int { return max(b.NumQubits-10, 10-b.NumQubits) }
	for _, b := range list {
		if b.Kind == qluster.BackendChip && b.Status != qluster.BackendOffline && (!found || dist(b) < dist(best)) {
			best, found = b, true
		}
	}
	if found {
		return best, true
	}
	for _, b := range list {
		if b.Name == "sv" {
			return b, true
		}
	}
	return qluster.BackendInfo{}, false
}

// quafuSelect finds the backend of a submission's selected_server: a Quafu
// system id, or a system name. Empty selects the first entry.
func (s *Server) quafuSelect(server string) (qluster.BackendInfo, error) {
	list := s.quafuBackendList()
	if len(list) == 0 {
		return qluster.BackendInfo{}, errorf(qluster.EINVALID, "no backends")
	}
	server = strings.TrimSpace(server)
	if server == "" {
		return list[0].info, nil
	}
	id, err := strconv.Atoi(server)
	for _, b := range list {
		if err == nil && b.id == id || strings.EqualFold(b.name, server) {
			return b.info, nil
		}
	}
	names := make([]string, len(list))
	for i, b := range list {
		names[i] = fmt.Sprintf("%s (%d)", b.name, b.id)
	}
	return qluster.BackendInfo{}, errorf(qluster.EINVALID, "unknown selected_server %q; available: %s", server, strings.Join(names, ", "))
}

// quafuBackendInfo is one backend in the get_backends reply.
type quafuBackendInfo struct {
	SystemName string   `json:"system_name"`
	SystemID   int      `json:"system_id"`
	Qubits     int      `json:"qubits"`
	Status     string   `json:"status"`
	QV         int      `json:"QV"`
	QueuedLen  int      `json:"queued_len"`
	ValidGates []string `json:"valid_gates"`
	Backend    string   `json:"backend"`
}

// quafuValidGates are the gate names a pyquafu circuit may use on any
// backend: every gate of the gate table (the server compiles to a chip's
// basis) and barrier.
var quafuValidGates = func() []string {
	names := gate.Names(func(g *gate.Gate) bool { return g.Name == strings.ToLower(g.Name) })
	return append(names, "barrier")
}()

// quafuStatusText maps a backend status to Quafu's words.
var quafuStatusText = map[qluster.BackendStatus]string{
	qluster.BackendOnline:      "Online",
	qluster.BackendOffline:     "Offline",
	qluster.BackendMaintenance: "Maintenance",
}

func (s *Server) quafuBackends(ctx context.Context, r *http.Request) (any, error) {
	list := s.quafuBackendList()
	st, err := s.store.Stats(ctx)
	if err != nil {
		return nil, fmt.Errorf("counting queued jobs: %w", err)
	}
	data := make([]quafuBackendInfo, len(list))
	for i, b := range list {
		status := quafuStatusText[b.info.Status]
		if status == "" {
			status = "Offline"
		}
		data[i] = quafuBackendInfo{
			SystemName: b.name, SystemID: b.id, Qubits: b.info.NumQubits, Status: status,
			QueuedLen: st.Queued[b.info.Name], ValidGates: quafuValidGates, Backend: b.info.Name,
		}
	}
	return quafuReply{Status: QuafuOK, Message: "success", OK: true, Data: data}, nil
}

// quafuChip is the scq_get_chip_info reply: the chip's topology with one
// two-qubit gate fidelity per directed edge, under Quafu-style qubit names.
type quafuChip struct {
	SystemName      string                                  `json:"system_name"`
	CalibrationTime string                                  `json:"calibration_time"`
	Qubits          int                                     `json:"qubits"`
	BasisGates      []string                                `json:"basis_gates,omitempty"`
	QubitNames      []string                                `json:"qubit_names"`
	Topology        map[string]map[string]quafuEdgeFidelity `json:"topological_structure"`
}

// quafuEdgeFidelity is one gate's figure on an edge.
type quafuEdgeFidelity struct {
	Fidelity float64 `json:"fidelity"`
}

// deviceCalibration is the part of a chip's calibration (Qluster's device
// schema v1) the chip info uses.
type deviceCalibration struct {
	CalibrationTime string `json:"calibration_time"`
	Qubits          []struct {
		Name string `json:"name"`
	} `json:"qubits"`
	Edges []struct {
		A        int     `json:"a"`
		B        int     `json:"b"`
		Gate     string  `json:"gate"`
		Error    float64 `json:"error"`
		Directed bool    `json:"directed"`
	} `json:"edges"`
}

// maxQuafuAllToAll bounds the width of a backend without a coupling map
// whose complete graph the chip info lists.
const maxQuafuAllToAll = 64

func (s *Server) quafuChipInfo(ctx context.Context, r *http.Request) (any, error) {
	if err := parseQuafuForm(r); err != nil {
		return nil, err
	}
	name, err := formValue(r, "system_name")
	if err != nil {
		return nil, err
	}
	for _, b := range s.quafuBackendList() {
		if strings.EqualFold(b.name, strings.TrimSpace(name)) {
			return quafuChipOf(b), nil
		}
	}
	return nil, errorf(qluster.EINVALID, "unknown system_name %q", name)
}

// quafuDigits matches qubit names pyquafu can order: it sorts them by
// their first run of digits.
var quafuDigits = regexp.MustCompile(`[0-9]+`)

// quafuChipOf describes a backend as Quafu chip info. Edges and fidelities
// (1 − gate error) come from the calibration when it is Qluster's device
// JSON, else from the coupling map with fidelity 1; a backend without a
// coupling map is all-to-all. Qubits keep the calibration's names when
// pyquafu would order them by index, else are named Q00, Q01, ….
func quafuChipOf(b quafuBackend) *quafuChip {
	var cal deviceCalibration
	hasCal := len(b.info.Calibration) > 0 && json.Unmarshal(b.info.Calibration, &cal) == nil
	// A chip's NumQubits counts its usable qubits; the calibration and
	// coupling map index all physical ones.
	n := b.info.NumQubits
	if hasCal {
		n = max(n, len(cal.Qubits))
	}
	c := &quafuChip{SystemName: b.name, Qubits: n, BasisGates: b.info.Basis, Topology: map[string]map[string]quafuEdgeFidelity{}}
	c.QubitNames = quafuQubitNames(n, cal)
	c.CalibrationTime = time.Now().UTC().Format("2006-01-02 15:04:05")
	if hasCal && cal.CalibrationTime != "" {
		if t, err := time.Parse(time.RFC3339, cal.CalibrationTime); err == nil {
			c.CalibrationTime = t.UTC().Format("2006-01-02 15:04:05")
		}
	}
	add := func(a, b int, g string, fid float64) {
		if a < 0 || b < 0 || a >= n || b >= n || a == b {
			return
		}
		c.Topology[c.QubitNames[a]+"_"+c.QubitNames[b]] = map[string]quafuEdgeFidelity{g: {Fidelity: fid}}
	}
	switch {
	case hasCal && len(cal.Edges) > 0:
		for _, e := range cal.Edges {
			fid := min(max(1-e.Error, 0), 1)
			add(e.A, e.B, e.Gate, fid)
			if !e.Directed {
				add(e.B, e.A, e.Gate, fid)
			}
		}
	case len(b.info.CouplingMap) > 0:
		g := twoQubitBasisGate(b.info.Basis)
		for _, e := range b.info.CouplingMap {
			add(e[0], e[1], g, 1)
		}
	case n <= maxQuafuAllToAll:
		g := twoQubitBasisGate(b.info.Basis)
		for a := 0; a < n; a++ {
			for b := 0; b < n; b++ {
				add(a, b, g, 1)
			}
		}
	}
	return c
}

// twoQubitBasisGate names the first two-qubit gate of a basis, "cx" when
// there is none.
func twoQubitBasisGate(basis []string) string {
	for _, name := range basis {
		if g, ok := gate.Lookup(name); ok && g.Qubits == 2 {
			return name
		}
	}
	return "cx"
}

// quafuQubitNames returns n qubit names for the chip info: the
// calibration's when there is one per qubit, each holding digits whose
// first run strictly increases with the index (pyquafu orders qubits so),
// else Q00, Q01, ….
func quafuQubitNames(n int, cal deviceCalibration) []string {
	names := make([]string, n)
	ok := len(cal.Qubits) == n
	last := -1
	for i := 0; ok && i < n; i++ {
		name := cal.Qubits[i].Name
		d := quafuDigits.FindString(name)
		v, err := strconv.Atoi(d)
		if d == "" || err != nil || v <= last || strings.ContainsAny(name, "_\"\\") || len(name) > 32 {
			ok = false
			break
		}
		names[i], last = name, v
	}
	if ok {
		return names
	}
	width := len(strconv.Itoa(max(n-1, 0)))
	for i := range names {
		names[i] = fmt.Sprintf("Q%0*d", max(width, 2), i)
	}
	return names
}

// quafuRes renders counts (keys in Qiskit's order) as the "res" of a Quafu
// task: a Python dict literal from bit strings to counts, which pyquafu
// passes to eval. Keys list the measured clbits of src's circuit in
// increasing index order, c[0] (the lowest measured) leftmost, as Quafu
// does; outcomes that agree on those bits are merged. Every key and value
// is checked to hold only 0/1 and decimal digits, so the literal cannot
// hold anything else whatever the circuit's names.
func quafuRes(src string, counts map[string]int) (string, error) {
	measured, numClbits, err := measuredClbits(src)
	if err != nil {
		return "", err
	}
	merged := map[string]int{}
	for key, n := range counts {
		bits := strings.ReplaceAll(key, " ", "")
		if len(bits) != numClbits {
			return "", fmt.Errorf("counts key %q has %d bits, the circuit %d clbits", key, len(bits), numClbits)
		}
		out := make([]byte, len(measured))
		for i, c := range measured {
			// Qiskit's key puts clbit 0 rightmost.
			out[i] = bits[numClbits-1-c]
		}
		merged[string(out)] += n
	}
	keys := make([]string, 0, len(merged))
	for k := range merged {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var sb strings.Builder
	sb.WriteByte('{')
	for i, k := range keys {
		if strings.Trim(k, "01") != "" {
			return "", fmt.Errorf("counts key %q is not a bit string", k)
		}
		if merged[k] < 0 {
			return "", fmt.Errorf("negative count %d for %q", merged[k], k)
		}
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('"')
		sb.WriteString(k)
		sb.WriteString(`": `)
		sb.WriteString(strconv.Itoa(merged[k]))
	}
	sb.WriteByte('}')
	return sb.String(), nil
}

// measuredClbits parses an OpenQASM 2 circuit and returns the clbits its
// measurements write, in increasing order, and its number of clbits.
func measuredClbits(src string) ([]int, int, error) {
	c, _, err := qasm.Parse([]byte(src), qasm.Options{Name: "task"})
	if err != nil {
		return nil, 0, fmt.Errorf("parsing the task's circuit: %w", err)
	}
	seen := make([]bool, c.NumClbits)
	for i := range c.Ops {
		if op := &c.Ops[i]; op.Kind == circuit.Measure {
			seen[op.Clbits[0]] = true
		}
	}
	var out []int
	for i, m := range seen {
		if m {
			out = append(out, i)
		}
	}
	return out, c.NumClbits, nil
}
