"""Train on a world, probe the features, and check everything against exact information.

``run_one(experiment, seed)`` trains one seed and returns flat metrics
(:func:`proofs_check.experiments.sweep.run_seeds` runs several, through an executor).
Generalisation numbers (``pretext_acc``, ``probe_acc``) are on held-out styles (images, for
digits); the exact limits of :mod:`proofs_check.experiments.checks` are checked on the
world's full enumerated distribution.

>>> from synthetic.config import TrainConfig
>>> run = run_one(Experiment("six-nine", "rot2", TrainConfig(model="mlp", epochs=3)), seed=0)
>>> run["pretext_acc_full"] <= run["bayes_acc_A_given_X"]
True
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .checks import bottleneck_information, check_bound
from .spec import Experiment

__all__ = ["run_ensemble", "run_one", "summarise", "train_test_split"]


def train_test_split(full: Any, seed: int, test_fraction: float = 0.25) -> tuple[Any, Any, str]:
    """(train, test, held-out grouping): a seeded quarter of the styles (images, for real
    data) is held out; a world with a single style trains and tests on its full grid."""
    by = "image" if "image" in full.groups else "S"
    if len(np.unique(full.groups[by])) > 1:
        train, test = full.split(test_fraction, seed=seed, by=by)
        return train, test, by
    return full, full, "none"


class _SeedRun:
    """One seed's run around its training: the split, the random-init probe, the bottleneck's
    information cadence, and the metrics and exact checks after training."""

    def __init__(self, experiment: Experiment, seed: int, world: Any, exact: dict | None):
        from synthetic.training import build_model

        self.experiment, self.seed, self.world, self.exact = experiment, seed, world, exact
        self.full = world.dataset(experiment.transform)
        self.train_ds, self.test_ds, self.held_out = train_test_split(self.full, seed)
        self.model = build_model(experiment.train, self.full, seed)
        self.random_init, _, _ = self.probe_metrics(self.model)

    def probe_metrics(self, model: Any) -> tuple[dict, dict, dict]:
        """Probe metrics, and the evaluations of the test split and the full grid."""
        from synthetic.probe import LinearProbe
        from synthetic.training import evaluate

        device = self.experiment.train.device
        tr, te, fu = (evaluate(model, d, device) for d in (self.train_ds, self.test_ds, self.full))
        probe = LinearProbe().fit(tr["features"], self.train_ds.c, self.train_ds.weights)
        out = {
            "probe_acc": probe.score(te["features"], self.test_ds.c, self.test_ds.weights),
            "probe_acc_full": probe.score(fu["features"], self.full.c, self.full.weights),
            "usable_bits_C": probe.usable_bits(fu["features"], self.full.c, self.full.weights),
        }
        return out, te, fu

    @property
    def on_epoch(self) -> Callable[[int, Any], dict] | None:
        """The bottleneck's exact information at epoch 0, every ``info_every`` epochs and the last."""
        config = self.experiment.train
        if config.model != "bottleneck" or self.exact is None:
            return None

        def information(epoch: int, model: Any) -> dict:
            due = epoch % self.experiment.info_every == 0 or epoch == config.epochs
            return bottleneck_information(self.world, self.experiment.transform, self.full, model) if due else {}

        return information

    def finish(self, history: list[dict]) -> dict:
        from synthetic.probe import entropy_bits
        from synthetic.training import weighted_cross_entropy_bits

        full, test_ds, exact, random_init = self.full, self.test_ds, self.exact, self.random_init
        trained, test_eval, full_eval = self.probe_metrics(self.model)
        run = {
            "seed": self.seed,
            "held_out": self.held_out,
            "pretext_acc": test_ds.weighted_accuracy(test_eval["predictions"]),
            "pretext_acc_full": full.weighted_accuracy(full_eval["predictions"]),
            "ce_A_bits": weighted_cross_entropy_bits(full_eval["action_probs"], full.a, full.weights),
            **trained,
            "probe_acc_random_init": random_init["probe_acc"],
            "usable_bits_C_random_init": random_init["usable_bits_C"],
        }
        run["ce_bound_bits"] = entropy_bits(full.a, full.weights) - run["ce_A_bits"]
        if exact is not None:
            refs = {
                k: float(exact[k])
                for k in ("H_A", "I_A_X", "bayes_acc_A_given_X", "H_C", "I_C_X", "bayes_acc_C_given_X")
            }
            run.update(refs)
            run["checks"] = {
                "pretext_acc <= bayes_acc_A_given_X": check_bound(
                    "pretext accuracy", run["pretext_acc_full"], refs["bayes_acc_A_given_X"]
                ),
                "H(A) - CE_A <= I(A;X)": check_bound("Barber-Agakov bound", run["ce_bound_bits"], refs["I_A_X"]),
                "H(C) - CE_probe <= I(C;X)": check_bound("usable information", run["usable_bits_C"], refs["I_C_X"]),
                "probe_acc <= bayes_acc_C_given_X": check_bound(
                    "probe accuracy", run["probe_acc_full"], refs["bayes_acc_C_given_X"]
                ),
                "random-init H(C) - CE_probe <= I(C;X)": check_bound(
                    "usable information (random init)", random_init["usable_bits_C"], refs["I_C_X"]
                ),
            }
        if self.on_epoch is not None:
            run.update({k: v for k, v in history[-1].items() if k.startswith(("I_", "H_", "t1_"))})
            run["information_plane"] = [
                {"epoch": h["epoch"], "I_A_Z": h["I_A_Z"], "I_C_Z": h["I_C_Z"]} for h in history if "I_A_Z" in h
            ]
        run["history"] = history
        return run


