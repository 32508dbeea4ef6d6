"""The Qiskit provider (qluster.qiskit) against a real `qluster serve`:
backends and their Targets, qiskit.transpile, backend.run, counts that match
Qiskit's own Statevector on the ideal `sv` backend, BackendSamplerV2, and
chip backends built from their calibration."""

import pytest

pytest.importorskip("qiskit")
qluster = pytest.importorskip("qluster")

from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, qasm2, transpile  # noqa: E402
from qiskit.circuit.random import random_circuit  # noqa: E402
from qiskit.primitives import BackendSamplerV2  # noqa: E402
from qiskit.providers import JobStatus  # noqa: E402
from qiskit.quantum_info import Statevector  # noqa: E402

from qluster.qiskit import QlusterBackend, QlusterProvider, build_target  # noqa: E402


@pytest.fixture(scope="module")
def provider(server):
    return QlusterProvider(server.url, server.token)


@pytest.fixture(scope="module")
def sv(provider):
    return provider.backend("sv")


def bell():
    qc = QuantumCircuit(2, 2, name="bell")
    qc.h(0)
    qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    return qc


def total_variation(counts, probs):
    shots = sum(counts.values())
    keys = set(counts) | set(probs)
    return 0.5 * sum(abs(counts.get(k, 0) / shots - probs.get(k, 0.0)) for k in keys)


def test_backends(provider):
    backends = provider.backends()
    names = [b.name for b in backends]
    assert "sv" in names
    assert all(isinstance(b, QlusterBackend) for b in backends)
    assert [b.name for b in provider.backends(name="sv")] == ["sv"]
    assert all(b.info.kind == "simulator" for b in provider.backends(kind="simulator"))
    with pytest.raises(qluster.NotFoundError):
        provider.backend("no-such-backend")


def test_sv_target(sv):
    t = sv.target
    assert t.num_qubits == sv.info.num_qubits >= 20
    for name in ("cx", "h", "rz", "sx", "u", "ccx", "measure", "reset"):
        assert name in t.operation_names, name
    # Global instructions: transpiling does not widen a circuit to 30 qubits.
    out = transpile(bell(), sv, seed_transpiler=1)
    assert out.num_qubits == 2


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_counts_match_statevector(sv, seed):
    body = random_circuit(4, 6, max_operands=3, seed=seed)
    qc = body.copy()
    qc.measure_all()
    compiled = transpile(qc, sv, seed_transpiler=seed)
    shots = 8000
    job = sv.run(compiled, shots=shots, seed=seed)
    counts = job.result().get_counts()
    probs = Statevector(body).probabilities_dict()
    assert sum(counts.values()) == shots
    tv = total_variation(counts, probs)
    # Expected TV for 16 outcomes and 8000 shots is about 0.02.
    assert tv < 0.05, (tv, counts, probs)


def test_result_conventions(sv):
    a, b = ClassicalRegister(1, "a"), ClassicalRegister(2, "b")
    qc = QuantumCircuit(QuantumRegister(3, "q"), a, b, name="regs")
    qc.x(0)
    qc.x(2)
    qc.measure(0, a[0])
    qc.measure(1, b[0])
    qc.measure(2, b[1])
    job = sv.run([qc, bell()], shots=64, seed=5)
    assert job.job_id() == job.qluster_job.id
    res = job.result()
    assert res.success
    assert res.get_counts(0) == {"10 1": 64}
    assert res.get_counts("regs") == {"10 1": 64}
    assert set(res.get_counts(1)) <= {"00", "11"}
    assert job.status() == JobStatus.DONE
    assert job.cancel() is False


def test_memory_option(sv):
    job = sv.run(bell(), shots=100, seed=9, memory=True)
    res = job.result()
    mem = res.get_memory(0)
    assert len(mem) == 100 and {m: mem.count(m) for m in set(mem)} == res.get_counts(0)
    # The memory is the server's, in Qiskit's hex form.
    assert job.qluster_job.refresh()["options"].get("memory") is True
    server = job.qluster_job.result().get_memory(0)
    assert mem == server
    assert res.data(0)["memory"] == [hex(int(k, 2)) for k in server]
    assert sv.run(bell(), shots=100, seed=9, memory=True).result().get_memory(0) == mem


def test_unknown_option_warns(sv):
    with pytest.warns(UserWarning, match="not supported"):
        sv.run(bell(), shots=10, frobnicate=True).result()


