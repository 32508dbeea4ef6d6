OPENQASM 2.0;
include "qelib1.inc";
gate csdg q0,q1 { tdg q0; cx q0,q1; t q1; cx q0,q1; tdg q1; }
gate ryy(param0) q0,q1 { sxdg q0; sxdg q1; cx q0,q1; rz(param0) q1; cx q0,q1; sx q0; sx q1; }
qreg q[4];
creg c[4];
u(2.5665128426714845,0.28447243310755027,0.30635373165265484) q[2];
ry(6.278008685461637) q[0];
sx q[3];
sxdg q[1];
t q[1];
csdg q[0],q[2];
z q[3];
sx q[2];
u2(5.527011327741266,0.40347120902876316) q[1];
rx(4.267423429187548) q[0];
p(4.445325753587638) q[3];
ryy(0.007537834286026268) q[0],q[1];
h q[0];
s q[2];
csx q[1],q[3];
reset q[0];
t q[3];
crz(2.0092662414741596) q[2],q[1];
measure q[0] -> c[0];
measure q[1] -> c[1];
measure q[2] -> c[2];
measure q[3] -> c[3];
