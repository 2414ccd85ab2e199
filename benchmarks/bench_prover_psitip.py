"""This prover against PSITIP on textbook and tool-documentation statements.

Run: ``python benchmarks/bench_prover_psitip.py [--repeats 5]``. Each statement is decided by
:func:`proofs_check.prover.prove` (an LP, then an exact certificate or an exact refuting
polymatroid) and, when PSITIP is importable, by PSITIP (``bool(constraints >> goal)``, its
default LP backend, no certificate). "polymatroid": not provable, with an exact refuting
polymatroid (the statement is not Shannon-type; a concrete distribution is the CLI's
counterexample search, not timed here). Times are the median of ``repeats`` warm runs after one
cold run per statement, both in-process: "total" is the whole ``prove`` call, "certificate" the
part of it that makes the verdict exact (``ProofResult.certificate_seconds``: rationalising and
checking the multipliers, or the refutation LP and its exact polymatroid), "decision" the rest
(parsing, set-up and the deciding LP), which is what PSITIP's time compares with. PSITIP is
optional: its install needs ``pycddlib<3``, e.g. ``pip install "pycddlib<3" psitip`` in a
separate environment, then run this script there with the project on ``PYTHONPATH``.

Statements are given in this project's notation; PSITIP gets the same relations, expanded
(Markov chains and independences become their conditional-mutual-information equalities)
and written as linear combinations of joint entropies.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable
from importlib.metadata import version

from proofs_check.prover.shannon import ProofResult, _as_relations, prove

CASES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # textbook identities and basic inequalities
    ("chain rule", "H(X,Y) = H(X) + H(Y|X)", ()),
    ("MI as entropies", "I(X;Y) = H(X) + H(Y) - H(X,Y)", ()),
    ("chain rule of MI", "I(X;Y,Z) = I(X;Y) + I(X;Z|Y)", ()),
    ("subadditivity", "H(X,Y,Z) <= H(X) + H(Y) + H(Z)", ()),
    ("conditioning reduces entropy", "H(X|Y,Z) <= H(X|Y)", ()),
    ("CMI non-negative", "I(X;Y|Z) >= 0", ()),
    ("Han's inequality n=3", "2*H(X,Y,Z) <= H(X,Y) + H(Y,Z) + H(X,Z)", ()),
    ("submodularity", "H(X,Y) + H(Y,Z) >= H(X,Y,Z) + H(Y)", ()),
    ("MI bounded by entropy", "I(X;Y) <= H(X)", ()),
    ("four-variable chain rule", "H(W,X,Y,Z) = H(W) + H(X|W) + H(Y|W,X) + H(Z|W,X,Y)", ()),
    # with constraints
    ("data processing", "I(X;Z) <= I(X;Y)", ("X -> Y -> Z",)),
    ("data processing, conditional", "I(X;Z|W) <= I(X;Y|W)", ("I(X;Z|Y,W) = 0",)),
    ("Markov chain, reverse", "I(X;Z) <= I(Y;Z)", ("X -> Y -> Z",)),
    ("Markov chain of 4", "I(X;W) <= I(Y;Z)", ("X -> Y -> Z -> W",)),
    ("independence: MI additive", "I(X,Y;Z) >= I(X;Z) + I(Y;Z)", ("I(X;Y) = 0",)),
    ("function: H(Y) <= H(X)", "H(Y) <= H(X)", ("H(Y|X) = 0",)),
    ("function of both", "H(Z) <= H(X) + H(Y)", ("H(Z|X,Y) = 0",)),
    ("T1 explaining away", "I(A;Z) = I(A;Z|C) - I(A;C|Z)", ("I(A;C) = 0",)),
    ("T1 lower bound", "I(A;Z) >= I(A;Z|C) - H(C|Z)", ()),
    ("T1 upper bound", "I(A;Z) <= I(A;Z|C)", ("I(A;C) = 0",)),
    ("one-time pad", "H(M) <= H(K)", ("I(M;C) = 0", "H(M|C,K) = 0")),
    ("Fano-free: independence chain", "I(X;Y|Z) <= H(X)", ()),
    # false statements: not Shannon-type, shown by an exact polymatroid ("polymatroid")
    ("false: conditioning increases MI", "I(X;Y) <= I(X;Y|Z)", ()),
    ("false: MI reverse", "I(X;Y|Z) <= I(X;Y)", ()),
    ("false: T1 upper bound without A ⊥ C", "I(A;Z) <= I(A;Z|C)", ()),
    ("false: data processing backwards", "I(X;Y) <= I(X;Z)", ("X -> Y -> Z",)),
    ("false: XOR pairwise", "I(X,Y;Z) <= I(X;Z) + I(Y;Z)", ()),
    # true, not Shannon-type
    ("Zhang-Yeung (non-Shannon)", "2*I(C;D) <= I(A;B) + I(A;C,D) + 3*I(C;D|A) + I(C;D|B)", ()),
) + tuple(
    (
        f"Markov chain of {n}",
        f"I(V1;V{n}) <= I(V{n // 2};V{n // 2 + 1})",
        (" -> ".join(f"V{i}" for i in range(1, n + 1)),),
    )
    for n in (5, 6, 7, 8, 9)
)


def _time(call: Callable[[], object], repeats: int) -> tuple[float, object]:
    result = call()  # cold
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def _time_prove(statement: str, constraints: tuple[str, ...], repeats: int) -> tuple[list[float], ProofResult]:
    """Median decision, certificate and total seconds of ``prove``: a run's decision is its total less its certificate."""
    result = prove(statement, constraints)  # cold
    runs = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = prove(statement, constraints)
        total = time.perf_counter() - t0
        runs.append((total - result.certificate_seconds, result.certificate_seconds, total))
    return [statistics.median(column) for column in zip(*runs)], result


