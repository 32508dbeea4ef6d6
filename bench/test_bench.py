"""Unit tests of the harness's own logic (no peer needed beyond numpy):

    bench/.venv/bin/python -m unittest discover -s bench -p 'test_*.py'
"""

import collections
import unittest

import circuits
import report


class CircuitsTest(unittest.TestCase):
    """The generated circuits are deterministic and have the promised shape."""

    def test_same_text_every_time(self):
        for name, make in circuits.STATEVECTOR.items():
            with self.subTest(circuit=name):
                self.assertEqual(make(8), make(8))

    def test_gate_counts(self):
        n = 6
        cases = {
            "qft": {"h": n, "cp": n * (n - 1) // 2, "swap": n // 2},
            "ghz": {"h": 1, "cx": n - 1},
            "qaoa": {"h": n, "rzz": 3 * n // 2, "rx": n},
            "brickwork": {"u3": n * circuits.BRICKWORK_DEPTH,
                          "cz": 10 * (n // 2), "cx": 10 * ((n - 1) // 2)},
        }
        for name, want in cases.items():
            with self.subTest(circuit=name):
                got = collections.Counter(
                    line.split("(")[0].split()[0]
                    for line in circuits.STATEVECTOR[name](n).splitlines()[3:])
                self.assertEqual(dict(got), want)

    def test_regular_graph_is_simple_and_cubic(self):
        rng = circuits.rng_for("test", 20)
        edges = circuits.random_regular_graph(20, 3, rng)
        degree = collections.Counter(v for e in edges for v in e)
        self.assertEqual(len(set(edges)), len(edges))
        self.assertTrue(all(a < b for a, b in edges))
        self.assertEqual(set(degree.values()), {3})
        self.assertEqual(len(degree), 20)

    def test_regular_graph_rejects_odd_stub_count(self):
        with self.assertRaises(ValueError):
            circuits.random_regular_graph(5, 3, circuits.rng_for("test", 5))

    def test_clifford_uses_only_clifford_gates(self):
        text = circuits.random_clifford(10, 3)
        names = {line.split()[0] for line in text.splitlines()[4:]}
        self.assertLessEqual(names, set(circuits.CLIFFORD_1Q) | {"cx", "cz", "measure"})
        self.assertTrue(text.rstrip().endswith("measure q -> c;"))


class ReportTest(unittest.TestCase):
    """The table takes the best time and divides Qluster's by each peer's."""

    RESULTS = {
        "threads": 2, "host": "h", "date": "d",
        "runs": [
            {"circuit": "qft", "n": 20, "engine": "qluster", "status": "ok", "seconds": [2.0, 1.0]},
            {"circuit": "qft", "n": 20, "engine": "aer", "status": "ok", "seconds": [4.0]},
            {"circuit": "qft", "n": 20, "engine": "qsim", "status": "ok", "seconds": [0.5, 3.0]},
            {"circuit": "qft", "n": 22, "engine": "qluster", "status": "ok", "seconds": [1.0]},
            {"circuit": "qft", "n": 22, "engine": "aer", "status": "timeout", "seconds": []},
            {"circuit": "qft", "n": 22, "engine": "qsim", "status": "ok", "seconds": [2.0]},
        ],
    }

    def test_ratios(self):
        rows = {r["n"]: r for r in report.rows(self.RESULTS)}
        self.assertEqual(rows[20]["ratios"], {"aer": 0.25, "qsim": 2.0, "fastest": 2.0})
        self.assertEqual(rows[22]["ratios"], {"aer": None, "qsim": 0.5, "fastest": 0.5})

    def test_table_shows_failures(self):
        text = report.table(self.RESULTS)
        self.assertIn("timeout", text)
        self.assertIn("Q/fastest", text.splitlines()[0])
        md = report.table(self.RESULTS, markdown=True)
        self.assertTrue(md.startswith("| circuit | n | qluster s | aer s | qsim s |"))


if __name__ == "__main__":
    unittest.main()
