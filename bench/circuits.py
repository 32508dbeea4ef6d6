"""Benchmark circuits, generated deterministically as OpenQASM 2 text.

Every engine in the comparison reads the same files, so a circuit is defined
once here and converted per peer in peers.py. Random choices come from numpy's
PCG64 generator seeded from the circuit name and width, so the same command
gives the same circuits on every machine.
"""

import math
import os
import zlib

import numpy as np

HEADER = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n'

# Depth of the random brickwork circuit and of the random Clifford circuit.
BRICKWORK_DEPTH = 20
CLIFFORD_QUBITS = 1000
CLIFFORD_DEPTH = 100
CLIFFORD_SHOTS = 1000

# One-qubit Clifford gates the random Clifford circuit draws from.
CLIFFORD_1Q = ("h", "s", "sdg", "x", "y", "z", "sx", "sxdg")


def rng_for(name, n):
    """Return the random generator for circuit name at width n."""
    return np.random.default_rng([zlib.crc32(name.encode()), n])


def _program(n, body, creg=False):
    """Return a QASM 2 program with one register q[n] and the given lines."""
    lines = [HEADER, f"qreg q[{n}];\n"]
    if creg:
        lines.append(f"creg c[{n}];\n")
    lines.extend(line + "\n" for line in body)
    return "".join(lines)


def qft(n):
    """Return the quantum Fourier transform on n qubits, final swaps included."""
    body = []
    for j in reversed(range(n)):
        body.append(f"h q[{j}];")
        for k in reversed(range(j)):
            body.append(f"cp({math.pi / 2 ** (j - k)!r}) q[{j}],q[{k}];")
    for i in range(n // 2):
        body.append(f"swap q[{i}],q[{n - 1 - i}];")
    return _program(n, body)


def brickwork(n, depth=BRICKWORK_DEPTH):
    """Return a random brickwork circuit of the given depth on n qubits.

    Each layer applies u3 with uniformly random angles to every qubit, then
    an entangling gate on neighbouring pairs: cz on (0,1), (2,3), … in even
    layers and cx on (1,2), (3,4), … in odd layers.
    """
    rng = rng_for("brickwork", n)
    body = []
    for layer in range(depth):
        for q in range(n):
            theta, phi, lam = map(float, rng.uniform(0, 2 * math.pi, size=3))
            body.append(f"u3({theta!r},{phi!r},{lam!r}) q[{q}];")
        gate = "cz" if layer % 2 == 0 else "cx"
        for q in range(layer % 2, n - 1, 2):
            body.append(f"{gate} q[{q}],q[{q + 1}];")
    return _program(n, body)


def ghz(n):
    """Return the GHZ preparation on n qubits: h, then a chain of cx."""
    body = ["h q[0];"]
    body.extend(f"cx q[{q}],q[{q + 1}];" for q in range(n - 1))
    return _program(n, body)


def random_regular_graph(n, degree, rng):
    """Return the edges of a random simple degree-regular graph on n nodes.

    It uses the pairing model: shuffle degree copies of every node, pair
    them up, and start again whenever a pairing has a loop or a repeated
    edge. n·degree must be even.
    """
    if n * degree % 2:
        raise ValueError(f"no {degree}-regular graph on {n} nodes")
    for _ in range(10000):
        stubs = rng.permutation(np.repeat(np.arange(n), degree))
        pairs = stubs.reshape(-1, 2)
        edges = {tuple(sorted(map(int, p))) for p in pairs}
        if len(edges) == len(pairs) and all(a != b for a, b in edges):
            return sorted(edges)
    raise RuntimeError(f"no simple {degree}-regular graph found on {n} nodes")


def qaoa(n, gamma=0.4, beta=0.7):
    """Return one QAOA layer for MaxCut on a random 3-regular graph.

    The layer is h on every qubit, rzz(2·gamma) on every edge, then
    rx(2·beta) on every qubit.
    """
    edges = random_regular_graph(n, 3, rng_for("qaoa", n))
    body = [f"h q[{q}];" for q in range(n)]
    body.extend(f"rzz({2 * gamma!r}) q[{a}],q[{b}];" for a, b in edges)
    body.extend(f"rx({2 * beta!r}) q[{q}];" for q in range(n))
    return _program(n, body)


def random_clifford(n=CLIFFORD_QUBITS, depth=CLIFFORD_DEPTH):
    """Return a random Clifford circuit on n qubits measured at the end.

    Each of depth layers applies a random gate of CLIFFORD_1Q to every qubit,
    then cx or cz (at random) on the pairs of a random perfect matching of
    the qubits. All qubits are measured into c at the end.
    """
    rng = rng_for("clifford", n)
    body = []
    for _ in range(depth):
        for q, g in enumerate(rng.integers(len(CLIFFORD_1Q), size=n)):
            body.append(f"{CLIFFORD_1Q[g]} q[{q}];")
        order = rng.permutation(n)
        for a, b in order[: n - n % 2].reshape(-1, 2):
            gate = "cx" if rng.integers(2) else "cz"
            body.append(f"{gate} q[{a}],q[{b}];")
    body.append("measure q -> c;")
    return _program(n, body, creg=True)


# The state-vector benchmark circuits by name.
STATEVECTOR = {
    "qft": qft,
    "brickwork": brickwork,
    "ghz": ghz,
    "qaoa": qaoa,
}


def write(directory, name, n, text):
    """Write text to directory/name-n.qasm and return the path."""
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{name}-{n}.qasm")
    with open(path, "w", encoding="ascii") as f:
        f.write(text)
    return path
