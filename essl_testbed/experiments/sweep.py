r"""Sweeps: every (configuration, seed) of a :class:`SweepSpec`, through an executor, into one
tidy table.

``run_sweep(spec, out, executor)`` writes ``out/spec.toml`` (the grid it ran),
``out/cache/<key>/seed<N>.json`` (each finished run, written by the driver as it arrives) and
``out/results.csv``: one row per (configuration, seed), one column per grid axis, per
training setting and per scalar metric of ``essl-testbed train --json``. A run that fails or
whose worker dies loses only itself: it is reported, left out of the table, and run again by
the next invocation with ``resume=True``, which reuses every finished run. The table loads
with ``pandas.read_csv`` or the standard ``csv`` module.

>>> spec = SweepSpec.from_toml('[grid]\nworld = "six-nine"\ntransform = "rot2"\nseed = [0, 1]\n'
...                            '[train]\nmodel = "mlp"\nepochs = 1')
>>> import tempfile
>>> result = run_sweep(spec, tempfile.mkdtemp(), progress=False, log=lambda _: None)
>>> sorted(result.runs), result.table.name
([0, 1], 'results.csv')
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ExperimentError
from .cache import RunCache, atomic_write_text
from .executors import Failure, InProcess
from .records import SeedsResult
from .run import check_ensemble, run_ensemble, run_one, summarise
from .spec import Experiment
from .sweep_spec import SweepSpec

__all__ = [
    "RunFailed",
    "SweepResult",
    "execute",
    "results_rows",
    "run_experiments",
    "run_seeds",
    "run_sweep",
    "run_tasks",
    "train_missing",
]

WRITE_EVERY_SECONDS = 10.0  # the table is rewritten at most this often while runs arrive


def execute(task: tuple[Experiment, int | tuple[int, ...]]) -> dict | list[dict]:
    """What executors call in their workers: one (experiment, seed) run, or for a tuple of
    seeds those seeds trained together as one batched model (a list of runs)."""
    experiment, seeds = task
    if isinstance(seeds, tuple):
        return run_ensemble(experiment, seeds)
    return run_one(experiment, seeds)


def _units(tasks: list[tuple[Experiment, int]], todo: list[int], ensemble: int) -> list[tuple[list[int], tuple]]:
    """(task indices, executor task): single runs, or up to ``ensemble`` seeds of one
    experiment grouped into one batched task."""
    if ensemble <= 1:
        return [([i], tasks[i]) for i in todo]
    groups: dict[str, list[int]] = {}
    for i in todo:
        groups.setdefault(tasks[i][0].key(), []).append(i)
    units = []
    for indices in groups.values():
        for start in range(0, len(indices), ensemble):
            chunk = indices[start : start + ensemble]
            units.append((chunk, (tasks[chunk[0]][0], tuple(tasks[i][1] for i in chunk))))
    return units


def _scalar(value: Any) -> bool:
    return isinstance(value, (int, float, str)) and not isinstance(value, bool)


def results_rows(tasks: list[tuple[Experiment, int]], runs: dict[int, dict]) -> list[dict]:
    """One flat row per finished task, in task order: key, world, transform, base
    augmentation, every training setting, seed, every scalar metric, then where the run was
    computed (``provenance_commit``, ``provenance_torch``, ...)."""
    rows = []
    for i, (experiment, seed) in enumerate(tasks):
        if i not in runs:
            continue
        row: dict[str, Any] = {
            "key": experiment.key(),
            "world": experiment.world,
            "transform": experiment.transform,
            "base_aug": experiment.base_aug,
            **experiment.train.as_dict(),
            "seed": seed,
        }
        row.update({k: v for k, v in runs[i].items() if k not in row and _scalar(v)})
        row.update({f"provenance_{k}": v for k, v in runs[i].get("provenance", {}).items()})
        rows.append(row)
    return rows


def csv_text(rows: list[dict]) -> str:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@dataclass
class SweepResult:
    """The finished runs (task index -> run), the failures and the table's path."""

    tasks: list[tuple[Experiment, int]]
    runs: dict[int, dict] = field(default_factory=dict)
    failures: dict[int, Failure] = field(default_factory=dict)
    reused: int = 0
    table: Path | None = None


