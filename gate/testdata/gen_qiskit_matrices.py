"""Generate qiskit_matrices.json: Qiskit's matrix of every gate in Qluster's table.

Run from the repository root with a Python that has qiskit 2.x and numpy:

    python gate/testdata/gen_qiskit_matrices.py

For each gate name and each of two fixed parameter sets (truncated to the
gate's parameter count), the fixture holds qiskit.quantum_info.Operator of the
corresponding Qiskit gate class, split into real and imaginary parts, row-major.
TestMatchesQiskit in package gate compares the table against it to 1e-12.
"""

import json
import os

import qiskit
from qiskit.circuit import library as lib
from qiskit.quantum_info import Operator

PARAM_SETS = [
    [0.3, -1.1, 2.4, 0.7],
    [-2.2, 0.9, -0.4, 1.6],
]

# name -> (parameter count, constructor taking the parameter list).
GATES = {
    "U": (3, lambda p: lib.UGate(*p)),
    "CX": (0, lambda p: lib.CXGate()),
    "u3": (3, lambda p: lib.U3Gate(*p)),
    "u2": (2, lambda p: lib.U2Gate(*p)),
    "u1": (1, lambda p: lib.U1Gate(*p)),
    "cx": (0, lambda p: lib.CXGate()),
    "id": (0, lambda p: lib.IGate()),
    "u0": (1, lambda p: lib.IGate()),
    "u": (3, lambda p: lib.UGate(*p)),
    "p": (1, lambda p: lib.PhaseGate(*p)),
    "x": (0, lambda p: lib.XGate()),
    "y": (0, lambda p: lib.YGate()),
    "z": (0, lambda p: lib.ZGate()),
    "h": (0, lambda p: lib.HGate()),
    "s": (0, lambda p: lib.SGate()),
    "sdg": (0, lambda p: lib.SdgGate()),
    "t": (0, lambda p: lib.TGate()),
    "tdg": (0, lambda p: lib.TdgGate()),
    "rx": (1, lambda p: lib.RXGate(*p)),
    "ry": (1, lambda p: lib.RYGate(*p)),
    "rz": (1, lambda p: lib.RZGate(*p)),
    "sx": (0, lambda p: lib.SXGate()),
    "sxdg": (0, lambda p: lib.SXdgGate()),
    "cz": (0, lambda p: lib.CZGate()),
    "cy": (0, lambda p: lib.CYGate()),
    "swap": (0, lambda p: lib.SwapGate()),
    "ch": (0, lambda p: lib.CHGate()),
    "ccx": (0, lambda p: lib.CCXGate()),
    "cswap": (0, lambda p: lib.CSwapGate()),
    "crx": (1, lambda p: lib.CRXGate(*p)),
    "cry": (1, lambda p: lib.CRYGate(*p)),
    "crz": (1, lambda p: lib.CRZGate(*p)),
    "cu1": (1, lambda p: lib.CU1Gate(*p)),
    "cp": (1, lambda p: lib.CPhaseGate(*p)),
    "cu3": (3, lambda p: lib.CU3Gate(*p)),
    "csx": (0, lambda p: lib.CSXGate()),
    "cu": (4, lambda p: lib.CUGate(*p)),
    "rxx": (1, lambda p: lib.RXXGate(*p)),
    "rzz": (1, lambda p: lib.RZZGate(*p)),
    "rccx": (0, lambda p: lib.RCCXGate()),
    "rc3x": (0, lambda p: lib.RC3XGate()),
    "c3x": (0, lambda p: lib.C3XGate()),
    "c3sqrtx": (0, lambda p: lib.C3SXGate()),
    "c4x": (0, lambda p: lib.C4XGate()),
    "rc3xdg": (0, lambda p: lib.RC3XGate().inverse()),
    "c3sqrtxdg": (0, lambda p: lib.C3SXGate().inverse()),
}


def main():
    cases = []
    for name, (n, make) in GATES.items():
        sets = PARAM_SETS if n else [[]]
        for ps in sets:
            p = ps[:n]
            m = Operator(make(p)).data
            cases.append({
                "name": name,
                "params": p,
                "re": [float(v.real) for v in m.flatten()],
                "im": [float(v.imag) for v in m.flatten()],
            })
    out = {"qiskit_version": qiskit.__version__, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "qiskit_matrices.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
