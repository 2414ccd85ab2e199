"""Train on a world, probe the features, and check everything against exact information.

``run_one(experiment, seed)`` trains one seed and returns flat metrics
(:func:`essl_testbed.experiments.sweep.run_seeds` runs several, through an executor).
Held-out numbers are on styles no transformation reaches
(:class:`~synthetic.worlds.splits.StyleSplit`): ``pretext_acc`` on the task's held-out rows,
``probe_acc`` on the unaugmented held-out images of :mod:`.downstream` (the same for every
task), beside the same probe on the random-init encoder and on raw pixels. The exact limits of
:mod:`essl_testbed.experiments.checks` are checked on the world's full enumerated distribution.

>>> from synthetic.config import TrainConfig
>>> run = run_one(Experiment("six-nine", "rot2", TrainConfig(model="mlp", epochs=3)), seed=0)
>>> run["pretext_acc_full"] <= run["bayes_acc_A_given_X"]
True
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np

from ..errors import ExperimentError
from .checks import bottleneck_information, check_bound
from .downstream import feature_health, label_scores, pixel_scores, probe_scores, scores_once
from .provenance import provenance
from .records import MetricSummary, RunRecord
from .spec import Experiment

__all__ = ["check_ensemble", "run_ensemble", "run_one", "summarise"]


CHANCE_MARGIN = 0.02
"""A run is *dead* when its pretext accuracy never rose this far above chance on a task whose
Bayes accuracy is clearly above chance (dead runs are counted and shown, never dropped)."""


class _SeedRun:
    """One seed's run around its training: the style split, the downstream sets and their
    baselines, the bottleneck's information cadence, and the metrics and exact checks after
    training."""

    def __init__(self, experiment: Experiment, seed: int, world: Any, exact: dict | None):
        from synthetic.training import build_model

        from .downstream import downstream_sets, pretext_rows, relabel_by_class

        self.experiment, self.seed, self.world, self.exact = experiment, seed, world, exact
        self.split, self.downstream = downstream_sets(experiment, seed)
        if experiment.target == "C":
            self.full = relabel_by_class(self.downstream["full"])
            parts = self.split.apply(self.full, merge_validation=True)
        else:
            self.full = pretext_rows(experiment, world)
            parts = self.split.apply(self.full, merge_validation=True)
        self.train_ds, self.test_ds = parts["train"], parts["test"]
        self.model = build_model(experiment.train, self.train_ds, seed)
        self.random_init = self.probe_metrics(self.model, once=True)
        self.pixels = pixel_scores(self.downstream, seed)

    def probe_metrics(self, model: Any, once: bool = False) -> dict:
        """The downstream probe on the model's features; ``once``: through :func:`scores_once`
        (an initial encoder is the same for every task of a world)."""
        from synthetic.training import evaluate

        device = self.experiment.train.device
        features = {k: evaluate(model, d, device)["features"] for k, d in self.downstream.items()}
        health = feature_health(features["train"])
        if once:
            return {**scores_once(features, self.downstream, self.seed, self.world), **health}
        return {
            **probe_scores(features, self.downstream, self.seed),
            **label_scores(features, self.downstream, self.world, self.seed),
            **health,
        }

    @property
    def on_epoch(self) -> Callable[[int, Any], dict] | None:
        """The bottleneck's exact information at epoch 0, every ``info_every`` epochs and the last."""
        config = self.experiment.train
        if config.model != "bottleneck" or self.exact is None or self.experiment.target != "A":
            return None
        last = len(config.batches_per_epoch(len(self.train_ds)))

        def information(epoch: int, model: Any) -> dict:
            due = epoch % self.experiment.info_every == 0 or epoch == last
            return bottleneck_information(self.world, self.experiment.transform, self.full, model) if due else {}

        return information

    def pretext_metrics(self, history: list[dict]) -> dict:
        """The pretext task's numbers. ``predict``: held-out and full-grid accuracy and
        cross-entropy of A. ``vicreg-equivariance``: the action read off the pair (x, x₀) by the nearest
        ρ(g), held out and on the full grid, and the relative equivariance error.
        ``instance``: accuracy on the training instances (held-out styles are new instances).
        ``contrastive``: the share of rows whose nearest other view in the batch is of the same
        instance, over the last epoch; ``care`` the same for its InfoNCE term. ``essl``: as
        ``predict``, from its action head."""
        from synthetic.nets.strict import pair_statistics
        from synthetic.training import evaluate, weighted_cross_entropy_bits

        from .downstream import entropy_given_images

        objective, device = self.experiment.train.objective, self.experiment.train.device
        full, test_ds, train_ds, model = self.full, self.test_ds, self.train_ds, self.model
        if objective in ("predict", "essl"):
            test_eval, full_eval = evaluate(model, test_ds, device), evaluate(model, full, device)
            train_eval = evaluate(model, train_ds, device)
            ce_train = weighted_cross_entropy_bits(train_eval["action_probs"], train_ds.a, train_ds.weights)
            optimum = entropy_given_images(train_ds)
            return {
                "pretext_acc": test_ds.weighted_accuracy(test_eval["predictions"]),
                "pretext_ce_bits": weighted_cross_entropy_bits(test_eval["action_probs"], test_ds.a, test_ds.weights),
                "pretext_ce_train_bits": ce_train,
                "pretext_optimum_train_bits": optimum,
                "pretext_gap_train_bits": ce_train - optimum,
                "pretext_acc_full": full.weighted_accuracy(full_eval["predictions"]),
                "ce_A_bits": weighted_cross_entropy_bits(full_eval["action_probs"], full.a, full.weights),
            }
        if objective == "instance":
            scored = evaluate(model, train_ds, device)
            ce_train = weighted_cross_entropy_bits(scored["action_probs"], train_ds.a, train_ds.weights)
            optimum = entropy_given_images(train_ds)
            return {
                "pretext_acc": train_ds.weighted_accuracy(scored["predictions"]),
                "pretext_ce_train_bits": ce_train,
                "pretext_optimum_train_bits": optimum,
                "pretext_gap_train_bits": ce_train - optimum,
            }
        if objective in ("contrastive", "care"):
            return {"pretext_acc": history[-1]["train_pretext_acc"]}
        model.eval()
        out = {}
        for suffix, ds in (("", test_ds), ("_full", full)):
            acc, error = pair_statistics(model.encoder, model.rho, ds.transform, ds.x, ds.a, ds.weights)
            out[f"pretext_acc{suffix}"], out[f"equivariance_error{suffix}"] = acc, error
        return out

    def finish(self, history: list[dict]) -> RunRecord:
        from synthetic.probe import entropy_bits

        from .downstream import exact_limits

        full, exact = self.full, self.exact
        trained = self.probe_metrics(self.model)
        run: dict[str, Any] = {
            "seed": self.seed,
            "model": self.experiment.train.model,
            "held_out": self.split.describe(),
            "steps": sum(self.experiment.train.batches_per_epoch(len(self.train_ds))),
            "train_rows": len(self.train_ds),
            **self.pretext_metrics(history),
            **trained,
            **{f"{k}_random_init": v for k, v in self.random_init.items()},
            **{f"{k}_pixels": v for k, v in self.pixels.items()},
            "probe_gain": trained["probe_acc"] - self.random_init["probe_acc"],
            **{
                f"probe_gain_{name}": trained[f"probe_acc_{name}"] - self.random_init[f"probe_acc_{name}"]
                for name in getattr(self.world, "label_maps", {})
                if f"probe_acc_{name}" in trained
            },
            "test_images": len(self.downstream["test"]),
        }
        if "ce_A_bits" in run:
            run["ce_bound_bits"] = entropy_bits(full.a, full.weights) - run["ce_A_bits"]
        chance = 1.0 / max(1, full.n_actions)
        learnable = exact is None or float(exact["bayes_acc_A_given_X"]) > chance + 0.05
        config = self.experiment.train
        # the contrastive base (essl at weight 0) and care train no head on A: nothing there can die
        learnable &= not (config.objective == "care" or (config.objective == "essl" and config.weight == 0))
        best = max([h.get("train_pretext_acc", 0.0) for h in history] + [run["pretext_acc"]])
        run["dead"] = bool(learnable and self.experiment.target == "A" and best <= chance + CHANCE_MARGIN)
        limits = exact_limits(self.downstream["full"])
        run.update(limits)
        checks = {
            "H(C) - CE_probe <= I(C;X), unaugmented": check_bound(
                "usable information", run["probe_usable_bits"], limits["I_C_X0"]
            ),
            "probe_acc <= bayes_acc_C_given_X, unaugmented": check_bound(
                "probe accuracy", run["probe_acc_full"], limits["bayes_acc_C_given_X0"]
            ),
            "random-init H(C) - CE_probe <= I(C;X)": check_bound(
                "usable information (random init)", self.random_init["probe_usable_bits"], limits["I_C_X0"]
            ),
        }
        if exact is not None and self.experiment.target == "A":
            refs = {k: float(exact[k]) for k in ("H_A", "I_A_X", "bayes_acc_A_given_X", "I_C_X")}
            run.update(refs)
            checks["pretext_acc <= bayes_acc_A_given_X"] = check_bound(
                "pretext accuracy", run["pretext_acc_full"], refs["bayes_acc_A_given_X"]
            )
            checks["H(A) - CE_A <= I(A;X)"] = check_bound("Barber-Agakov bound", run["ce_bound_bits"], refs["I_A_X"])
        run["checks"] = checks
        if self.on_epoch is not None:
            run.update({k: v for k, v in history[-1].items() if k.startswith(("I_", "H_", "t1_"))})
            run["information_plane"] = [
                {"epoch": h["epoch"], "I_A_Z": h["I_A_Z"], "I_C_Z": h["I_C_Z"]} for h in history if "I_A_Z" in h
            ]
        run["history"] = history
        return cast(RunRecord, run)


