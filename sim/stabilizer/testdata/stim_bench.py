#!/usr/bin/env python3
"""Times stim on the circuit of BenchmarkRandomClifford1000 (bench_test.go).

The circuit: n qubits, `depth` layers, each a gate from {h, s, sdg, x, sx}
on every qubit in order, then cx on the pairs of a Fisher-Yates permutation,
all drawn from SplitMix64(seed); then measure all. `--digest` prints the
SHA-256 of its one-gate-per-line text, which TestBenchCircuitMatchesStim
pins, so both sides time the same gates.

Modes (times in seconds, printed as one JSON object):
  tableau_per_shot   stim.TableauSimulator: per shot, a fresh simulator runs
                     the gates and measures every qubit (measure_many).
  tableau_copy       stim.TableauSimulator: the gates once, then per shot a
                     copy() of the simulator measures every qubit.
  compile_sampler    for reference only (not a TableauSimulator): the
                     circuit's compiled sampler (one reference sample from a
                     tableau, then Pauli frames), compile + sample.
With --shots below the benchmark's 1000 the per-shot modes are timed on
those shots and also reported scaled to 1000 (they are linear in shots).

Usage: python3 stim_bench.py [--n 1000] [--depth 100] [--seed 1]
                             [--shots 1000] [--digest]
"""
import argparse
import hashlib
import json
import time

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.s = seed & MASK

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & MASK
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def layers(n, depth, seed):
    g = SplitMix64(seed)
    one_q = ["h", "s", "sdg", "x", "sx"]
    out = []
    for _ in range(depth):
        for q in range(n):
            out.append((one_q[g.next() % 5], (q,)))
        perm = list(range(n))
        for i in range(n - 1, 0, -1):
            j = g.next() % (i + 1)
            perm[i], perm[j] = perm[j], perm[i]
        for k in range(0, n - 1, 2):
            out.append(("cx", (perm[k], perm[k + 1])))
    return out


def digest(gates):
    text = "".join(name + "".join(" %d" % q for q in qs) + "\n" for name, qs in gates)
    return hashlib.sha256(text.encode()).hexdigest()


STIM_NAME = {"h": "H", "s": "S", "sdg": "S_DAG", "x": "X", "sx": "SQRT_X", "cx": "CX"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--depth", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shots", type=int, default=1000)
    ap.add_argument("--digest", action="store_true")
    a = ap.parse_args()
    gates = layers(a.n, a.depth, a.seed)
    if a.digest:
        print(digest(gates))
        return

    import stim

    unitary = stim.Circuit()
    for name, qs in gates:
        unitary.append(STIM_NAME[name], list(qs))
    qubits = list(range(a.n))
    full = unitary.copy()
    full.append("M", qubits)
    scale = 1000 / a.shots
    res = {"n": a.n, "depth": a.depth, "shots": a.shots, "stim": stim.__version__}

    t0 = time.perf_counter()
    for _ in range(a.shots):
        s = stim.TableauSimulator()
        s.do_circuit(unitary)
        s.measure_many(*qubits)
    res["tableau_per_shot_s"] = time.perf_counter() - t0
    res["tableau_per_shot_1000_s"] = res["tableau_per_shot_s"] * scale

    t0 = time.perf_counter()
    s = stim.TableauSimulator()
    s.do_circuit(unitary)
    t1 = time.perf_counter()
    for _ in range(a.shots):
        c = s.copy()
        c.measure_many(*qubits)
    t2 = time.perf_counter()
    res["tableau_copy_s"] = t2 - t0
    res["tableau_copy_1000_s"] = (t1 - t0) + (t2 - t1) * scale

    t0 = time.perf_counter()
    full.compile_sampler(seed=a.seed).sample(1000)
    res["compile_sampler_1000_s"] = time.perf_counter() - t0
    print(json.dumps(res))


if __name__ == "__main__":
    main()