def _exact(world: Any, transform: str) -> dict | None:
    from synthetic.errors import ExactAnalysisUnavailable

    try:
        return world.analyze(transform)
    except ExactAnalysisUnavailable:
        return None


def run_one(experiment: Experiment, seed: int, progress: Callable[[int], None] | None = None) -> dict:
    """One seed: random-init probe, pretext training, probe, exact checks. Returns flat metrics.

    For the bottleneck, the exact information of the code is computed at epoch 0, every
    ``experiment.info_every`` epochs and after the last one (each costs a forward pass over
    every distinct image, about a third of a training epoch).
    """
    from synthetic.training import train

    t0 = time.perf_counter()
    world = experiment.make_world()
    state = _SeedRun(experiment, seed, world, _exact(world, experiment.transform))
    history = train(state.model, state.train_ds, experiment.train, seed, on_epoch=state.on_epoch, progress=progress)
    run = state.finish(history)
    run["seconds"] = time.perf_counter() - t0
    return run


def run_ensemble(
    experiment: Experiment, seeds: Sequence[int], progress: Callable[[int], None] | None = None
) -> list[dict]:
    """Several seeds of :func:`run_one` trained together as one batched model
    (:func:`synthetic.ensemble.train_ensemble`); the same metrics up to float rounding.
    Each run's ``seconds`` is the wall time shared out over the members. Seeds whose
    training splits differ in size cannot be stacked; they run one after another."""
    from synthetic.ensemble import train_ensemble

    t0 = time.perf_counter()
    world = experiment.make_world()
    exact = _exact(world, experiment.transform)
    states = [_SeedRun(experiment, seed, world, exact) for seed in seeds]
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
    runs = [s.finish(h) for s, h in zip(states, histories)]
    for run in runs:
        run["seconds"] = (time.perf_counter() - t0) / len(runs)
        run["ensemble"] = len(runs)
    return runs


SUMMARY_SKIP = {"seed", "checks", "history", "information_plane"}


def summarise(runs: Sequence[dict]) -> dict:
    """Mean, sample standard deviation and n of every numeric metric over the runs."""
    out = {}
    for key in runs[0]:
        if key in SUMMARY_SKIP or not isinstance(runs[0][key], (int, float)):
            continue
        values = np.array([r[key] for r in runs], dtype=float)
        out[key] = {
            "mean": float(values.mean()),
            "std": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
            "n": len(values),
        }
    return out