def _psitip_case(statement: str, constraints: tuple[str, ...]) -> Callable[[], bool] | None:
    try:
        import psitip
    except ImportError:
        return None
    relations = [r for c in constraints for r in _as_relations(c, "constraint")]
    goal = _as_relations(statement, "statement")
    names = sorted({v for r in (*relations, *goal) for side in (r.lhs, r.rhs) for v in side.variables})
    made = psitip.rv(*names)
    rvs = dict(zip(names, made if len(names) > 1 else [made]))

    def expression(e):
        total = 0
        for subset, coefficient in e.terms.items():
            joint = sum((rvs[v] for v in sorted(subset)[1:]), rvs[sorted(subset)[0]])
            total = total + float(coefficient) * psitip.H(joint)
        return total

    def relation(r):  # both sides as written: PSITIP does its own simplification
        lhs, rhs = expression(r.lhs), expression(r.rhs)
        return {"=": lhs == rhs, ">=": lhs >= rhs, "<=": lhs <= rhs}[r.op]

    goal_region = relation(goal[0])
    for g in goal[1:]:
        goal_region = goal_region & relation(g)
    if not relations:
        return lambda: bool(goal_region)
    given = relation(relations[0])
    for r in relations[1:]:
        given = given & relation(r)
    return lambda: bool(given >> goal_region)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="warm runs per statement (median reported)")
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    try:
        import psitip

        psitip_version = getattr(psitip, "__version__", "installed")
    except ImportError:
        psitip_version = "not installed"
    print(
        f"python {platform.python_version()}, highspy {version('highspy')}, PSITIP {psitip_version}; "
        f"median of {args.repeats} warm runs, ms"
    )
    print(
        f"| {'statement':40s} | decision ms | certificate ms | total ms | verdict here | PSITIP ms | PSITIP "
        "| decision/PSITIP |"
    )
    print("|---|---|---|---|---|---|---|---|")
    decisions, certificates, totals, theirs, ratios, agree = [], [], [], [], [], 0
    for label, statement, constraints in CASES:
        (decision, certificate, total), result = _time_prove(statement, constraints, args.repeats)
        refuted = result.evidence is not None and result.evidence.verified
        verdict = "proved" if result.proved else "polymatroid" if refuted else "not proved"
        decisions.append(decision)
        certificates.append(certificate)
        totals.append(total)
        row = (
            f"| {label:40s} | {decision * 1e3:11.2f} | {certificate * 1e3:14.2f} | {total * 1e3:8.2f} | {verdict:12s} |"
        )
        check = _psitip_case(statement, constraints)
        if check is None:
            print(row + " - | - | - |")
            continue
        their_seconds, answer = _time(check, args.repeats)
        theirs.append(their_seconds)
        ratios.append(decision / their_seconds)
        agree += answer == result.proved
        mark = "" if answer == result.proved else " (disagrees)"
        print(row + f" {their_seconds * 1e3:9.2f} | {str(answer) + mark:6s} | {ratios[-1]:15.2f} |")
    print(f"\nmedian here: decision {_ms(decisions)}, certificate {_ms(certificates)}, total {_ms(totals)}", end="")
    if theirs:
        print(
            f"; PSITIP {_ms(theirs)}; median ratio decision/PSITIP {statistics.median(ratios):.2f} "
            f"(below 1: faster here); verdicts agree on {agree} of {len(theirs)}"
        )
    else:
        print()


def _ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1e3:.2f} ms"


if __name__ == "__main__":
    main()