def run_tasks(
    tasks: list[tuple[Experiment, int]],
    cache: RunCache | None,
    executor: Any = None,
    progress: bool = True,
    on_run: Callable[[int, dict], None] | None = None,
    desc: str = "runs",
) -> SweepResult:
    """Run every task not already in ``cache`` through ``executor``; the driver stores each
    finished run in the cache as it arrives and calls ``on_run(index, run)`` for every run,
    reused or new. An executor whose ``ensemble`` is above 1 gets up to that many seeds of one
    experiment as one batched task."""
    from tqdm import tqdm

    executor = executor or InProcess()
    result = SweepResult(tasks)
    todo = []
    for i, (experiment, seed) in enumerate(tasks):
        run = cache.load(experiment.key(), seed) if cache is not None else None
        if run is not None:
            result.runs[i] = run
            result.reused += 1
            if on_run is not None:
                on_run(i, run)
        else:
            todo.append(i)
    units = _units(tasks, todo, getattr(executor, "ensemble", 1))
    bar = tqdm(total=len(tasks), initial=result.reused, disable=not progress, desc=desc, leave=False)
    try:
        for j, outcome in executor.run(execute, [task for _, task in units]):
            indices = units[j][0]
            outcomes = outcome if isinstance(outcome, list) else [outcome] * len(indices)
            for i, single in zip(indices, outcomes):
                if isinstance(single, Failure):
                    result.failures[i] = single
                    continue
                experiment, seed = tasks[i]
                if cache is not None:
                    cache.store(experiment.key(), seed, single)
                result.runs[i] = single
                if on_run is not None:
                    on_run(i, single)
            bar.update(len(indices))
            bar.set_postfix(failed=len(result.failures), refresh=False)
    finally:
        bar.close()
    return result


class RunFailed(RuntimeError):
    """Runs of an experiment failed (the messages say how); not an input error."""


def run_seeds(
    experiment: Experiment,
    seeds: list[int] | tuple[int, ...],
    cache_dir: str | Path | None = None,
    show_progress: bool = True,
    executor: Any = None,
) -> SeedsResult:
    """Several seeds of one experiment: ``{"config", "runs", "summary"}``
    (:class:`~essl_testbed.experiments.records.SeedsResult`).

    With ``cache_dir`` each finished seed is written atomically and reused on the next
    call, so an interrupted experiment resumes where it stopped.
    """
    return run_experiments([experiment], seeds, cache_dir, show_progress, executor)[0]


COST = {"c4cnn": 3.0, "bottleneck": 1.3, "cnn": 1.0, "mlp": 0.2}
"""A training step's time relative to the CNN's (benchmarks/bench_training.py, section 4):
with the steps, the order in which :func:`train_missing` hands out its runs, longest first."""


def _cost(experiment: Experiment) -> float:
    return COST.get(experiment.train.model, 1.0) * (experiment.train.steps or 1)


def train_missing(
    tasks: Sequence[tuple[Experiment, int]],
    cache_dir: str | Path | None = None,
    show_progress: bool = True,
    executor: Any = None,
    desc: str | None = None,
) -> dict[int, dict]:
    """Every (experiment, seed) of ``tasks`` not yet in the cache, through the executor at once,
    the costliest models first (so that no worker idles while runs wait); returns task index
    -> run. Each run depends only on its experiment and seed, so the order changes no number.
    Raises :class:`RunFailed` naming every run that failed."""
    for experiment in {e.key(): e for e, _ in tasks}.values():
        experiment.check_views()
        check_ensemble(experiment, getattr(executor, "ensemble", 1))
    ranked = sorted(range(len(tasks)), key=lambda i: -_cost(tasks[i][0]))
    ordered = [tasks[i] for i in ranked]
    cache = RunCache(cache_dir) if cache_dir is not None else None
    result = run_tasks(ordered, cache, executor, show_progress, desc=desc or f"{len(ordered)} runs")
    if result.failures:
        failed = sorted(result.failures.items())
        raise RunFailed("; ".join(f"{ordered[i][0].label()} seed {ordered[i][1]}: {f.error}" for i, f in failed))
    return {ranked[j]: run for j, run in result.runs.items()}


