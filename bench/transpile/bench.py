"""Compare `qluster transpile -O 3` with Qiskit's `transpile(optimization_level=3)`.

Both compile the same OpenQASM 2 files (bench/transpile/circuits/, generated
once from MQT Bench and kept in the repository so that every run measures the
same circuits) for the same target: the usable qubits and edges of a Qluster
device preset (Dongling by default, as `devinfo` reports them) and its basis
gates. For each circuit the table shows the two-qubit gate count, the depth and
the compile time of both, and the Qluster/Qiskit ratios; the last rows give the
mean of each ratio.

Compile time is the fastest of --repeats compilations (default 3), in-process
compilation only: Qiskit's `transpile` call on
an already-parsed circuit, and the `duration_ms` qluster reports (from the
parsed circuit to the compiled one), so neither includes interpreter or
process start-up.

Usage (see ./run): python bench.py --qluster BIN --devinfo JSON [--regen]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CIRCUITS = HERE / "circuits"

# The fixed benchmark set: (MQT Bench name, width).
SET = [
    ("ghz", 10), ("ghz", 30), ("ghz", 50),
    ("qft", 5), ("qft", 10), ("qft", 20), ("qft", 30),
    ("qaoa", 5), ("qaoa", 10), ("qaoa", 20), ("qaoa", 30),
    ("grover", 5), ("grover", 7),
    ("randomcircuit", 10), ("randomcircuit", 20),
]

# Gates the generated files are written in: Qiskit's transpile at level 0
# unrolls MQT's composite gates into these qelib1 gates, which both
# compilers read.
QELIB1 = ["id", "x", "y", "z", "h", "s", "sdg", "t", "tdg", "sx", "rx", "ry", "rz",
          "u1", "u2", "u3", "cx", "cy", "cz", "ch", "swap", "crx", "cry", "crz",
          "cu1", "cu3", "ccx", "cswap", "rzz", "rxx"]


def generate(regen: bool) -> list[Path]:
    """Write the benchmark circuits that are missing (all with regen)."""
    CIRCUITS.mkdir(exist_ok=True)
    paths = []
    for name, n in SET:
        path = CIRCUITS / f"{name}_{n:02d}.qasm"
        paths.append(path)
        if path.exists() and not regen:
            continue
        from mqt.bench import BenchmarkLevel, get_benchmark
        from qiskit import qasm2, transpile

        qc = get_benchmark(name, BenchmarkLevel.INDEP, n)
        if not any(i.operation.name == "measure" for i in qc.data):
            qc.measure_all()
        qc = transpile(qc, basis_gates=QELIB1, optimization_level=0)
        path.write_text(qasm2.dumps(qc) + "\n")
        print(f"wrote {path.relative_to(HERE)}", file=sys.stderr)
    return paths


def two_qubit(qc) -> int:
    return sum(1 for i in qc.data if i.operation.num_qubits == 2)


def run_qiskit(path: Path, dev: dict, seed: int, repeats: int) -> dict:
    from qiskit import qasm2, transpile
    from qiskit.transpiler import CouplingMap

    index = {p: i for i, p in enumerate(dev["usable"])}
    cm = CouplingMap()
    for i in range(len(index)):
        cm.add_physical_qubit(i)
    for a, b in dev["edges"]:
        cm.add_edge(index[a], index[b])
        cm.add_edge(index[b], index[a])
    qc = qasm2.load(str(path), custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = transpile(qc, coupling_map=cm, basis_gates=dev["basis"], optimization_level=3, seed_transpiler=seed)
        times.append((time.perf_counter() - t0) * 1e3)
    return {"twoq": two_qubit(out), "depth": out.depth(), "ms": min(times), "all_ms": times}


def run_qluster(path: Path, binary: str, backend: str, seed: int, repeats: int) -> dict:
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        p = subprocess.run([binary, "transpile", "-O", "3", "--backend", backend, "--seed", str(seed), "-o", "json",
                            str(path)], capture_output=True, text=True, check=False)
        wall = (time.perf_counter() - t0) * 1e3
        if p.returncode != 0:
            raise RuntimeError(f"qluster transpile {path.name}: exit {p.returncode}: {p.stderr.strip()}")
        res = json.loads(p.stdout)
        res["wall_ms"] = wall
        runs.append(res)
    best = min(runs, key=lambda r: r["duration_ms"])
    return {"twoq": best["two_qubit_gates"], "depth": best["depth"], "ms": best["duration_ms"],
            "wall_ms": best["wall_ms"], "all_ms": [r["duration_ms"] for r in runs], "passes": best["passes"]}


def ratio(a: float, b: float) -> float:
    return a / b if b else (1.0 if a == 0 else float("inf"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--qluster", required=True, help="qluster binary")
    ap.add_argument("--devinfo", required=True, help="JSON from bench/transpile/devinfo")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3, help="timed compilations per cell; the table shows the fastest")
    ap.add_argument("--regen", action="store_true", help="regenerate the circuits with MQT Bench")
    ap.add_argument("--only", default="", help="comma-separated substrings of circuit names to run")
    ap.add_argument("--json", default="", help="also write every figure to this file")
    ap.add_argument("--profile", action="store_true", help="print Qluster's time per pass for each circuit")
    args = ap.parse_args()

    dev = json.loads(Path(args.devinfo).read_text())
    paths = generate(args.regen)
    if args.only:
        keys = args.only.split(",")
        paths = [p for p in paths if any(k in p.stem for k in keys)]

    rows = []
    for path in paths:
        q = run_qiskit(path, dev, args.seed, args.repeats)
        ours = run_qluster(path, args.qluster, dev["name"], args.seed, args.repeats)
        rows.append({"circuit": path.stem, "qiskit": q, "qluster": ours,
                     "r_twoq": ratio(ours["twoq"], q["twoq"]), "r_depth": ratio(ours["depth"], q["depth"]),
                     "r_ms": ratio(ours["ms"], q["ms"])})
        r = rows[-1]
        print(f"{path.stem}: 2q {ours['twoq']}/{q['twoq']} depth {ours['depth']}/{q['depth']} "
              f"ms {ours['ms']:.1f}/{q['ms']:.1f}", file=sys.stderr)
        if args.profile:
            agg: dict[str, float] = {}
            for p in ours["passes"]:
                agg[p["name"]] = agg.get(p["name"], 0) + p["duration_ms"]
            top = sorted(agg.items(), key=lambda kv: -kv[1])[:5]
            print("   " + ", ".join(f"{k} {v:.1f} ms" for k, v in top), file=sys.stderr)

    print(f"Device {dev['name']} ({len(dev['usable'])} usable qubits, {len(dev['edges'])} edges), "
          f"basis {dev['basis']}, seed {args.seed}, fastest of {args.repeats} compilations per cell.\n")
    print("| circuit | 2q Qluster | 2q Qiskit | 2q ratio | depth Qluster | depth Qiskit | depth ratio "
          "| ms Qluster | ms Qiskit | time ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        o, q = r["qluster"], r["qiskit"]
        print(f"| {r['circuit']} | {o['twoq']} | {q['twoq']} | {r['r_twoq']:.3f} | {o['depth']} | {q['depth']} "
              f"| {r['r_depth']:.3f} | {o['ms']:.1f} | {q['ms']:.1f} | {r['r_ms']:.3f} |")
    if rows:
        mean = {k: statistics.fmean(r[k] for r in rows) for k in ("r_twoq", "r_depth", "r_ms")}
        geo = {k: statistics.geometric_mean(max(r[k], 1e-9) for r in rows) for k in ("r_twoq", "r_depth", "r_ms")}
        print(f"| **mean of ratios** | | | **{mean['r_twoq']:.3f}** | | | **{mean['r_depth']:.3f}** | | | **{mean['r_ms']:.3f}** |")
        print(f"| geometric mean | | | {geo['r_twoq']:.3f} | | | {geo['r_depth']:.3f} | | | {geo['r_ms']:.3f} |")
        tot_o = sum(r["qluster"]["ms"] for r in rows)
        tot_q = sum(r["qiskit"]["ms"] for r in rows)
        print(f"\nTotal compile time: Qluster {tot_o:.0f} ms, Qiskit {tot_q:.0f} ms.")
    if args.json:
        Path(args.json).write_text(json.dumps({"device": dev["name"], "seed": args.seed, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
