"""Prover commands: ``prove`` (one statement, its exact derivation) and ``statements`` (the
paper's statements and their broken variants)."""

from __future__ import annotations

import argparse
from typing import Any

from .core import command, print_json


def _prove_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("statement", help='e.g. "I(A;Z) >= I(A;Z|C) - H(C|Z)", "0 <= I(X;Y;Z) + H(Z) <= H(X,Y,Z)"')
    p.add_argument(
        "--given",
        action="append",
        default=[],
        metavar="CONSTRAINT",
        help='a constraint: "I(A;C) = 0", a Markov chain "X -> Y -> Z" (or X/Y/Z), an independence "X _|_ Y | Z" '
        '(or X.Y|Z), a function "Y = f(X)" (or X:Y); repeat for several',
    )
    p.add_argument(
        "--search-seconds",
        type=float,
        default=5.0,
        metavar="S",
        help="when not provable, search at most S seconds for a violating distribution (default 5)",
    )
    p.add_argument(
        "--itip", action="store_true", help="read concatenated letters as joints, as ITIP does: H(XY) is H(X,Y)"
    )
    p.add_argument(
        "--no-counterexample",
        dest="counterexample",
        action="store_false",
        help="when not provable, skip the search for a violating distribution",
    )
    p.add_argument("--json", action="store_true")


@command("prove", "decide a Shannon-type information inequality; print the exact derivation", _prove_options)
def cmd_prove(args: argparse.Namespace) -> int:
    from proofs_check.prover import prove
    from proofs_check.prover.notation import itip_joints, parse_statements

    statement = itip_joints(args.statement) if args.itip else args.statement
    results = [prove(r, constraints=args.given, itip=args.itip) for r in parse_statements(statement)]
    searches = [_search(r, args) for r in results]
    if args.json:
        rows = [_prove_json(r, s, args.given) for r, s in zip(results, searches)]
        print_json(rows[0] if len(rows) == 1 else rows)
        return 0 if all(r.proved for r in results) else 1
    for i, (result, search) in enumerate(zip(results, searches)):
        if len(results) > 1:
            print(f"{'' if i == 0 else chr(10)}[{i + 1} of {len(results)}] {result.statement}")
        print(result.derivation())
        if search is not None:
            _print_counterexample(search)
    return 0 if all(r.proved for r in results) else 1


def _search(result: Any, args: argparse.Namespace) -> Any:
    """The search for a violating distribution of an unproved statement (None when proved or
    skipped by --no-counterexample)."""
    from proofs_check.prover.counterexamples import search_counterexample

    if result.proved or not args.counterexample:
        return None
    return search_counterexample(result.statement, [c.relation for c in result.constraints], args.search_seconds)


def _cells(joint: Any) -> list[tuple[tuple[int, ...], Any]]:
    """(outcome, probability) of every cell of ``joint`` with positive probability."""
    import numpy as np

    return [(index, p) for index, p in zip(np.ndindex(*joint.shape), joint.probabilities.ravel()) if p]


def _print_counterexample(search: Any) -> None:
    print(f"\n{search.describe()}.")
    J = search.joint
    if J is not None:
        print(f"Over {', '.join(J.names)} (shape {J.shape}):")
        for index, p in _cells(J):
            print(f"  p{index} = {p}")


def _prove_json(result: Any, search: Any, given: list[str]) -> dict:
    """One statement's verdict, derivation and (unproved) counterexample search as JSON.
    ``counterexample`` is absent when proved and null when the search was skipped."""
    row = {
        "statement": str(result.statement),
        "given": given,
        "proved": result.proved,
        "method": result.method,
        "derivation": result.derivation(),
    }
    if not result.proved:
        row["counterexample"] = None if search is None else _search_json(search)
    return row


def _search_json(search: Any) -> dict:
    """The search's outcome: whether and how a distribution was found, the candidates tried,
    and the distribution's cells with positive probability (exact ones as fractions too)."""
    J = search.joint
    distribution = None
    if J is not None:
        distribution = {
            "variables": list(J.names),
            "shape": list(J.shape),
            "cells": [
                {"outcome": list(index), "p": float(p), "exact": str(p) if J.is_exact else None}
                for index, p in _cells(J)
            ],
        }
    return {
        "found": J is not None,
        "description": search.describe(),
        "method": search.method,
        "candidates": search.candidates,
        "seconds": search.seconds,
        "distribution": distribution,
    }


def _statements_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--causal", action="store_true", help="prove from the full causal model's constraints")
    p.add_argument("--json", action="store_true")


@command("statements", "prove every statement of the paper (and fail its broken variants)", _statements_options)
def cmd_statements(args: argparse.Namespace) -> int:
    from proofs_check.prover.statements import BROKEN, STATEMENTS, prove_statement

    rows, ok = [], True
    for group, specs, expected in (("statement", STATEMENTS, True), ("broken variant", BROKEN, False)):
        for name in specs:
            result = prove_statement(name, causal=args.causal and expected)  # broken variants have no model
            ok &= result.proved == expected
            rows.append(
                {
                    "name": name,
                    "kind": group,
                    "statement": str(result.statement),
                    "given": [str(c) for c in result.constraints],
                    "proved": result.proved,
                    "as_expected": result.proved == expected,
                }
            )
    if args.json:
        print_json(rows)
    else:
        width = max(len(r["name"]) for r in rows)
        for r in rows:
            verdict = "proved" if r["proved"] else "not provable"
            flag = "" if r["as_expected"] else "   <-- UNEXPECTED"
            print(
                f"{r['name']:<{width}}  {verdict:<12}  {r['statement']}"
                f"{'  given ' + '; '.join(r['given']) if r['given'] else ''}{flag}"
            )
    return 0 if ok else 1
