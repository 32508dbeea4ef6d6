"""The REST v1 client: backends, job submission, status, results, cancel.

Only the standard library is used. Counts, memory and probabilities keys are
in Qiskit's bit order: clbit 0 is the rightmost character, and several
classical registers appear in reverse declaration order separated by spaces.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Sequence

from . import _config
from .errors import (
    ConnectionError,
    JobCancelledError,
    JobFailedError,
    JobTimeoutError,
    QlusterError,
    error_for,
)

__all__ = ["Client", "Backend", "Job", "Result", "CircuitResult", "CompiledCircuit", "TERMINAL_STATUSES"]

#: TERMINAL_STATUSES are the job statuses that never change again.
TERMINAL_STATUSES = frozenset({"completed", "failed", "cancelled"})

_USER_AGENT = "qluster-python/0.1.0"


@dataclass(frozen=True)
class Backend:
    """Backend describes one backend as GET /v1/backends shows it.

    ``num_qubits`` is the most qubits a circuit may use (a chip's usable
    qubits); ``physical_qubits`` is a chip's physical qubit count, unusable
    ones included (0 when the server does not say: then it equals
    ``num_qubits``). A circuit may declare up to ``physical_qubits`` qubits
    as long as it uses at most ``num_qubits`` usable ones. ``basis`` empty
    means any gate; ``coupling_map`` empty means all-to-all; ``calibration``
    is the chip's device JSON (Qluster's device schema v1) or None for ideal
    simulators.
    """

    name: str
    kind: str
    status: str
    num_qubits: int
    max_shots: int
    basis: list[str] = field(default_factory=list)
    coupling_map: list[list[int]] = field(default_factory=list)
    description: str = ""
    queue_length: int = 0
    calibration: dict[str, Any] | None = None
    defaults: dict[str, Any] = field(default_factory=dict)
    physical_qubits: int = 0
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "Backend":
        """from_json builds a Backend from the API's JSON object."""
        return cls(
            name=d["name"], kind=d.get("kind", ""), status=d.get("status", ""),
            num_qubits=int(d.get("num_qubits", 0)), max_shots=int(d.get("max_shots", 0)),
            basis=list(d.get("basis") or []), coupling_map=[list(e) for e in d.get("coupling_map") or []],
            description=d.get("description", ""), queue_length=int(d.get("queue_length", 0)),
            calibration=d.get("calibration") or None, defaults=dict(d.get("defaults") or {}),
            physical_qubits=int(d.get("physical_qubits") or 0), raw=d,
        )


@dataclass(frozen=True)
class CompiledCircuit:
    """CompiledCircuit describes a circuit after the server transpiled it."""

    qasm: str
    initial_layout: list[int]
    final_layout: list[int]
    two_qubit_gates: int
    depth: int


@dataclass(frozen=True)
class CircuitResult:
    """CircuitResult is the outcome of one circuit of a job."""

    name: str
    shots: int
    counts: dict[str, int]
    memory: list[str] | None
    probabilities: dict[str, float] | None
    statevector: list[complex] | None
    compiled: CompiledCircuit | None
    engine: str
    seed: int
    duration_ms: float

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "CircuitResult":
        """from_json builds a CircuitResult from the API's JSON object."""
        comp = d.get("compiled")
        sv = d.get("statevector")
        return cls(
            name=d.get("name", ""), shots=int(d.get("shots", 0)), counts=dict(d.get("counts") or {}),
            memory=d.get("memory"), probabilities=d.get("probabilities"),
            statevector=[complex(re, im) for re, im in sv] if sv else None,
            compiled=CompiledCircuit(
                qasm=comp.get("qasm", ""), initial_layout=list(comp.get("initial_layout") or []),
                final_layout=list(comp.get("final_layout") or []),
                two_qubit_gates=int(comp.get("two_qubit_gates", 0)), depth=int(comp.get("depth", 0)),
            ) if comp else None,
            engine=d.get("engine", ""), seed=int(d.get("seed", 0)), duration_ms=float(d.get("duration_ms", 0.0)),
        )


