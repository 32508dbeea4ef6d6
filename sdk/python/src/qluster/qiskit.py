"""Qiskit provider: Qluster backends as Qiskit BackendV2 objects.

    from qiskit import QuantumCircuit, transpile
    from qluster.qiskit import QlusterProvider

    backend = QlusterProvider().backend("sv")
    job = backend.run(transpile(circuit, backend), shots=1000, seed=7)
    print(job.result().get_counts())

Each backend's Target comes from its basis gates, coupling map and, for
chips, the calibration in Qluster's device schema v1 (T1/T2, gate errors and
durations, readout errors), so ``qiskit.transpile(circuit, backend)`` maps a
circuit onto the chip. Circuits travel as OpenQASM 2 (``qiskit.qasm2.dumps``);
counts come back in Qiskit's bit order.
"""

from __future__ import annotations

import uuid
import warnings
from typing import Any, Iterable

from qiskit import qasm2
from qiskit.circuit import Measure, QuantumCircuit, Reset
from qiskit.circuit.library import get_standard_gate_name_mapping
from qiskit.providers import BackendV2, JobStatus, JobV1, Options
from qiskit.result import Result as QiskitResult
from qiskit.transpiler import InstructionProperties, QubitProperties, Target

from .client import Backend, Client, Job
from .errors import JobCancelledError, JobFailedError

__all__ = ["QlusterProvider", "QlusterBackend", "QlusterJob", "build_target", "SIMULATOR_GATES"]

#: SIMULATOR_GATES are the gates of Qluster's gate table that Qiskit's
#: standard library names the same way: the Target of a backend without a
#: basis (an ideal simulator, which runs any gate) offers these.
SIMULATOR_GATES = (
    "ccx", "ch", "cp", "crx", "cry", "crz", "cswap", "csx", "cu", "cu1", "cu3", "cx", "cy", "cz", "h", "id",
    "p", "rccx", "rx", "rxx", "ry", "rz", "rzz", "s", "sdg", "swap", "sx", "sxdg", "t", "tdg", "u", "u1",
    "u2", "u3", "x", "y", "z",
)

_STATUS = {
    "queued": JobStatus.QUEUED,
    "running": JobStatus.RUNNING,
    "completed": JobStatus.DONE,
    "failed": JobStatus.ERROR,
    "cancelled": JobStatus.CANCELLED,
}


class QlusterProvider:
    """QlusterProvider lists a Qluster server's backends for Qiskit.

    Pass ``url`` and ``token`` (or a ready ``client``); by default they come
    from QLUSTER_URL / QLUSTER_TOKEN or the file ``qluster login`` saved.
    """

    def __init__(self, url: str | None = None, token: str | None = None, *, client: Client | None = None):
        self.client = client or Client(url, token)

    def backends(self, name: str | None = None, **filters: Any) -> list["QlusterBackend"]:
        """backends returns the server's backends, optionally only the one
        called ``name`` or those whose attributes equal ``filters``
        (for example ``kind="chip"``)."""
        out = []
        for info in self.client.backends():
            if name is not None and info.name != name:
                continue
            if any(getattr(info, k, None) != v for k, v in filters.items()):
                continue
            out.append(QlusterBackend(self, info))
        return out

    def backend(self, name: str = "sv") -> "QlusterBackend":
        """backend returns the backend called ``name`` (NotFoundError if none)."""
        return QlusterBackend(self, self.client.backend(name))

    def __repr__(self) -> str:
        return f"QlusterProvider(url={self.client.url!r})"


