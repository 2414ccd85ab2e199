"""The ``essl-testbed`` command line: one subcommand per task, heavy imports inside each."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Callable, Sequence

COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {}


def command(name: str, help_text: str):
    """Register ``fn(args) -> int`` as a subcommand whose parser ``fn.configure`` fills in."""
    def register(fn):
        COMMANDS[name] = (help_text, fn)
        return fn
    return register


def _jsonable(value):
    """Floats stay floats; exact sympy values become {"value": float, "exact": "..."}."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if type(value).__module__.startswith("numpy"):
        return value.item() if hasattr(value, "item") else value.tolist()
    if type(value).__module__.startswith("sympy"):
        return float(value) if value.is_Number else {"value": float(value), "exact": str(value)}
    return str(value)


def print_json(obj) -> None:
    json.dump(_jsonable(obj), sys.stdout, indent=2)
    sys.stdout.write("\n")


# ---------------------------------------------------------------- prover


@command("prove", "decide a Shannon-type information inequality; print the exact derivation")
def cmd_prove(args) -> int:
    from .counterexamples import find_counterexample
    from .prover import prove

    result = prove(args.statement, constraints=args.given)
    if args.json:
        print_json({"statement": args.statement, "given": args.given, "proved": result.proved,
                    "verified": result.verified, "method": result.method, "derivation": result.derivation()})
        return 0 if result.proved else 1
    print(result.derivation())
    if not result.proved and args.counterexample:
        J = find_counterexample(args.statement, args.given)
        if J is None:
            print("\nNo concrete distribution violating it was found among small tables "
                  "(it may hold for all distributions yet not be Shannon-type, like Zhang-Yeung).")
        else:
            print(f"\nA concrete distribution where it fails, over {', '.join(J.names)} (shape {J.shape}):")
            for index, p in zip(_cells(J.shape), J.probabilities.ravel()):
                if p:
                    print(f"  p{index} = {p}")
    return 0 if result.proved else 1


def _cells(shape):
    import numpy as np

    return list(np.ndindex(*shape))


def _configure_prove(p: argparse.ArgumentParser) -> None:
    p.add_argument("statement", help='e.g. "I(A;Z) >= I(A;Z|C) - H(C|Z)"')
    p.add_argument("--given", action="append", default=[], metavar="CONSTRAINT",
                   help='a constraint such as "I(A;C) = 0"; repeat for several')
    p.add_argument("--no-counterexample", dest="counterexample", action="store_false",
                   help="when not provable, skip the search for a violating distribution")
    p.add_argument("--json", action="store_true")


cmd_prove.configure = _configure_prove


@command("statements", "prove every statement of the paper (and fail its broken variants)")
def cmd_statements(args) -> int:
    from .statements import BROKEN, STATEMENTS, prove_statement

    rows, ok = [], True
    for group, specs, expected in (("statement", STATEMENTS, True), ("broken variant", BROKEN, False)):
        for name in specs:
            result = prove_statement(name, causal=args.causal)
            ok &= result.proved == expected and (result.verified or not expected)
            rows.append({"name": name, "kind": group, "statement": str(result.statement),
                         "given": [str(c) for c in result.constraints], "proved": result.proved,
                         "as_expected": result.proved == expected})
    if args.json:
        print_json(rows)
    else:
        width = max(len(r["name"]) for r in rows)
        for r in rows:
            verdict = "proved" if r["proved"] else "not provable"
            flag = "" if r["as_expected"] else "   <-- UNEXPECTED"
            print(f"{r['name']:<{width}}  {verdict:<12}  {r['statement']}"
                  f"{'  given ' + '; '.join(r['given']) if r['given'] else ''}{flag}")
    return 0 if ok else 1


def _configure_statements(p: argparse.ArgumentParser) -> None:
    p.add_argument("--causal", action="store_true", help="prove from the full causal model's constraints")
    p.add_argument("--json", action="store_true")


cmd_statements.configure = _configure_statements


# ---------------------------------------------------------------- entry point


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="essl-testbed",
        description="Exact information theory, synthetic worlds and small networks for the theory of "
                    "equivariant self-supervised learning (E-SSL).")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, fn) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        fn.configure(p)
        p.set_defaults(run=fn)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ValueError as err:  # typed input errors of the library: one clear line, no traceback
        print(f"essl-testbed {args.command}: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