@dataclass(frozen=True)
class Result:
    """Result is a completed job's outcome: one CircuitResult per circuit."""

    job_id: str
    backend: str
    results: list[CircuitResult]

    def _one(self, circuit: int | str) -> CircuitResult:
        if isinstance(circuit, str):
            for r in self.results:
                if r.name == circuit:
                    return r
            raise KeyError(f"no circuit named {circuit!r} in job {self.job_id}")
        return self.results[circuit]

    def get_counts(self, circuit: int | str = 0) -> dict[str, int]:
        """get_counts returns the counts of a circuit (by index or name)."""
        return self._one(circuit).counts

    def get_memory(self, circuit: int | str = 0) -> list[str]:
        """get_memory returns the per-shot outcomes (submit with memory=True)."""
        m = self._one(circuit).memory
        if m is None:
            raise QlusterError("no memory in this result: submit with memory=True")
        return m

    def get_probabilities(self, circuit: int | str = 0) -> dict[str, float]:
        """get_probabilities returns the exact distribution (submit with probabilities=True)."""
        p = self._one(circuit).probabilities
        if p is None:
            raise QlusterError("no probabilities in this result: submit with probabilities=True")
        return p

    @property
    def counts(self) -> dict[str, int]:
        """counts is the first circuit's counts."""
        return self.get_counts(0)