def build_target(info: Backend) -> Target:
    """build_target returns the Qiskit Target of a backend.

    A backend without a coupling map or calibration (an ideal simulator)
    gets global instructions, so transpiling does not widen circuits to the
    backend's size. Otherwise the Target has the chip's physical qubits
    (``physical_qubits``, unusable ones included, since the coupling map and
    calibration use physical indices); 1q gates and measurements act on
    every usable qubit and 2q gates on the coupling map, so the transpiler
    places circuits on usable qubits only. With a device-schema
    calibration, each instruction carries its error and duration and each
    qubit its T1/T2. Basis names that Qiskit's standard library lacks are
    left out.
    """
    mapping = get_standard_gate_name_mapping()
    names = [n for n in (info.basis or SIMULATOR_GATES) if n in mapping and n not in ("measure", "reset", "delay", "barrier")]
    cal = info.calibration if isinstance(info.calibration, dict) else None
    qubits = cal.get("qubits") if cal else None
    if not isinstance(qubits, list) or not qubits:
        qubits = None
    # A chip's num_qubits counts its usable qubits; its coupling map and
    # calibration index all physical qubits, and so does the Target.
    width = info.physical_qubits or (len(qubits) if qubits else info.num_qubits)
    width = max([width] + [max(e) + 1 for e in info.coupling_map])
    if qubits and len(qubits) != width:
        qubits = None  # a calibration that does not describe every qubit
    if not info.coupling_map and cal is None and not info.basis:
        target = Target(description=info.name, num_qubits=info.num_qubits)
        for n in names:
            target.add_instruction(mapping[n], {None: None})
        target.add_instruction(Measure(), {None: None})
        target.add_instruction(Reset(), {None: None})
        return target

    props = None
    if qubits:
        props = [QubitProperties(t1=_us(q.get("t1_us")), t2=_us(q.get("t2_us")),
                                 frequency=(q["frequency_ghz"] * 1e9 if q.get("frequency_ghz") else None))
                 for q in qubits]
    target = Target(description=info.name, num_qubits=width, qubit_properties=props)
    usable = [i for i in range(width) if not qubits or qubits[i].get("usable", True)]
    edges = _edges(info, cal)
    for n in names:
        gate = mapping[n]
        if gate.num_qubits == 1:
            target.add_instruction(gate, {(i,): _props_1q(qubits, i, n) for i in usable})
        elif gate.num_qubits == 2:
            pairs = {k: v for k, v in edges.items() if v[0] in (None, n)}
            if pairs:
                target.add_instruction(gate, {k: v[1] for k, v in pairs.items()})
        # Wider gates are not native on a chip: the transpiler decomposes them.
    target.add_instruction(Measure(), {(i,): _props_measure(qubits, i) for i in usable})
    target.add_instruction(Reset(), {(i,): None for i in usable})
    return target


def _us(v: Any) -> float | None:
    return float(v) * 1e-6 if v else None


def _ns(v: Any) -> float | None:
    return float(v) * 1e-9 if v else None


def _props_1q(qubits: list[dict[str, Any]] | None, i: int, name: str) -> InstructionProperties | None:
    if not qubits:
        return None
    q = qubits[i]
    if name == "rz":  # virtual Z: no time, no error
        return InstructionProperties(duration=0.0, error=0.0)
    return InstructionProperties(duration=_ns(q.get("gate_1q_duration_ns")), error=q.get("gate_1q_error"))


def _props_measure(qubits: list[dict[str, Any]] | None, i: int) -> InstructionProperties | None:
    if not qubits:
        return None
    q = qubits[i]
    p10, p01 = q.get("readout_p10"), q.get("readout_p01")
    err = (p10 + p01) / 2 if p10 is not None and p01 is not None else None
    return InstructionProperties(duration=_ns(q.get("readout_duration_ns")), error=err)


def _edges(info: Backend, cal: dict[str, Any] | None) -> dict[tuple[int, int], tuple[str | None, InstructionProperties | None]]:
    """_edges maps each directed qubit pair to (its gate, or None for any
    2q basis gate, and its properties)."""
    out: dict[tuple[int, int], tuple[str | None, InstructionProperties | None]] = {}
    if cal and isinstance(cal.get("edges"), list) and cal["edges"]:
        for e in cal["edges"]:
            p = InstructionProperties(duration=_ns(e.get("duration_ns")), error=e.get("error"))
            a, b = int(e["a"]), int(e["b"])
            out[(a, b)] = (e.get("gate"), p)
            if not e.get("directed"):
                out[(b, a)] = (e.get("gate"), p)
        return out
    if info.coupling_map:
        for a, b in info.coupling_map:
            out[(int(a), int(b))] = (None, None)
        return out
    for a in range(info.num_qubits):
        for b in range(info.num_qubits):
            if a != b:
                out[(a, b)] = (None, None)
    return out


