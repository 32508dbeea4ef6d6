"""Peer benchmark harness: Qluster's simulators against qiskit-aer, qulacs,
qsimcirq and stim, in one run, with equal thread counts.

bench/run builds the Go timing program and calls this module. It writes the
circuits, checks every engine's final state against Qiskit's on a small
width, measures copy and gate bandwidth, times every circuit on every engine
(each run in its own process), times the Clifford benchmark, prints the
table and saves JSON, CSV, Markdown and PNG files in bench/results.
"""

import argparse
import datetime
import json
import os
import platform
import socket
import subprocess
import sys
import time

import numpy as np

import circuits
import peers
import report

HERE = os.path.dirname(os.path.abspath(__file__))
ENGINES = [report.QLUSTER, "aer", "qulacs", "qsim"]

QLUSTER_TIMED_REGION = (
    "sim.Engine.Run of the parsed circuit with Shots 0 and Statevector true "
    "(planning and fusion, allocation of the zeroed state, the gates; the state "
    "is returned, not copied); parsing is outside. Clifford: Run with the shots "
    "on the stabilizer engine (tableau, gates, sampling, counts)")

# Fidelity a final state must reach in the correctness check; qsim works in
# single precision.
CHECK_TOLERANCE = {"qsim": 1e-4}
DEFAULT_CHECK_TOLERANCE = 1e-9


def parse_args(argv):
    """Parse the command line; --quick narrows the sizes to 20,22."""
    ap = argparse.ArgumentParser(prog="bench/run", description=" ".join(__doc__.split("\n\n")[0].split()))
    ap.add_argument("--sizes", default="20,22,24,26,28", help="qubit counts (default %(default)s)")
    ap.add_argument("--quick", action="store_true", help="sizes 20,22 only")
    ap.add_argument("--circuits", default=",".join(circuits.STATEVECTOR),
                    help="state-vector circuits (default %(default)s)")
    ap.add_argument("--engines", default=",".join(ENGINES), help="engines (default %(default)s)")
    ap.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_THREADS", 0)) or os.cpu_count(),
                    help="threads for every engine (default $BENCH_THREADS or all cores)")
    ap.add_argument("--repeats", type=int, default=3,
                    help="timed runs per cell; the table shows the best (minimum)")
    ap.add_argument("--budget", type=float, default=30.0,
                    help="stop repeating a cell once this many seconds are spent (default %(default)s)")
    ap.add_argument("--timeout", type=float, default=900.0,
                    help="kill one engine process after this many seconds (default %(default)s)")
    ap.add_argument("--precision", choices=["double", "single"], default="double",
                    help="Qluster's state-vector precision in the timed cells (default %(default)s)")
    ap.add_argument("--check-n", type=int, default=10, help="width of the correctness check (0: skip)")
    ap.add_argument("--gatebw-n", type=int, default=28, help="width of the gate-bandwidth test")
    ap.add_argument("--no-bandwidth", action="store_true", help="skip copy and gate bandwidth")
    ap.add_argument("--no-clifford", action="store_true", help="skip the Clifford benchmark")
    ap.add_argument("--qbench", default=os.path.join(HERE, ".work", "qbench"), help="Go timing program")
    ap.add_argument("--workdir", default=os.path.join(HERE, ".work"), help="scratch directory")
    ap.add_argument("--out", default=os.path.join(HERE, "results"), help="results directory")
    ap.add_argument("--stem", help="results file name without extension (default <date>-<host>)")
    args = ap.parse_args(argv)
    args.sizes = [20, 22] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    args.circuits = [c for c in args.circuits.split(",") if c]
    args.engines = [e for e in args.engines.split(",") if e]
    for c in args.circuits:
        if c not in circuits.STATEVECTOR:
            ap.error(f"unknown circuit {c!r} (valid: {', '.join(circuits.STATEVECTOR)})")
    for e in args.engines:
        if e not in ENGINES:
            ap.error(f"unknown engine {e!r} (valid: {', '.join(ENGINES)})")
    if args.threads < 1 or args.repeats < 1:
        ap.error("--threads and --repeats must be at least 1")
    return args


def thread_env(threads):
    """Return the environment that gives every engine the same thread count."""
    env = dict(os.environ)
    env.update({
        "OMP_NUM_THREADS": str(threads),
        "QULACS_NUM_THREADS": str(threads),
        "GOMAXPROCS": str(threads),
    })
    return env


def log(msg):
    """Print a progress line to stderr."""
    print(msg, file=sys.stderr, flush=True)


