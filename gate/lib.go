package gate

import _ "embed" // for the include files below

// Qelib1Inc is the text of qelib1.inc, the OpenQASM 2 standard gate library
// in Qiskit's extended form. It defines every gate whose QASM2 flag is set,
// except the built-ins U and CX, from U, CX and previously defined gates;
// each body equals the table matrix up to a global phase.
//
//go:embed qelib1.inc
var Qelib1Inc string

// StdgatesInc is the text of stdgates.inc, the OpenQASM 3 standard gate
// library, in OpenQASM 3 syntax. It defines every gate whose QASM3 flag is
// set, except the built-in U, plus the aliases phase and cphase; each body
// equals the table matrix exactly (global phase included).
//
//go:embed stdgates.inc
var StdgatesInc string

// ExtraInc defines, in OpenQASM 2 syntax on top of qelib1.inc, the gates of
// the table that belong to neither library (their QASM2 and QASM3 flags are
// false): the inverses rc3xdg and c3sqrtxdg, which no library gate
// expresses. A QASM 2 writer that emits one of them prepends its definition.
//
//go:embed extra.inc
var ExtraInc string
