OPENQASM 2.0;
include "qelib1.inc";
gate ccz q0,q1,q2 { h q2; ccx q0,q1,q2; h q2; }
gate ryy(param0) q0,q1 { sxdg q0; sxdg q1; cx q0,q1; rz(param0) q1; cx q0,q1; sx q0; sx q1; }
qreg q[5];
creg c[5];
t q[0];
cswap q[1],q[4],q[3];
z q[2];
ccx q[4],q[3],q[0];
swap q[4],q[3];
cp(4.873011968122676) q[0],q[1];
ccx q[3],q[0],q[1];
ccz q[2],q[1],q[3];
cy q[4],q[0];
cswap q[2],q[3],q[0];
h q[3];
cswap q[0],q[1],q[4];
ccz q[2],q[4],q[1];
ryy(3.793821954457324) q[0],q[3];
measure q[0] -> c[0];
measure q[1] -> c[1];
measure q[2] -> c[2];
measure q[3] -> c[3];
measure q[4] -> c[4];
