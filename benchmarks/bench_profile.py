"""Where a reproduction's wall time goes, and what the full profile would take.

Run: ``python benchmarks/bench_profile.py --out DIR [--run] [--full-plan]``.

- ``--run`` first runs ``reproduce --quick`` into ``DIR`` (two local workers, as the README's
  command), timing it; without it, ``DIR`` is a finished report folder.
- The table: the runs in ``DIR/cache`` by model and steps, with their median seconds and the
  sums of their phases (``setup``: world, exact analysis and the baselines' probes;
  ``train``; ``finish``: evaluation, the trained probe and the checks), and, when the wall time
  is known, the workers' idle share (``workers x wall - busy``: the driver's own work, such as
  exact claims and figures, and runs waiting on others).
- ``--full-plan`` lists the runs the full profile asks for in its first round (every arm's
  tuning trials, every claim and sensitivity setting, from an empty cache: a claim that asks
  again after seeing results adds a few more) and projects its time from this folder's
  per-step and per-run costs, per model:
  ``(setup + finish) + steps x (train seconds per step)``, shared over the workers. A
  projection, printed as one, not a measurement.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from essl_testbed.experiments import FULL, QUICK  # noqa: E402
from essl_testbed.experiments.executors import make_executor  # noqa: E402


def runs_in(cache: Path) -> list[dict]:
    """(model, steps, seconds, phases) of every cached run."""
    out = []
    for path in sorted(cache.glob("*/seed*.json")):
        run = json.loads(path.read_text())
        out.append(
            {
                "model": run.get("model", "?"),
                "steps": int(run.get("steps", 0)),
                "seconds": float(run["seconds"]),
                "phases": run.get("phase_seconds", {}),
            }
        )
    return out


def breakdown(runs: list[dict], wall: float | None, workers: int) -> dict[str, dict[str, float]]:
    """Print the table; return per model the median setup+finish seconds and train seconds per step."""
    groups: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for r in runs:
        groups[(r["model"], r["steps"])].append(r)
    header = f"{'model':<12}{'steps':>7}{'runs':>6}{'median s':>10}{'setup s':>10}{'train s':>10}{'finish s':>10}"
    print(header)
    print("-" * len(header))
    costs: dict[str, dict[str, float]] = {}
    for (model, steps), rs in sorted(groups.items()):
        sums = {k: sum(r["phases"].get(k, 0.0) for r in rs) for k in ("setup", "train", "finish")}
        median = statistics.median(r["seconds"] for r in rs)
        print(
            f"{model:<12}{steps:>7}{len(rs):>6}{median:>10.2f}"
            + "".join(f"{sums[k]:>10.1f}" for k in ("setup", "train", "finish"))
        )
        if all(r["phases"] for r in rs) and steps:
            costs[model] = {
                "fixed": statistics.median(r["phases"]["setup"] + r["phases"]["finish"] for r in rs),
                "per_step": statistics.median(r["phases"]["train"] / steps for r in rs),
            }
    busy = sum(r["seconds"] for r in runs)
    totals = {k: sum(r["phases"].get(k, 0.0) for r in runs) for k in ("setup", "train", "finish")}
    print(
        f"\n{len(runs)} runs, {busy:.0f} worker-seconds: setup {totals['setup']:.0f}, train {totals['train']:.0f}, "
        f"finish {totals['finish']:.0f}; {busy / max(1, len(runs)):.2f} s per run"
    )
    if wall is not None:
        capacity = workers * wall
        print(
            f"wall {wall:.0f} s x {workers} workers = {capacity:.0f} worker-seconds; idle {capacity - busy:.0f} "
            f"({(capacity - busy) / capacity:.0%}: the driver's own work, start-up, runs waiting on others)"
        )
    return costs


def full_plan() -> list[tuple[str, str, int]]:
    """(part, model, steps) of every run the full profile's first round asks for: part
    "tuning" (each arm's trials, at the mean steps of the log-uniform steps range), "main" (at
    the budget's steps, the most a tuned arm trains), or "sensitivity" for runs that only the
    sensitivity settings ask for."""
    import math
    from dataclasses import replace

    from essl_testbed.experiments.budget import Runner
    from essl_testbed.report.claims import CLAIMS
    from essl_testbed.report.reproduce import _Missing, plan_jobs

    assert FULL.tuning is not None
    low, high = FULL.tuning.space.steps
    trial_steps = round((high - low) / math.log(high / low))
    wanted: dict[tuple[str, int], tuple[str, str, int]] = {}
    for budget in (FULL, replace(FULL, tuning=None)):  # the arms to tune, then the runs at the budget's steps
        out = Path(tempfile.mkdtemp())
        runner = Runner(budget, out / "cache", log=lambda _: None)
        for job in plan_jobs(list(CLAIMS), budget, out, sensitivity=True):
            part = "sensitivity" if job.primary_only else "main"
            try:
                job.measure(runner)
            except _Missing as missing:
                for e in missing.arms:
                    for trial in range(FULL.tuning.n_trials):
                        wanted.setdefault((e.key(), -1 - trial), ("tuning", e.train.model, trial_steps))
                for e, s in missing.tasks:
                    wanted.setdefault((e.key(), s), (part, e.train.model, e.train.steps))
    return list(wanted.values())


def project(plan: list[tuple[str, str, int]], costs: dict[str, dict[str, float]], workers: int) -> None:
    counts: dict[tuple[str, str, int], int] = defaultdict(int)
    for key in plan:
        counts[key] += 1
    header = f"{'part':<13}{'model':<12}{'steps':>7}{'runs':>6}{'s per run':>11}{'worker-s':>10}"
    print(header)
    print("-" * len(header))
    totals: dict[str, float] = defaultdict(float)
    for (part, model, steps), n in sorted(counts.items()):
        cost = costs.get(model) or costs["cnn"]  # a model the folder did not train: the CNN's costs
        per_run = cost["fixed"] + steps * cost["per_step"]
        totals[part] += n * per_run
        print(f"{part:<13}{model:<12}{steps:>7}{n:>6}{per_run:>11.2f}{n * per_run:>10.0f}")
    print()
    for part, seconds in totals.items():
        runs = sum(n for (p, _, _), n in counts.items() if p == part)
        print(f"projected {part}: {runs} runs, {seconds:.0f} worker-seconds, {seconds / workers / 60:.0f} minutes")
    total = sum(totals.values())
    print(
        f"projected full profile: {len(plan)} runs, {total / workers / 60:.0f} minutes on {workers} workers with no "
        f"idle time (a projection from the runs above, not a measurement; {total / len(plan):.1f} s per run)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="a report folder (with --run: where to write one)")
    parser.add_argument("--run", action="store_true", help="run reproduce --quick into OUT first, timed")
    parser.add_argument("--workers", type=int, default=2, help="local workers (default 2)")
    parser.add_argument("--full-plan", action="store_true", help="count the full profile's runs and project its time")
    args = parser.parse_args()
    out = Path(args.out)
    wall = None
    if args.run:
        from essl_testbed.report import reproduce

        t0 = time.perf_counter()
        reproduce(out, QUICK, executor=make_executor("local", args.workers), log=lambda _: None)
        wall = time.perf_counter() - t0
        print(f"reproduce --quick: {wall:.0f} s wall ({wall / 60:.1f} minutes)\n")
    if not (out / "cache").is_dir():
        parser.error(f"{out / 'cache'} does not exist: pass --run, or a finished report folder")
    costs = breakdown(runs_in(out / "cache"), wall, args.workers)
    if args.full_plan:
        print("\nthe full profile's runs (first round), projected from the costs above")
        project(full_plan(), costs, args.workers)


if __name__ == "__main__":
    main()
