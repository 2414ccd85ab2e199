"""Wall time of the default test suite on this machine: in one process (``-n 0``, the
baseline) and with the project's default of one pytest-xdist worker per core, each alone and
beside one busy process (a single-threaded numpy loop), all measured in this run.

    .venv/bin/python benchmarks/bench_suite.py            # about 7 minutes on 2 cores
    .venv/bin/python benchmarks/bench_suite.py --only parallel

Prints one row per setting: seconds, tests passed, and the ratio to the baseline of the same
load. The project's targets (2 cores): under 60 s alone, under 100 s beside a busy process.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUSY = "import numpy as np\na = np.random.rand(400, 400)\nwhile True:\n    a = (a @ a) / 400\n"
SETTINGS = {"one process": ["-n", "0"], "parallel": []}


def suite(extra: list[str], busy: bool) -> tuple[float, str]:
    """(wall seconds, pytest's summary line) of the default suite."""
    load = None
    if busy:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        load = subprocess.Popen([sys.executable, "-c", BUSY], env=env)
    try:
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - t0
    finally:
        if load is not None:
            load.kill()
            load.wait()
    summary = next((line for line in reversed(done.stdout.splitlines()) if re.search(r"\d+ passed", line)), "")
    if done.returncode != 0:
        raise SystemExit(f"the suite failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-2000:]}")
    return seconds, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=tuple(SETTINGS), help="one setting (no baseline ratio then)")
    args = parser.parse_args()
    chosen = {args.only: SETTINGS[args.only]} if args.only else SETTINGS
    print(f"{os.cpu_count()} cores; python {sys.version.split()[0]}")
    print(f"{'setting':<14} {'load':<22} {'seconds':>8} {'x baseline':>11}  tests")
    for busy in (False, True):
        baseline = None
        for name, extra in chosen.items():
            seconds, summary = suite(extra, busy)
            baseline = baseline or seconds
            load = "beside a busy process" if busy else "alone"
            passed = re.search(r"\d+ passed", summary)
            print(f"{name:<14} {load:<22} {seconds:8.1f} {baseline / seconds:10.2f}x  {passed[0] if passed else '?'}")


if __name__ == "__main__":
    main()
