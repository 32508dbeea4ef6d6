package circuit

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/qluster/qluster/gate"
)

// Register is a named, contiguous range of qubits or clbits.
type Register struct {
	Name string
	// Offset is the flat index of the register's bit 0.
	Offset int
	Size   int
}

// OpKind distinguishes the operations a circuit holds.
type OpKind uint8

// The operation kinds.
const (
	GateOp  OpKind = iota // a unitary gate (Gate non-nil), or an opaque gate (Gate nil)
	Measure               // measure Qubits[0] into Clbits[0]
	Reset                 // reset Qubits[0] to |0⟩
	Barrier               // a scheduling barrier on Qubits; no effect on the state
)

func (k OpKind) String() string {
	switch k {
	case GateOp:
		return "gate"
	case Measure:
		return "measure"
	case Reset:
		return "reset"
	case Barrier:
		return "barrier"
	}
	return fmt.Sprintf("OpKind(%d)", uint8(k))
}

// Condition makes an op run only when classical register CReg (an index into
// Circuit.CRegs) holds Value, read as an unsigned integer with the register's
// bit 0 least significant. Value may exceed 64 bits.
type Condition struct {
	CReg  int
	Value *big.Int
}

// Op is one operation. Qubits and Clbits are flat indices.
type Op struct {
	Kind OpKind
	// Gate is the table gate for GateOp; nil for an opaque gate, which can be
	// carried and written but not simulated.
	Gate *gate.Gate
	// Name is the gate's name (canonical for table gates, the declared name
	// for opaque gates); empty for other kinds.
	Name   string
	Params []Param
	Qubits []int
	Clbits []int
	Cond   *Condition
	// Line and Col locate the statement in its source (1-based), 0 if unknown.
	Line, Col int
}

// IsUnitary reports whether the op is an unconditioned gate or barrier, i.e.
// acts on the state deterministically and reversibly.
func (o *Op) IsUnitary() bool {
	return o.Cond == nil && (o.Kind == GateOp || o.Kind == Barrier)
}

// Opaque is an opaque gate declaration: a name and signature with no body.
type Opaque struct {
	Name   string
	Params int
	Qubits int
}

// Circuit is a quantum circuit. The zero value is an empty circuit with no
// registers; use AddQReg and AddCReg to declare registers, then Append ops.
type Circuit struct {
	Name      string
	QRegs     []Register
	CRegs     []Register
	NumQubits int
	NumClbits int
	Ops       []Op
	Opaques   []Opaque
}

// AddQReg declares a quantum register of the given size after the existing
// ones. It fails on a duplicate name or a non-positive size.
func (c *Circuit) AddQReg(name string, size int) (Register, error) {
	if err := c.checkRegName(name, size); err != nil {
		return Register{}, err
	}
	r := Register{Name: name, Offset: c.NumQubits, Size: size}
	c.QRegs = append(c.QRegs, r)
	c.NumQubits += size
	return r, nil
}

// AddCReg declares a classical register of the given size after the
// existing ones. It fails on a duplicate name or a non-positive size.
func (c *Circuit) AddCReg(name string, size int) (Register, error) {
	if err := c.checkRegName(name, size); err != nil {
		return Register{}, err
	}
	r := Register{Name: name, Offset: c.NumClbits, Size: size}
	c.CRegs = append(c.CRegs, r)
	c.NumClbits += size
	return r, nil
}

func (c *Circuit) checkRegName(name string, size int) error {
	if size <= 0 {
		return fmt.Errorf("register %s: size %d must be positive", name, size)
	}
	if _, ok := c.QReg(name); ok {
		return fmt.Errorf("register %s already declared", name)
	}
	if _, ok := c.CReg(name); ok {
		return fmt.Errorf("register %s already declared", name)
	}
	return nil
}

// QReg returns the quantum register with the given name.
func (c *Circuit) QReg(name string) (Register, bool) { return findReg(c.QRegs, name) }

