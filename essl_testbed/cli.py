"""The ``essl-testbed`` command line: one subcommand per task, heavy imports inside each.

Only the chosen subcommand's options are built (its choices come from the registries of
models, presets, transformations and claims), so ``--help``, ``prove`` and the world
commands never import torch. Input errors of the libraries, and OS errors on paths the
user gave, end in one line on stderr and exit code 2; an interrupt in exit code 130; any
other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Handler = Callable[[argparse.Namespace], int]


class Command:
    """A subcommand: its help, its handler, how to fill in its parser, and which of its
    options are paths the user gives (OS errors on those are input errors, not bugs)."""

    def __init__(self, name: str, help_text: str, run: Handler, paths: tuple[str, ...] = (), resume: str = ""):
        self.name, self.help, self.run, self.paths, self.resume = name, help_text, run, paths, resume
        self.configure: Callable[[argparse.ArgumentParser], None] = lambda p: None


COMMANDS: dict[str, Command] = {}


def command(name: str, help_text: str, paths: tuple[str, ...] = (), resume: str = "") -> Callable[[Handler], Command]:
    """Register ``fn(args) -> int`` as a subcommand; assign its parser builder to ``.configure``.
    ``resume`` says, after an interrupt, how to continue."""

    def register(fn: Handler) -> Command:
        COMMANDS[name] = Command(name, help_text, fn, paths, resume)
        return COMMANDS[name]

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
        return _jsonable(value.tolist())
    if type(value).__module__.startswith("sympy"):
        return float(value) if value.is_Number else {"value": float(value), "exact": str(value)}
    return str(value)


def _int_at_least(low: int, what: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}")
        return value

    return parse


_positive_int = _int_at_least(1, "a positive integer")
_non_negative_int = _int_at_least(0, "a non-negative integer")


def print_json(obj) -> None:
    json.dump(_jsonable(obj), sys.stdout, indent=2)
    sys.stdout.write("\n")


# ---------------------------------------------------------------- prover


@command("prove", "decide a Shannon-type information inequality; print the exact derivation")
def cmd_prove(args) -> int:
    from proofs_check.prover import prove
    from proofs_check.prover.notation import itip_joints, parse_statements

    statement = itip_joints(args.statement) if args.itip else args.statement
    results = [prove(r, constraints=args.given, itip=args.itip) for r in parse_statements(statement)]
    if args.json:
        rows = [
            {
                "statement": str(r.statement),
                "given": args.given,
                "proved": r.proved,
                "verified": r.verified,
                "method": r.method,
                "derivation": r.derivation(),
            }
            for r in results
        ]
        print_json(rows[0] if len(rows) == 1 else rows)
        return 0 if all(r.proved for r in results) else 1
    for i, result in enumerate(results):
        if len(results) > 1:
            print(f"{'' if i == 0 else chr(10)}[{i + 1} of {len(results)}] {result.statement}")
        print(result.derivation())
        if not result.proved and args.counterexample:
            _print_counterexample(result.statement, [c.relation for c in result.constraints], args.search_seconds)
    return 0 if all(r.proved for r in results) else 1


def _print_counterexample(statement, given, seconds: float) -> None:
    from proofs_check.prover.counterexamples import search_counterexample

    search = search_counterexample(statement, given, seconds=seconds)
    print(f"\n{search.describe()}.")
    J = search.joint
    if J is not None:
        print(f"Over {', '.join(J.names)} (shape {J.shape}):")
        for index, p in zip(_cells(J.shape), J.probabilities.ravel()):
            if p:
                print(f"  p{index} = {p}")


def _cells(shape):
    import numpy as np

    return list(np.ndindex(*shape))


def _configure_prove(p: argparse.ArgumentParser) -> None:
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


cmd_prove.configure = _configure_prove


@command("statements", "prove every statement of the paper (and fail its broken variants)")
def cmd_statements(args) -> int:
    from proofs_check.prover.statements import BROKEN, STATEMENTS, prove_statement

    rows, ok = [], True
    for group, specs, expected in (("statement", STATEMENTS, True), ("broken variant", BROKEN, False)):
        for name in specs:
            result = prove_statement(name, causal=args.causal and expected)  # broken variants have no model
            ok &= result.proved == expected and (result.verified or not expected)
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


def _configure_statements(p: argparse.ArgumentParser) -> None:
    p.add_argument("--causal", action="store_true", help="prove from the full causal model's constraints")
    p.add_argument("--json", action="store_true")


cmd_statements.configure = _configure_statements


# ---------------------------------------------------------------- worlds


@command("worlds", "list the named worlds, or draw random ones")
def cmd_worlds(args) -> int:
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


def _configure_worlds(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--random",
        type=_non_negative_int,
        metavar="N",
        help="draw N random glyph worlds (synthetic.worlds.random_worlds; build one as the preset "
        "'random' with its seed)",
    )
    p.add_argument("--seed", type=_non_negative_int, default=0, help="the seed the N worlds' seeds are drawn from")
    p.add_argument("--json", action="store_true", help="every parameter of each drawn world")


cmd_worlds.configure = _configure_worlds


def _world_and_transform(p: argparse.ArgumentParser) -> None:
    from synthetic import transforms
    from synthetic.worlds import presets

    p.add_argument(
        "--world",
        required=True,
        choices=presets.names(),
        metavar="WORLD",
        help=f"a preset: {', '.join(presets.names())} (see `essl-testbed worlds`)",
    )
    p.add_argument(
        "--transform", required=True, help=f"{', '.join(transforms.names())}, or a product such as rot4*vflip"
    )


@command("analyze", "exact information analysis of a world under a transformation")
def cmd_analyze(args) -> int:
    from synthetic.worlds import presets
    from synthetic.worlds.analysis import analysis_json, format_analysis

    analysis = presets.get(args.world).analyze(args.transform)
    if args.json:
        print_json(analysis_json(analysis))
    else:
        print(format_analysis(analysis, title=f"{args.world} under {args.transform} (bits)"))
    return 0


def _configure_analyze(p: argparse.ArgumentParser) -> None:
    _world_and_transform(p)
    p.add_argument("--json", action="store_true")


cmd_analyze.configure = _configure_analyze


@command("show", "draw raw and transformed images of a world with their latents (PNG)", paths=("out",))
def cmd_show(args) -> int:
    from synthetic.worlds import presets
    from synthetic.worlds.pictures import save_grid

    path = save_grid(presets.get(args.world), args.transform, args.out)
    print(f"wrote {path}")
    return 0


def _configure_show(p: argparse.ArgumentParser) -> None:
    _world_and_transform(p)
    p.add_argument("--out", required=True, help="output PNG path")


cmd_show.configure = _configure_show


@command("check", "run the E-SSL statements on a world's exact joint (Z = X and class-agnostic views)")
def cmd_check(args) -> int:
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
    for report in reports:
        print(report, end="\n\n")
    # Principle II's first relation (I(A;C|view) > 0) is a property of the world, not a theorem.
    theorems = [rel for r in reports[:3] for rel in r.relations] + [rel for r in reports[3:] for rel in r.relations[1:]]
    return 0 if all(rel.holds for rel in theorems) else 1


cmd_check.configure = _world_and_transform


# ---------------------------------------------------------------- training


@command(
    "train",
    "E-SSL pretext training + linear probe, checked against exact information",
    paths=("cache",),
    resume="With --cache, finished seeds are kept there; run the same command again to resume.",
)
def cmd_train(args) -> int:
    from synthetic.config import TrainConfig, cli_fields

    from .experiments import Experiment, run_seeds

    config = TrainConfig(**{name: getattr(args, name) for name, *_ in cli_fields()})
    experiment = Experiment(args.world, args.transform, config, base_aug=args.base_aug, info_every=args.info_every)
    result = run_seeds(
        experiment, args.seeds, cache_dir=args.cache, show_progress=not args.quiet, executor=_executor(args)
    )
    if args.json:
        print_json(
            {**result, "runs": [{k: v for k, v in r.items() if k != "history" or args.history} for r in result["runs"]]}
        )
        return 0
    print(
        f"{args.world} / {args.transform} / {args.model} / "
        f"{f'mode {args.mode}' if args.objective == 'predict' else f'objective {args.objective}'} / base {args.base_aug} / "
        f"{f'{args.steps} steps' if args.steps else f'{args.epochs} epochs'} / seeds {','.join(map(str, args.seeds))}"
    )
    print(format_summary(result["summary"]))
    return 0


METRIC_NOTES = {
    "pretext_acc": "accuracy on A, held-out styles (strict: A read off the pair x, x0; instance: training instances;"
    " contrastive: the other view found in the batch)",
    "equivariance_error": "strict: E|f(x) - rho(a) f(x0)|^2 / E|f(x)|^2, held-out styles",
    "pretext_ce_bits": "cross-entropy on A, held-out styles",
    "pretext_acc_full": "accuracy on A, exact full distribution",
    "bayes_acc_A_given_X": "exact: Bayes accuracy of A from X",
    "ce_bound_bits": "H(A) - CE_A, full distribution",
    "I_A_X": "exact: I(A;X), bound on the line above",
    "probe_acc": "linear probe on C, unaugmented held-out styles",
    "probe_acc_random_init": "same probe on the random-init encoder",
    "probe_acc_pixels": "same probe on raw pixels",
    "probe_gain": "probe_acc - probe_acc_random_init",
    "probe_usable_bits": "H(C) - CE_probe, unaugmented images",
    "I_C_X0": "exact: I(C;X) of unaugmented images, bound on the line above",
    "I_A_Z": "exact on the learned code",
    "I_C_Z": "exact on the learned code",
    "I_A_Z_given_C": "exact on the learned code",
    "I_A_C_given_Z": "explaining-away on the code",
    "H_C_given_Z": "exact on the learned code",
    "seconds": "wall time per seed",
}


def format_summary(summary: dict) -> str:
    rows = [f"{'metric':<26} {'mean':>9} {'std':>8}  n"]
    for key, stats in summary.items():
        note = METRIC_NOTES.get(key, "")
        rows.append(f"{key:<26} {stats['mean']:9.4f} {stats['std']:8.4f}  {stats['n']}  {note}")
    return "\n".join(rows)


def _seeds(text: str) -> list[int]:
    try:
        seeds = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"seeds must be comma-separated integers, got {text!r}") from None
    if not seeds or any(s < 0 for s in seeds):
        raise argparse.ArgumentTypeError(f"seeds must be non-negative integers, got {text!r}")
    return seeds


def add_train_options(p: argparse.ArgumentParser) -> None:
    """One option per :class:`synthetic.config.TrainConfig` field, with its default and choices."""
    from synthetic.config import cli_fields

    for name, kind, default, help_text, choices in cli_fields():
        p.add_argument(
            f"--{name.replace('_', '-')}",
            type=kind,
            default=default,
            choices=choices,
            help=f"{help_text} (default {default})",
        )


def _configure_train(p: argparse.ArgumentParser) -> None:
    from synthetic.worlds.presets import BASE_AUGMENTATIONS

    _world_and_transform(p)
    add_train_options(p)
    p.add_argument(
        "--base-aug",
        choices=tuple(BASE_AUGMENTATIONS),
        default="none",
        help="base augmentation, part of the style (worlds derived from natural)",
    )
    p.add_argument(
        "--info-every",
        type=_positive_int,
        default=1,
        metavar="K",
        help="bottleneck: exact information of the code every K epochs (and the last)",
    )
    p.add_argument("--seeds", type=_seeds, default=[0, 1, 2], help="comma-separated, e.g. 0,1,2")
    add_executor_options(p, workers_default="1")
    p.add_argument("--cache", default=None, metavar="DIR", help="keep finished seeds here; rerun resumes")
    p.add_argument("--json", action="store_true")
    p.add_argument("--history", action="store_true", help="with --json: include per-epoch metrics")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


cmd_train.configure = _configure_train


# ---------------------------------------------------------------- reproduction


def _budget(base: Any, args: argparse.Namespace, too_few: str) -> Any:
    """``base`` with the ``--seeds`` and ``--steps`` the user gave (at least 2 seeds)."""
    from dataclasses import replace

    from .errors import ExperimentError

    if args.seeds is not None:
        if len(args.seeds) < 2:
            raise ExperimentError(f"--seeds: {too_few}")
        base = replace(base, seeds=tuple(args.seeds))
    return base if args.steps is None else replace(base, steps=args.steps)


@command(
    "reproduce",
    "reproduce every claim of the paper: report.md, results.json and figures",
    paths=("out",),
    resume="Finished runs are kept in OUT/cache; run the same command again to resume.",
)
def cmd_reproduce(args) -> int:

    from .experiments import FULL, QUICK
    from .report import reproduce

    budget = _budget(QUICK if args.quick else FULL, args, "paired statistics need at least 2 seeds")
    sensitivity = not args.quick and not args.no_sensitivity
    claims = reproduce(
        args.out, budget, device=args.device, only=args.only, executor=_executor(args), sensitivity=sensitivity
    )
    width = max(len(c.title) for c in claims)
    print()
    for c in claims:
        print(f"{c.title:<{width}}  {c.verdict}")
    print(f"\nreport: {args.out}/report.md")
    return 0


def _configure_reproduce(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default="report", help="output folder (default: report)")
    p.add_argument(
        "--quick", action="store_true", help="150 steps, 5 seeds, no sensitivity settings: minutes, noisier numbers"
    )
    p.add_argument("--steps", type=int, default=None, help="optimiser steps per training run (full: 2000)")
    p.add_argument("--seeds", type=_seeds, default=None, help="comma-separated (full: 0-9; quick: 0-4)")
    p.add_argument(
        "--no-sensitivity",
        action="store_true",
        help="skip the full profile's reruns at learning rate 3e-4 and 3e-3 and at half and twice the steps",
    )
    from .report import CLAIMS

    p.add_argument(
        "--only", nargs="*", default=None, metavar="CLAIM", help=f"claim keys (or prefixes): {' '.join(CLAIMS)}"
    )
    p.add_argument("--device", default="cpu", help="cpu, cuda or auto")
    add_executor_options(p)


cmd_reproduce.configure = _configure_reproduce


@command(
    "forecast",
    "forecast from exact quantities which task teaches class features, store it, then train and score it",
    paths=("out", "cache"),
    resume="Finished runs are kept in OUT/cache; run the same command again to resume.",
)
def cmd_forecast(args) -> int:

    from .experiments.budget import Runner
    from .experiments.forecast import FORECAST_BUDGET, ForecastSample, run_forecast

    budget = _budget(FORECAST_BUDGET, args, "a spread over seeds needs at least 2")
    sample = ForecastSample(n_random=args.worlds, seed=args.seed, fonts=not args.no_fonts)
    out = Path(args.out)
    cache = Path(args.cache) if args.cache else out / "cache"
    runner = Runner(budget, cache, device=args.device, executor=_executor(args))
    result = run_forecast(out, sample, runner)
    print(result["text"])
    return 0


def _configure_forecast(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default="forecast", help="output folder (default: forecast)")
    p.add_argument("--worlds", type=_non_negative_int, default=30, help="random worlds in the sample (default 30)")
    p.add_argument("--seed", type=_non_negative_int, default=0, help="the seed the random worlds are drawn from")
    p.add_argument("--no-fonts", action="store_true", help="leave the fonts world out")
    p.add_argument(
        "--cache", default=None, help="the cache of finished runs (default OUT/cache; a report's cache shares them)"
    )
    p.add_argument("--steps", type=_positive_int, default=None, help="optimiser steps per run (default 600)")
    p.add_argument("--seeds", type=_seeds, default=None, help="comma-separated (default 0,1,2)")
    p.add_argument("--device", default="cpu", help="cpu, cuda or auto")
    add_executor_options(p)


cmd_forecast.configure = _configure_forecast


@command(
    "sweep",
    "train a grid of configurations and seeds (TOML) into one results table",
    paths=("out", "spec"),
    resume="Finished runs are kept in DIR/cache; run the same command with --resume to continue.",
)
def cmd_sweep(args) -> int:
    from .errors import ExperimentError
    from .experiments import SweepSpec, run_sweep

    try:
        text = Path(args.spec).read_text()
    except OSError as err:
        raise ExperimentError(f"cannot read the sweep spec {args.spec}: {err.strerror}") from None
    spec = SweepSpec.from_toml(text, source=args.spec)
    result = run_sweep(spec, args.out, _executor(args), resume=args.resume, progress=not args.quiet, spec_text=text)
    return 1 if result.failures else 0


def _configure_sweep(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "spec",
        metavar="SPEC",
        help="a TOML file: [grid] axes (lists), [train] fixed settings, [overrides] world overrides",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="results.csv, spec.toml and the cache of runs")
    p.add_argument("--resume", action="store_true", help="continue a sweep in DIR: reuse finished runs, retry failed")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    add_executor_options(p)


cmd_sweep.configure = _configure_sweep


def add_executor_options(p: argparse.ArgumentParser, workers_default: str = "the number of cores") -> None:
    """--executor, --workers, --threads and --address (see essl_testbed.experiments.executors)."""
    p.add_argument(
        "--executor",
        choices=("local", "ray"),
        default="local",
        help="local: an embedded pool of worker processes; ray: Ray tasks on a cluster",
    )
    p.add_argument(
        "--workers",
        type=_positive_int,
        default=None if workers_default != "1" else 1,
        help=f"local worker processes (default {workers_default}; 1 runs in this process)",
    )
    p.add_argument(
        "--threads",
        type=_positive_int,
        default=None,
        help="torch threads per worker (default 1; workers x threads <= cores)",
    )
    p.add_argument(
        "--ensemble",
        type=_positive_int,
        default=1,
        metavar="N",
        help="train up to N seeds of one configuration together as one batched model (default 1; "
        "worthwhile on a GPU, not on a CPU: see benchmarks/bench_ensemble.py)",
    )
    p.add_argument(
        "--address",
        default="auto",
        help="ray: 'auto' (a running cluster), HOST:PORT, or 'local' (start one in this process)",
    )


def _executor(args: argparse.Namespace) -> Any:
    from .experiments import make_executor

    return make_executor(args.executor, args.workers, args.threads, args.address, args.ensemble)


@command(
    "exercises",
    "the course on explaining away: list, start and check exercises; export them for a teacher",
    paths=("file", "to", "solutions"),
)
def cmd_exercises(args) -> int:
    from .course import EXERCISES, mark_file
    from .course.handout import export, start

    if args.action == "list":
        rows = [
            {"number": e.number, "title": e.title, "goal": e.goal, "minutes": e.minutes, "trains": e.trains}
            for e in EXERCISES
        ]
        if args.json:
            print(json.dumps(rows, indent=2))
            return 0
        for e in EXERCISES:
            note = ", trains networks on the CPU" if e.trains else ""
            print(f"{e.number}. {e.title} (about {e.minutes} min{note})\n   {e.goal}")
        print("\nStart one with: essl-testbed exercises start N [--to DIR] [--ipynb]")
        return 0
    if args.action == "start":
        path = start(args.number, args.to, notebook=args.ipynb, force=args.force)
        print(f"{path}\nOpen it in Jupyter or VS Code (a .py opens as a notebook with jupytext), fill in the")
        print(f"cells marked answer, run each check; then: essl-testbed exercises check {path}")
        return 0
    if args.action == "check":
        marks = mark_file(args.file, tasks_only=args.tasks_only)
        print(json.dumps(marks.as_dict(), indent=2) if args.json else marks)
        return 0 if marks.passed == marks.total else 1
    for path in export(args.to, args.format, args.solutions, args.only, force=args.force):
        print(path)
    if args.format == "otter":
        print("Then, per exercise: otter assign MASTER.ipynb DIST/ ; otter run -a DIST/autograder/*.zip FILLED.ipynb")
    return 0


def _configure_exercises(p: argparse.ArgumentParser) -> None:
    from .course.handout import FORMATS

    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="the exercises with their goals and estimated minutes")
    listing.add_argument("--json", action="store_true", help="a JSON list")
    begin = actions.add_parser("start", help="copy an exercise out to work on")
    begin.add_argument("number", type=_positive_int, metavar="N", help="the exercise's number")
    begin.add_argument("--to", default=".", metavar="DIR", help="the folder to copy it into (default: here)")
    begin.add_argument("--ipynb", action="store_true", help="a Jupyter notebook instead of a percent-format script")
    begin.add_argument("--force", action="store_true", help="overwrite a file of the same name")
    marking = actions.add_parser("check", help="run a filled-in exercise and print a mark per task")
    marking.add_argument("file", metavar="FILE", help="a student's .py (percent format) or .ipynb")
    marking.add_argument("--json", action="store_true", help="the marks as JSON, for a grading script")
    marking.add_argument(
        "--tasks-only",
        action="store_true",
        help="stop after the last task's check (skip the cells after it, such as training runs)",
    )
    out = actions.add_parser("export", help="join exercises and solutions for a teacher (otter-grader, or solved)")
    out.add_argument("--to", required=True, metavar="DIR", help="the folder to write into")
    out.add_argument("--format", choices=FORMATS, default="otter", help="otter master notebooks, or solved scripts")
    out.add_argument("--solutions", metavar="DIR", help="the solutions folder (default: the source tree's)")
    out.add_argument("--only", type=_positive_int, nargs="+", metavar="N", help="these exercises only")
    out.add_argument("--force", action="store_true", help="overwrite files of the same names")


cmd_exercises.configure = _configure_exercises


# ---------------------------------------------------------------- entry point


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser; only the subcommand named in ``argv`` gets its options (building them may
    import the registries it takes choices from)."""
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="essl-testbed",
        description="Exact information theory, synthetic worlds and small networks for the theory of "
        "equivariant self-supervised learning (E-SSL).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = next((a for a in argv if not a.startswith("-")), None)
    for name, cmd in COMMANDS.items():
        p = sub.add_parser(name, help=cmd.help, description=cmd.help)
        if name == chosen:
            cmd.configure(p)
        p.set_defaults(command_spec=cmd)
    return parser


