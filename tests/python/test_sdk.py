"""The qluster Python SDK against a real `qluster serve`: configuration,
backends, submit, status, wait, result (counts, memory, probabilities,
compiled info), cancel, and errors carrying the server's problem details."""

import json
import os
import time

import pytest

qluster = pytest.importorskip("qluster")

BELL = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
measure q -> c;
"""

# Two registers and an X on qubit 0 only: Qiskit's key is "0 1" (register
# b first, then a), which fixes the bit order.
TWO_REGS = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg a[1];
creg b[1];
x q[0];
measure q[0] -> a[0];
measure q[1] -> b[0];
"""


@pytest.fixture
def client(server):
    return qluster.Client(server.url, server.token)


def test_config_from_environment(server, monkeypatch, tmp_path):
    monkeypatch.setenv("QLUSTER_URL", server.url + "/")
    monkeypatch.setenv("QLUSTER_TOKEN", server.token)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    c = qluster.Client()
    assert c.url == server.url and c.token == server.token
    assert any(b.name == "sv" for b in c.backends())


def test_config_from_cli_file(server, monkeypatch, tmp_path):
    monkeypatch.delenv("QLUSTER_URL", raising=False)
    monkeypatch.delenv("QLUSTER_TOKEN", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    os.makedirs(tmp_path / "qluster")
    with open(tmp_path / "qluster" / "config.json", "w") as f:
        json.dump({"url": server.url, "token": server.token}, f)
    c = qluster.Client()
    assert (c.url, c.token) == (server.url, server.token)
    # Arguments win over the file.
    assert qluster.Client(token="qlt_other").token == "qlt_other"


def test_config_missing(monkeypatch, tmp_path):
    monkeypatch.delenv("QLUSTER_URL", raising=False)
    monkeypatch.delenv("QLUSTER_TOKEN", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    with pytest.raises(qluster.ConfigError, match="QLUSTER_URL"):
        qluster.Client()
    with pytest.raises(qluster.ConfigError, match="QLUSTER_TOKEN"):
        qluster.Client(url="http://127.0.0.1:1")


def test_backends(client):
    names = [b.name for b in client.backends()]
    assert "sv" in names
    sv = client.backend("sv")
    assert sv.kind == "simulator" and sv.status == "online" and sv.num_qubits >= 20
    assert sv.calibration is None and sv.basis == [] and sv.coupling_map == []
    assert sv.physical_qubits == 0
    with pytest.raises(qluster.NotFoundError):
        client.backend("no-such-backend")


def test_chip_backends_carry_calibration(client):
    chips = [b for b in client.backends() if b.kind == "chip"]
    if not chips:
        pytest.skip("this server has no chip backends")
    for b in chips:
        assert b.basis and b.coupling_map
        assert b.calibration["schema"] == "qluster.device/v1"
        assert all("t1_us" in q or q.get("usable") is False for q in b.calibration["qubits"])
        # physical_qubits counts every qubit of the calibration, num_qubits
        # the usable ones.
        qubits = b.calibration["qubits"]
        assert b.physical_qubits == len(qubits) >= b.num_qubits
        assert b.num_qubits == sum(1 for q in qubits if q.get("usable", True))


def test_submit_wait_result(client):
    job = client.submit(BELL, backend="sv", shots=2000, seed=11, names=["bell"], probabilities=True)
    assert job.id and job.status() in qluster.TERMINAL_STATUSES | {"queued", "running"}
    assert job.wait(timeout=30) == "completed"
    assert job.done()
    res = job.result()
    assert res.job_id == job.id and res.backend == "sv"
    counts = res.get_counts("bell")
    assert set(counts) <= {"00", "11"} and sum(counts.values()) == 2000
    assert abs(counts.get("00", 0) / 2000 - 0.5) < 0.05
    with pytest.raises(qluster.QlusterError, match="memory=True"):
        res.get_memory(0)
    assert res.get_probabilities() == pytest.approx({"00": 0.5, "11": 0.5})
    assert res.results[0].engine and res.results[0].seed == 11
    # The same seed gives the same counts.
    again = client.submit(BELL, backend="sv", shots=2000, seed=11).result(timeout=30)
    assert again.counts == counts


def test_bit_order_is_qiskits(client):
    res = client.submit(TWO_REGS, shots=10, probabilities=True, statevector=True).result(timeout=30)
    assert res.counts == {"0 1": 10}
    assert res.results[0].statevector[1] == pytest.approx(1)


def test_several_circuits_and_names(client):
    job = client.submit([("bell", BELL), ("regs", TWO_REGS)], shots=100, seed=3)
    res = job.result(timeout=30)
    assert [r.name for r in res.results] == ["bell", "regs"]
    assert res.get_counts("regs") == {"0 1": 100}
    with pytest.raises(KeyError):
        res.get_counts("nope")
    listed = [j.id for j in client.jobs(limit=50)]
    assert job.id in listed
    assert client.job(job.id).info["num_circuits"] == 2


def test_qasm_error_carries_position(client):
    bad = BELL.replace("cx q[0],q[1];", "cx q[0],q[1];\nfoo q[0];")
    with pytest.raises(qluster.QASMError) as e:
        client.submit(bad, names=["broken"])
    err = e.value
    assert err.status == 400 and err.code == "invalid"
    assert (err.line, err.circuit, err.circuit_name) == (7, 0, "broken")
    assert err.column and "foo" in err.detail and err.request_id


def test_request_errors(client, server):
    with pytest.raises(qluster.InvalidRequestError) as e:
        client.submit(BELL, backend="nope")
    assert "sv" in e.value.backends
    with pytest.raises(qluster.InvalidRequestError, match="shots"):
        client.submit(BELL, shots=-1)
    with pytest.raises(qluster.AuthenticationError):
        qluster.Client(server.url, "qlt_" + "x" * 43).backends()
    with pytest.raises(qluster.NotFoundError):
        client.job("01234567-89ab-7def-8123-456789abcdef")
    with pytest.raises(ConnectionError):  # the builtin: qluster.ConnectionError is one
        qluster.Client("http://127.0.0.1:1", "qlt_x", timeout=2).backends()
    with pytest.raises(TypeError):
        client.submit([42])


def test_cancel(client):
    # Jobs submitted back to back outrun the server's workers, so they are
    # queued or running when cancelled: a queued job is cancelled at once, a
    # running one is asked to stop (and may still complete).
    wide = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[20];\ncreg c[20];\n" + "".join(
        f"h q[{i}];\nt q[{i}];\ncx q[{i}],q[{(i + 1) % 20}];\n" for i in range(20)) * 3 + "measure q -> c;\n"
    jobs = [client.submit(wide, shots=100) for _ in range(4)]
    for j in jobs:
        try:
            st = j.cancel()
        except qluster.ConflictError:
            continue
        assert st in ("cancelled", "running")
        assert st == "cancelled" or j.info["cancel_requested"] is True
        final = j.wait(timeout=60)
        assert final in ("cancelled", "completed")
        if final == "cancelled":
            with pytest.raises(qluster.JobCancelledError):
                j.result()
    done = client.submit(BELL, shots=10)
    done.wait(timeout=30)
    with pytest.raises(qluster.ConflictError):
        done.cancel()


def test_wait_timeout(client):
    wide = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[20];\ncreg c[20];\n" + "".join(
        f"h q[{i}];\nt q[{i}];\ncx q[{i}],q[{(i + 1) % 20}];\n" for i in range(20)) * 3 + "measure q -> c;\n"
    job = client.submit(wide, shots=10)
    t0 = time.monotonic()
    try:
        with pytest.raises(qluster.JobTimeoutError) as e:
            job.wait(timeout=0.01)
        assert isinstance(e.value, TimeoutError) and e.value.job_id == job.id
        assert time.monotonic() - t0 < 5
    finally:
        try:
            job.cancel()
        except qluster.ConflictError:
            pass


