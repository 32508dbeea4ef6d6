// Four-qubit quantum Fourier transform of |0101>, written with a user gate.
OPENQASM 2.0;
include "qelib1.inc";
gate cphase_pair(theta) a, b { cu1(theta) a, b; }
qreg q[4];
x q[0];
x q[2];
h q[3];
cphase_pair(pi/2) q[2], q[3];
cphase_pair(pi/4) q[1], q[3];
cphase_pair(pi/8) q[0], q[3];
h q[2];
cphase_pair(pi/2) q[1], q[2];
cphase_pair(pi/4) q[0], q[2];
h q[1];
cphase_pair(pi/2) q[0], q[1];
h q[0];
swap q[0], q[3];
swap q[1], q[2];
