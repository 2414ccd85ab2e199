"""Training commands: ``train`` (one configuration, several seeds) and ``sweep`` (a grid of
configurations from TOML)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .core import (
    add_executor_options,
    command,
    executor,
    positive_int,
    print_json,
    progress_log,
    seeds,
    world_and_transform,
)

COUNTS = ("epochs", "steps", "batch_size", "feature_dim", "width", "n_codes")
"""TrainConfig fields that count something: the command line takes them as positive integers."""


def add_train_options(p: argparse.ArgumentParser) -> None:
    """One option per :class:`synthetic.config.TrainConfig` field, with its default and choices;
    ``--steps`` left out trains by epochs."""
    from synthetic.config import cli_fields

    for name, kind, default, help_text, choices in cli_fields():
        if name == "steps":  # the config's 0 ("train by epochs") is what leaving the option out means here
            help_text = "optimiser steps, the same for every task whatever its data size"
            p.add_argument("--steps", type=positive_int, default=None, help=f"{help_text} (default: train by epochs)")
            continue
        p.add_argument(
            f"--{name.replace('_', '-')}",
            type=positive_int if name in COUNTS else kind,
            default=default,
            choices=choices,
            help=f"{help_text} (default {default})",
        )


def _train_options(p: argparse.ArgumentParser) -> None:
    from synthetic.worlds.presets import BASE_AUGMENTATIONS

    world_and_transform(p)
    add_train_options(p)
    p.add_argument(
        "--base-aug",
        choices=tuple(BASE_AUGMENTATIONS),
        default="none",
        help="base augmentation, part of the style (worlds derived from natural)",
    )
    p.add_argument(
        "--info-every",
        type=positive_int,
        default=1,
        metavar="K",
        help="bottleneck: exact information of the code every K epochs (and the last)",
    )
    p.add_argument("--seeds", type=seeds, default=[0, 1, 2], help="comma-separated, e.g. 0,1,2")
    add_executor_options(p, workers_default="1")
    p.add_argument("--cache", default=None, metavar="DIR", help="keep finished seeds here; rerun resumes")
    p.add_argument("--json", action="store_true")
    p.add_argument("--history", action="store_true", help="with --json: include per-epoch metrics")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


@command(
    "train",
    "E-SSL pretext training + linear probe, checked against exact information",
    _train_options,
    paths=("cache",),
    resume="With --cache, finished seeds are kept there; run the same command again to resume.",
)
def cmd_train(args: argparse.Namespace) -> int:
    from synthetic.config import TrainConfig, cli_fields

    from ..experiments import Experiment, run_seeds

    settings = {name: getattr(args, name) for name, *_ in cli_fields()}
    config = TrainConfig(**{**settings, "steps": args.steps or 0})  # 0: the config's "train by epochs"
    experiment = Experiment(args.world, args.transform, config, base_aug=args.base_aug, info_every=args.info_every)
    result = run_seeds(
        experiment, args.seeds, cache_dir=args.cache, show_progress=not args.quiet, executor=executor(args)
    )
    if args.json:
        runs = [{k: v for k, v in r.items() if k != "history" or args.history} for r in result["runs"]]
        notes = {k: METRIC_NOTES[k] for k in result["summary"] if k in METRIC_NOTES}
        print_json({**result, "runs": runs, "notes": notes})
        return 0
    print(
        f"{args.world} / {args.transform} / {args.model} / "
        f"{f'mode {args.mode}' if args.objective == 'predict' else f'objective {args.objective}'} / base {args.base_aug} / "
        f"{f'{args.steps} steps' if args.steps else f'{args.epochs} epochs'} / seeds {','.join(map(str, args.seeds))}"
    )
    print(format_summary(result["summary"]))
    return 0


METRIC_NOTES = {
    "pretext_acc": "accuracy on A, held-out styles (vicreg-equivariance: A read off the pair x, x0; instance: training instances;"
    " contrastive: the other view found in the batch)",
    "equivariance_error": "vicreg-equivariance: E|f(x) - rho(a) f(x0)|^2 / E|f(x)|^2, held-out styles",
    "pretext_ce_bits": "cross-entropy on A, held-out styles",
    "pretext_optimum_train_bits": "exact: H(A|X) of the training styles, the least cross-entropy possible there",
    "pretext_gap_train_bits": "cross-entropy on A above that optimum, training styles (0: converged)",
    "feature_dead_units": "features 0 on every unaugmented training image",
    "feature_effective_rank": "exp of the entropy of the features' normalised singular values",
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
    "H_Z_given_X": "exact: the code's sharpness (0: deterministic)",
    "seconds": "wall time per seed",
}


def format_summary(summary: dict) -> str:
    rows = [f"{'metric':<26} {'mean':>9} {'std':>8}  n"]
    for key, stats in summary.items():
        note = METRIC_NOTES.get(key, "")
        rows.append(f"{key:<26} {stats['mean']:9.4f} {stats['std']:8.4f}  {stats['n']}  {note}")
    return "\n".join(rows)


def _sweep_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "spec",
        metavar="SPEC",
        help="a TOML file: [grid] axes (lists), [train] fixed settings, [overrides] world overrides",
    )
    p.add_argument("--out", required=True, metavar="DIR", help="results.csv, spec.toml and the cache of runs")
    p.add_argument("--resume", action="store_true", help="continue a sweep in DIR: reuse finished runs, retry failed")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--json", action="store_true", help="the runs, the table's path and every failure as JSON")
    add_executor_options(p)


@command(
    "sweep",
    "train a grid of configurations and seeds (TOML) into one results table",
    _sweep_options,
    paths=("out", "spec"),
    resume="Finished runs are kept in DIR/cache; run the same command with --resume to continue.",
)
def cmd_sweep(args: argparse.Namespace) -> int:
    from ..errors import ExperimentError
    from ..experiments import SweepSpec, run_sweep

    try:
        text = Path(args.spec).read_text()
    except OSError as err:
        raise ExperimentError(f"cannot read the sweep spec {args.spec}: {err.strerror}") from None
    spec = SweepSpec.from_toml(text, source=args.spec)
    log = progress_log(args.json)
    result = run_sweep(
        spec, args.out, executor(args), resume=args.resume, progress=not args.quiet, spec_text=text, log=log
    )
    if args.json:
        print_json(sweep_json(result))
    return 1 if result.failures else 0


def sweep_json(result: Any) -> dict:
    """What ``sweep`` prints, as JSON: the finished runs and all tasks, the table, the runs reused
    from the cache, and every failed run (its experiment, seed, attempts and error)."""
    failures = [
        {"label": result.tasks[i][0].label(), "seed": result.tasks[i][1], "attempts": f.attempts, "error": f.error}
        for i, f in sorted(result.failures.items())
    ]
    return {
        "runs": len(result.runs),
        "tasks": len(result.tasks),
        "table": str(result.table),
        "reused": result.reused,
        "failures": failures,
    }
