"""Pretext training, probes and the checks against exact information."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from cases import slow_cases

from essl_testbed.cli import main
from essl_testbed.experiments import BoundViolation, Experiment, check_bound, run_one, run_seeds
from synthetic.config import TrainConfig
from synthetic.errors import TrainConfigError
from synthetic.probe import LinearProbe, ProbeInputError
from synthetic.training import as_tensors, build_model
from synthetic.worlds import presets

SMALL = {"n_classes": 3, "n_positions": 1, "n_colours": 2, "strokes": (0,)}


def small(config: TrainConfig) -> Experiment:
    return Experiment("natural", "rot4", config, world_overrides=SMALL)


def small_run(**config):
    return run_one(small(TrainConfig(**{"epochs": 2, **config})), seed=0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"model": "resnet"}, "unknown model 'resnet'"),
        ({"mode": "remove"}, "unknown mode 'remove'"),
        (
            {"model": "bottleneck", "mode": "add"},
            "model 'bottleneck' trains in mode\\(s\\) normal, eliminate, not 'add'",
        ),
        ({"epochs": -1}, "epochs must be a non-negative int"),
        ({"batch_size": 0}, "batch_size must be a positive int"),
        ({"lr": 0.0}, "lr must be a positive number"),
        ({"lam": -1.0}, "lam must be a non-negative number"),
    ],
)
def test_bad_config(kwargs, match):
    with pytest.raises(TrainConfigError, match=match):
        TrainConfig(**kwargs)


def test_same_seed_same_numbers():
    a, b = small_run(), small_run()
    for key in ("pretext_acc", "probe_acc", "probe_acc_random_init", "ce_A_bits", "probe_usable_bits"):
        assert a[key] == b[key]
    assert [h["loss"] for h in a["history"]] == [h["loss"] for h in b["history"]]
    c = run_one(small(TrainConfig(epochs=2)), seed=1)
    assert c["history"][-1]["loss"] != a["history"][-1]["loss"]


@pytest.mark.parametrize("model, mode", [("cnn", "normal"), ("c4cnn", "normal"), ("mlp", "add"), ("cnn", "eliminate")])
def test_trained_models_respect_exact_limits(model, mode):
    run = small_run(model=model, mode=mode)
    assert run["checks"] and all(c["value"] <= c["limit"] + 1e-6 for c in run["checks"].values())
    assert 0 <= run["pretext_acc_full"] <= run["bayes_acc_A_given_X"] + 1e-9
    assert run["ce_bound_bits"] <= run["I_A_X"] + 1e-6


def test_bound_violation_fails_loudly():
    with pytest.raises(BoundViolation, match="exceeds its exact limit"):
        check_bound("probe accuracy", 0.9, 0.8)


def test_bottleneck_information_per_epoch_satisfies_t1():
    run = small_run(model="bottleneck", n_codes=4, epochs=3)
    plane = run["information_plane"]
    assert [p["epoch"] for p in plane] == [0, 1, 2, 3]
    assert abs(run["t1_residual"]) <= 1e-9
    assert run["I_A_Z"] <= run["I_A_X"] + 1e-9 and run["I_C_Z"] <= run["I_C_X"] + 1e-9
    # T1's identity on the learned code: I(A;Z) = I(A;Z|C) - I(A;C|Z)
    assert run["I_A_Z"] == pytest.approx(run["I_A_Z_given_C"] - run["I_A_C_given_Z"], abs=1e-9)


def test_eliminate_reverses_the_class_gradient_into_the_encoder():
    ds = presets.get("natural", **SMALL).dataset("rot4")
    x, a, c, w = as_tensors(ds)
    grads = {}
    for mode in ("add", "eliminate"):
        config = TrainConfig(mode=mode, lam=0.5)
        model = build_model(config, ds, seed=0)
        out = model(x[:32])
        loss = torch.nn.functional.cross_entropy(out.class_logits, c[:32])
        loss.backward()
        grads[mode] = next(model.encoder.parameters()).grad.clone()
    assert torch.allclose(grads["eliminate"], -0.5 * grads["add"], atol=1e-7)


def test_resume_reuses_finished_seeds(tmp_path, monkeypatch):
    config = TrainConfig(epochs=1)
    first = run_seeds(small(config), [0, 1], cache_dir=tmp_path, show_progress=False)
    assert len(list(tmp_path.rglob("seed*.json"))) == 2

    def must_not_run(*args, **kwargs):
        raise AssertionError("a cached seed was retrained")

    monkeypatch.setattr("essl_testbed.experiments.sweep.run_one", must_not_run)
    again = run_seeds(small(config), [0, 1], cache_dir=tmp_path, show_progress=False)
    assert again["summary"] == first["summary"] and len(again["runs"]) == 2


def test_summary_has_mean_and_spread():
    result = run_seeds(small(TrainConfig(epochs=1)), [0, 1, 2], show_progress=False)
    stats = result["summary"]["probe_acc"]
    values = [r["probe_acc"] for r in result["runs"]]
    assert stats["n"] == 3 and stats["mean"] == pytest.approx(np.mean(values))
    assert stats["std"] == pytest.approx(np.std(values, ddof=1))


def test_cli_train_json(capsys):
    code = main(
        "train --world six-nine --transform rot4 --model bottleneck --n-codes 4 --epochs 1 --seeds 0,1 --json --quiet".split()
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"config", "notes", "runs", "summary"} and [r["seed"] for r in out["runs"]] == [0, 1]
    for metric in (
        "pretext_acc",
        "probe_acc",
        "probe_acc_random_init",
        "bayes_acc_A_given_X",
        "ce_bound_bits",
        "I_A_X",
        "probe_usable_bits",
        "I_C_X",
        "I_A_Z",
        "I_C_Z",
        "I_A_Z_given_C",
        "I_A_C_given_Z",
        "H_C_given_Z",
    ):
        assert set(out["summary"][metric]) == {"mean", "std", "n"} and out["summary"][metric]["n"] == 2
        values = [r[metric] for r in out["runs"]]
        assert out["summary"][metric]["mean"] == pytest.approx(np.mean(values))
    # six-nine under rot4: a turned six is a nine, so X shows A only up to 180 degrees and hides C
    exact = {"I_A_X": 1.0, "bayes_acc_A_given_X": 0.5, "I_C_X": 0.0, "I_C_X0": 1.0, "bayes_acc_C_given_X0": 1.0}
    for metric, value in exact.items():
        assert out["summary"][metric]["mean"] == pytest.approx(value, abs=1e-12), metric
        assert out["summary"][metric]["std"] == 0.0, metric


def test_cli_train_digits_has_no_exact_references(capsys):
    code = main("train --world digits --transform vflip --model mlp --epochs 1 --seeds 0 --json --quiet".split())
    assert code == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert "probe_acc" in summary and "I_C_X" not in summary and "bayes_acc_A_given_X" not in summary


def test_cli_rejects_bad_seeds(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--world", "natural", "--transform", "rot4", "--seeds", "a,b"])
    assert "seeds must be comma-separated integers" in capsys.readouterr().err


def test_probe_bad_input():
    with pytest.raises(ProbeInputError, match="features must be 2-D"):
        LinearProbe().fit(np.zeros(3), np.zeros(3))
    with pytest.raises(ProbeInputError, match="at least two classes"):
        LinearProbe().fit(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ProbeInputError, match="labels have shape"):
        LinearProbe().fit(np.zeros((3, 2)), np.zeros(4))


def test_probe_usable_bits_never_exceed_label_entropy():
    rng = np.random.default_rng(0)
    Z, y = rng.normal(size=(200, 3)), rng.integers(0, 3, size=200)
    probe = LinearProbe().fit(Z, y)
    assert probe.usable_bits_ <= np.log2(3) + 1e-9
    assert probe.cross_entropy_bits(Z, np.full(200, 7)) == float("inf")


@pytest.mark.parametrize(
    "case", slow_cases([("six-nine", "mlp"), ("marked", "bottleneck")], {"marked"}, ["six-nine", "marked"])
)
def test_a_run_has_the_typed_record_keys_and_nothing_undeclared(case):
    """RunRecord (essl_testbed.experiments.records) is the schema of a run: every run has the
    RunCore keys with their types, and emits no key the record does not declare."""
    import typing

    from essl_testbed.experiments import Experiment, run_one
    from essl_testbed.experiments.records import RunCore, undeclared_keys
    from synthetic.config import TrainConfig

    world, model = case  # marked: a world with labels, and a bottleneck's code
    experiment = Experiment(world, "rot2", TrainConfig(model=model, steps=3))
    run = run_one(experiment, seed=0)
    assert undeclared_keys(run, getattr(experiment.make_world(), "label_maps", {})) == []
    for key, kind in typing.get_type_hints(RunCore).items():
        origin = typing.get_origin(kind) or kind
        assert isinstance(run[key], origin) or (origin is float and isinstance(run[key], int)), (key, run[key])


def test_the_last_epoch_reports_the_loss_over_each_tenth_of_the_steps():
    from synthetic.training import LOSS_WINDOWS, train

    experiment = small(TrainConfig(steps=20, batch_size=8, lr=0.01))
    world = experiment.make_world()
    dataset = world.dataset("rot4")
    model = build_model(experiment.train, dataset, seed=0)
    history = train(model, dataset, experiment.train, seed=0)
    windows = history[-1]["loss_windows"]
    assert len(windows) == LOSS_WINDOWS and all(np.isfinite(windows))
    assert all("loss_windows" not in row for row in history[:-1])
    # every window holds two steps: their mean is the epochs' losses weighted by their steps,
    # up to the different weight sums of the batches
    steps = experiment.train.batches_per_epoch(len(dataset))
    by_epoch = np.average([row["loss"] for row in history], weights=steps)
    assert np.mean(windows) == pytest.approx(by_epoch, rel=0.05)