// CReg returns the classical register with the given name.
func (c *Circuit) CReg(name string) (Register, bool) { return findReg(c.CRegs, name) }

// CRegIndex returns the index in CRegs of the named classical register, or -1.
func (c *Circuit) CRegIndex(name string) int {
	for i, r := range c.CRegs {
		if r.Name == name {
			return i
		}
	}
	return -1
}

func findReg(rs []Register, name string) (Register, bool) {
	for _, r := range rs {
		if r.Name == name {
			return r, true
		}
	}
	return Register{}, false
}

// Append adds op after validating its indices and arity against the circuit.
func (c *Circuit) Append(op Op) error {
	if err := c.validateOp(&op); err != nil {
		return err
	}
	c.Ops = append(c.Ops, op)
	return nil
}

// Validate checks every op: indices in range, distinct qubit arguments,
// gate arity and parameter counts, condition registers.
func (c *Circuit) Validate() error {
	for i := range c.Ops {
		if err := c.validateOp(&c.Ops[i]); err != nil {
			return fmt.Errorf("op %d: %w", i, err)
		}
	}
	return nil
}

func (c *Circuit) validateOp(op *Op) error {
	for _, q := range op.Qubits {
		if q < 0 || q >= c.NumQubits {
			return fmt.Errorf("%s: qubit %d out of range [0,%d)", op.describe(), q, c.NumQubits)
		}
	}
	for _, b := range op.Clbits {
		if b < 0 || b >= c.NumClbits {
			return fmt.Errorf("%s: clbit %d out of range [0,%d)", op.describe(), b, c.NumClbits)
		}
	}
	if op.Cond != nil {
		if op.Cond.CReg < 0 || op.Cond.CReg >= len(c.CRegs) {
			return fmt.Errorf("%s: condition register %d does not exist", op.describe(), op.Cond.CReg)
		}
		if op.Cond.Value == nil || op.Cond.Value.Sign() < 0 {
			return fmt.Errorf("%s: condition value must be a non-negative integer", op.describe())
		}
	}
	switch op.Kind {
	case GateOp:
		nq, np := 0, 0
		if op.Gate != nil {
			nq, np = op.Gate.Qubits, len(op.Gate.Params)
		} else {
			o, ok := c.opaque(op.Name)
			if !ok {
				return fmt.Errorf("gate %s: not in the gate table and not declared opaque", op.Name)
			}
			nq, np = o.Qubits, o.Params
		}
		if len(op.Qubits) != nq || len(op.Params) != np || len(op.Clbits) != 0 {
			return fmt.Errorf("%s: takes %d parameters and %d qubits, got %d and %d",
				op.describe(), np, nq, len(op.Params), len(op.Qubits))
		}
		if !distinct(op.Qubits) {
			return fmt.Errorf("%s: repeated qubit argument", op.describe())
		}
	case Measure:
		if len(op.Qubits) != 1 || len(op.Clbits) != 1 {
			return fmt.Errorf("measure takes one qubit and one clbit")
		}
	case Reset:
		if len(op.Qubits) != 1 || len(op.Clbits) != 0 {
			return fmt.Errorf("reset takes one qubit")
		}
	case Barrier:
		if len(op.Clbits) != 0 || len(op.Params) != 0 {
			return fmt.Errorf("barrier takes only qubits")
		}
	default:
		return fmt.Errorf("unknown op kind %d", op.Kind)
	}
	return nil
}

func (c *Circuit) opaque(name string) (Opaque, bool) {
	for _, o := range c.Opaques {
		if o.Name == name {
			return o, true
		}
	}
	return Opaque{}, false
}

func (o *Op) describe() string {
	if o.Kind == GateOp {
		return "gate " + o.Name
	}
	return o.Kind.String()
}

