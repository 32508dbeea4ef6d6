"""Tables, files and plots from one harness run.

The harness collects a results dict (see harness.py); this module renders it
as a text table for the terminal, a Markdown table for README.md, a CSV with
one row per timed run, the full JSON, and a PNG of time against width.
"""

import csv
import json
import os
import statistics

QLUSTER = "qluster"


def best(run):
    """Return the best (minimum) time of a run record, or None if it failed."""
    return min(run["seconds"]) if run.get("seconds") else None


def peers_of(results):
    """Return the state-vector peers present in results, in run order."""
    seen = []
    for run in results["runs"]:
        if run["engine"] != QLUSTER and run["engine"] not in seen:
            seen.append(run["engine"])
    return seen


def rows(results):
    """Return one row per (circuit, n): a dict of circuit, n, the best time
    per engine, Qluster's ratio to each peer and to the fastest peer, and
    any failure notes."""
    by_key = {}
    for run in results["runs"]:
        row = by_key.setdefault((run["circuit"], run["n"]), {
            "circuit": run["circuit"], "n": run["n"], "times": {}, "notes": {}})
        row["times"][run["engine"]] = best(run)
        if run["status"] != "ok":
            row["notes"][run["engine"]] = run["status"]
        if run.get("check") is False:
            row["notes"][run["engine"]] = "wrong state"
    peers = peers_of(results)
    out = []
    for row in by_key.values():
        q = row["times"].get(QLUSTER)
        row["ratios"] = {}
        for p in peers:
            t = row["times"].get(p)
            row["ratios"][p] = q / t if q and t else None
        valid = [row["times"][p] for p in peers if row["times"].get(p)]
        row["ratios"]["fastest"] = q / min(valid) if q and valid else None
        out.append(row)
    return out


def _fmt_time(t, note=None):
    """Format seconds for a table cell, or the failure note."""
    if note:
        return note
    if t is None:
        return "-"
    return f"{t:.3g}" if t >= 0.001 else f"{t:.2e}"


def _fmt_ratio(r):
    """Format a ratio for a table cell."""
    return "-" if r is None else f"{r:.2f}"


def table(results, markdown=False):
    """Return the comparison table as text (aligned) or Markdown."""
    peers = peers_of(results)
    engines = [QLUSTER] + peers
    head = ["circuit", "n"] + [f"{e} s" for e in engines] + \
        [f"Q/{p}" for p in peers] + ["Q/fastest"]
    body = []
    for row in rows(results):
        body.append([row["circuit"], str(row["n"])] +
                    [_fmt_time(row["times"].get(e), row["notes"].get(e)) for e in engines] +
                    [_fmt_ratio(row["ratios"][p]) for p in peers + ["fastest"]])
    if markdown:
        lines = ["| " + " | ".join(head) + " |",
                 "|" + "|".join("---" if i < 1 else "--:" for i in range(len(head))) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in body]
        return "\n".join(lines)
    widths = [max(len(x) for x in col) for col in zip(head, *body)]
    fmt = lambda r: "  ".join(  # noqa: E731
        c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in body])


def bandwidth_lines(results):
    """Return text lines on copy bandwidth and the unfused 1-qubit gate."""
    lines = []
    copy = results.get("copy_bandwidth")
    if copy:
        runs = copy.get("runs", [copy["best_gbps"]])
        lines.append(f"copy bandwidth (Go, {copy['workers']} goroutines, "
                     f"{copy['bytes'] / 2**30:.0f} GiB buffer, read+write, best of "
                     f"{len(copy['gbps'])} copies in each of {len(runs)} runs: "
                     f"{', '.join(f'{x:.1f}' for x in runs)}): {copy['best_gbps']:.1f} GB/s")
    gate = results.get("gate_bandwidth")
    if gate:
        for g in gate["gates"]:
            tail = f" ({g['note']})" if g.get("note") else ""
            lines.append(f"unfused {g['gate']} on qubit {g['qubit']} of {gate['n']} "
                         f"({gate.get('timed_gates', 10)} gates timed): "
                         f"{g['seconds_per_gate'] * 1e3:.1f} ms/gate, {g['gbps']:.1f} GB/s = "
                         f"{100 * g['fraction']:.0f}% of copy{tail}")
    for name in ("copy_bandwidth_error", "gate_bandwidth_error"):
        if results.get(name):
            lines.append(f"{name.replace('_', ' ')}: {results[name]}")
    return lines


