"""Start-up time of the ``essl-testbed`` commands that do not train, against importing the
libraries each command itself needs, measured in the same run.

Each row runs the command in a fresh interpreter ``--repeat`` times and reports the median
wall time; the baseline row of a command imports only its own libraries (numpy for the world
commands; numpy, scipy and sympy for the prover; matplotlib too for ``show``). Targets: each
command within 0.5 s of its baseline; ``--help`` and ``worlds`` under 0.5 s in all. A command
that loads torch is flagged.

    .venv/bin/python benchmarks/bench_cli.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = Path(tempfile.mkdtemp()) / "grid.png"

CASES: list[tuple[str, list[str], str]] = [
    ("--help", ["--help"], ""),
    ("worlds", ["worlds"], "numpy"),
    ("prove", ["prove", "I(X;Y) >= 0"], "numpy, scipy.optimize, sympy"),
    ("statements", ["statements"], "numpy, scipy.optimize, sympy"),
    ("analyze", ["analyze", "--world", "six-nine", "--transform", "rot2"], "numpy, sympy"),
    ("check", ["check", "--world", "six-nine", "--transform", "rot2"], "numpy, sympy"),
    ("show", ["show", "--world", "six-nine", "--transform", "rot2", "--out", str(OUT)], "numpy, matplotlib.pyplot"),
    ("train --help", ["train", "--help"], "numpy"),
]


def timed(code: str) -> tuple[float, bool]:
    """Wall seconds of ``python -c code`` and whether it loaded torch."""
    probe = code + "\nimport sys\nprint('torch loaded:', 'torch' in sys.modules)"
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    return seconds, out.stdout.strip().endswith("torch loaded: True")


def median_of(code: str, repeat: int) -> tuple[float, bool]:
    runs = [timed(code) for _ in range(repeat)]
    return statistics.median(s for s, _ in runs), any(t for _, t in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    empty, _ = median_of("pass", args.repeat)
    print(f"python start-up alone: {empty:.3f} s (median of {args.repeat}); times below include it\n")
    print(f"{'command':<14}{'cmd s':>8}{'libs s':>8}{'extra s':>9}  {'torch':<6} libraries")
    print("-" * 72)
    for label, argv, libs in CASES:
        code = f"from essl_testbed.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
        seconds, torch_loaded = median_of(code, args.repeat)
        base, _ = median_of(f"import {libs}" if libs else "pass", args.repeat)
        flag = "YES" if torch_loaded else "no"
        print(f"{label:<14}{seconds:>8.3f}{base:>8.3f}{seconds - base:>9.3f}  {flag:<6} {libs or '(none)'}")


if __name__ == "__main__":
    main()
