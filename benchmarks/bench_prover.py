"""Benchmark of the Shannon-inequality prover: the paper's statements, their causal-model
versions, the broken variants, and synthetic statements on n = 5..9 variables.

Run: ``.venv/bin/python benchmarks/bench_prover.py [--repeats 5]``. Prints one row per
statement with the median over ``repeats`` warm runs (the first, cold run builds and
caches the elemental inequalities of each variable list and is not counted).

Columns: n (variables), elem (elemental inequalities), LP ms (HiGHS, both directions for
identities; when unproved also the refutation LP and the exact check of its polymatroid),
exact ms (rationalising the multipliers and verifying the certificate in rational
arithmetic), total ms (the whole ``prove`` call, warm), cold ms (the first call, which also
builds the elemental inequalities for that variable list), proved.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable

from proofs_check.prover.shannon import ProofResult, prove
from proofs_check.prover.statements import BROKEN, STATEMENTS, prove_statement


def _cases() -> list[tuple[str, Callable[[], ProofResult]]]:
    cases: list[tuple[str, Callable[[], ProofResult]]] = []
    for name in STATEMENTS:
        cases.append((name, lambda name=name: prove_statement(name)))
    for name in STATEMENTS:
        cases.append((f"{name} [causal model]", lambda name=name: prove_statement(name, causal=True)))
    for name in BROKEN:
        cases.append((f"{name} [broken]", lambda name=name: prove_statement(name)))
    cases.append(("zhang_yeung [non-Shannon]", lambda: prove("2*I(C;D) <= I(A;B) + I(A;C,D) + 3*I(C;D|A) + I(C;D|B)")))
    for n in range(5, 10):
        names = [f"V{i}" for i in range(1, n + 1)]
        subadditivity = f"H({','.join(names)}) <= " + " + ".join(f"H({v})" for v in names)
        cases.append((f"subadditivity n={n}", lambda s=subadditivity: prove(s)))
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="warm runs per statement (median reported)")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    import scipy.optimize  # imported here so that its import time stays out of the first row
    import scipy.sparse  # noqa: F401

    print(
        f"python {platform.python_version()}, scipy {scipy.__version__}, {platform.machine()}; "
        f"median of {args.repeats} warm runs"
    )
    header = (
        f"{'statement':55s} {'n':>2s} {'elem':>5s} {'LP ms':>8s} {'exact ms':>9s} {'total ms':>9s} "
        f"{'cold ms':>8s}  proved"
    )
    print(header)
    print("-" * len(header))
    for label, run in _cases():
        start = time.perf_counter()
        run()  # cold run: elemental inequalities and matrices get cached
        cold = time.perf_counter() - start
        lp, exact, total = [], [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            result = run()
            total.append(time.perf_counter() - start)
            lp.append(result.lp_seconds)
            exact.append(result.verify_seconds)
        print(
            f"{label:55s} {len(result.variables):2d} {result.n_elemental:5d} "
            f"{1e3 * statistics.median(lp):8.2f} {1e3 * statistics.median(exact):9.2f} "
            f"{1e3 * statistics.median(total):9.2f} {1e3 * cold:8.2f}  {result.proved}"
        )


if __name__ == "__main__":
    main()
