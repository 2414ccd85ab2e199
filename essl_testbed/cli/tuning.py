"""The ``tune`` command: the same Optuna trials for every arm, on training styles only
(:mod:`essl_testbed.experiments.tuning`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from .core import command, positive_int, print_json, seeds, world_and_transform


def _range(kind: type) -> Callable[[str], tuple]:
    def parse(text: str) -> tuple:
        try:
            low, high = (kind(part) for part in text.split(","))
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected LOW,HIGH, got {text!r}") from None
        return low, high

    return parse


def _tune_options(p: argparse.ArgumentParser) -> None:
    from synthetic import models

    world_and_transform(p)
    p.add_argument(
        "--models",
        default="cnn",
        help=f"comma-separated arms, one per model: {', '.join(models.names())} (default cnn)",
    )
    p.add_argument("--trials", type=positive_int, default=8, help="trials per arm, the same for every arm (default 8)")
    p.add_argument("--seeds", type=seeds, default=[0], help="seeds each trial is scored on (default 0)")
    p.add_argument("--lr", type=_range(float), default=(1e-4, 1e-2), metavar="LOW,HIGH", help="default 1e-4,1e-2")
    p.add_argument("--steps", type=_range(int), default=(100, 4000), metavar="LOW,HIGH", help="default 100,4000")
    p.add_argument("--out", default=None, help="keep every trial under OUT/cache and the studies in OUT/tuning.json")
    p.add_argument("--json", action="store_true")


@command(
    "tune",
    "tune each arm with the same trials on training styles only: its best lr and steps by the validation gap",
    _tune_options,
    paths=("out",),
    resume="With --out, every trial is kept in OUT/cache; run the same command again to reuse them.",
)
def cmd_tune(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from synthetic.config import TrainConfig

    from ..experiments import Experiment
    from ..experiments.cache import atomic_write_json
    from ..experiments.tuning import SearchSpace, tune_arms

    space = SearchSpace(lr=args.lr, steps=args.steps)
    arms = {m: Experiment(args.world, args.transform, TrainConfig(model=m)) for m in args.models.split(",")}
    out = Path(args.out) if args.out else None
    results = tune_arms(arms, space, args.trials, args.seeds, cache_dir=out / "cache" if out else None)
    studies = {arm: asdict(r) for arm, r in results.items()}
    if out is not None:
        atomic_write_json(out / "tuning.json", {"space": asdict(space), "seeds": args.seeds, "studies": studies})
    if args.json:
        print_json(studies)
        return 0
    print(f"{args.world} / {args.transform}: {args.trials} trials per arm, seeds {','.join(map(str, args.seeds))}")
    print(f"{'arm':<12}{'lr':>10}{'steps':>7}{'gap (bits)':>12}  best so far, by trial")
    for arm, r in results.items():
        curve = " ".join(f"{v:.3f}" for v in r.curve)
        print(f"{arm:<12}{r.best['lr']:>10.2e}{int(r.best['steps']):>7}{r.best_score:>12.4f}  {curve}")
        if r.on_edge:
            print(f"  warning: {arm}'s chosen {', '.join(r.on_edge)} on the edge of the range: widen it")
    return 0