def run_json(cmd, env, timeout):
    """Run cmd and return (report dict, status): status is "ok", "timeout"
    or "error" (with the report holding the error text)."""
    try:
        p = subprocess.run(cmd, env=env, timeout=timeout, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return {"error": f"killed after {timeout:.0f} s"}, "timeout"
    if p.returncode != 0:
        err = (p.stderr.strip().splitlines() or ["exit status %d" % p.returncode])[-1]
        return {"error": err}, "error"
    return json.loads(p.stdout.strip().splitlines()[-1]), "ok"


def engine_cmd(args, who, path, **extra):
    """Return the command that runs engine who on the QASM file at path, with
    extra flags (for qbench) or options (for peers.py)."""
    if who == report.QLUSTER:
        cmd = [args.qbench, "-workers", str(args.threads)]
        for k, v in extra.items():
            cmd += [f"-{k}", str(v)]
        return cmd + [path]
    cmd = [sys.executable, os.path.join(HERE, "peers.py"), "--engine", who,
           "--qasm", path, "--threads", str(args.threads)]
    for k, v in extra.items():
        cmd += [f"--{k}", str(v)]
    return cmd


def read_state(engine, path):
    """Read a final state written by qbench (raw complex128) or peers.py (.npy)."""
    if engine == report.QLUSTER:
        return np.fromfile(path, dtype="<c16")
    return np.load(path)


def check_states(args, env, paths):
    """Compare every engine's final state with Qiskit's Statevector at width
    args.check_n and return one record per (circuit, engine)."""
    from qiskit.quantum_info import Statevector

    out = []
    for name, path in paths.items():
        ref = Statevector(peers.load_qiskit(open(path, encoding="ascii").read())).data
        for engine in args.engines:
            dest = os.path.join(args.workdir, f"state-{engine}-{name}" +
                                (".bin" if engine == report.QLUSTER else ".npy"))
            rep, status = run_json(engine_cmd(args, engine, path, state=dest), env, args.timeout)
            rec = {"circuit": name, "n": args.check_n, "engine": engine, "status": status}
            if status == "ok":
                got = read_state(engine, dest)
                fid = float(abs(np.vdot(ref, got)) ** 2) if got.shape == ref.shape else 0.0
                rec["fidelity"] = fid
                rec["ok"] = abs(1 - fid) <= CHECK_TOLERANCE.get(engine, DEFAULT_CHECK_TOLERANCE)
                os.remove(dest)
            else:
                rec.update(ok=False, error=rep["error"])
            log(f"check {name}-{args.check_n} {engine}: "
                f"{'ok' if rec['ok'] else 'FAILED'} {rec.get('fidelity', rec.get('error'))}")
            out.append(rec)
    return out


def time_cell(args, env, engine, circuit, n, path, shots=0):
    """Time one engine on one circuit file and return its run record."""
    extra = {"repeats": args.repeats, "budget": args.budget}
    if shots:
        extra["shots"] = shots
    if engine == report.QLUSTER and shots:
        extra["engine"] = "stabilizer"
    elif engine == report.QLUSTER and args.precision != "double":
        extra["precision"] = args.precision
    start = time.perf_counter()
    rep, status = run_json(engine_cmd(args, engine, path, **extra), env, args.timeout)
    rec = {"circuit": circuit, "n": n, "engine": engine, "status": status,
           "seconds": rep.get("seconds", []), "wall": time.perf_counter() - start}
    if "error" in rep:
        rec["error"] = rep["error"]
    if "version" in rep:
        rec["version"] = rep["version"]
    log(f"{circuit}-{n} {engine}: {status} {rec.get('error') or report._fmt_time(report.best(rec))}")
    return rec


def bandwidth(args, env, results):
    """Measure copy bandwidth before and after the unfused gate's bandwidth,
    into results. The gates' fractions are taken of the better copy run, so
    that a copy slowed by other load on the machine cannot inflate them."""
    copies = []
    for when in ("before", "after"):
        if when == "after":
            rep, status = run_json(
                [args.qbench, "-gatebw", "-n", str(args.gatebw_n), "-workers", str(args.threads),
                 "-copy-gbps", str(copies[0]["best_gbps"]), "-repeats", str(args.repeats),
                 "-budget", str(args.budget)], env, args.timeout)
            if status != "ok":
                results["gate_bandwidth_error"] = rep["error"]
                return
            gate = results["gate_bandwidth"] = rep
        rep, status = run_json([args.qbench, "-copybw", "-workers", str(args.threads)], env, args.timeout)
        if status != "ok":
            results["copy_bandwidth_error"] = rep["error"]
            return
        copies.append(rep)
        log(f"copy bandwidth ({when}): {rep['best_gbps']:.1f} GB/s")
    best_copy = max(copies, key=lambda r: r["best_gbps"])
    results["copy_bandwidth"] = dict(best_copy, runs=[r["best_gbps"] for r in copies])
    gate["copy_gbps"] = best_copy["best_gbps"]
    for g in gate["gates"]:
        g["fraction"] = g["gbps"] / best_copy["best_gbps"]


def clifford(args, env):
    """Time the Clifford benchmark on Qluster's stabilizer engine and stim."""
    text = circuits.random_clifford()
    path = circuits.write(os.path.join(args.workdir, "circuits"), "clifford",
                          circuits.CLIFFORD_QUBITS, text)
    out = []
    for engine in [report.QLUSTER] + list(peers.CLIFFORD):
        rec = time_cell(args, env, engine, "clifford", circuits.CLIFFORD_QUBITS, path,
                        shots=circuits.CLIFFORD_SHOTS)
        rec.update(depth=circuits.CLIFFORD_DEPTH, shots=circuits.CLIFFORD_SHOTS)
        out.append(rec)
    return out


def machine():
    """Describe this machine: CPU model, cores, memory, OS, load."""
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
        with open("/proc/meminfo", encoding="ascii") as f:
            mem = int(next(ln.split()[1] for ln in f if ln.startswith("MemTotal"))) / 2**20
    except (OSError, StopIteration, ValueError):
        mem = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem and round(mem, 1),
            "os": platform.platform(), "python": platform.python_version(),
            "load_at_start": os.getloadavg()}


