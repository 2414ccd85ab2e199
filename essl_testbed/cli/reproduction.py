"""Reproduction commands: ``reproduce`` (every claim, one report) and ``forecast`` (exact
forecasts stored, then trained and scored). Both take one budget-options group."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

from .core import (
    add_budget_options,
    add_executor_options,
    apply_budget,
    command,
    executor,
    non_negative_int,
    print_json,
    progress_log,
)


def _reproduce_options(p: argparse.ArgumentParser) -> None:
    from ..report import CLAIMS

    p.add_argument(
        "--out",
        default="report",
        help="output folder; a folder that holds a report keeps the results of the claims not rerun (default: report)",
    )
    p.add_argument(
        "--quick", action="store_true", help="150 steps, 5 seeds, no sensitivity settings: minutes, noisier numbers"
    )
    add_budget_options(p, steps="full: 2000", seeds_help="full: 0-9; quick: 0-4")
    p.add_argument(
        "--no-sensitivity",
        action="store_true",
        help="skip the full profile's reruns at learning rate 3e-4 and 3e-3 and at half and twice the steps",
    )
    p.add_argument(
        "--only", nargs="*", default=None, metavar="CLAIM", help=f"claim keys (or prefixes): {' '.join(CLAIMS)}"
    )
    add_executor_options(p)


@command(
    "reproduce",
    "reproduce every claim of the paper: report.md, results.json and figures",
    _reproduce_options,
    paths=("out",),
    resume="Finished runs are kept in OUT/cache; run the same command again to resume.",
)
def cmd_reproduce(args: argparse.Namespace) -> int:
    from ..experiments import FULL, QUICK
    from ..report import reproduce

    budget = apply_budget(QUICK if args.quick else FULL, args, "paired statistics need at least 2 seeds")
    sensitivity = not args.quick and not args.no_sensitivity
    claims = reproduce(
        args.out, budget, device=args.device, only=args.only, executor=executor(args), sensitivity=sensitivity
    )
    width = max(len(c.title) for c in claims)
    print()
    for c in claims:
        print(f"{c.title:<{width}}  {c.verdict}")
    print(f"\nreport: {args.out}/report.md")
    return 0


def _forecast_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default="forecast", help="output folder (default: forecast)")
    p.add_argument("--worlds", type=non_negative_int, default=30, help="random worlds in the sample (default 30)")
    p.add_argument("--seed", type=non_negative_int, default=0, help="the seed the random worlds are drawn from")
    p.add_argument("--no-fonts", action="store_true", help="leave the fonts world out")
    p.add_argument(
        "--cache", default=None, help="the cache of finished runs (default OUT/cache; a report's cache shares them)"
    )
    add_budget_options(p, steps="default 600", seeds_help="default 0,1,2")
    p.add_argument(
        "--json", action="store_true", help="the scores, the table and the paths as JSON (progress on stderr)"
    )
    add_executor_options(p)


@command(
    "forecast",
    "forecast from exact quantities which task teaches class features, store it, then train and score it",
    _forecast_options,
    paths=("out", "cache"),
    resume="Finished runs are kept in OUT/cache; run the same command again to resume.",
)
def cmd_forecast(args: argparse.Namespace) -> int:
    from ..experiments.budget import Runner
    from ..experiments.forecast import FORECAST_BUDGET, ForecastSample, run_forecast

    budget = apply_budget(FORECAST_BUDGET, args, "a spread over seeds needs at least 2")
    sample = ForecastSample(n_random=args.worlds, seed=args.seed, fonts=not args.no_fonts)
    out = Path(args.out)
    cache = Path(args.cache) if args.cache else out / "cache"
    log = progress_log(args.json)
    runner = Runner(budget, cache, device=args.device, log=log, executor=executor(args))
    result = run_forecast(out, sample, runner, log=log)
    if args.json:
        print_json(forecast_json(result, out, runner.budget))
    else:
        print(result["text"])
    return 0


NOT_JSON = ("text", "scores_obj", "other_scorings", "measured_obj")
"""Keys of :func:`~essl_testbed.experiments.forecast.run_forecast`'s result that repeat the
others as text or as objects."""


def forecast_json(result: dict, out: Path, budget: Any) -> dict:
    """What ``forecast`` prints (its progress lines and ``forecast.md``), as JSON: the stored
    results, the forecast rows, the budget, the candidates' labels and the files written."""
    from ..experiments.forecast import BASELINE, CANDIDATES, PRIMARY
    from ..experiments.limits import CONVERGED_BITS

    tasks_per_world = Counter(row["world"] for row in result["rows"])
    return {
        **{k: v for k, v in result.items() if k not in NOT_JSON},
        "points": len(result["rows"]),
        "tasks_per_world": dict(tasks_per_world),
        "budget": {
            "lr": budget.lr,
            "steps": budget.steps,
            "seeds": list(budget.seeds),
            "description": budget.describe(),
        },
        "primary": PRIMARY,
        "baseline": BASELINE,
        "candidates": {key: label for key, (label, _) in CANDIDATES.items()},
        "converged_bits": CONVERGED_BITS,
        "interval_level": 0.95,  # of every score's "interval" and the primary's "advantage" (bootstrap over worlds)
        "files": {name: str(out / name) for name in ("forecast.json", "forecast.md", "forecast_results.json")},
    }