func distinct(qs []int) bool {
	if len(qs) <= 16 {
		for i := range qs {
			for j := i + 1; j < len(qs); j++ {
				if qs[i] == qs[j] {
					return false
				}
			}
		}
		return true
	}
	seen := make(map[int]struct{}, len(qs))
	for _, q := range qs {
		if _, dup := seen[q]; dup {
			return false
		}
		seen[q] = struct{}{}
	}
	return true
}

// Bound reports whether every parameter of every op has a numeric value.
func (c *Circuit) Bound() bool {
	for i := range c.Ops {
		for _, p := range c.Ops[i].Params {
			if _, ok := p.Value(); !ok {
				return false
			}
		}
	}
	return true
}

// Symbols returns the sorted names of the free parameters in the circuit.
func (c *Circuit) Symbols() []string {
	seen := map[string]bool{}
	for i := range c.Ops {
		for _, p := range c.Ops[i].Params {
			p.symbols(seen)
		}
	}
	return sortedKeys(seen)
}

// Bind returns a copy of the circuit with the named symbols replaced by
// values. Symbols not in env stay free.
func (c *Circuit) Bind(env map[string]float64) *Circuit {
	out := c.Clone()
	for i := range out.Ops {
		for j, p := range out.Ops[i].Params {
			out.Ops[i].Params[j] = p.Bind(env)
		}
	}
	return out
}

// Clone returns a deep copy of the circuit.
func (c *Circuit) Clone() *Circuit {
	out := *c
	out.QRegs = append([]Register(nil), c.QRegs...)
	out.CRegs = append([]Register(nil), c.CRegs...)
	out.Opaques = append([]Opaque(nil), c.Opaques...)
	out.Ops = make([]Op, len(c.Ops))
	for i, op := range c.Ops {
		op.Params = append([]Param(nil), op.Params...)
		op.Qubits = append([]int(nil), op.Qubits...)
		op.Clbits = append([]int(nil), op.Clbits...)
		if op.Cond != nil {
			op.Cond = &Condition{CReg: op.Cond.CReg, Value: new(big.Int).Set(op.Cond.Value)}
		}
		out.Ops[i] = op
	}
	return &out
}

// Equal reports whether c and d have the same registers, opaque
// declarations and ops (names, parameters by value or expression, qubits,
// clbits and conditions). Source positions and the circuit name are ignored.
func (c *Circuit) Equal(d *Circuit) bool {
	if c.NumQubits != d.NumQubits || c.NumClbits != d.NumClbits ||
		!equalRegs(c.QRegs, d.QRegs) || !equalRegs(c.CRegs, d.CRegs) ||
		len(c.Ops) != len(d.Ops) || len(c.Opaques) != len(d.Opaques) {
		return false
	}
	for i := range c.Opaques {
		if c.Opaques[i] != d.Opaques[i] {
			return false
		}
	}
	for i := range c.Ops {
		if !c.Ops[i].Equal(&d.Ops[i]) {
			return false
		}
	}
	return true
}

// Equal reports whether two ops are the same operation (ignoring position).
func (o *Op) Equal(p *Op) bool {
	if o.Kind != p.Kind || o.Gate != p.Gate || o.Name != p.Name ||
		!equalInts(o.Qubits, p.Qubits) || !equalInts(o.Clbits, p.Clbits) || len(o.Params) != len(p.Params) {
		return false
	}
	for i := range o.Params {
		if !o.Params[i].Equal(p.Params[i]) {
			return false
		}
	}
	if (o.Cond == nil) != (p.Cond == nil) {
		return false
	}
	return o.Cond == nil || (o.Cond.CReg == p.Cond.CReg && o.Cond.Value.Cmp(p.Cond.Value) == 0)
}

func equalRegs(a, b []Register) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// String returns a short human summary, e.g. "3 qubits, 3 clbits, 7 ops".
func (c *Circuit) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d qubits, %d clbits, %d ops", c.NumQubits, c.NumClbits, len(c.Ops))
	return b.String()
}
