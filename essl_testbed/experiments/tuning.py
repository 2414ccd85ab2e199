"""Equal tuning per arm, on training styles only: every arm of a comparison gets the same
number of Optuna trials over the same search space, each trial trained on the training
styles minus their validation part and scored on that validation part, never on a held-out
test style.

A trial's score is the pretext cross-entropy on the validation styles *above its exact
optimum* there (bits; 0 is the best any predictor can do), averaged over the tuning seeds;
for ``eliminate``, whose code must carry no class information, plus the class bits a linear
probe still reads off its features on the validation styles (a code that lowers the
cross-entropy by keeping the class pays for it, bit for bit). An arm searches the shared
knobs (learning rate, steps) and those of its own objective (:data:`OWN_KNOBS`: λ for
add and eliminate, and eliminate's warm-up), over the same ranges as every arm that has them.
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

__all__ = [
    "EDGE_SHARE",
    "OWN_KNOBS",
    "SearchSpace",
    "Tuning",
    "TuningResult",
    "arm_space",
    "chosen_settings",
    "tune_arm",
    "tune_missing",
    "tune_arms",
    "validation_score",
    "with_setting",
]

EDGE_SHARE = 0.05
"""A chosen value within this share of its (log) range from either end is *on the edge*."""

OWN_KNOBS: dict[str, dict[str, tuple[float, float]]] = {
    "add": {"lam": (0.1, 10.0)},
    "eliminate": {"lam": (0.1, 10.0), "warmup": (0.02, 1.0)},
    "contrastive": {"temperature": (0.05, 1.0)},
    "essl": {"temperature": (0.05, 1.0), "weight": (0.04, 4.0)},
    "care": {"temperature": (0.05, 1.0), "weight": (0.001, 0.3)},
}
"""mode or objective -> the knobs of its own objective and their (log) ranges: the weight λ
of the class loss (add) or the reversal strength (eliminate), and the share of the steps over
which eliminate's reversal ramps up (an adversary at full strength from step 0 collapsed the
encoder); InfoNCE's temperature, E-SSL's λ (published 0.4) and CARE's w (published
0.01-0.03), each a decade or more either side. E-SSL's contrastive base (weight 0) keeps its
weight: it searches the temperature only."""


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


def arm_space(space: SearchSpace, experiment: Experiment) -> SearchSpace:
    """``space`` with the knobs of the arm's own objective (:data:`OWN_KNOBS`) added.

    >>> from synthetic.config import TrainConfig
    >>> sorted(arm_space(SearchSpace(), Experiment("six-nine", "rot4", TrainConfig(mode="eliminate"))).ranges())
    ['lam', 'lr', 'steps', 'warmup']
    """
    own = {**OWN_KNOBS.get(experiment.train.mode, {}), **OWN_KNOBS.get(experiment.train.objective, {})}
    if experiment.train.objective == "essl" and experiment.train.weight == 0:
        own.pop("weight")
    return replace(space, extra={**space.extra, **own})


@dataclass(frozen=True)
class Tuning:
    """A profile's tuning budget, the same for every arm: ``n_trials`` Optuna trials over
    ``space`` (plus each arm's own knobs), each scored on ``seeds``, which are not the seeds
    the verdict is measured on (the chosen setting is rerun on fresh seeds).

    >>> Tuning(n_trials=8, seeds=(100,)).describe()
    '8 trials per arm on seed 100, lr 0.0001-0.01, steps 200-2000'
    """

    n_trials: int = 8
    seeds: tuple[int, ...] = (100,)
    space: SearchSpace = field(default_factory=lambda: SearchSpace(lr=(1e-4, 1e-2), steps=(200, 2000)), hash=False)

    def __post_init__(self) -> None:
        if isinstance(self.n_trials, bool) or not isinstance(self.n_trials, int) or self.n_trials < 1:
            raise ExperimentError(f"tuning needs a positive number of trials per arm, got {self.n_trials!r}")
        if not self.seeds:
            raise ExperimentError("tuning needs at least one seed")

    def describe(self) -> str:
        lr, steps = self.space.lr, self.space.steps
        return (
            f"{self.n_trials} trials per arm on seed{'s' if len(self.seeds) > 1 else ''} "
            f"{', '.join(map(str, self.seeds))}, lr {lr[0]:g}-{lr[1]:g}, steps {steps[0]}-{steps[1]}"
        )


@dataclass(frozen=True)
class TuningResult:
    """One arm's study: the chosen setting and its score, every trial (setting and score), the
    best score so far after each trial, the chosen knobs on the edge of their range, and the
    ranges searched."""

    arm: str
    best: dict[str, float]
    best_score: float
    trials: list[dict[str, Any]]
    curve: list[float]
    on_edge: list[str]
    ranges: dict[str, list[float]] = field(default_factory=dict)


def with_setting(experiment: Experiment, setting: Mapping[str, float]) -> Experiment:
    """The experiment trained at ``setting`` (knob -> value; steps as an int)."""
    values = {k: int(round(v)) if k == "steps" else float(v) for k, v in setting.items()}
    return replace(experiment, train=replace(experiment.train, **values))


def validation_score(experiment: Experiment, seed: int) -> dict[str, float]:
    """Train on the seed's training styles without their validation part and score it on that
    validation part; ``val_score_bits`` is what the tuner minimises.

    ``tuning_score`` "pretext": the pretext cross-entropy (bits) ``val_ce_bits``, its exact
    optimum ``val_optimum_bits`` (H(label|X) there) and ``val_gap_bits``, their difference;
    the score is the gap, plus for ``eliminate`` the usable class bits ``val_class_bits`` of a
    linear probe on the features (fit on the training part). "probe": a linear class probe fit
    on the training part's features; the score is ``val_class_missed_bits``, the class
    information I(C;X) of the validation images that the probe does not read off their
    features (exact I(C;X) minus the probe's usable bits)."""
    from synthetic.probe import LinearProbe, entropy_bits
    from synthetic.training import build_model, evaluate, train, weighted_cross_entropy_bits

    from .downstream import downstream_sets, entropy_given_images, pretext_rows

    if experiment.target == "C":
        raise ExperimentError("the supervised ceiling is not an arm: it is never tuned")
    split, _ = downstream_sets(experiment, seed)
    parts = split.apply(pretext_rows(experiment, experiment.make_world()))
    fit, held = parts["train"], parts["validation"]
    if len(held) == 0:
        raise ExperimentError(f"{experiment.label()}: the split has no validation styles to tune on")
    model = build_model(experiment.train, fit, seed)
    train(model, fit, experiment.train, seed)
    device = experiment.train.device
    scored = evaluate(model, held, device)
    if experiment.tuning_score == "probe":
        probe = LinearProbe().fit(evaluate(model, fit, device)["features"], fit.c, fit.weights)
        usable = probe.usable_bits(scored["features"], held.c, held.weights)
        i_c_x = entropy_bits(held.c, held.weights) - entropy_given_images(held, labels=held.c)
        return {"val_class_bits": usable, "val_class_info_bits": i_c_x, "val_score_bits": i_c_x - usable}
    ce = weighted_cross_entropy_bits(scored["action_probs"], held.a, held.weights / held.weights.sum())
    optimum = entropy_given_images(held)
    out = {"val_ce_bits": ce, "val_optimum_bits": optimum, "val_gap_bits": ce - optimum}
    out["val_score_bits"] = out["val_gap_bits"]
    if experiment.train.mode == "eliminate":
        probe = LinearProbe().fit(evaluate(model, fit, device)["features"], fit.c, fit.weights)
        out["val_class_bits"] = max(0.0, probe.usable_bits(scored["features"], held.c, held.weights))
        out["val_score_bits"] += out["val_class_bits"]
    return out


def tune_arm(
    experiment: Experiment,
    space: SearchSpace,
    n_trials: int,
    seeds: Sequence[int] = (0,),
    cache_dir: str | Path | None = None,
    sampler_seed: int = 0,
    arm: str = "",
) -> TuningResult:
    """One arm's Optuna study (TPE, seeded): ``n_trials`` trials over ``space``, each scored by
    the mean :func:`validation_score` over ``seeds``; with ``cache_dir`` every (setting, seed)
    is stored and reused."""
    import optuna

    from .cache import RunCache

    if n_trials < 1:
        raise ExperimentError(f"tuning needs at least one trial per arm, got {n_trials}")
    if not seeds:
        raise ExperimentError("tuning needs at least one seed")
    unknown = [k for k in space.extra if not hasattr(experiment.train, k)]
    if unknown:
        raise ExperimentError(f"arm {arm or experiment.label()!r}: its training has no knob {unknown}")
    cache = RunCache(cache_dir) if cache_dir is not None else None
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    def objective(trial: Any) -> float:
        trained = with_setting(experiment, space.suggest(trial))
        scores = []
        for seed in seeds:
            scored = cache.load(trained.key(), seed) if cache is not None else None
            if scored is None:
                scored = validation_score(trained, seed)
                if cache is not None:
                    cache.store(trained.key(), seed, scored)
            # a trial stored before eliminate's class term existed scored its gap alone, as it still does
            scores.append(scored["val_score_bits"] if "val_score_bits" in scored else scored["val_gap_bits"])
        return sum(scores) / len(scores)

    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=sampler_seed))
    study.optimize(objective, n_trials=n_trials)
    values = [float(t.value) for t in study.trials]
    best = dict(study.best_params)
    return TuningResult(
        arm=arm or experiment.label(),
        best=best,
        best_score=float(study.best_value),
        trials=[{**t.params, "score": float(t.value)} for t in study.trials],
        curve=[min(values[: i + 1]) for i in range(len(values))],
        on_edge=space.on_edge(best),
        ranges={k: list(v) for k, v in space.ranges().items()},
    )


