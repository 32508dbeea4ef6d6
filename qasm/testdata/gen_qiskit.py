"""Generate the Qiskit-written OpenQASM 2 fixtures in testdata/qiskit.

Run from this directory with a Python that has qiskit 2.x:

    python gen_qiskit.py

Each fixture is the output of qiskit.qasm2.dumps for a circuit built here;
the Go tests parse every fixture, check a few facts about it, and round-trip
it through the writer. Circuits use fixed seeds; Qiskit may still name some
generated gate definitions after object ids (mcx_<id>), which differ per run.
"""

import json
import os

from qiskit.circuit import Gate
from qiskit import QuantumCircuit, QuantumRegister, ClassicalRegister, qasm2, transpile
from qiskit.circuit.library import (
    QFTGate, MCXGate, RZXGate, ECRGate, grover_operator, ZGate, XXPlusYYGate,
    DCXGate, iSwapGate, RYYGate, RZXGate, CSGate, C3SXGate, RGate,
)
from qiskit.circuit.random import random_circuit
from qiskit.quantum_info import Operator

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "qiskit")


def write(name, qc, unitary=True):
    """Write name.qasm and, for circuits whose only non-unitary operations
    are final measurements, name.unitary.json: the operator of the circuit
    without them (Qiskit's little-endian order, row-major, global phase
    included) as {"n": qubits, "re": [...], "im": [...]}."""
    text = qasm2.dumps(qc)
    with open(os.path.join(OUT, name + ".qasm"), "w") as f:
        f.write(text + "\n")
    if not unitary:
        return
    bare = qc.remove_final_measurements(inplace=False)
    m = Operator(bare).data
    with open(os.path.join(OUT, name + ".unitary.json"), "w") as f:
        json.dump({"n": bare.num_qubits,
                   "re": [float(x) for x in m.real.flatten()],
                   "im": [float(x) for x in m.imag.flatten()]}, f)


def bell():
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    return qc


def ghz(n):
    qc = QuantumCircuit(n, n)
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    qc.barrier()
    qc.measure(range(n), range(n))
    return qc


def qft(n):
    qc = QuantumCircuit(n)
    qc.x(0)
    qc.append(QFTGate(n), range(n))
    qc.measure_all()
    return qc


def qft_decomposed(n):
    return qft(n).decompose(reps=3)


def grover():
    oracle = QuantumCircuit(3)
    oracle.ccz(0, 1, 2) if hasattr(oracle, "ccz") else oracle.h(2)
    op = grover_operator(oracle)
    qc = QuantumCircuit(3, 3)
    qc.h(range(3))
    qc.compose(op, inplace=True)
    qc.compose(op, inplace=True)
    qc.measure(range(3), range(3))
    return qc


def custom_gates():
    qc = QuantumCircuit(5, 2)
    qc.rzx(0.25, 0, 1)
    qc.ecr(1, 2)
    qc.mcx([0, 1, 2], 3)
    qc.mcx([0, 1, 2, 3], 4)
    qc.append(DCXGate(), [2, 3])
    qc.append(iSwapGate(), [0, 4])
    qc.append(RYYGate(0.5), [1, 3])
    qc.append(CSGate(), [0, 1])
    qc.append(XXPlusYYGate(0.3, 0.1), [2, 4])
    qc.append(RGate(0.1, 0.2), [0])
    qc.measure(0, 0)
    qc.measure(4, 1)
    return qc


def library_gates():
    qc = QuantumCircuit(5, 5)
    qc.u(0.1, 0.2, 0.3, 0)
    qc.p(0.4, 1)
    qc.sx(2)
    qc.sxdg(3)
    qc.id(4)
    qc.rx(1e-3, 0)
    qc.ry(-2.5e10, 1)
    qc.rz(3.141592653589793 / 7, 2)
    qc.y(0); qc.z(1); qc.s(2); qc.sdg(3); qc.t(4); qc.tdg(0)
    qc.cz(0, 1); qc.cy(1, 2); qc.swap(2, 3); qc.ch(3, 4)
    qc.ccx(0, 1, 2); qc.cswap(2, 3, 4)
    qc.crx(0.1, 0, 1); qc.cry(0.2, 1, 2); qc.crz(0.3, 2, 3)
    qc.cp(0.4, 3, 4); qc.cu(0.1, 0.2, 0.3, 0.4, 0, 1)
    qc.csx(1, 2); qc.rxx(0.5, 2, 3); qc.rzz(0.6, 3, 4)
    qc.rccx(0, 1, 2)
    qc.rcccx(0, 1, 2, 3)
    qc.append(C3SXGate(), [0, 1, 2, 3])
    qc.mcx([0, 1, 2], 3)
    qc.mcx([0, 1, 2, 3], 4)
    qc.measure(range(5), range(5))
    return qc


def registers_and_conditions():
    qa = QuantumRegister(3, "qa")
    qb = QuantumRegister(2, "qb")
    ca = ClassicalRegister(3, "ca")
    wide = ClassicalRegister(70, "wide")
    qc = QuantumCircuit(qa, qb, ca, wide)
    qc.h(qa)
    qc.cx(qa[0], qb[1])
    qc.measure(qa, ca)
    with qc.if_test((ca, 5)):
        qc.x(qb[0])
    with qc.if_test((ca, 0)):
        qc.rz(0.125, qa[2])
    with qc.if_test((wide, 2**65 + 3)):
        qc.h(qb[1])
    with qc.if_test((ca, 2)):
        qc.measure(qb[0], wide[69])
    with qc.if_test((ca, 7)):
        qc.reset(qa[1])
    qc.barrier(qa[0], qb)
    qc.measure(qb[1], wide[0])
    return qc


def escaped_names():
    q = QuantumRegister(2, "Data-Q")
    c = ClassicalRegister(2, "2out")
    qc = QuantumCircuit(q, c)
    sub = QuantumCircuit(2, name="My Gate")
    sub.h(0)
    sub.cx(0, 1)
    qc.append(sub.to_gate(), [0, 1])
    qc.measure(q, c)
    return qc


def opaque_gates():
    qc = QuantumCircuit(3, 1)
    qc.h(0)
    qc.append(Gate("magic", 2, [0.5, 1.25]), [0, 2])
    qc.append(Gate("plain", 1, []), [1])
    qc.measure(1, 0)
    return qc


def random_circuits():
    out = []
    for seed in range(4):
        qc = random_circuit(5, 8, max_operands=3, measure=True, seed=seed)
        out.append(("random%d" % seed, qc, True))
    for seed in range(4, 6):
        qc = random_circuit(4, 6, max_operands=2, measure=True, reset=True, seed=seed)
        out.append(("random_reset%d" % seed, qc, False))
    return out


def transpiled():
    qc = grover()
    return transpile(qc, basis_gates=["rz", "sx", "x", "cx"], optimization_level=1, seed_transpiler=7)


def main():
    os.makedirs(OUT, exist_ok=True)
    write("bell", bell())
    write("ghz8", ghz(8), unitary=False)
    write("qft5", qft(5))
    write("qft5_decomposed", qft_decomposed(5))
    write("grover3", grover())
    write("grover3_transpiled", transpiled())
    write("custom_gates", custom_gates())
    write("library_gates", library_gates())
    write("registers_conditions", registers_and_conditions(), unitary=False)
    write("escaped_names", escaped_names())
    write("opaque_gates", opaque_gates(), unitary=False)
    for name, qc, unitary in random_circuits():
        write(name, qc, unitary)


if __name__ == "__main__":
    main()
