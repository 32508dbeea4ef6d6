package circuit

import (
	"math/big"
	"strings"
)

// Bits is a fixed-width bit set over a circuit's clbits (or qubits): bit i
// is word i/64, bit i%64.
type Bits []uint64

// NewBits returns a zeroed set able to hold n bits.
func NewBits(n int) Bits { return make(Bits, (n+63)/64) }

// Get reports bit i.
func (b Bits) Get(i int) bool { return b[i>>6]>>(uint(i)&63)&1 == 1 }

// Set sets bit i to v.
func (b Bits) Set(i int, v bool) {
	if v {
		b[i>>6] |= 1 << (uint(i) & 63)
	} else {
		b[i>>6] &^= 1 << (uint(i) & 63)
	}
}

// Clone returns a copy.
func (b Bits) Clone() Bits { return append(Bits(nil), b...) }

// Key renders clbits in Qiskit's counts-key format: classical registers in
// reverse declaration order separated by one space, each register's highest
// bit leftmost. A circuit without classical registers yields "".
func (c *Circuit) Key(b Bits) string {
	var s strings.Builder
	s.Grow(c.NumClbits + len(c.CRegs))
	for r := len(c.CRegs) - 1; r >= 0; r-- {
		reg := c.CRegs[r]
		for i := reg.Size - 1; i >= 0; i-- {
			if b.Get(reg.Offset + i) {
				s.WriteByte('1')
			} else {
				s.WriteByte('0')
			}
		}
		if r > 0 {
			s.WriteByte(' ')
		}
	}
	return s.String()
}

// QubitKey renders a basis-state index over n qubits as a bit string with
// qubit 0 rightmost (Qiskit's Statevector.probabilities_dict labels).
func QubitKey(index uint64, n int) string {
	buf := make([]byte, n)
	for k := 0; k < n; k++ {
		if index>>uint(k)&1 == 1 {
			buf[n-1-k] = '1'
		} else {
			buf[n-1-k] = '0'
		}
	}
	return string(buf)
}

// RegValue returns the unsigned value of classical register r in b, with
// the register's bit 0 least significant.
func (c *Circuit) RegValue(r int, b Bits) *big.Int {
	reg := c.CRegs[r]
	v := new(big.Int)
	for i := reg.Size - 1; i >= 0; i-- {
		v.Lsh(v, 1)
		if b.Get(reg.Offset + i) {
			v.SetBit(v, 0, 1)
		}
	}
	return v
}

// CondHolds reports whether op's condition (if any) holds for clbits b.
func (c *Circuit) CondHolds(op *Op, b Bits) bool {
	if op.Cond == nil {
		return true
	}
	return c.RegValue(op.Cond.CReg, b).Cmp(op.Cond.Value) == 0
}