class QlusterBackend(BackendV2):
    """QlusterBackend is one Qluster backend as a Qiskit BackendV2.

    ``run`` options: ``shots``, ``seed`` (or ``seed_simulator``), ``memory``
    (the server's per-shot outcomes, as Qiskit's hex memory), ``transpile`` and
    ``optimization_level`` (the server's own compilation; None: the backend's
    default).
    """

    def __init__(self, provider: QlusterProvider, info: Backend):
        super().__init__(provider=provider, name=info.name, description=info.description,
                         backend_version="1")
        self.info = info
        self._target = build_target(info)
        shots = int(info.defaults.get("shots") or 1024)
        self.set_options(shots=shots)

    @classmethod
    def _default_options(cls) -> Options:
        return Options(shots=1024, seed=None, seed_simulator=None, memory=False, transpile=None,
                       optimization_level=None)

    @property
    def target(self) -> Target:
        return self._target

    @property
    def max_circuits(self) -> None:
        return None

    def run(self, run_input: QuantumCircuit | Iterable[QuantumCircuit], **options: Any) -> "QlusterJob":
        """run submits the circuits as one job and returns it (already
        submitted)."""
        circuits = [run_input] if isinstance(run_input, QuantumCircuit) else list(run_input)
        opts = dict(self.options.__dict__)
        for k, v in options.items():
            if k in opts:
                opts[k] = v
            elif k not in ("meas_level", "meas_return", "init_qubits"):
                warnings.warn(f"QlusterBackend.run: option {k!r} is not supported and is ignored", stacklevel=2)
        seed = opts["seed"] if opts["seed"] is not None else opts["seed_simulator"]
        transpile = opts["transpile"]
        if self.info.kind == "chip" and transpile is None and all(self.is_native(c) for c in circuits):
            # Already transpiled for this chip (qiskit.transpile): run it
            # as is, on the physical qubits it names. The server takes
            # circuits as wide as the whole chip as long as they use only
            # usable qubits, which the Target ensures.
            transpile = False
        specs = [(c.name, qasm2.dumps(c)) for c in circuits]
        memory = bool(opts["memory"])
        job = self.provider.client.submit(
            specs, backend=self.name, shots=int(opts["shots"]), seed=seed,
            transpile=transpile, optimization_level=opts["optimization_level"], memory=memory,
        )
        return QlusterJob(self, job, circuits, memory=memory)

    def is_native(self, circuit: QuantumCircuit) -> bool:
        """is_native reports whether every operation of the circuit is in
        the Target on the qubits it acts on (barriers aside)."""
        if circuit.num_qubits > self._target.num_qubits:
            return False
        for inst in circuit.data:
            name = inst.operation.name
            if name == "barrier":
                continue
            qargs = tuple(circuit.find_bit(q).index for q in inst.qubits)
            if not self._target.instruction_supported(name, qargs):
                return False
        return True

    def __repr__(self) -> str:
        return f"<QlusterBackend {self.name!r} ({self.info.num_qubits} qubits)>"


class QlusterJob(JobV1):
    """QlusterJob is a submitted Qluster job as a Qiskit job; ``qluster_job``
    is the underlying :class:`qluster.Job`."""

    def __init__(self, backend: QlusterBackend, job: Job, circuits: list[QuantumCircuit], memory: bool = False):
        super().__init__(backend, job.id)
        self.qluster_job = job
        self._circuits = circuits
        self._memory = memory

    def submit(self) -> None:
        """submit does nothing: backend.run has submitted the job already."""

    def status(self) -> JobStatus:
        return _STATUS[self.qluster_job.status()]

    def cancel(self) -> bool:
        """cancel asks the server to cancel the job; False when it had
        already finished."""
        from .errors import ConflictError

        try:
            self.qluster_job.cancel()
        except ConflictError:
            return False
        return True

    def result(self, timeout: float | None = None) -> QiskitResult:
        """result waits for the job and returns a Qiskit Result. A failed
        or cancelled job gives a Result with success False for every
        circuit and the reason in its status."""
        try:
            res = self.qluster_job.result(timeout)
        except (JobFailedError, JobCancelledError) as e:
            return QiskitResult.from_dict({
                "backend_name": self._backend.name, "backend_version": "1", "qobj_id": "", "job_id": self.job_id(),
                "success": False, "status": str(e),
                "results": [{"shots": 0, "success": False, "status": str(e), "data": {},
                             "header": _header(c)} for c in self._circuits],
            })
        experiments = []
        for c, r in zip(self._circuits, res.results):
            data: dict[str, Any] = {"counts": {_hex(k): n for k, n in r.counts.items()}}
            if self._memory:
                data["memory"] = [_hex(k) for k in r.memory or []]
            experiments.append({"shots": r.shots, "success": True, "status": "DONE", "seed_simulator": r.seed,
                                "data": data, "header": _header(c)})
        return QiskitResult.from_dict({
            "backend_name": self._backend.name, "backend_version": "1", "qobj_id": str(uuid.uuid4()),
            "job_id": self.job_id(), "success": True, "status": "COMPLETED", "results": experiments,
        })


def _hex(key: str) -> str:
    bits = key.replace(" ", "")
    return hex(int(bits, 2)) if bits else "0x0"


def _header(c: QuantumCircuit) -> dict[str, Any]:
    return {
        "name": c.name, "memory_slots": c.num_clbits, "n_qubits": c.num_qubits,
        "creg_sizes": [[r.name, r.size] for r in c.cregs],
        "clbit_labels": [[r.name, i] for r in c.cregs for i in range(r.size)],
        "metadata": dict(c.metadata or {}),
    }
