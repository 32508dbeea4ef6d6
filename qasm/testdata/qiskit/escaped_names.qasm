OPENQASM 2.0;
include "qelib1.inc";
gate gate_My_Gate q0,q1 { h q0; cx q0,q1; }
qreg reg_Data_Q[2];
creg reg_2out[2];
gate_My_Gate reg_Data_Q[0],reg_Data_Q[1];
measure reg_Data_Q[0] -> reg_2out[0];
measure reg_Data_Q[1] -> reg_2out[1];
