"""Training effort in optimiser steps, and the runner that the claims train through.

A :class:`Budget` fixes optimiser steps (not epochs: a task's dataset grows with its number
of actions) and seeds; :class:`Runner` turns a (world, transform, model, ...) request into
an :class:`~proofs_check.experiments.spec.Experiment` under that budget and runs its seeds,
cached under one folder.

>>> Budget(steps=100, batch_size=10).epochs(250)
4
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .run import train_test_split
from .spec import Experiment

__all__ = ["QUICK", "Budget", "Runner", "training_rows"]


@dataclass(frozen=True)
class Budget:
    """Training effort: optimiser steps per run (epochs follow from the data size) and seeds."""

    steps: int = 2000
    batch_size: int = 64
    seeds: tuple[int, ...] = (0, 1, 2)

    def epochs(self, n_train_rows: int) -> int:
        return max(1, math.ceil(self.steps * self.batch_size / max(1, n_train_rows)))


QUICK = Budget(steps=150, seeds=(0, 1, 2, 3, 4))


_ROWS: dict[tuple[str, ...], int] = {}


def training_rows(experiment: Experiment) -> int:
    """Rows of the experiment's training split (seed 0's; every seed holds out the same share),
    computed once per world, transformation, base augmentation and overrides."""
    key = (
        experiment.world,
        experiment.transform,
        experiment.base_aug,
        repr(sorted(experiment.world_overrides.items())),
    )
    if key not in _ROWS:
        train, _, _ = train_test_split(experiment.make_world().dataset(experiment.transform), seed=0)
        _ROWS[key] = len(train)
    return _ROWS[key]


class Runner:
    """Runs (or reloads) training experiments under one budget and cache."""

    def __init__(
        self, budget: Budget, cache: Path, device: str = "cpu", log: Callable[[str], None] = print, executor: Any = None
    ):
        self.budget, self.cache, self.device, self.log, self.executor = budget, cache, device, log, executor

    def __call__(
        self,
        world: str,
        transform: str,
        model: str = "cnn",
        mode: str = "normal",
        lam: float = 1.0,
        base_aug: str = "none",
        overrides: dict | None = None,
        **config: Any,
    ) -> dict:
        from synthetic.config import TrainConfig

        from .sweep import run_seeds

        overrides = overrides or {}
        epochs = self.budget.epochs(
            training_rows(Experiment(world, transform, base_aug=base_aug, world_overrides=overrides))
        )
        cfg = TrainConfig(
            model=model,
            mode=mode,
            lam=lam,
            epochs=epochs,
            batch_size=self.budget.batch_size,
            device=self.device,
            **config,
        )
        experiment = Experiment(world, transform, cfg, base_aug=base_aug, world_overrides=overrides)
        t0 = time.perf_counter()
        result = run_seeds(
            experiment, self.budget.seeds, cache_dir=self.cache, show_progress=True, executor=self.executor
        )
        self.log(
            f"  trained {world}/{transform}/{model}/{mode}/{base_aug} ({epochs} epochs x "
            f"{len(self.budget.seeds)} seeds) in {time.perf_counter() - t0:.0f} s"
        )
        return result
