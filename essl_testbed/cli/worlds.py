"""World commands: ``worlds`` (list or draw), ``analyze`` (exact information), ``show``
(pictures) and ``check`` (the statements on a world's exact joint). None imports torch."""

from __future__ import annotations

import argparse
from typing import Any

from .core import command, non_negative_int, print_json, world_and_transform


def _worlds_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--random",
        type=non_negative_int,
        metavar="N",
        help="draw N random glyph worlds (synthetic.worlds.random_worlds; build one as the preset "
        "'random' with its seed)",
    )
    p.add_argument("--seed", type=non_negative_int, default=0, help="the seed the N worlds' seeds are drawn from")
    p.add_argument("--json", action="store_true", help="every parameter of each drawn world")


@command("worlds", "list the named worlds, or draw random ones", _worlds_options)
def cmd_worlds(args: argparse.Namespace) -> int:
    from synthetic.worlds import presets

    if args.random is not None:
        from synthetic.worlds.random_worlds import random_worlds

        specs = random_worlds(args.random, seed=args.seed)
        if args.json:
            print_json([{"name": s.name, "fingerprint": s.fingerprint(), **s.as_dict()} for s in specs])
        else:
            for spec in specs:
                print(spec.describe())
        return 0
    descriptions = presets.descriptions()
    width = max(map(len, descriptions))
    for name, text in descriptions.items():
        print(f"{name:<{width}}  {text}")
    return 0


def _analyze_options(p: argparse.ArgumentParser) -> None:
    world_and_transform(p)
    p.add_argument("--json", action="store_true")


@command("analyze", "exact information analysis of a world under a transformation", _analyze_options)
def cmd_analyze(args: argparse.Namespace) -> int:
    from synthetic.worlds import presets
    from synthetic.worlds.analysis import analysis_json, format_analysis

    analysis = presets.get(args.world).analyze(args.transform)
    if args.json:
        print_json(analysis_json(analysis))
    else:
        print(format_analysis(analysis, title=f"{args.world} under {args.transform} (bits)"))
    return 0


def _show_options(p: argparse.ArgumentParser) -> None:
    world_and_transform(p)
    p.add_argument("--out", required=True, help="output PNG path")


@command("show", "draw raw and transformed images of a world with their latents (PNG)", _show_options, paths=("out",))
def cmd_show(args: argparse.Namespace) -> int:
    from synthetic.worlds import presets
    from synthetic.worlds.pictures import save_grid

    path = save_grid(presets.get(args.world), args.transform, args.out)
    print(f"wrote {path}")
    return 0


def _check_options(p: argparse.ArgumentParser) -> None:
    world_and_transform(p)
    p.add_argument("--json", action="store_true", help="every statement's relations, preconditions and terms")


@command("check", "run the E-SSL statements on a world's exact joint (Z = X and class-agnostic views)", _check_options)
def cmd_check(args: argparse.Namespace) -> int:
    from synthetic.worlds import presets
    from theory.essl import class_relevance, explaining_away_identity, lossy_transformation, shortcut_pruning

    world = presets.get(args.world)
    J = world.joint(args.transform, views=("Xerased",))
    reports = [
        explaining_away_identity(J, "A", "C", "X"),
        lossy_transformation(J, "A", "C", "X"),
        shortcut_pruning(J, "A", "C", "S", "X"),
        class_relevance(J, "A", "C", "X"),
        class_relevance(J, "A", "C", "Xerased"),
    ]
    # Principle II's first relation (I(A;C|view) > 0) is a property of the world, not a theorem.
    theorems = [rel for r in reports[:3] for rel in r.relations] + [rel for r in reports[3:] for rel in r.relations[1:]]
    held = all(rel.holds for rel in theorems)
    if args.json:
        print_json(
            {
                "world": args.world,
                "transform": args.transform,
                "theorems_hold": held,
                "reports": list(map(_report_json, reports)),
            }
        )
    else:
        for report in reports:
            print(report, end="\n\n")
    return 0 if held else 1


def _report_json(report: Any) -> dict:
    """A :class:`theory.essl.StatementReport` as JSON: what its text shows, field by field."""
    return {
        "statement": report.statement,
        "holds": report.holds,
        "preconditions": [{"text": p.text, "value": p.value, "holds": p.holds} for p in report.preconditions],
        "relations": [
            {"text": r.text, "lhs": r.lhs, "op": r.op, "rhs": r.rhs, "slack": r.slack, "holds": r.holds}
            for r in report.relations
        ],
        "terms": dict(report.terms),
    }