def test_chip_result_has_compiled_info(client):
    chips = [b for b in client.backends() if b.kind == "chip"]
    if not chips:
        pytest.skip("this server has no chip backends")
    chip = min(chips, key=lambda b: b.num_qubits)
    res = client.submit(BELL, backend=chip.name, shots=500, seed=5, optimization_level=1).result(timeout=120)
    r = res.results[0]
    assert sum(r.counts.values()) == 500
    assert r.compiled is not None and "OPENQASM 2.0" in r.compiled.qasm
    assert r.compiled.two_qubit_gates >= 1 and r.compiled.depth >= 2
    assert len(r.compiled.initial_layout) == 2
    # Options a noisy chip cannot honour are refused at submission.
    with pytest.raises(qluster.InvalidRequestError, match="state vector"):
        client.submit(BELL, backend=chip.name, statevector=True)


def histogram(memory):
    out = {}
    for k in memory:
        out[k] = out.get(k, 0) + 1
    return out


@pytest.mark.parametrize("backend", ["sv", "example10"])
def test_memory(client, backend):
    if backend not in [b.name for b in client.backends()]:
        pytest.skip(f"this server has no {backend} backend")
    res = client.submit([BELL, TWO_REGS], backend=backend, shots=300, seed=4, memory=True).result(timeout=120)
    for i in range(2):
        mem = res.get_memory(i)
        assert len(mem) == 300
        assert histogram(mem) == res.get_counts(i)
    assert set(res.get_memory(1)) <= ({"0 1"} if backend == "sv" else {"0 0", "0 1", "1 0", "1 1"})
    # The run's seed fixes the order; another seed gives another one.
    again = client.submit([BELL, TWO_REGS], backend=backend, shots=300, seed=4, memory=True).result(timeout=120)
    assert again.get_memory(0) == res.get_memory(0)
    other = client.submit(BELL, backend=backend, shots=300, seed=5, memory=True).result(timeout=120)
    assert other.get_memory(0) != res.get_memory(0)


def test_memory_limit(client):
    # 1,000,000 shots of 40-bit outcomes exceed the 32 MiB memory limit;
    # counts alone are fine.
    wide = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[40];\nh q[0];\nmeasure q[0] -> c[0];\n"
    with pytest.raises(qluster.TooLargeError, match="memory"):
        client.submit(wide, backend="sv", shots=1_000_000, memory=True)
    res = client.submit(wide, backend="sv", shots=1000, seed=1, memory=True).result(timeout=30)
    assert len(res.get_memory()) == 1000 and all(len(k) == 40 for k in res.get_memory())