def run_experiments(
    experiments: Sequence[Experiment],
    seeds: list[int] | tuple[int, ...],
    cache_dir: str | Path | None = None,
    show_progress: bool = True,
    executor: Any = None,
) -> list[SeedsResult]:
    """:func:`run_seeds` of several experiments, whose runs all go to the executor at once
    (:func:`train_missing`). The results are the same as one experiment after another."""
    if not experiments:
        return []
    desc = experiments[0].label() if len(experiments) == 1 else f"{len(experiments)} experiments"
    tasks = [(experiment, seed) for experiment in experiments for seed in seeds]
    done = train_missing(tasks, cache_dir, show_progress, executor, desc)
    n = len(seeds)
    return [
        {
            "config": {**experiment.definition, "seeds": list(seeds), "key": experiment.key()},
            "runs": [done[k * n + j] for j in range(n)],
            "summary": summarise([done[k * n + j] for j in range(n)]),
        }
        for k, experiment in enumerate(experiments)
    ]


def _check_existing(out: Path, spec_text: str, resume: bool) -> None:
    table, saved = out / "results.csv", out / "spec.toml"
    if table.exists() and not resume:
        raise ExperimentError(f"{table} exists: pass --resume to continue that sweep, or choose another --out")
    if saved.exists() and saved.read_text() != spec_text:
        raise ExperimentError(f"{out} holds a different sweep ({saved} differs from this spec); choose another --out")
    if table.exists():
        try:
            header = next(csv.reader(io.StringIO(table.read_text())), None)
        except (UnicodeDecodeError, csv.Error) as err:
            header, problem = None, str(err)
        else:
            problem = "no header row"
        if not header or "key" not in header or "seed" not in header:
            raise ExperimentError(
                f"{table} cannot be read as this sweep's results ({problem}); it is left as it is: "
                "move it away and run again with --resume to rebuild it from the cache"
            )


def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    executor: Any = None,
    resume: bool = False,
    progress: bool = True,
    spec_text: str | None = None,
    log: Callable[[str], None] = print,
) -> SweepResult:
    """Run the sweep into ``out``; returns the runs, the failures and the table's path."""
    out = Path(out)
    spec_text = spec_text if spec_text is not None else spec.to_toml()
    _check_existing(out, spec_text, resume)
    tasks = spec.tasks()
    for experiment in {e.key(): e for e, _ in tasks}.values():
        experiment.check_views()
        check_ensemble(experiment, getattr(executor, "ensemble", 1))
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / "spec.toml", spec_text)
    table = out / "results.csv"
    runs_so_far: dict[int, dict] = {}
    last_write = [time.monotonic()]

    def write_table(force: bool = False) -> None:
        if force or time.monotonic() - last_write[0] >= WRITE_EVERY_SECONDS:
            atomic_write_text(table, csv_text(results_rows(tasks, runs_so_far)))
            last_write[0] = time.monotonic()

    def arrived(i: int, run: dict) -> None:
        runs_so_far[i] = run
        write_table()

    try:
        result = run_tasks(tasks, RunCache(out / "cache"), executor, progress, desc=f"sweep {out.name}", on_run=arrived)
    finally:
        write_table(force=True)
    result.table = table
    log(f"{len(result.runs)} of {len(tasks)} runs in {table} ({result.reused} reused from the cache)")
    for i, failure in sorted(result.failures.items()):
        experiment, seed = tasks[i]
        log(f"  failed: {experiment.label()} seed {seed} ({failure.attempts} attempt(s)): {failure.error}")
    if result.failures:
        log("  failed runs are left out of the table; run again with --resume to retry them")
    return result