def tune_task(task: tuple[Experiment, Tuning]) -> dict[str, Any]:
    """An executor task: the arm's :func:`tune_arm` under a profile's :class:`Tuning`, as a dict
    (workers compute; the driver stores)."""
    from dataclasses import asdict

    experiment, tuning, *trials = task
    space = arm_space(tuning.space, experiment)
    return asdict(tune_arm(experiment, space, tuning.n_trials, tuning.seeds, trials[0] if trials else None))


def tune_arms(
    arms: Mapping[str, Experiment],
    space: SearchSpace,
    n_trials: int,
    seeds: Sequence[int] = (0,),
    cache_dir: str | Path | None = None,
    sampler_seed: int = 0,
) -> dict[str, TuningResult]:
    """:func:`tune_arm` for each arm: the same trial count, the same sampler seed and, for the
    knobs they share, the same ranges (``space``, plus each arm's own knobs, :func:`arm_space`)."""
    return {
        arm: tune_arm(experiment, arm_space(space, experiment), n_trials, seeds, cache_dir, sampler_seed, arm)
        for arm, experiment in arms.items()
    }


def _study_path(root: Path, experiment: Experiment, tuning: Tuning) -> Path:
    import hashlib
    import json
    from dataclasses import asdict

    tag = hashlib.sha256(json.dumps(asdict(tuning), sort_keys=True, default=str).encode()).hexdigest()[:8]
    return Path(root) / f"tuning-{tag}" / f"{experiment.key()}.json"