def _user_error(err: BaseException) -> bool:
    """Whether ``err`` is a user's input error: the libraries' typed errors."""
    from proofs_check.errors import ProofsCheckError
    from synthetic.errors import SyntheticError
    from theory import InvalidDistribution

    from .errors import TestbedError

    return isinstance(err, (InvalidDistribution, SyntheticError, ProofsCheckError, TestbedError))


def _on_user_path(err: OSError, args: argparse.Namespace, cmd: Command) -> bool:
    """Whether an OS error concerns a path the user gave (the path, a folder above it or a file in it)."""
    if err.filename is None:
        return False
    failed = Path(str(err.filename)).resolve()
    for name in cmd.paths:
        given = getattr(args, name, None)
        if given is not None:
            path = Path(given).resolve()
            if failed == path or path in failed.parents or failed in path.parents:
                return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(argv).parse_args(argv)
    cmd: Command = args.command_spec
    try:
        return cmd.run(args)
    except KeyboardInterrupt:
        print(f"essl-testbed {cmd.name}: interrupted.{' ' + cmd.resume if cmd.resume else ''}", file=sys.stderr)
        return 130
    except OSError as err:
        if not _on_user_path(err, args, cmd):
            raise
        print(f"essl-testbed {cmd.name}: error: {err.strerror}: {err.filename}", file=sys.stderr)
        return 2
    except Exception as err:
        if not _user_error(err):
            raise
        print(f"essl-testbed {cmd.name}: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
