"""Generates qiskit_states.json: final states of random circuits computed by
Qiskit, so that sim/ref's tests pin the reference (and through it every
engine) to Qiskit's bit order and gate conventions.

Run from this directory with a Python that has qiskit 2.x installed:
    python gen_qiskit_states.py
"""
import json
import math
import random

from qiskit import QuantumCircuit
from qiskit.circuit import library as lib
from qiskit.quantum_info import Statevector

# name in Qluster's gate table -> (Qiskit gate class, number of parameters)
GATES = {
    "h": (lib.HGate, 0), "x": (lib.XGate, 0), "y": (lib.YGate, 0), "z": (lib.ZGate, 0),
    "s": (lib.SGate, 0), "sdg": (lib.SdgGate, 0), "t": (lib.TGate, 0), "tdg": (lib.TdgGate, 0),
    "sx": (lib.SXGate, 0), "rx": (lib.RXGate, 1), "ry": (lib.RYGate, 1), "rz": (lib.RZGate, 1),
    "p": (lib.PhaseGate, 1), "u": (lib.UGate, 3), "cx": (lib.CXGate, 0), "cy": (lib.CYGate, 0),
    "cz": (lib.CZGate, 0), "ch": (lib.CHGate, 0), "swap": (lib.SwapGate, 0), "crx": (lib.CRXGate, 1),
    "cry": (lib.CRYGate, 1), "crz": (lib.CRZGate, 1), "cp": (lib.CPhaseGate, 1), "cu": (lib.CUGate, 4),
    "rxx": (lib.RXXGate, 1), "rzz": (lib.RZZGate, 1), "ccx": (lib.CCXGate, 0), "cswap": (lib.CSwapGate, 0),
    "csx": (lib.CSXGate, 0),
}


def qubits_of(cls, nparams):
    return cls(*([0.0] * nparams)).num_qubits


def main():
    rng = random.Random(20240601)
    names = sorted(GATES)
    cases = []
    for i in range(24):
        n = 1 + i % 5
        qc = QuantumCircuit(n)
        ops = []
        for _ in range(12):
            name = rng.choice([m for m in names if qubits_of(*GATES[m]) <= n])
            cls, npar = GATES[name]
            params = [rng.uniform(-2 * math.pi, 2 * math.pi) for _ in range(npar)]
            qs = rng.sample(range(n), qubits_of(cls, npar))
            qc.append(cls(*params), qs)
            ops.append({"name": name, "qubits": qs, "params": params})
        sv = Statevector(qc).data
        cases.append({"qubits": n, "ops": ops, "state": [[a.real, a.imag] for a in sv]})
    with open("qiskit_states.json", "w") as f:
        f.write("[\n" + ",\n".join(json.dumps(c) for c in cases) + "\n]\n")


if __name__ == "__main__":
    main()
