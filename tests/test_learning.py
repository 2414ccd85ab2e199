"""Learning through the real training path: the loss falls, held-out accuracy beats chance,
and the networks and probes are given only what the protocol allows them to see."""

from __future__ import annotations

import numpy as np
import pytest

import synthetic.training
from essl_testbed.experiments import Experiment, downstream_sets, run_one
from essl_testbed.experiments.downstream import FEW_SHOT
from synthetic.config import TrainConfig

SMALL = {"n_classes": 4, "n_positions": 5}


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
def test_rotation_prediction_learns_on_held_out_styles():
    run = run_one(Experiment("natural", "rot4", TrainConfig(steps=200), world_overrides=SMALL), seed=0)
    losses = [h["loss"] for h in run["history"]]
    assert losses[-1] < 0.85 * losses[0]  # nats; ln 4 = 1.39 at the start
    assert run["pretext_acc"] > 0.4  # chance is 0.25, Bayes 1.0
    assert run["pretext_ce_bits"] < 1.95  # H(A) = 2 bits
    assert not run["dead"]


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
def test_the_supervised_ceiling_learns_the_class():
    run = run_one(Experiment("natural", "rot4", TrainConfig(steps=150), world_overrides=SMALL, target="C"), seed=0)
    assert run["probe_acc"] > run["probe_acc_random_init"] + 0.15


def test_the_networks_and_probes_see_only_training_styles(monkeypatch):
    seen = {}
    real_train = synthetic.training.train

    def watching(model, dataset, config, seed, **kwargs):
        seen["train"] = dataset
        return real_train(model, dataset, config, seed, **kwargs)

    monkeypatch.setattr(synthetic.training, "train", watching)
    fits = []
    from synthetic.probe import LinearProbe

    real_fit = LinearProbe.fit

    def watching_fit(self, Z, y, sample_weight=None):
        fits.append(len(y))
        return real_fit(self, Z, y, sample_weight)

    monkeypatch.setattr(LinearProbe, "fit", watching_fit)
    experiment = Experiment("natural", "rot4", TrainConfig(steps=2), world_overrides=SMALL)
    run_one(experiment, seed=4)
    split, parts = downstream_sets(experiment, seed=4)
    held_out = set(split.test)
    trained_on = set(zip(seen["train"].groups["colour"].tolist(), seen["train"].groups["stroke"].tolist()))
    assert held_out and not trained_on & held_out
    assert set(seen["train"].a.tolist()) == {0, 1, 2, 3}  # every action of every training style
    # every probe was fit on the training part (or a few-shot subset of it), never on test rows
    assert set(fits) == {len(parts["train"]), *(k * 4 for k in FEW_SHOT)}  # 4 classes
    test_images = {x.tobytes() for x in parts["test"].x}
    assert not any(x.tobytes() in test_images for x in seen["train"].x)


@pytest.mark.parametrize("world", ["six-nine", "digits"])
def test_worlds_without_styles_or_with_images_split_as_documented(world):
    split, parts = downstream_sets(Experiment(world, "rot2"), seed=0)
    if world == "six-nine":
        assert split.test == () and np.array_equal(parts["train"].x, parts["test"].x)
    else:
        assert split.units == ("image",) and len(split.test) == 449
        assert not set(parts["train"].latents["image"]) & set(parts["test"].latents["image"])
