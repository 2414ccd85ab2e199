"""Run time of each exercise with its solutions filled in, against starting an interpreter
that imports the libraries the exercises use, measured in the same run.

Each row runs one exercise's whole notebook (every cell, training included) in a fresh
interpreter, as ``essl-testbed exercises check`` does, and reports the wall time and the
marks; the baseline row imports matplotlib, sympy, torch and the course, and does nothing. Target: every
exercise under two minutes on a laptop CPU (the training ones are the long ones).

    .venv/bin/python benchmarks/bench_exercises.py [--only 1 2 ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RUN = """
import sys
from essl_testbed.course import exercise
from essl_testbed.course.cells import fill, read
from essl_testbed.course.handout import SOURCE_SOLUTIONS
from essl_testbed.course.marking import mark_cells
ex = exercise(int(sys.argv[1]))
marks = mark_cells(fill(read(ex.path), read(SOURCE_SOLUTIONS / ex.path.name)))
print(f"{marks.passed}/{marks.total}", len(marks.errors))
"""

BASELINE = "import matplotlib.pyplot, sympy, torch, essl_testbed.course, synthetic.worlds; print('- 0')"


def _timed(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=tempfile.mkdtemp(), capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout.split("\n")[-2]


def main() -> None:
    from essl_testbed.course import EXERCISES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=int, nargs="+", help="these exercises only")
    args = parser.parse_args()
    seconds, _ = _timed(["-c", BASELINE])
    print(f"{'exercise':<56} {'marks':>6} {'cell errors':>11} {'seconds':>8} {'x baseline':>10}")
    print(f"{'(baseline: import the libraries)':<56} {'':>6} {'':>11} {seconds:8.1f} {1.0:10.1f}")
    for ex in EXERCISES:
        if args.only and ex.number not in args.only:
            continue
        took, line = _timed(["-c", RUN, str(ex.number)])
        marks, errors = line.split()
        print(f"{ex.number}. {ex.title:<53} {marks:>6} {errors:>11} {took:8.1f} {took / seconds:10.1f}")


if __name__ == "__main__":
    main()
