"""Adapters that run a benchmark circuit on each peer simulator.

Each adapter turns OpenQASM 2 text into the peer's own circuit object once
(untimed), then times only the peer's simulation call. The module is also a
command: the harness runs it once per (engine, circuit, width) in a fresh
process, so thread settings take effect before the peer loads and every run
starts with free memory:

    python peers.py --engine aer --qasm qft-24.qasm --threads 2 --repeats 3

prints one JSON object {engine, version, n, seconds, note}.
"""

import argparse
import json
import sys
import time

import numpy as np

# Documented in README.md; keep the two in step.
TIMED_REGION = {
    "aer": "AerSimulator(method=statevector, precision=double).run(circuit + "
    "save_statevector, shots=1): the experiment time Aer reports "
    "(results[0].time_taken), which covers its fusion pass, state allocation "
    "and initialisation, the gates and the (moved, not copied) final save; not "
    "the Python transpile, submission or conversion of the result to numpy",
    "qulacs": "QuantumState(n) (allocation and |0>) plus circuit.update_quantum_state; "
    "the circuit is built and merged by QuantumCircuitOptimizer.optimize_light "
    "outside the timed region",
    "qsim": "QSimSimulator.simulate_into_1d_array (single precision: qsim has no "
    "double-precision CPU path): state allocation, qsim's gate fusion, the "
    "gates and the hand-back of the state array; the cirq-to-qsim translation "
    "is memoised, so it is timed only in the first repeat",
    "stim-tableau": "TableauSimulator: do_circuit on the unitary part once, then per "
    "shot copy() and measure_many of every qubit; single-threaded",
    "stim-sampler": "Circuit.compile_sampler() (one reference sample on a tableau) "
    "plus sample(shots); single-threaded",
}


def load_qiskit(text):
    """Return text parsed as a Qiskit QuantumCircuit (Qiskit's gate classes)."""
    from qiskit import qasm2

    return qasm2.loads(text, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)


def qubit_indices(qc, instruction):
    """Return the integer indices of the qubits an instruction acts on."""
    return [qc.find_bit(q).index for q in instruction.qubits]


def cirq_to_qiskit_order(state, n):
    """Reorder a state vector from cirq's order (first qubit most significant)
    to Qiskit's (qubit 0 least significant)."""
    return np.ascontiguousarray(
        np.asarray(state).reshape([2] * n).transpose(list(reversed(range(n))))
    ).reshape(-1)


class Aer:
    """qiskit-aer's AerSimulator, state-vector method in double precision."""

    name = "aer"

    def __init__(self, text, threads):
        from qiskit import transpile
        from qiskit_aer import AerSimulator

        self.sim = AerSimulator(
            method="statevector",
            precision="double",
            max_parallel_threads=threads,
            max_parallel_experiments=1,
            max_parallel_shots=1,
        )
        qc = load_qiskit(text)
        self.n = qc.num_qubits
        # Aer skips a circuit that neither measures nor saves, so the final
        # state is saved; as the last instruction it is moved, not copied.
        qc.save_statevector()
        self.circuit = transpile(qc, self.sim, optimization_level=0)

    @staticmethod
    def version():
        """Return the peer's version string."""
        import qiskit_aer

        return qiskit_aer.__version__

    def run(self):
        """Simulate once and return the seconds Aer reports for the experiment."""
        result = self.sim.run(self.circuit, shots=1).result()
        if not result.success:
            raise RuntimeError(f"aer: {result.status}")
        return float(result.results[0].time_taken)

    def state(self):
        """Return the final state in Qiskit's order."""
        return np.asarray(self.sim.run(self.circuit, shots=1).result().get_statevector())


class Qulacs:
    """qulacs' QuantumCircuit on a QuantumState (double precision)."""

    name = "qulacs"

    def __init__(self, text, threads):
        from qulacs import QuantumCircuit
        from qulacs.circuit import QuantumCircuitOptimizer

        del threads  # qulacs reads QULACS_NUM_THREADS / OMP_NUM_THREADS.
        qc = load_qiskit(text)
        self.n = qc.num_qubits
        self.circuit = QuantumCircuit(self.n)
        for inst in qc.data:
            self.circuit.add_gate(self.gate(inst.operation, qubit_indices(qc, inst)))
        QuantumCircuitOptimizer().optimize_light(self.circuit)

    @staticmethod
    def version():
        """Return the peer's version string."""
        from importlib.metadata import version

        return version("qulacs")

    @staticmethod
    def gate(op, qubits):
        """Return the qulacs gate for a Qiskit operation on the given qubits.

        Rotations are negated because qulacs' RX and PauliRotation rotate by
        exp(+iθP/2) where Qiskit uses exp(-iθP/2); gates without a native
        qulacs form become dense matrices (qulacs and Qiskit both take the
        first target as the least significant bit of the matrix index).
        """
        from qulacs import gate as g

        p = [float(x) for x in op.params]
        name = op.name
        if name == "h":
            return g.H(qubits[0])
        if name == "x":
            return g.X(qubits[0])
        if name == "u3":
            return g.U3(qubits[0], *p)
        if name == "rx":
            return g.RX(qubits[0], -p[0])
        if name == "cx":
            return g.CNOT(qubits[0], qubits[1])
        if name == "cz":
            return g.CZ(qubits[0], qubits[1])
        if name == "swap":
            return g.SWAP(qubits[0], qubits[1])
        if name == "rzz":
            return g.PauliRotation(qubits, [3, 3], -p[0])
        if name in ("cp", "cu1"):
            m = g.DenseMatrix(qubits[1], np.diag([1, np.exp(1j * p[0])]))
            m.add_control_qubit(qubits[0], 1)
            return m
        return g.DenseMatrix(qubits, np.asarray(op.to_matrix()))

    def run(self):
        """Simulate once from |0…0⟩ and return the wall seconds."""
        from qulacs import QuantumState

        start = time.perf_counter()
        state = QuantumState(self.n)
        self.circuit.update_quantum_state(state)
        elapsed = time.perf_counter() - start
        del state
        return elapsed

    def state(self):
        """Return the final state in Qiskit's order (qulacs uses the same)."""
        from qulacs import QuantumState

        state = QuantumState(self.n)
        self.circuit.update_quantum_state(state)
        return np.asarray(state.get_vector())


