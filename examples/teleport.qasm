// Quantum teleportation of ry(1.1)|0> from q[0] to q[2], with mid-circuit
// measurement and classically controlled corrections. The bit c2[0] is 1
// with probability sin^2(0.55) ≈ 0.2731 whatever c0 and c1 read.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c0[1];
creg c1[1];
creg c2[1];
ry(1.1) q[0];
h q[1];
cx q[1], q[2];
cx q[0], q[1];
h q[0];
measure q[0] -> c0[0];
measure q[1] -> c1[0];
if (c1 == 1) x q[2];
if (c0 == 1) z q[2];
measure q[2] -> c2[0];
