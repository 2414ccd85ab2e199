"""Training effort in optimiser steps, the profiles, and the runner that the claims train through.

A :class:`Budget` fixes optimiser steps (not epochs: a task's dataset grows with its number
of actions, so equal epochs would give jigsaw twelve times the training of a flip), the
learning rate and the seeds. :class:`Runner` turns a (world, transform, model, ...) request
into an :class:`~essl_testbed.experiments.spec.Experiment` under that budget, runs its seeds
(cached under one folder), and sets the supervised ceiling of the same encoder beside
every run.

With a :class:`~essl_testbed.experiments.tuning.Tuning` (the full profile), every arm a
claim trains is first tuned with the same trials on training styles of its own seeds, and
its runs use the chosen setting (:meth:`Runner.many`).

>>> FULL.seeds == tuple(range(10)), QUICK.steps, QUICK.tuning is None
(True, 150, True)
>>> FULL.describe()
'lr 0.001, 2000 steps, tuned: 8 trials per arm on seed 100, lr 0.0001-0.01, steps 200-2000'
>>> [b.describe() for b in FULL.sensitivity()][:2]
['lr 0.0003, 2000 steps', 'lr 0.003, 2000 steps']
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from ..errors import ExperimentError
from .records import SeedsResult
from .spec import Experiment
from .tuning import Tuning, tune_missing, with_setting

K = TypeVar("K")

__all__ = ["FULL", "QUICK", "Budget", "Runner"]


@dataclass(frozen=True)
class Budget:
    """Training effort: optimiser steps per run, batch size, learning rate and seeds, and the
    tuning every arm gets first (None: every arm trains at ``lr`` and ``steps``)."""

    steps: int = 2000
    batch_size: int = 64
    seeds: tuple[int, ...] = tuple(range(10))
    lr: float = 1e-3
    tuning: Tuning | None = None

    def __post_init__(self) -> None:
        for name in ("steps", "batch_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ExperimentError(f"a budget's {name} must be a positive integer, got {value!r}")
        if not self.seeds:
            raise ExperimentError("a budget needs at least one seed")

    def describe(self) -> str:
        tuned = f", tuned: {self.tuning.describe()}" if self.tuning is not None else ""
        return f"lr {self.lr:g}, {self.steps} steps{tuned}"

    def sensitivity(self, n_seeds: int = 5) -> list[Budget]:
        """The settings each primary contrast is rerun under: learning rate 3e-4 and 3e-3, and
        half (at least one step) and twice the steps, each varied alone from this budget, on
        ``n_seeds`` seeds, untuned (every arm moved together)."""
        seeds = self.seeds[:n_seeds]
        return [
            replace(self, lr=self.lr * 0.3, seeds=seeds, tuning=None),
            replace(self, lr=self.lr * 3, seeds=seeds, tuning=None),
            replace(self, steps=max(1, self.steps // 2), seeds=seeds, tuning=None),
            replace(self, steps=self.steps * 2, seeds=seeds, tuning=None),
        ]


CEILING_TRANSFORM = "rot4"

FULL = Budget(tuning=Tuning())
"""The full profile: every arm tuned (8 trials on seed 100), then 10 seeds at its chosen
setting, and the sensitivity settings."""
QUICK = Budget(steps=150, seeds=(0, 1, 2, 3, 4))
"""The quick profile: 150 steps, 5 seeds, no sensitivity settings."""


class Runner:
    """Runs (or reloads) training experiments under one budget and cache."""

    def __init__(
        self,
        budget: Budget,
        cache: Path,
        device: str = "cpu",
        log: Callable[[str], None] = print,
        executor: Any = None,
        ceilings: bool = True,
    ):
        self.budget, self.cache, self.device, self.log, self.executor = budget, cache, device, log, executor
        self.ceilings = ceilings
        self.studies: dict[str, dict] = {}
        """experiment key (untuned) -> the tuning study of each arm this runner trained."""

    def under(self, budget: Budget, ceilings: bool = True) -> Runner:
        """The same runner with another budget (same cache, device and executor)."""
        return Runner(budget, self.cache, self.device, self.log, self.executor, ceilings)

    def experiment(
        self,
        world: str,
        transform: str,
        model: str = "cnn",
        mode: str = "normal",
        lam: float = 1.0,
        base_aug: str = "none",
        overrides: dict | None = None,
        target: str = "A",
        tune_for: str | None = None,
        **config: Any,
    ) -> Experiment:
        from synthetic.config import TrainConfig

        cfg = TrainConfig(
            model=model,
            mode=mode,
            lam=lam,
            steps=self.budget.steps,
            batch_size=self.budget.batch_size,
            lr=self.budget.lr,
            device=self.device,
            **config,
        )
        return Experiment(
            world, transform, cfg, base_aug=base_aug, world_overrides=overrides or {}, target=target, tune_for=tune_for
        )

    def _seeds(self, experiments: list[Experiment]) -> list[SeedsResult]:
        from .sweep import run_experiments

        t0 = time.perf_counter()
        results = run_experiments(
            experiments, self.budget.seeds, cache_dir=self.cache, show_progress=True, executor=self.executor
        )
        what = experiments[0].label() if len(experiments) == 1 else f"{len(experiments)} experiments"
        self.log(
            f"  trained {what} ({self.budget.describe()} x {len(self.budget.seeds)} seeds) "
            f"in {time.perf_counter() - t0:.0f} s"
        )
        return results

    def __call__(self, world: str, transform: str, ceiling: bool = True, **request: Any) -> dict:
        """``{"runs", "summary"}`` of the request's seeds; with ``ceilings`` (and ``ceiling``,
        which a claim sets False where it reads no probe) every run carries the supervised
        ceiling of its encoder (``probe_acc_supervised``) and
        ``normalised_gain`` = (probe - random init) / (supervised - random init)."""
        return self.many({0: {"world": world, "transform": transform, "ceiling": ceiling, **request}})[0]

    def many(self, requests: Mapping[K, Mapping[str, Any]]) -> dict[K, dict]:
        """Several requests at once, each the keyword arguments of a call (``world``,
        ``transform``, ...): every seed of every request, and of the supervised ceilings they
        need, goes to the executor together. The same results as one call per request.

        >>> runner = Runner(QUICK, Path("cache"))
        >>> sorted(runner.plan({"a": {"world": "six-nine", "transform": "rot2"}}))   # the task, its ceiling
        ['six-nine/rot2/cnn/normal', 'six-nine/supervised/cnn']
        """
        plans = self._tuned(self._plans(requests))
        experiments = list({e.key(): e for pair in plans.values() for e in pair if e is not None}.values())
        done = dict(zip((e.key() for e in experiments), self._seeds(experiments)))
        return {label: self._with_ceiling(done, experiment, ceiling) for label, (experiment, ceiling) in plans.items()}

    def plan(self, requests: Mapping[K, Mapping[str, Any]]) -> list[str]:
        """The labels of the experiments :meth:`many` would train for ``requests``."""
        return sorted({e.label() for pair in self._plans(requests).values() for e in pair if e is not None})

    def tune(self, arms: list[Experiment]) -> dict[str, dict]:
        """experiment key -> study of every arm, tuned now where the cache lacks it."""
        assert self.budget.tuning is not None
        return tune_missing(self.cache, arms, self.budget.tuning, self.executor, self.log)

    def _tuned(
        self, plans: dict[K, tuple[Experiment, Experiment | None]]
    ) -> dict[K, tuple[Experiment, Experiment | None]]:
        """The plans with every arm at its tuned setting (the supervised ceilings stay as they
        are). A null control is not an arm: it trains the same way as the task it controls, at
        that task's setting."""
        if self.budget.tuning is None:
            return plans
        tuned_as = {e.key(): replace(e, target="A") if e.target == "null" else e for e, _ in plans.values()}
        arms = {e.key(): e for e in tuned_as.values()}
        studies = self.tune(list(arms.values()))
        self.studies.update({key: {**studies[key], "label": arms[key].label()} for key in arms})
        return {
            label: (with_setting(e, studies[tuned_as[e.key()].key()]["best"]), c) for label, (e, c) in plans.items()
        }

    def _plans(self, requests: Mapping[K, Mapping[str, Any]]) -> dict[K, tuple[Experiment, Experiment | None]]:
        plans: dict[K, tuple[Experiment, Experiment | None]] = {}
        for label, given in requests.items():
            request = dict(given)
            world, transform, ceiling = request.pop("world"), request.pop("transform"), request.pop("ceiling", True)
            experiment = self.experiment(world, transform, **request)
            if not (self.ceilings and ceiling):
                plans[label] = (experiment, None)
                continue
            ceiling_request = {
                k: v
                for k, v in request.items()
                if k
                not in (
                    "mode",
                    "lam",
                    "base_aug",
                    "aux",
                    "objective",
                    "target",
                    "warmup",
                    "weight",
                    "temperature",
                    "tune_for",
                )
            }
            # The ceiling trains on the downstream images, the same for every transformation: one
            # fixed transformation names it, so every task of a world shares one cached ceiling.
            plans[label] = (experiment, self.experiment(world, CEILING_TRANSFORM, target="C", **ceiling_request))
        return plans

    @staticmethod
    def _with_ceiling(done: Mapping[str, SeedsResult], experiment: Experiment, ceiling: Experiment | None) -> dict:
        from .run import summarise

        result = done[experiment.key()]
        if ceiling is None:
            return {**result, "experiment": experiment.key()}
        supervised = {r["seed"]: r["probe_acc"] for r in done[ceiling.key()]["runs"]}
        runs = []
        for r in result["runs"]:
            span = supervised[r["seed"]] - r["probe_acc_random_init"]
            gain = r["probe_acc"] - r["probe_acc_random_init"]
            runs.append(
                {**r, "probe_acc_supervised": supervised[r["seed"]], "normalised_gain": gain / span if span else 0.0}
            )
        return {"runs": runs, "summary": summarise(runs), "experiment": experiment.key()}