def test_sampler_v2(sv):
    qc = QuantumCircuit(3)
    qc.h(0)
    qc.cx(0, 1)
    qc.ry(0.7, 2)
    qc.measure_all()
    sampler = BackendSamplerV2(backend=sv, options={"seed_simulator": 42})
    result = sampler.run([transpile(qc, sv)], shots=4000).result()
    counts = result[0].data.meas.get_counts()
    assert sum(counts.values()) == 4000
    probs = Statevector(qc.remove_final_measurements(inplace=False)).probabilities_dict()
    assert total_variation(counts, probs) < 0.05
    # The sampler's shots are the server's per-shot memory, in order.
    compiled = transpile(qc, sv)
    server = sv.provider.client.submit(qasm2.dumps(compiled), shots=4000, seed=42, memory=True).result(timeout=30)
    bits = sampler.run([compiled], shots=4000).result()[0].data.meas.get_bitstrings()
    assert bits == server.get_memory()


def test_bad_circuit_raises_with_position(sv):
    qc = QuantumCircuit(1, 1)
    qc.append(QuantumCircuit(1, name="mystery").to_gate(), [0])
    qc.measure(0, 0)
    # An empty custom gate is fine; an unknown gate in raw QASM is not.
    assert sum(sv.run(qc, shots=5).result().get_counts().values()) == 5
    with pytest.raises(qluster.QASMError) as e:
        sv.provider.client.submit("OPENQASM 2.0;\nqreg q[1];\nbogus q[0];\n")
    assert e.value.line == 3


def fake_chip():
    """A 4-qubit chip in Qluster's device schema: qubit 2 unusable, a CZ
    edge each way between 0 and 1 and a directed one from 1 to 3."""
    cal = {
        "schema": "qluster.device/v1", "name": "mini", "basis": ["cz", "rz", "sx", "x"],
        "qubits": [
            {"name": "Q0", "t1_us": 80, "t2_us": 60, "gate_1q_error": 0.001, "gate_1q_duration_ns": 30,
             "readout_p10": 0.02, "readout_p01": 0.04, "readout_duration_ns": 1500, "frequency_ghz": 5.1},
            {"name": "Q1", "t1_us": 90, "t2_us": 70, "gate_1q_error": 0.002, "gate_1q_duration_ns": 30,
             "readout_p10": 0.01, "readout_p01": 0.03, "readout_duration_ns": 1500},
            {"name": "Q2", "usable": False},
            {"name": "Q3", "t1_us": 50, "t2_us": 40, "gate_1q_error": 0.003, "gate_1q_duration_ns": 30,
             "readout_p10": 0.02, "readout_p01": 0.02, "readout_duration_ns": 1500},
        ],
        "edges": [
            {"a": 0, "b": 1, "gate": "cz", "error": 0.03, "duration_ns": 40},
            {"a": 1, "b": 3, "gate": "cz", "error": 0.05, "duration_ns": 60, "directed": True},
        ],
    }
    return qluster.Backend.from_json({
        "name": "mini", "kind": "chip", "status": "online", "num_qubits": 3, "max_shots": 100000,
        "basis": cal["basis"], "coupling_map": [[0, 1], [1, 0], [1, 3]], "calibration": cal,
    })


def test_target_from_calibration():
    t = build_target(fake_chip())
    assert t.num_qubits == 4
    assert t["cz"][(0, 1)].error == pytest.approx(0.03) and t["cz"][(1, 0)].error == pytest.approx(0.03)
    assert t["cz"][(1, 3)].duration == pytest.approx(60e-9)
    assert (3, 1) not in t["cz"]
    assert t["sx"][(1,)].error == pytest.approx(0.002) and t["sx"][(0,)].duration == pytest.approx(30e-9)
    assert (2,) not in t["sx"] and (2,) not in t["measure"]
    assert t["measure"][(0,)].error == pytest.approx(0.03)
    assert t.qubit_properties[0].t1 == pytest.approx(80e-6) and t.qubit_properties[3].t2 == pytest.approx(40e-6)
    assert t.qubit_properties[0].frequency == pytest.approx(5.1e9)
    # Transpiling lands on usable qubits with native gates only.
    out = transpile(bell(), target=t, seed_transpiler=3, optimization_level=1)
    for inst in out.data:
        qargs = tuple(out.find_bit(q).index for q in inst.qubits)
        assert inst.operation.name == "barrier" or t.instruction_supported(inst.operation.name, qargs)
        assert 2 not in qargs