def clifford_lines(results):
    """Return text lines for the Clifford benchmark, with Qluster's ratios."""
    runs = results.get("clifford") or []
    if not runs:
        return []
    q = next((best(r) for r in runs if r["engine"] == QLUSTER), None)
    first = runs[0]
    lines = [f"Clifford: {first['n']} qubits, depth {first['depth']}, {first['shots']} shots"]
    for r in runs:
        t = best(r)
        ratio = f"  Q/{r['engine']} = {q / t:.3g}" if q and t and r["engine"] != QLUSTER else ""
        lines.append(f"  {r['engine']:<14} {_fmt_time(t, None if r['status'] == 'ok' else r['status'])} s{ratio}")
    return lines


def write_files(results, directory, stem):
    """Write stem.json, stem.csv, stem.md and (when there are state-vector
    runs) stem.png into directory and return their paths."""
    os.makedirs(directory, exist_ok=True)
    base = os.path.join(directory, stem)
    with open(base + ".json", "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    rows_out = results["runs"] + (results.get("clifford") or [])
    exts = [".json", ".md"]
    if rows_out:
        exts.insert(1, ".csv")
    with open(base + ".csv" if rows_out else os.devnull, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["circuit", "n", "engine", "threads", "runs", "best_s", "median_s", "status"])
        for r in rows_out:
            secs = r.get("seconds") or []
            w.writerow([r["circuit"], r["n"], r["engine"], results["threads"], len(secs),
                        min(secs) if secs else "", statistics.median(secs) if secs else "",
                        r["status"]])
    with open(base + ".md", "w", encoding="utf-8") as f:
        if results["runs"]:
            f.write(table(results, markdown=True) + "\n\n")
        f.write("\n".join(bandwidth_lines(results) + clifford_lines(results)) + "\n")
    if results["runs"]:
        plot(results, base + ".png")
        exts.append(".png")
    return [base + ext for ext in exts]


def plot(results, path):
    """Plot best time against width, one panel per circuit, one line per
    engine, on a log scale, and save it as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    circuits = list(dict.fromkeys(r["circuit"] for r in results["runs"]))
    engines = [QLUSTER] + peers_of(results)
    cols = min(2, len(circuits)) or 1
    nrows = (len(circuits) + cols - 1) // cols or 1
    fig, axes = plt.subplots(nrows, cols, figsize=(6 * cols, 4 * nrows), squeeze=False)
    for ax, circuit in zip(axes.flat, circuits):
        for engine in engines:
            pts = sorted((r["n"], best(r)) for r in results["runs"]
                         if r["circuit"] == circuit and r["engine"] == engine and best(r))
            if pts:
                ax.plot(*zip(*pts), marker="o", label=engine,
                        linewidth=2.5 if engine == QLUSTER else 1.2)
        ax.set_xticks(sorted({r["n"] for r in results["runs"] if r["circuit"] == circuit}))
        ax.set_yscale("log")
        ax.set_title(circuit)
        ax.set_xlabel("qubits")
        ax.set_ylabel("seconds (best)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    for ax in list(axes.flat)[len(circuits):]:
        ax.set_visible(False)
    fig.suptitle(f"{results['host']} {results['date']}, {results['threads']} threads")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv):
    """Draw the PNG of each results JSON named in argv beside it (plots are
    not committed: they are derived from the JSON)."""
    if not argv:
        print("usage: report.py RESULTS.json ...  (writes RESULTS.png)")
        return 2
    for path in argv:
        with open(path, encoding="utf-8") as f:
            results = json.load(f)
        if not results.get("runs"):
            print(f"{path}: no state-vector runs to plot")
            continue
        out = os.path.splitext(path)[0] + ".png"
        plot(results, out)
        print(out)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
