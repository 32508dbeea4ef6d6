"""Generate aer_density.json: density matrices of noisy circuits computed by
Qiskit Aer's density_matrix method, for sim/densitymat's Aer comparison test.

The noise is built here from explicit Aer channels with the figures in
DEVICE, the same construction sim/noise.FromDevice documents: after every
non-virtual one-qubit gate, depolarizing_error(p1) then
thermal_relaxation_error(T1, T2, gate time); after every two-qubit gate on an
edge, a two-qubit depolarizing_error(p2) then thermal relaxation of both
qubits over the edge's duration. p is computed independently of the Go code,
from Qiskit's own average_gate_fidelity of the relaxation channel:
p = d·(err − (1 − F_relax)) / (d·F_relax − 1), clamped at 0. rz is virtual
(no noise). Readout errors play no part in density matrices.

Run: /tmp/qvenv/bin/python gen_aer_fixture.py > aer_density.json
"""

import json
import math

import numpy as np
import qiskit
import qiskit_aer
from qiskit import QuantumCircuit
from qiskit.quantum_info import average_gate_fidelity
from qiskit_aer import AerSimulator
from qiskit_aer.noise import NoiseModel, depolarizing_error, thermal_relaxation_error

# Figures of a 4-qubit line; times in µs and ns as in a device file.
DEVICE = {
    "qubits": [
        {"t1_us": 21.0, "t2_us": 17.5, "gate_1q_ns": 60.0, "gate_1q_error": 0.004},
        {"t1_us": 30.0, "t2_us": 55.0, "gate_1q_ns": 40.0, "gate_1q_error": 0.002},  # T2 > T1
        {"t1_us": 12.0, "t2_us": 24.0, "gate_1q_ns": 80.0, "gate_1q_error": 0.001},  # T2 = 2·T1
        {"t1_us": 45.0, "t2_us": 9.0, "gate_1q_ns": 50.0, "gate_1q_error": 0.0},  # relaxation only
    ],
    "edges": [
        {"a": 0, "b": 1, "duration_ns": 200.0, "error": 0.04},
        {"a": 1, "b": 2, "duration_ns": 150.0, "error": 0.02},
        {"a": 2, "b": 3, "duration_ns": 300.0, "error": 0.06},
    ],
}

ONE_Q = ["h", "x", "sx", "rx", "ry"]
TWO_Q = ["cz", "cx"]


def relax(q, time_ns):
    f = DEVICE["qubits"][q]
    return thermal_relaxation_error(f["t1_us"], f["t2_us"], time_ns / 1000.0)


def depol_param(err, relax_error, n):
    d = 2**n
    f = average_gate_fidelity(relax_error.to_quantumchannel())
    err = min(err, d / (d + 1))
    if err <= 1 - f:
        return 0.0
    return min(d * (err - (1 - f)) / (d * f - 1), d * d / (d * d - 1))


def gate_error(err, relax_error, n):
    p = depol_param(err, relax_error, n)
    if p == 0:
        return relax_error
    return depolarizing_error(p, n).compose(relax_error)


def noise_model():
    nm = NoiseModel(basis_gates=ONE_Q + TWO_Q + ["rz"])
    for q, f in enumerate(DEVICE["qubits"]):
        nm.add_quantum_error(gate_error(f["gate_1q_error"], relax(q, f["gate_1q_ns"]), 1), ONE_Q, [q])
    for e in DEVICE["edges"]:
        for a, b in ((e["a"], e["b"]), (e["b"], e["a"])):
            # expand: the first error acts on argument 0 (the low qubit of the pair).
            r = relax(a, e["duration_ns"]).expand(relax(b, e["duration_ns"]))
            nm.add_quantum_error(gate_error(e["error"], r, 2), TWO_Q, [a, b])
    return nm


def circuits():
    out = []
    bell = QuantumCircuit(2, name="bell")
    bell.h(0)
    bell.cx(0, 1)
    out.append(bell)

    rng = np.random.default_rng(7)
    for n, nops in ((3, 25), (4, 40)):
        qc = QuantumCircuit(n, name=f"random{n}")
        for _ in range(nops):
            kind = rng.integers(0, 6)
            if kind < 3:
                g = ONE_Q[rng.integers(0, len(ONE_Q))]
                q = int(rng.integers(0, n))
                if g in ("rx", "ry"):
                    getattr(qc, g)(float(rng.uniform(-math.pi, math.pi)), q)
                else:
                    getattr(qc, g)(q)
            elif kind == 3:
                qc.rz(float(rng.uniform(-math.pi, math.pi)), int(rng.integers(0, n)))
            else:
                q = int(rng.integers(0, n - 1))
                a, b = (q, q + 1) if rng.integers(0, 2) else (q + 1, q)
                getattr(qc, TWO_Q[rng.integers(0, 2)])(a, b)
        out.append(qc)

    rst = QuantumCircuit(3, name="reset")
    rst.h(0)
    rst.cx(0, 1)
    rst.reset(0)
    rst.ry(0.8, 0)
    rst.cz(1, 2)
    rst.sx(2)
    rst.reset(1)
    rst.cx(2, 1)
    out.append(rst)
    return out


def ops(qc):
    res = []
    for inst in qc.data:
        res.append({
            "name": inst.operation.name,
            "qubits": [qc.find_bit(q).index for q in inst.qubits],
            "params": [float(p) for p in inst.operation.params],
        })
    return res


def main():
    sim = AerSimulator(method="density_matrix", noise_model=noise_model(), fusion_enable=False)
    cases = []
    for qc in circuits():
        run = qc.copy()
        run.save_density_matrix()
        rho = np.asarray(sim.run(run, shots=1).result().data(0)["density_matrix"])
        cases.append({
            "name": qc.name,
            "num_qubits": qc.num_qubits,
            "ops": ops(qc),
            "rho_re": rho.real.tolist(),
            "rho_im": rho.imag.tolist(),
        })
    json.dump({
        "generator": "gen_aer_fixture.py",
        "qiskit": qiskit.__version__,
        "qiskit_aer": qiskit_aer.__version__,
        "device": DEVICE,
        "circuits": cases,
    }, fp=__import__("sys").stdout, indent=1)


if __name__ == "__main__":
    main()
