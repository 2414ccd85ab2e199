"""Seeds trained together (one batched model) give each seed's numbers trained alone, to the
stated tolerance, for every registered model and mode."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from cases import slow_cases

from essl_testbed.experiments import Experiment, run_one
from essl_testbed.experiments.run import run_ensemble
from synthetic import models
from synthetic.config import TrainConfig
from synthetic.ensemble import TOLERANCE, train_ensemble
from synthetic.errors import TrainConfigError
from synthetic.training import build_model, train
from synthetic.worlds import presets

SMALL = {"n_classes": 3, "n_positions": 1, "n_colours": 2, "strokes": (0,)}
SEEDS = (0, 1, 2)
CASES = [(name, mode) for name in models.names() for mode in models.get(name).modes]


@pytest.fixture(scope="module")
def dataset():
    return presets.get("natural", **SMALL).dataset("rot4")


def histories(config, data, double: bool):
    """Each seed trained alone, and the seeds trained together."""
    if double:
        data = dataclasses.replace(data, x=data.x.astype(np.float64))

    def build(seed):
        model = build_model(config, data, seed)
        return model.double() if double else model

    alone = []
    for seed in SEEDS:
        model = build(seed)
        alone.append(train(model, data, config, seed))
    together = train_ensemble([build(seed) for seed in SEEDS], [data] * len(SEEDS), config, SEEDS)
    return alone, together


@pytest.mark.parametrize("case", slow_cases(CASES, {"c4cnn-add", "c4cnn-eliminate"}, [f"{n}-{m}" for n, m in CASES]))
def test_members_follow_the_same_seeds_alone_in_float64(case, dataset):
    name, mode = case
    """In float64 summation order barely matters, so every member must track its own seed's
    run to 1e-9: its own initialisation, data order and optimiser state (a member given
    another seed's data order is off by 1e-4 to 1e-2)."""
    alone, together = histories(TrainConfig(model=name, mode=mode, epochs=3, batch_size=16), dataset, double=True)
    for mine, theirs in zip(together, alone):
        assert [h["epoch"] for h in mine] == [h["epoch"] for h in theirs]
        for a, b in zip(mine, theirs):
            assert a["loss"] == pytest.approx(b["loss"], rel=1e-9)
            assert a["train_pretext_acc"] == pytest.approx(b["train_pretext_acc"], abs=1e-9)
    assert len({round(h[-1]["loss"], 6) for h in together}) == len(SEEDS), "members trained identically"


@pytest.mark.parametrize("name", models.names())
def test_members_match_alone_within_the_stated_tolerance_in_float32(name, dataset):
    alone, together = histories(TrainConfig(model=name, epochs=3, batch_size=16), dataset, double=False)
    for mine, theirs in zip(together, alone):
        for a, b in zip(mine, theirs):
            assert a["loss"] == pytest.approx(b["loss"], rel=TOLERANCE)


def test_the_weights_come_back_into_the_members(dataset):
    config = TrainConfig(model="mlp", epochs=2, batch_size=16)
    members = [build_model(config, dataset, seed) for seed in SEEDS]
    before = [next(m.parameters()).detach().clone() for m in members]
    train_ensemble(members, [dataset] * len(SEEDS), config, SEEDS)
    alone = build_model(config, dataset, 1)
    train(alone, dataset, config, 1)
    assert not torch.equal(before[1], next(members[1].parameters()))
    assert torch.allclose(next(members[1].parameters()), next(alone.parameters()), atol=1e-5)


def test_runs_of_an_ensemble_match_runs_alone():
    experiment = Experiment("natural", "rot4", TrainConfig(model="cnn", epochs=2, batch_size=16), world_overrides=SMALL)
    together = run_ensemble(experiment, (0, 1))
    for run in together:
        alone = run_one(experiment, run["seed"])
        assert run["ensemble"] == 2
        for key in ("ce_A_bits", "probe_usable_bits"):
            assert run[key] == pytest.approx(alone[key], rel=1e-3, abs=1e-4), key
        for key in ("pretext_acc", "pretext_acc_full", "probe_acc_random_init"):
            assert run[key] == pytest.approx(alone[key], abs=0.02), key


def test_bad_ensembles_are_named_errors(dataset):
    config = TrainConfig(model="mlp", epochs=1)
    model = build_model(config, dataset, 0)
    with pytest.raises(TrainConfigError, match="one dataset and one seed per member"):
        train_ensemble([model], [dataset, dataset], config, (0,))
    with pytest.raises(TrainConfigError, match="one size"):
        train_ensemble([model, build_model(config, dataset, 1)], [dataset, dataset.subset(range(8))], config, (0, 1))
