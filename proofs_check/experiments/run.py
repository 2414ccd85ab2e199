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

__all__ = ["run_one", "summarise", "train_test_split"]


def train_test_split(full: Any, seed: int, test_fraction: float = 0.25) -> tuple[Any, Any, str]:
    """(train, test, held-out grouping): a seeded quarter of the styles (images, for real
    data) is held out; a world with a single style trains and tests on its full grid."""
    by = "image" if "image" in full.groups else "S"
    if len(np.unique(full.groups[by])) > 1:
        train, test = full.split(test_fraction, seed=seed, by=by)
        return train, test, by
    return full, full, "none"


def run_one(experiment: Experiment, seed: int, progress: Callable[[int], None] | None = None) -> dict:
    """One seed: random-init probe, pretext training, probe, exact checks. Returns flat metrics.

    For the bottleneck, the exact information of the code is computed at epoch 0, every
    ``experiment.info_every`` epochs and after the last one (each costs a forward pass over
    every distinct image, about a third of a training epoch).
    """
    from synthetic.errors import ExactAnalysisUnavailable
    from synthetic.probe import LinearProbe, entropy_bits
    from synthetic.training import build_model, evaluate, train, weighted_cross_entropy_bits

    t0 = time.perf_counter()
    config, transform = experiment.train, experiment.transform
    world = experiment.make_world()
    full = world.dataset(transform)
    train_ds, test_ds, by = train_test_split(full, seed)
    try:
        exact = world.analyze(transform)  # type: ignore[attr-defined]
    except ExactAnalysisUnavailable:
        exact = None

    def probe_metrics(model: Any) -> tuple[dict, dict, dict]:
        """Probe metrics, and the evaluations of the test split and the full grid."""
        tr, te, fu = (evaluate(model, d, config.device) for d in (train_ds, test_ds, full))
        probe = LinearProbe().fit(tr["features"], train_ds.c, train_ds.weights)
        out = {
            "probe_acc": probe.score(te["features"], test_ds.c, test_ds.weights),
            "probe_acc_full": probe.score(fu["features"], full.c, full.weights),
            "usable_bits_C": probe.usable_bits(fu["features"], full.c, full.weights),
        }
        return out, te, fu

    model = build_model(config, full, seed)
    random_init, _, _ = probe_metrics(model)
    on_epoch = None
    if config.model == "bottleneck" and exact is not None:

        def on_epoch(epoch: int, m: Any) -> dict:
            due = epoch % experiment.info_every == 0 or epoch == config.epochs
            return bottleneck_information(world, transform, full, m) if due else {}  # type: ignore[arg-type]

    history = train(model, train_ds, config, seed, on_epoch=on_epoch, progress=progress)
    trained, test_eval, full_eval = probe_metrics(model)

    run = {
        "seed": seed,
        "held_out": by,
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
            k: float(exact[k]) for k in ("H_A", "I_A_X", "bayes_acc_A_given_X", "H_C", "I_C_X", "bayes_acc_C_given_X")
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
    if on_epoch is not None:
        run.update({k: v for k, v in history[-1].items() if k.startswith(("I_", "H_", "t1_"))})
        run["information_plane"] = [
            {"epoch": h["epoch"], "I_A_Z": h["I_A_Z"], "I_C_Z": h["I_C_Z"]} for h in history if "I_A_Z" in h
        ]
    run["history"] = history
    run["seconds"] = time.perf_counter() - t0
    return run


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