class Qsim:
    """qsimcirq's QSimSimulator on a cirq circuit read by cirq's QASM importer."""

    name = "qsim"

    def __init__(self, text, threads):
        import cirq
        import qsimcirq
        from cirq.contrib.qasm_import import circuit_from_qasm

        self.circuit = circuit_from_qasm(text)
        self.qubits = sorted(self.circuit.all_qubits())
        self.n = len(self.qubits)
        self.order = cirq.QubitOrder.explicit(self.qubits)
        self.sim = qsimcirq.QSimSimulator(
            qsimcirq.QSimOptions(cpu_threads=threads), circuit_memoization_size=1
        )

    @staticmethod
    def version():
        """Return the peer's version string."""
        import qsimcirq

        return qsimcirq.__version__

    def run(self):
        """Simulate once and return the wall seconds."""
        start = time.perf_counter()
        _, state, _ = self.sim.simulate_into_1d_array(self.circuit, qubit_order=self.order)
        elapsed = time.perf_counter() - start
        del state
        return elapsed

    def state(self):
        """Return the final state in Qiskit's order."""
        _, state, _ = self.sim.simulate_into_1d_array(self.circuit, qubit_order=self.order)
        return cirq_to_qiskit_order(state.astype(np.complex128), self.n)


# Qiskit gate names and the stim gates they become.
STIM_GATES = {
    "h": "H", "s": "S", "sdg": "S_DAG", "x": "X", "y": "Y", "z": "Z",
    "sx": "SQRT_X", "sxdg": "SQRT_X_DAG", "cx": "CX", "cz": "CZ", "id": "I",
}


def stim_circuits(text):
    """Return (unitary part, whole circuit, n) of a Clifford QASM program as
    stim circuits. Measurements must be terminal; anything else is an error."""
    import stim

    qc = load_qiskit(text)
    unitary, measured = stim.Circuit(), []
    for inst in qc.data:
        qubits = qubit_indices(qc, inst)
        name = inst.operation.name
        if name == "measure":
            measured.extend(qubits)
        elif name in STIM_GATES and not measured:
            unitary.append(STIM_GATES[name], qubits)
        elif name != "barrier":
            raise ValueError(f"stim: cannot convert {name} (or a gate after a measurement)")
    whole = unitary.copy()
    whole.append("M", measured)
    return unitary, whole, qc.num_qubits


class StimTableau:
    """stim's TableauSimulator: evolve once, then copy and measure per shot."""

    name = "stim-tableau"

    def __init__(self, text, threads, shots):
        del threads  # stim is single-threaded.
        self.unitary, _, self.n = stim_circuits(text)
        self.shots = shots

    @staticmethod
    def version():
        """Return the peer's version string."""
        import stim

        return stim.__version__

    def run(self):
        """Sample self.shots shots and return the wall seconds."""
        import stim

        start = time.perf_counter()
        sim = stim.TableauSimulator()
        sim.do_circuit(self.unitary)
        qubits = range(self.n)
        for _ in range(self.shots):
            sim.copy().measure_many(*qubits)
        return time.perf_counter() - start


class StimSampler:
    """stim's compiled sampler (reference sample plus Pauli-frame sampling)."""

    name = "stim-sampler"
    version = staticmethod(StimTableau.version)

    def __init__(self, text, threads, shots):
        del threads  # stim is single-threaded.
        _, self.circuit, self.n = stim_circuits(text)
        self.shots = shots

    def run(self):
        """Compile, sample self.shots shots and return the wall seconds."""
        start = time.perf_counter()
        self.circuit.compile_sampler().sample(self.shots)
        return time.perf_counter() - start


STATEVECTOR = {a.name: a for a in (Aer, Qulacs, Qsim)}
CLIFFORD = {a.name: a for a in (StimTableau, StimSampler)}


def time_repeats(run, repeats, budget):
    """Call run up to repeats times, stopping early once the seconds spent
    exceed budget (at least one call), and return the list of times."""
    times, spent = [], 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        times.append(run())
        spent += time.perf_counter() - start
        if spent > budget:
            break
    return times


def main(argv=None):
    """Run one engine on one QASM file and print the timing as JSON."""
    ap = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    ap.add_argument("--engine", required=True, choices=sorted(STATEVECTOR) + sorted(CLIFFORD))
    ap.add_argument("--qasm", required=True, help="OpenQASM 2 file")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--budget", type=float, default=60.0,
                    help="stop repeating once this many seconds are spent")
    ap.add_argument("--shots", type=int, default=0, help="shots (Clifford engines)")
    ap.add_argument("--state", help="write the final state (Qiskit order) to this .npy file "
                    "instead of timing")
    args = ap.parse_args(argv)
    with open(args.qasm, encoding="ascii") as f:
        text = f.read()
    if args.engine in STATEVECTOR:
        adapter = STATEVECTOR[args.engine](text, args.threads)
    else:
        adapter = CLIFFORD[args.engine](text, args.threads, args.shots)
    out = {"engine": args.engine, "version": adapter.version(), "n": adapter.n}
    if args.state:
        np.save(args.state, adapter.state())
    else:
        out["seconds"] = time_repeats(adapter.run, args.repeats, args.budget)
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