def _exact(world: Any, experiment: Experiment) -> dict | None:
    from synthetic.errors import ExactAnalysisUnavailable

    if experiment.target != "A" or experiment.train.objective not in ("predict", "essl"):
        return None
    try:
        return world.analyze(experiment.transform, class_blind=False)
    except ExactAnalysisUnavailable:
        return None


def run_one(experiment: Experiment, seed: int, progress: Callable[[int], None] | None = None) -> RunRecord:
    """One seed: baselines, training, downstream probe, exact checks. Returns flat metrics
    (:class:`~essl_testbed.experiments.records.RunRecord`).

    For the bottleneck, the exact information of the code is computed at epoch 0, every
    ``experiment.info_every`` epochs and after the last one (each costs a forward pass over
    every distinct image, about a third of a training epoch).
    """
    from synthetic.training import train

    t0 = time.perf_counter()
    world = experiment.make_world()
    state = _SeedRun(experiment, seed, world, _exact(world, experiment))
    t1 = time.perf_counter()
    history = train(state.model, state.train_ds, experiment.train, seed, on_epoch=state.on_epoch, progress=progress)
    t2 = time.perf_counter()
    run = state.finish(history)
    t3 = time.perf_counter()
    run["seconds"] = t3 - t0
    run["phase_seconds"] = {"setup": t1 - t0, "train": t2 - t1, "finish": t3 - t2}
    run["provenance"] = provenance(experiment.train.device)
    return run