def chosen_settings(root: str | Path, experiments: Sequence[Experiment], tuning: Tuning) -> dict[str, dict]:
    """experiment key -> its stored study (:class:`TuningResult` as a dict) under ``root``, for
    the arms already tuned under ``tuning`` (a changed budget is tuned afresh)."""
    import json

    out = {}
    for experiment in experiments:
        path = _study_path(Path(root), experiment, tuning)
        if path.exists():
            out[experiment.key()] = json.loads(path.read_text())
    return out


def tune_missing(
    root: str | Path,
    experiments: Sequence[Experiment],
    tuning: Tuning,
    executor: Any = None,
    log: Any = print,
) -> dict[str, dict]:
    """Tune every arm of ``experiments`` not yet stored under ``root`` through the executor (one
    task per arm: a study is sequential); the driver stores each study as it arrives and the
    workers each trial (under ``tuning-<tag>/trials``), so an interrupted tuning resumes by trial. Returns experiment key -> study for all of them."""
    from .cache import atomic_write_json
    from .executors import Failure, InProcess

    arms = {e.key(): e for e in experiments}
    done = chosen_settings(root, list(arms.values()), tuning)
    todo = [e for k, e in arms.items() if k not in done]
    failures = []
    # every trial is stored as it finishes: an interrupted study replays its seeded sampler and reuses them
    tasks = [(e, tuning, str(_study_path(Path(root), e, tuning).parent / "trials")) for e in todo]
    for i, outcome in (executor or InProcess()).run(tune_task, tasks):
        experiment = todo[i]
        if isinstance(outcome, Failure):
            failures.append(f"{experiment.label()}: {outcome.error}")
            continue
        atomic_write_json(_study_path(Path(root), experiment, tuning), outcome)
        done[experiment.key()] = outcome
        best = ", ".join(f"{k} {v:.3g}" for k, v in outcome["best"].items())
        log(f"  tuned {len(done)}/{len(arms)} {experiment.label()}: {best} (score {outcome['best_score']:.4f} bits)")
    if failures:
        raise ExperimentError("tuning failed: " + "; ".join(failures))
    return done
