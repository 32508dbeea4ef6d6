"""Expand every gate body of ../qelib1.inc and ../extra.inc; compare with Qiskit.

Run with a Python that has qiskit and numpy:

    python gate/testdata/check_qelib1.py

It prints one line per gate and exits non-zero if any body differs from the
matrix of the corresponding Qiskit gate class by more than a global phase.
The Go tests do not need this script; it documents how the bodies were checked.
"""

import math
import os
import re
import sys

import numpy as np
from qiskit.circuit import library as lib
from qiskit.quantum_info import Operator

HERE = os.path.dirname(os.path.abspath(__file__))


def parse(text):
    text = re.sub(r"//[^\n]*", "", text)
    gates = {}
    for m in re.finditer(r"gate\s+(\w+)\s*(?:\(([^)]*)\))?\s*([\w\s,]+?)\s*\{([^}]*)\}", text):
        name, params, args, body = m.groups()
        params = [p.strip() for p in params.split(",")] if params else []
        args = [a.strip() for a in args.split(",")]
        stmts = [s.strip() for s in body.split(";") if s.strip()]
        gates[name] = (params, args, stmts)
    return gates


def ev(expr, env):
    expr = re.sub(r"\blambda\b", "lam", expr)
    env = {("lam" if k == "lambda" else k): v for k, v in env.items()}
    return float(eval(expr, {"pi": math.pi, "__builtins__": {}}, env))


def split_args(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [x.strip() for x in out]


def u_matrix(t, p, l):
    c, s = math.cos(t / 2), math.sin(t / 2)
    return np.array([[c, -np.exp(1j * l) * s], [np.exp(1j * p) * s, np.exp(1j * (p + l)) * c]])


def embed(m, qubits, n):
    """Full 2^n matrix of m acting on qubits (qubits[0] least significant of m)."""
    k = len(qubits)
    d = 1 << n
    out = np.zeros((d, d), dtype=complex)
    for col in range(d):
        sub = sum(((col >> q) & 1) << i for i, q in enumerate(qubits))
        rest = col
        for q in qubits:
            rest &= ~(1 << q)
        for r in range(1 << k):
            row = rest
            for i, q in enumerate(qubits):
                row |= ((r >> i) & 1) << q
            out[row, col] += m[r, sub]
    return out


def expand(gates, name, vals):
    params, args, stmts = gates[name]
    env = dict(zip(params, vals))
    n = len(args)
    total = np.eye(1 << n, dtype=complex)
    for st in stmts:
        m = re.match(r"(\w+)\s*(?:\((.*)\))?\s+(.*)$", st, re.S)
        g, ps, qs = m.groups()
        pv = [ev(e, env) for e in split_args(ps)] if ps else []
        qi = [args.index(q.strip()) for q in qs.split(",")]
        if g == "U":
            sub = u_matrix(*pv)
        elif g == "CX":
            sub = np.array([[1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0]], dtype=complex)
        else:
            sub = expand(gates, g, pv)
        total = embed(sub, qi, n) @ total
    return total


def qiskit_gate(name, p):
    table = {
        "u3": lambda: lib.U3Gate(*p), "u2": lambda: lib.U2Gate(*p), "u1": lambda: lib.U1Gate(*p),
        "cx": lib.CXGate, "id": lib.IGate, "u0": lib.IGate, "u": lambda: lib.UGate(*p),
        "p": lambda: lib.PhaseGate(*p), "x": lib.XGate, "y": lib.YGate, "z": lib.ZGate, "h": lib.HGate,
        "s": lib.SGate, "sdg": lib.SdgGate, "t": lib.TGate, "tdg": lib.TdgGate,
        "rx": lambda: lib.RXGate(*p), "ry": lambda: lib.RYGate(*p), "rz": lambda: lib.RZGate(*p),
        "sx": lib.SXGate, "sxdg": lib.SXdgGate, "cz": lib.CZGate, "cy": lib.CYGate, "swap": lib.SwapGate,
        "ch": lib.CHGate, "ccx": lib.CCXGate, "cswap": lib.CSwapGate, "crx": lambda: lib.CRXGate(*p),
        "cry": lambda: lib.CRYGate(*p), "crz": lambda: lib.CRZGate(*p), "cu1": lambda: lib.CU1Gate(*p),
        "cp": lambda: lib.CPhaseGate(*p), "cu3": lambda: lib.CU3Gate(*p), "csx": lib.CSXGate,
        "cu": lambda: lib.CUGate(*p), "rxx": lambda: lib.RXXGate(*p), "rzz": lambda: lib.RZZGate(*p),
        "rccx": lib.RCCXGate, "rc3x": lib.RC3XGate, "c3x": lib.C3XGate, "c3sqrtx": lib.C3SXGate,
        "c4x": lib.C4XGate,
        "rc3xdg": lambda: lib.RC3XGate().inverse(), "c3sqrtxdg": lambda: lib.C3SXGate().inverse(),
    }
    return Operator(table[name]()).data


def equal_up_to_phase(a, b, eps=1e-9):
    k = np.argmax(np.abs(b))
    ph = a.flat[k] / b.flat[k]
    return abs(abs(ph) - 1) < eps and np.allclose(a, ph * b, atol=eps)


def main():
    text = ""
    for name in ("qelib1.inc", "extra.inc"):
        with open(os.path.join(HERE, "..", name)) as f:
            text += f.read()
    gates = parse(text)
    rng = np.random.default_rng(7)
    bad = 0
    for name, (params, _, _) in gates.items():
        for _ in range(3):
            vals = list(rng.uniform(-2 * math.pi, 2 * math.pi, len(params)))
            got = expand(gates, name, vals)
            want = qiskit_gate(name, vals)
            ok = equal_up_to_phase(got, want)
            if not ok:
                bad += 1
                print(f"FAIL {name}{vals}")
                break
        else:
            print(f"ok   {name}")
    print(f"{len(gates)} gates, {bad} failures")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