def check_ensemble(experiment: Experiment, size: int) -> None:
    """An :class:`ExperimentError` when ``size`` > 1 seeds of ``experiment`` cannot be batched."""
    if size > 1 and experiment.train.warmup:
        raise ExperimentError(
            "ensembles train at one reversal strength; warmup trains one seed at a time (--ensemble 1)"
        )
    if size > 1 and experiment.train.objective != "predict":
        raise ExperimentError(
            f"ensembles batch the 'predict' objective's heads; objective {experiment.train.objective!r} trains one "
            f"seed at a time (use --ensemble 1)"
        )


def run_ensemble(
    experiment: Experiment, seeds: Sequence[int], progress: Callable[[int], None] | None = None
) -> list[RunRecord]:
    """Several seeds of :func:`run_one` trained together as one batched model
    (:func:`synthetic.ensemble.train_ensemble`); the same metrics up to float rounding.
    Each run's ``seconds`` is the wall time shared out over the members. Seeds whose
    training splits differ in size cannot be stacked; they run one after another."""
    from synthetic.ensemble import train_ensemble

    check_ensemble(experiment, len(seeds))
    t0 = time.perf_counter()
    world = experiment.make_world()
    exact = _exact(world, experiment)
    states = [_SeedRun(experiment, seed, world, exact) for seed in seeds]
    t1 = time.perf_counter()
    if len({len(s.train_ds) for s in states}) > 1:
        return [run_one(experiment, seed, progress) for seed in seeds]
    hooks = [s.on_epoch for s in states]
    on_epoch = None if hooks[0] is None else (lambda m, epoch, model: hooks[m](epoch, model))  # type: ignore[misc]
    histories = train_ensemble(
        [s.model for s in states],
        [s.train_ds for s in states],
        experiment.train,
        list(seeds),
        on_epoch=on_epoch,
        progress=progress,
    )
    t2 = time.perf_counter()
    runs = [s.finish(h) for s, h in zip(states, histories)]
    t3 = time.perf_counter()
    for run in runs:
        run["seconds"] = (t3 - t0) / len(runs)
        run["phase_seconds"] = {
            k: v / len(runs) for k, v in (("setup", t1 - t0), ("train", t2 - t1), ("finish", t3 - t2))
        }
        run["ensemble"] = len(runs)
        run["provenance"] = provenance(experiment.train.device)
    return runs


SUMMARY_SKIP = {"seed", "checks", "history", "information_plane", "held_out", "provenance"}


def summarise(runs: Sequence[RunRecord]) -> dict[str, MetricSummary]:
    """Mean, sample standard deviation and n of every numeric metric over the runs."""
    out: dict[str, MetricSummary] = {}
    for key, first in runs[0].items():
        if key in SUMMARY_SKIP or not isinstance(first, (int, float)):
            continue
        values = np.array([cast(dict, r)[key] for r in runs], dtype=float)
        out[key] = {
            "mean": float(values.mean()),
            "std": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
            "n": len(values),
        }
    return out
