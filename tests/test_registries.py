"""Every registered extension works end to end, so a new one is covered without editing a list:
each model trains and predicts, each claim runs on a tiny budget, and registering a
transformation, a preset or a model makes it available to the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from cases import slow_cases

from essl_testbed.cli import build_parser, main
from essl_testbed.experiments import Budget, Experiment, run_one
from essl_testbed.report import CLAIMS, Verdict, reproduce
from synthetic import models, transforms
from synthetic.config import TrainConfig
from synthetic.errors import TrainConfigError, TransformError, WorldError
from synthetic.nets import PretextNetwork
from synthetic.training import as_tensors, build_model, train
from synthetic.worlds import GlyphWorld, presets


@pytest.mark.parametrize("name", models.names())
def test_every_registered_model_trains_and_predicts(name):
    ds = presets.get("six-nine").dataset("rot4")
    spec = models.get(name)
    for mode in spec.modes:
        config = TrainConfig(model=name, mode=mode, epochs=2, batch_size=4)
        model = build_model(config, ds, seed=0)
        assert isinstance(model, PretextNetwork)
        before = [p.detach().clone() for p in model.parameters()]
        history = train(model, ds, config, seed=0)
        assert len(history) == 2 and all(np.isfinite(h["loss"]) for h in history)
        assert any(not torch.equal(b, p) for b, p in zip(before, model.parameters())), "no parameter moved"
        x, a, c, w = as_tensors(ds)
        loss, predictions = model.pretext_loss(x, a, c, w)
        assert loss.ndim == 0 and predictions.shape == a.shape
        features, probs = model.predict(x)
        assert features.shape[0] == len(ds) and probs.shape == (len(ds), ds.n_actions)
        assert torch.allclose(probs.sum(1), torch.ones(len(ds)), atol=1e-5)


def test_a_builder_that_returns_no_pretext_network_is_refused():
    @models.register("encoder-only", "an encoder without a pretext loss", modes=("normal",))
    def encoder_only(config, dataset):
        from synthetic.nets import MLPEncoder

        return MLPEncoder(dataset.x.shape[1], dataset.x.shape[2], feature_dim=4)

    try:
        with pytest.raises(TrainConfigError, match="'encoder-only': its builder returned a MLPEncoder, which lacks"):
            build_model(TrainConfig(model="encoder-only"), presets.get("six-nine").dataset("rot2"), seed=0)
    finally:
        models.unregister("encoder-only")


def test_a_model_rejects_modes_it_does_not_declare():
    for name in models.names():
        for mode in set(models.MODES) - set(models.get(name).modes):
            with pytest.raises(TrainConfigError, match=f"model '{name}' trains in mode"):
                TrainConfig(model=name, mode=mode)


TRAINS = {"forecast"}  # claims that train networks without a paired primary contrast
SLOW_EXACT = {"seven_exact"}  # over 2 s
CLAIM_PARAMS = slow_cases(
    list(CLAIMS), {key for key, spec in CLAIMS.items() if spec.trained or key in TRAINS or key in SLOW_EXACT}
)


@pytest.mark.parametrize("key", CLAIM_PARAMS)
def test_every_registered_claim_runs_on_a_tiny_budget(key, tmp_path):
    claims = reproduce(tmp_path, Budget(steps=1, seeds=(0, 1)), only=[key], log=lambda _: None)
    assert [c.key for c in claims] == [key] and isinstance(claims[0].verdict, Verdict)
    results = json.loads((tmp_path / "results.json").read_text())["claims"]
    assert results[key]["verdict"] == claims[0].verdict.value
    assert f"## {CLAIMS[key].title}" in (tmp_path / "report.md").read_text()


@pytest.fixture
def transpose():
    class Transpose(transforms.Transform):
        def _apply_one(self, ops, images, action):
            return images.swapaxes(-1, -2) if action else ops.copy(images)

    t = transforms.register(Transpose("transpose-test", 2))
    yield t
    transforms.unregister("transpose-test")


def test_a_registered_transformation_is_available_everywhere(transpose, capsys):
    assert "transpose-test" in transforms.names() and transforms.get("rot2*transpose-test").n_actions == 4
    world = presets.get("natural", n_classes=2, n_positions=1, n_colours=1, strokes=(0,))
    assert float(world.analyze("transpose-test")["H_A"]) == pytest.approx(1.0)
    run = run_one(Experiment("six-nine", "transpose-test", TrainConfig(model="mlp", epochs=1)), seed=0)
    assert 0.0 <= run["pretext_acc"] <= 1.0
    with pytest.raises(SystemExit):
        build_parser(["analyze"]).parse_args(["analyze", "--help"])
    assert "transpose-test" in capsys.readouterr().out


def test_registering_a_transformation_twice_or_badly_is_an_error(transpose):
    with pytest.raises(TransformError, match="already registered"):
        transforms.register(transpose)
    with pytest.raises(TransformError, match="without '\\*'"):
        transforms.register(transforms.Flip("a*b", 2, axis=-1))
    with pytest.raises(TransformError, match="no transformation named"):
        transforms.unregister("never-registered")


@pytest.fixture
def tiny_preset():
    @presets.preset("tiny-test", "two one-pixel glyphs", fixes=("canvas",))
    def tiny(class_prior=None, canvas=None, name="tiny-test"):
        return GlyphWorld({"a": [[1.0, 0.0]], "b": [[0.0, 1.0]]}, class_prior, name=name)

    yield "tiny-test"
    presets.unregister("tiny-test")


def test_a_registered_preset_is_available_everywhere(tiny_preset, capsys):
    assert presets.get(tiny_preset).n_classes == 2
    assert presets.overrides(tiny_preset) == ("class_prior", "name")  # canvas is fixed by the preset
    assert main(["worlds"]) == 0
    assert "tiny-test  two one-pixel glyphs" in capsys.readouterr().out
    with pytest.raises(WorldError, match="already registered"):
        presets.preset("tiny-test", "again")(lambda: None)


@pytest.fixture
def wide_mlp():
    @models.register("wide-mlp-test", "an MLP with 128 features", modes=("normal",))
    def build(config, dataset):
        from synthetic.nets import MLPEncoder, PretextModel

        return PretextModel(MLPEncoder(dataset.x.shape[1], dataset.x.shape[2], feature_dim=128), dataset.n_actions)

    yield "wide-mlp-test"
    models.unregister("wide-mlp-test")


def test_a_registered_model_is_available_everywhere(wide_mlp, capsys):
    code = main(
        "train --world six-nine --transform rot2 --model wide-mlp-test --epochs 1 --seeds 0 --json --quiet".split()
    )
    assert code == 0
    run = json.loads(capsys.readouterr().out)["runs"][0]
    assert run["pretext_acc"] <= run["bayes_acc_A_given_X"] + 1e-9
    with pytest.raises(TrainConfigError, match="already registered"):
        models.register("wide-mlp-test", "again")(lambda c, d: None)
