"""An unmodified pyquafu (0.4.x) against a real `qluster serve`'s
Quafu-compatible endpoints: token and URL saved in a temporary HOME, the
backend list, chip info, synchronous and asynchronous Bell circuits,
retrieval, a bad circuit raising CircuitError, and hostile names that must
not reach the `res` literal pyquafu passes to eval.

It runs in its own virtual environment (pyquafu installs a top-level `quafu`
package); scripts/test creates it."""

import json
import os
import time

import pytest

quafu = pytest.importorskip("quafu")
os.environ.setdefault("MPLBACKEND", "Agg")

import requests  # noqa: E402  (a pyquafu dependency)
from quafu import QuantumCircuit, Task, User  # noqa: E402
from quafu.exceptions import CircuitError, UserError  # noqa: E402
from quafu.results.results import ExecResult  # noqa: E402


# pyquafu keeps the URL on the User class, loaded from ~/.quafu/api; after
# each test it is set to an unreachable local address, so that no test can
# reach Quafu's real service.
NOWHERE = "http://127.0.0.1:9/"
User.url = NOWHERE


@pytest.fixture
def home(server, tmp_path, monkeypatch):
    """home is a temporary HOME whose ~/.quafu/api points at the server."""
    monkeypatch.setenv("HOME", str(tmp_path))
    os.makedirs(tmp_path / ".quafu")
    with open(tmp_path / ".quafu" / "api", "w") as f:
        json.dump({"token": server.token, "url": server.url + "/"}, f)
    yield tmp_path
    User.url = NOWHERE


def bell(x0=False):
    qc = QuantumCircuit(2)
    if x0:
        qc.x(0)
    else:
        qc.h(0)
        qc.cnot(0, 1)
    qc.measure([0, 1], [0, 1])
    return qc


def test_save_apitoken_and_list_backends(server, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    # pyquafu's own way to save the token; then point the file at us.
    User(api_token=server.token).save_apitoken()
    path = tmp_path / ".quafu" / "api"
    data = json.loads(path.read_text())
    data["url"] = server.url + "/"
    path.write_text(json.dumps(data))
    try:
        backends = User().get_available_backends(print_info=False)
    finally:
        User.url = NOWHERE
    assert list(backends)[0] == "ScQ-P10"
    assert "sv" in backends
    sv = backends["sv"]
    assert sv.qubit_num >= 20 and sv.status == "Online" and sv.task_in_queue >= 0
    assert {"cx", "h", "rz", "barrier"} <= set(sv.get_valid_gates())


def test_wrong_token_is_user_error(home, server):
    User.url = server.url + "/"
    with pytest.raises(UserError, match="invalid or revoked"):
        User(api_token="qlt_" + "z" * 43).get_available_backends(print_info=False)


def test_chip_info(home):
    task = Task()
    task.config(backend="ScQ-P10")
    info = task.get_backend_info()
    topo = info["full_info"]["topological_structure"]
    assert topo and info["mapping"]
    for edge, gates in topo.items():
        a, b = edge.split("_")
        assert any(c.isdigit() for c in a) and any(c.isdigit() for c in b)
        (fid,) = [g["fidelity"] for g in gates.values()]
        assert 0 < fid <= 1
    assert info["full_info"]["calibration_time"]


def test_sync_bell(home):
    task = Task()
    task.config(backend="sv", shots=2000, compile=True)
    res = task.send(bell(), name="bell", wait=True)
    assert res.task_status == "Completed" and res.taskname == "bell"
    assert set(res.counts) <= {"00", "11"} and sum(res.counts.values()) == 2000
    assert abs(res.probabilities.get("00", 0) - 0.5) < 0.05
    assert res.transpiled_circuit.measures == {0: 0, 1: 1}


def test_quafu_bit_order(home):
    # X on qubit 0 only: Quafu puts c[0] leftmost, so the key is "10".
    task = Task()
    task.config(backend="sv", shots=100, compile=True)
    res = task.send(bell(x0=True), wait=True)
    assert res.counts == {"10": 100}


def test_default_backend_without_config(home):
    # Task() without config uses the first backend (the ScQ-P10 alias) and
    # compile off, checking gates against its valid_gates.
    res = Task().send(bell(), wait=True)
    assert res.task_status == "Completed"
    assert sum(res.counts.values()) == 1000
    assert res.counts.get("00", 0) + res.counts.get("11", 0) > 800  # a noisy chip, or ideal sv


def test_async_bell_and_retrieve(home):
    task = Task()
    task.config(backend="sv", shots=500, compile=True)
    sent = task.send(bell(), name="async", group="g", wait=False)
    assert sent.task_status in ("In Queue", "Running", "Completed")
    deadline = time.monotonic() + 30
    res = task.retrieve(sent.taskid)
    while res.task_status != "Completed" and time.monotonic() < deadline:
        time.sleep(0.05)
        res = task.retrieve(sent.taskid)
    assert res.task_status == "Completed" and res.taskname == "async"
    assert set(res.counts) <= {"00", "11"} and sum(res.counts.values()) == 500
    group = task.retrieve_group("g", verbose=False)
    assert [r.taskid for r in group] == [sent.taskid]


def test_bad_circuit_is_circuit_error(home):
    # pyquafu sends delay as an instruction Qluster's OpenQASM 2 parser does
    # not know: the server's parse error comes back as a CircuitError.
    qc = QuantumCircuit(1)
    qc.x(0)
    qc.delay(0, 100)
    qc.measure([0], [0])
    task = Task()
    task.config(backend="sv", shots=10, compile=True)
    with pytest.raises(CircuitError, match=r":\d+:\d+"):
        task.send(qc, wait=True)


def test_too_wide_is_circuit_error(home):
    task = Task()
    task.config(backend="sv", compile=True)
    qc = QuantumCircuit(task.backend.qubit_num + 1)
    qc.measure([0], [0])
    with pytest.raises(CircuitError):
        task.send(qc, wait=True)


HOSTILE = "__import__('os').system('touch PWNED')"


def test_hostile_task_name_stays_data(home):
    task = Task()
    task.config(backend="sv", shots=50, compile=True)
    for name in [HOSTILE, '"}; ' + HOSTILE + ' #', "{'a': __import__('os')}"]:
        res = task.send(bell(), name=name, wait=True)
        assert res.taskname == name
        assert all(isinstance(k, str) and set(k) <= {"0", "1"} and type(v) is int for k, v in res.res.items())
    assert not os.path.exists(home / "PWNED") and not os.path.exists("PWNED")


def test_hostile_register_names_stay_data(home, server):
    # A client other than pyquafu may name registers anything OpenQASM 2
    # allows; the reply's res must still be a plain literal that pyquafu's
    # eval cannot turn into code.
    qasm = (
        'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg os__import__system[2];\ncreg exec_eval_q[2];\n'
        "h os__import__system[0];\ncx os__import__system[0],os__import__system[1];\n"
        "measure os__import__system[0] -> exec_eval_q[0];\nmeasure os__import__system[1] -> exec_eval_q[1];\n"
    )
    reply = requests.post(
        server.url + "/qbackend/scq_kit/",
        headers={"api_token": server.token},
        data={"qtasm": qasm, "shots": 40, "selected_server": "sv", "compile": 1, "task_name": HOSTILE},
        timeout=60,
    ).json()
    assert reply["status"] == 2
    res = reply["res"]
    assert res.startswith("{") and res.endswith("}")
    assert set(res) <= set('{}"01:, 23456789')
    result = ExecResult(reply)
    assert set(result.counts) <= {"00", "11"} and sum(result.counts.values()) == 40
