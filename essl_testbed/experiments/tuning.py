"""Equal tuning per arm, on training styles only: every arm of a comparison gets the same
number of Optuna trials over the same search space, each trial trained on the training
styles minus their validation part and scored on that validation part, never on a held-out
test style.

A trial's score is the pretext cross-entropy on the validation styles *above its exact
optimum* there (bits; 0 is the best any predictor can do), averaged over the tuning seeds.
Trials are cached by (experiment key, seed), so a study resumes and a repeated setting is
trained once. The result per arm: the chosen setting, every trial, the best-so-far curve
against trials (the expected-validation-performance view of Dodge et al. 2019) and the knobs
whose chosen value sits on the edge of its range, where the range may be too narrow.

>>> from synthetic.config import TrainConfig
>>> from essl_testbed.experiments.spec import Experiment
>>> arms = {"mlp": Experiment("six-nine", "rot4", TrainConfig(model="mlp"))}
>>> space = SearchSpace(lr=(1e-3, 1e-2), steps=(2, 4))
>>> result = tune_arms(arms, space, n_trials=2, seeds=(0,))["mlp"]
>>> len(result.trials), len(result.curve), sorted(result.best)
(2, 2, ['lr', 'steps'])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import ExperimentError
from .spec import Experiment

__all__ = ["EDGE_SHARE", "SearchSpace", "TuningResult", "tune_arms", "validation_score"]

EDGE_SHARE = 0.05
"""A chosen value within this share of its (log) range from either end is *on the edge*."""


@dataclass(frozen=True)
class SearchSpace:
    """The knobs every arm searches, log-uniform: the learning rate, the optimiser steps, and
    knobs of an arm's own objective (``extra``: name -> (low, high), a
    :class:`~synthetic.config.TrainConfig` field such as ``lam``) shared by the arms that have it."""

    lr: tuple[float, float] = (1e-4, 1e-2)
    steps: tuple[int, int] = (100, 4000)
    extra: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, (low, high) in self.ranges().items():
            if not 0 < low < high:
                raise ExperimentError(f"search range of {name!r} must satisfy 0 < low < high, got ({low}, {high})")

    def ranges(self) -> dict[str, tuple[float, float]]:
        return {"lr": self.lr, "steps": self.steps, **self.extra}

    def suggest(self, trial: Any) -> dict[str, float]:
        """One setting drawn by an Optuna ``trial``."""
        setting: dict[str, float] = {
            "lr": trial.suggest_float("lr", *self.lr, log=True),
            "steps": trial.suggest_int("steps", *self.steps, log=True),
        }
        for name, (low, high) in self.extra.items():
            setting[name] = trial.suggest_float(name, low, high, log=True)
        return setting

    def on_edge(self, setting: Mapping[str, float]) -> list[str]:
        """The knobs of ``setting`` within :data:`EDGE_SHARE` of an end of their log range.

        >>> SearchSpace(lr=(1e-4, 1e-2), steps=(100, 4000)).on_edge({"lr": 1.1e-4, "steps": 600})
        ['lr']
        """
        edge = []
        for name, (low, high) in self.ranges().items():
            share = (math.log(setting[name]) - math.log(low)) / (math.log(high) - math.log(low))
            if share <= EDGE_SHARE or share >= 1 - EDGE_SHARE:
                edge.append(name)
        return edge


@dataclass(frozen=True)
class TuningResult:
    """One arm's study: the chosen setting and its score, every trial (setting and score), the
    best score so far after each trial, and the chosen knobs on the edge of their range."""

    arm: str
    best: dict[str, float]
    best_score: float
    trials: list[dict[str, Any]]
    curve: list[float]
    on_edge: list[str]


def _with_setting(experiment: Experiment, setting: Mapping[str, float]) -> Experiment:
    return replace(experiment, train=replace(experiment.train, **setting))


def validation_score(experiment: Experiment, seed: int) -> dict[str, float]:
    """Train on the seed's training styles without their validation part and score the
    pretext cross-entropy (bits) on that validation part: ``val_ce_bits``, its exact optimum
    ``val_optimum_bits`` (H(A|X) there) and ``val_gap_bits``, their difference."""
    from synthetic.training import build_model, evaluate, train, weighted_cross_entropy_bits

    from .downstream import downstream_sets, entropy_given_images, with_aux_label

    if experiment.target != "A" or experiment.train.objective != "predict":
        raise ExperimentError("tuning scores the predict objective's cross-entropy on A; this experiment has none")
    split, _ = downstream_sets(experiment, seed)
    world = experiment.make_world()
    parts = split.apply(with_aux_label(world.dataset(experiment.transform), experiment.train.aux))
    fit, held = parts["train"], parts["validation"]
    if len(held) == 0:
        raise ExperimentError(f"{experiment.label()}: the split has no validation styles to tune on")
    model = build_model(experiment.train, fit, seed)
    train(model, fit, experiment.train, seed)
    probs = evaluate(model, held, experiment.train.device)["action_probs"]
    ce = weighted_cross_entropy_bits(probs, held.a, held.weights / held.weights.sum())
    optimum = entropy_given_images(held)
    return {"val_ce_bits": ce, "val_optimum_bits": optimum, "val_gap_bits": ce - optimum}


def tune_arms(
    arms: Mapping[str, Experiment],
    space: SearchSpace,
    n_trials: int,
    seeds: Sequence[int] = (0,),
    cache_dir: str | Path | None = None,
    sampler_seed: int = 0,
) -> dict[str, TuningResult]:
    """One Optuna study per arm (TPE, seeded), each of ``n_trials`` trials over ``space``: the
    same count and, for the knobs they share, the same ranges for every arm. A trial's score is
    the mean :func:`validation_score` gap over ``seeds``; with ``cache_dir`` every (setting,
    seed) is stored and reused."""
    import optuna

    from .cache import RunCache

    if n_trials < 1:
        raise ExperimentError(f"tuning needs at least one trial per arm, got {n_trials}")
    if not seeds:
        raise ExperimentError("tuning needs at least one seed")
    for arm, experiment in arms.items():
        unknown = [k for k in space.extra if not hasattr(experiment.train, k)]
        if unknown:
            raise ExperimentError(f"arm {arm!r}: its training has no knob {unknown}")
    cache = RunCache(cache_dir) if cache_dir is not None else None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    results = {}
    for arm, base in arms.items():

        def objective(trial: Any, base: Experiment = base) -> float:
            experiment = _with_setting(base, space.suggest(trial))
            gaps = []
            for seed in seeds:
                scored = cache.load(experiment.key(), seed) if cache is not None else None
                if scored is None:
                    scored = validation_score(experiment, seed)
                    if cache is not None:
                        cache.store(experiment.key(), seed, scored)
                gaps.append(scored["val_gap_bits"])
            return sum(gaps) / len(gaps)

        study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=sampler_seed))
        study.optimize(objective, n_trials=n_trials)
        scores = [float(t.value) for t in study.trials]
        best = dict(study.best_params)
        results[arm] = TuningResult(
            arm=arm,
            best=best,
            best_score=float(study.best_value),
            trials=[{**t.params, "score": float(t.value)} for t in study.trials],
            curve=[min(scores[: i + 1]) for i in range(len(scores))],
            on_edge=space.on_edge(best),
        )
    return results