def test_target_without_calibration():
    info = qluster.Backend.from_json({"name": "ring", "kind": "chip", "status": "online", "num_qubits": 3,
                                      "max_shots": 10, "basis": ["cx", "rz", "sx", "nosuch"],
                                      "coupling_map": [[0, 1], [1, 2], [2, 0]]})
    t = build_target(info)
    assert set(t["cx"]) == {(0, 1), (1, 2), (2, 0)}
    assert "nosuch" not in t.operation_names
    # physical_qubits, when the server sends it, sets the Target's width.
    wide = qluster.Backend.from_json({**info.raw, "physical_qubits": 5})
    assert wide.physical_qubits == 5 and build_target(wide).num_qubits == 5
    assert build_target(fake_chip()).num_qubits == 4  # from the calibration when physical_qubits is absent


def chips(provider):
    out = [b for b in provider.backends() if b.info.kind == "chip"]
    if not out:
        pytest.skip("this server has no chip backends")
    return out


def test_chip_targets(provider):
    for b in chips(provider):
        t = b.target
        assert t.num_qubits == len(b.info.calibration["qubits"])
        two = [n for n in t.operation_names if t.operation_from_name(n).num_qubits == 2]
        assert two, b.name
        assert all(p is not None and p.error is not None for p in t[two[0]].values())


def test_chip_transpile_and_run(provider):
    by_name = {b.name: b for b in chips(provider)}
    backend = by_name.get("example10") or min(by_name.values(), key=lambda b: b.info.num_qubits)
    compiled = transpile(bell(), backend, seed_transpiler=7, optimization_level=2)
    assert backend.is_native(compiled)
    job = backend.run(compiled, shots=2000, seed=7)
    assert job.qluster_job.refresh()["options"].get("transpile") is False
    counts = job.result(timeout=120).get_counts()
    assert sum(counts.values()) == 2000
    good = (counts.get("00", 0) + counts.get("11", 0)) / 2000
    assert good > 0.8, counts  # noisy, but mostly correlated
    # An untranspiled circuit is compiled by the server instead.
    job = backend.run(bell(), shots=500, seed=7)
    assert job.qluster_job.refresh()["options"].get("transpile") is None
    counts = job.result(timeout=120).get_counts()
    assert (counts.get("00", 0) + counts.get("11", 0)) / 500 > 0.8, counts



def ghz3():
    qc = QuantumCircuit(3, 3, name="ghz3")
    qc.h(0)
    qc.cx(0, 1)
    qc.cx(1, 2)
    qc.measure([0, 1, 2], [0, 1, 2])
    return qc


def test_chip_with_unusable_qubits(provider):
    # dongling has 130 physical qubits, 106 usable: its Target spans the
    # physical qubits, and qiskit.transpile places gates on usable qubits
    # and calibrated edges only. The server runs the 130-wide circuit as
    # is, and also compiles it itself when asked.
    by_name = {b.name: b for b in chips(provider)}
    if "dongling" not in by_name:
        pytest.skip("this server has no dongling backend")
    backend = by_name["dongling"]
    info = backend.info
    assert (info.physical_qubits, info.num_qubits) == (130, 106)
    assert backend.target.num_qubits == 130
    unusable = {i for i, q in enumerate(info.calibration["qubits"]) if not q.get("usable", True)}
    assert len(unusable) == 24
    edges = {tuple(e) for e in info.coupling_map}
    compiled = transpile(ghz3(), backend, seed_transpiler=3, optimization_level=1)
    assert compiled.num_qubits == 130 and backend.is_native(compiled)
    for inst in compiled.data:
        qargs = tuple(compiled.find_bit(q).index for q in inst.qubits)
        if inst.operation.name == "barrier":
            continue
        assert not set(qargs) & unusable, (inst.operation.name, qargs)
        if len(qargs) == 2:
            assert qargs in edges, (inst.operation.name, qargs)
    for transpile_opt in (None, True):
        job = backend.run(compiled, shots=1000, seed=3, memory=True, transpile=transpile_opt)
        assert job.qluster_job.refresh()["options"].get("transpile") is (False if transpile_opt is None else True)
        res = job.result(timeout=120)
        assert res.success, res.status
        counts = res.get_counts()
        assert sum(counts.values()) == 1000
        assert (counts.get("000", 0) + counts.get("111", 0)) / 1000 > 0.75, counts
        assert counts.get("000", 0) > 300 and counts.get("111", 0) > 300, counts
        mem = res.get_memory()
        assert len(mem) == 1000 and {m: mem.count(m) for m in set(mem)} == counts