class Client:
    """Client talks to one Qluster server's REST v1 API.

    ``url`` and ``token`` default to QLUSTER_URL and QLUSTER_TOKEN, then to
    the file ``qluster login`` saved (see ``qluster._config``). ``timeout``
    bounds each HTTP request in seconds.
    """

    def __init__(self, url: str | None = None, token: str | None = None, *, timeout: float = 30.0,
                 config_path: str | None = None):
        self.url, self.token = _config.resolve(url, token, config_path)
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"Client(url={self.url!r})"

    # -- transport -------------------------------------------------------

    def request(self, method: str, path: str, *, body: Any = None, query: dict[str, Any] | None = None,
                headers: dict[str, str] | None = None) -> Any:
        """request sends one API call and returns the decoded JSON (None for
        204). An error response raises the APIError subclass for its status."""
        url = self.url + path
        if query:
            q = {k: v for k, v in query.items() if v is not None}
            if q:
                url += "?" + urllib.parse.urlencode(q)
        data = None
        h = {"Accept": "application/json", "Authorization": f"Bearer {self.token}", "User-Agent": _USER_AGENT}
        if body is not None:
            data = json.dumps(body).encode()
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        req = urllib.request.Request(url, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
                status = resp.status
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                problem = json.loads(raw)
                if not isinstance(problem, dict):
                    raise ValueError
            except ValueError:
                problem = {"detail": raw.decode(errors="replace").strip()}
            retry = e.headers.get("Retry-After")
            raise error_for(e.code, problem, float(retry) if retry and retry.isdigit() else None) from None
        except urllib.error.URLError as e:
            raise ConnectionError(f"{method} {url}: {e.reason}") from e
        except OSError as e:
            raise ConnectionError(f"{method} {url}: {e}") from e
        if status == 204 or not raw:
            return None
        return json.loads(raw)

    # -- backends --------------------------------------------------------

    def backends(self) -> list[Backend]:
        """backends lists the server's backends."""
        return [Backend.from_json(b) for b in self.request("GET", "/v1/backends")["backends"]]

    def backend(self, name: str) -> Backend:
        """backend returns one backend; NotFoundError when there is none."""
        return Backend.from_json(self.request("GET", "/v1/backends/" + urllib.parse.quote(name, safe="")))

    # -- jobs ------------------------------------------------------------

    def submit(self, circuits: str | Sequence[str] | Sequence[tuple[str, str]], backend: str = "sv", shots: int | None = None,
               *, seed: int | None = None, names: Sequence[str] | None = None, transpile: bool | None = None,
               optimization_level: int | None = None, memory: bool = False, probabilities: bool = False,
               statevector: bool = False, precision: str | None = None, priority: int = 0,
               idempotency_key: str | None = None) -> "Job":
        """submit sends one or more OpenQASM 2 circuits as one job and
        returns it once the server has stored it.

        ``circuits`` is one QASM string, a list of them, or a list of
        (name, qasm) pairs; ``names`` names plain strings. ``shots`` None
        means the backend's default. Invalid circuits raise QASMError with
        the line and column.
        """
        specs = _circuit_specs(circuits, names)
        options: dict[str, Any] = {}
        if transpile is not None:
            options["transpile"] = transpile
        if optimization_level is not None:
            options["optimization_level"] = optimization_level
        for key, on in (("memory", memory), ("probabilities", probabilities), ("statevector", statevector)):
            if on:
                options[key] = True
        if precision:
            options["precision"] = precision
        body: dict[str, Any] = {"backend": backend, "circuits": specs}
        if shots is not None:
            body["shots"] = shots
        if seed is not None:
            body["seed"] = seed
        if options:
            body["options"] = options
        if priority:
            body["priority"] = priority
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        out = self.request("POST", "/v1/jobs", body=body, headers=headers)
        return Job(self, out["id"], out.get("status", "queued"))

    def job(self, job_id: str) -> "Job":
        """job returns a handle on an existing job (NotFoundError if unknown)."""
        j = Job(self, job_id)
        j.refresh()
        return j

    def jobs(self, status: str | None = None, backend: str | None = None, limit: int | None = None) -> list["Job"]:
        """jobs lists the caller's most recent jobs, newest first (one page)."""
        out = self.request("GET", "/v1/jobs", query={"status": status, "backend": backend, "limit": limit})
        jobs = []
        for d in out["jobs"]:
            j = Job(self, d["id"], d["status"])
            j.info = d
            jobs.append(j)
        return jobs


def _circuit_specs(circuits: Any, names: Sequence[str] | None) -> list[dict[str, str]]:
    if isinstance(circuits, str):
        circuits = [circuits]
    specs = []
    for i, c in enumerate(circuits):
        if isinstance(c, tuple):
            name, qasm = c
        elif isinstance(c, str):
            name, qasm = (names[i] if names else ""), c
        else:
            raise TypeError(f"circuits[{i}]: want an OpenQASM 2 string or a (name, qasm) pair, got {type(c).__name__}")
        spec = {"qasm": qasm}
        if name:
            spec["name"] = name
        specs.append(spec)
    if not specs:
        raise ValueError("no circuits to submit")
    return specs


class Job:
    """Job is a handle on a submitted job.

    ``info`` holds the job as last read from the server (GET /v1/jobs/{id}).
    """

    def __init__(self, client: Client, job_id: str, status: str = ""):
        self.client = client
        self.id = job_id
        self.info: dict[str, Any] = {"id": job_id, "status": status}
        self._result: Result | None = None

    def __repr__(self) -> str:
        return f"Job(id={self.id!r}, status={self.info.get('status')!r})"

    def refresh(self) -> dict[str, Any]:
        """refresh reads the job from the server and returns it."""
        self.info = self.client.request("GET", "/v1/jobs/" + urllib.parse.quote(self.id, safe=""))
        return self.info

    def status(self) -> str:
        """status returns the job's status now: queued, running, completed,
        failed or cancelled."""
        return self.refresh()["status"]

    def done(self) -> bool:
        """done reports whether the job has reached a terminal status."""
        return self.status() in TERMINAL_STATUSES

    def wait(self, timeout: float | None = None, poll: float = 0.05) -> str:
        """wait polls until the job reaches a terminal status and returns it.
        It raises JobTimeoutError after ``timeout`` seconds (None: no limit);
        polls back off from ``poll`` to 1 s."""
        start = time.monotonic()
        interval = poll
        while True:
            st = self.status()
            if st in TERMINAL_STATUSES:
                return st
            if timeout is not None and time.monotonic() - start >= timeout:
                raise JobTimeoutError(self.id, timeout, st)
            delay = interval if timeout is None else min(interval, max(0.0, timeout - (time.monotonic() - start)))
            time.sleep(delay)
            interval = min(interval * 1.5, 1.0)

    def result(self, timeout: float | None = None) -> Result:
        """result waits for the job and returns its Result; JobFailedError or
        JobCancelledError when it did not complete."""
        if self._result is not None:
            return self._result
        st = self.wait(timeout)
        if st == "failed":
            raise JobFailedError(self.id, self.info.get("error", ""))
        if st == "cancelled":
            raise JobCancelledError(self.id)
        out = self.client.request("GET", f"/v1/jobs/{urllib.parse.quote(self.id, safe='')}/result")
        self._result = Result(job_id=out["id"], backend=out.get("backend", ""),
                              results=[CircuitResult.from_json(r) for r in out["results"]])
        return self._result

    def cancel(self) -> str:
        """cancel asks the server to cancel the job and returns its status
        then (a running job stops at its next heartbeat). Cancelling a
        finished job raises ConflictError."""
        self.info = self.client.request("DELETE", "/v1/jobs/" + urllib.parse.quote(self.id, safe=""))
        return self.info["status"]