def versions(args, env):
    """Return each peer's version and Go's."""
    out = {}
    for name, adapter in list(peers.STATEVECTOR.items()) + list(peers.CLIFFORD.items()):
        try:
            out[name] = adapter.version()
        except ImportError as e:
            out[name] = f"not installed: {e}"
    go = subprocess.run(["go", "version"], capture_output=True, text=True, env=env)
    out["go"] = go.stdout.strip()
    return out


def main(argv=None):
    """Run the whole benchmark and report it."""
    args = parse_args(argv)
    env = thread_env(args.threads)
    now = datetime.datetime.now(datetime.timezone.utc)
    host = socket.gethostname()
    results = {
        "date": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "host": host, "machine": machine(),
        "threads": args.threads, "repeats": args.repeats, "budget_s": args.budget,
        "qluster_precision": args.precision,
        "statistic": "best (minimum) of the timed runs",
        "versions": versions(args, env),
        "timed_regions": dict(peers.TIMED_REGION, qluster=QLUSTER_TIMED_REGION),
        "runs": [], "checks": [],
    }
    log(f"bench: sizes {args.sizes}, circuits {args.circuits}, engines {args.engines}, "
        f"{args.threads} threads, best of {args.repeats}")
    cdir = os.path.join(args.workdir, "circuits")
    if args.check_n:
        paths = {c: circuits.write(cdir, c, args.check_n, circuits.STATEVECTOR[c](args.check_n))
                 for c in args.circuits}
        results["checks"] = check_states(args, env, paths)
    wrong = {(r["circuit"], r["engine"]) for r in results["checks"] if not r["ok"]}
    if not args.no_bandwidth:
        bandwidth(args, env, results)
    for c in args.circuits:
        for n in args.sizes:
            path = circuits.write(cdir, c, n, circuits.STATEVECTOR[c](n))
            for engine in args.engines:
                rec = time_cell(args, env, engine, c, n, path)
                if (c, engine) in wrong:
                    rec["check"] = False
                results["runs"].append(rec)
    if not args.no_clifford:
        results["clifford"] = clifford(args, env)
    results["machine"]["load_at_end"] = os.getloadavg()
    stem = args.stem or f"{now.strftime('%Y-%m-%d')}-{host}"
    files = report.write_files(results, args.out, stem)
    print()
    print(f"{results['machine']['cpu']}, {args.threads} threads, times in seconds "
          f"(best of {args.repeats}); Q/peer < 1 means Qluster is faster")
    if results["runs"]:
        print(report.table(results))
        print()
    for line in report.bandwidth_lines(results) + report.clifford_lines(results):
        print(line)
    print()
    print("saved " + ", ".join(os.path.relpath(f) for f in files))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
