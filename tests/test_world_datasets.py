"""Datasets over worlds (exact weights, Bayes accuracy on the grid, seeded sampling and
splits), the real-data digits world, presets and pictures."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from pictures import decoded, panels

from synthetic.errors import ExactAnalysisUnavailable, WorldError
from synthetic.worlds import presets
from synthetic.worlds.analysis import analyze
from synthetic.worlds.datasets import WorldDataset
from synthetic.worlds.digits import DigitsWorld
from synthetic.worlds.pictures import save_grid


def bayes_predictions(ds: WorldDataset, given: np.ndarray, target: np.ndarray, n_target: int) -> np.ndarray:
    """argmax_t p(given, t) for every row, from the grid's own weights."""
    _, g = np.unique(given, return_inverse=True)
    table = np.zeros((g.max() + 1, n_target))
    np.add.at(table, (g, target), ds.weights)
    return table.argmax(axis=1)[g]


@pytest.mark.parametrize(
    "name, transform",
    [("natural", "rot4"), ("natural", "hflip"), ("occluded", "vflip"), ("six-nine", "rot4"), ("symmetric", "rot4")],
)
def test_grid_bayes_accuracy_equals_the_exact_analysis(name, transform):
    overrides = {"n_classes": 4, "n_positions": 5, "n_colours": 2} if name in ("natural", "occluded") else {}
    world = presets.get(name, **overrides)
    ds = world.dataset(transform)
    assert ds.weights.sum() == pytest.approx(1.0, abs=1e-12)
    assert ds.x.dtype == np.float32 and ds.x.shape[1:] == world.image_shape
    r = analyze(world, transform)
    x = ds.latents["X"]
    acc_a = ds.weighted_accuracy(bayes_predictions(ds, x, ds.a, ds.n_actions), "a")
    acc_c = ds.weighted_accuracy(bayes_predictions(ds, x, ds.c, ds.n_classes), "c")
    assert acc_a == pytest.approx(r["bayes_acc_A_given_X"], abs=1e-12)
    assert acc_c == pytest.approx(r["bayes_acc_C_given_X"], abs=1e-12)


def test_dataset_rows_match_the_latents():
    world = presets.get("natural", n_classes=3, n_positions=5, n_colours=2)
    ds = world.dataset("rot4")
    assert set(ds.latents) == {"C", "S", "Abar", "A", "X"}
    assert len(ds) == world.n_latent_cells("rot4")
    i = 123
    expected = world.render(ds.latents["C"][i], ds.latents["S"][i], ds.latents["Abar"][i], ds.latents["A"][i], "rot4")
    np.testing.assert_array_equal(ds.x[i], expected)
    np.testing.assert_array_equal(ds.a, ds.latents["A"])
    np.testing.assert_array_equal(ds.c, ds.latents["C"])
    assert ds.weights.sum() == pytest.approx(1.0)


def test_exact_world_weights_are_the_latent_probabilities():
    world = presets.get("six-nine", class_prior=(F(1, 3), F(2, 3)))
    ds = world.dataset("rot4")
    np.testing.assert_allclose(ds.weights[ds.c == 1], 2 / 3 / 4)
    assert ds.weights.sum() == pytest.approx(1.0, abs=1e-15)


def test_sampler_is_deterministic_and_follows_the_weights():
    world = presets.get("six-nine", class_prior=(F(1, 4), F(3, 4)))
    ds = world.dataset("rot4")
    a, b, c = ds.sample(4000, seed=7), ds.sample(4000, seed=7), ds.sample(4000, seed=8)
    np.testing.assert_array_equal(a.latents["X"], b.latents["X"])
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.latents["C"], c.latents["C"])
    assert a.weights.sum() == pytest.approx(1.0)
    assert (a.c == 1).mean() == pytest.approx(0.75, abs=0.03)


def test_split_holds_out_styles():
    world = presets.get("natural", n_classes=3, n_positions=9, n_colours=2)
    ds = world.dataset("rot4")
    train, test = ds.split(0.25, seed=3, by="S")
    assert not set(train.latents["S"]) & set(test.latents["S"])
    assert len(train) + len(test) == len(ds)
    assert train.weights.sum() == pytest.approx(1.0) and test.weights.sum() == pytest.approx(1.0)
    again = ds.split(0.25, seed=3, by="S")[1]
    np.testing.assert_array_equal(test.latents["S"], again.latents["S"])
    tr_pos, te_pos = ds.split(1 / 3, seed=0, by="position")
    assert set(np.unique(te_pos.groups["position"])).isdisjoint(np.unique(tr_pos.groups["position"]))
    assert len(np.unique(te_pos.groups["position"])) == 3
    with pytest.raises(WorldError, match="cannot split by 'size'"):
        ds.split(by="size")
    with pytest.raises(WorldError, match="strictly between"):
        ds.split(1.0)


def test_dataset_tensors():
    from synthetic.training import as_tensors

    ds = presets.get("six-nine").dataset("rot2")
    x, a, c, w = as_tensors(ds)
    assert tuple(x.shape) == ds.x.shape and str(a.dtype) == "torch.int64" and float(w.sum()) == pytest.approx(1.0)


def test_digits_world_dataset_and_split():
    world = DigitsWorld()
    ds = world.dataset("rot4")
    assert ds.x.shape == (1797 * 4, 1, 8, 8) and ds.x.dtype == np.float32
    assert 0.0 <= ds.x.min() and ds.x.max() <= 1.0
    assert set(ds.latents) == {"C", "A", "image"}
    assert ds.weights.sum() == pytest.approx(1.0)
    np.testing.assert_array_equal(ds.x[5], np.rot90(ds.x[4], 1, axes=(-2, -1)))  # image 1, A = 1
    train, test = ds.split(0.2, seed=0, by="image")
    assert not set(train.latents["image"]) & set(test.latents["image"])
    assert len(np.unique(test.latents["image"])) == round(0.2 * 1797)


def test_digits_world_refuses_exact_analysis():
    world = presets.get("digits", n_images=20)
    for call in (lambda: world.analyze("rot4"), lambda: world.joint("rot4"), lambda: analyze(world, "rot4")):
        with pytest.raises(ExactAnalysisUnavailable, match="latents other than the class|style S and pose"):
            call()
    assert issubclass(ExactAnalysisUnavailable, ValueError)


def test_presets_are_listed_described_and_overridable():
    assert set(presets.names()) >= {"natural", "six-nine", "symmetric", "shortcut", "occluded", "digits"}
    assert set(presets.descriptions()) == set(presets.names())
    assert all(presets.descriptions().values())
    w = presets.get("natural", n_classes=5, canvas=20, n_positions=4, n_colours=3, n_backgrounds=2)
    assert (w.n_classes, w.image_shape, w.n_styles) == (5, (3, 20, 20), 4 * 6 * 2)
    assert presets.get("shortcut").cue == "corner"
    assert presets.get("six-nine").exact and not presets.get("natural").exact
    assert presets.get("natural", class_prior=[F(1, 8)] * 8).exact
    with pytest.raises(WorldError, match="unknown world 'nope'"):
        presets.get("nope")
    with pytest.raises(WorldError, match="unknown override"):
        presets.get("shortcut", cue=None)
    with pytest.raises(WorldError, match="n_positions must be one of"):
        presets.get("natural", n_positions=3)
    with pytest.raises(WorldError, match="unknown base augmentation"):
        presets.get("natural", base="mixup")


def test_natural_default_size_is_small():
    w = presets.get("natural")
    assert 10**3 <= w.n_latent_cells("rot4") <= 10**5
    assert w.images("rot4").shape[-3:] == (3, 16, 16)


def test_save_grid_writes_a_png(tmp_path):
    path = save_grid(presets.get("natural", n_classes=3), "jigsaw", tmp_path / "grid.png", max_actions=5)
    assert panels(decoded(path)) == 3 * 5  # one row per class, five of the 24 permutations
    digits = save_grid(presets.get("digits", n_images=40), "rot4", tmp_path / "digits.png", n_rows=3)
    assert panels(decoded(digits)) == 3 * 4
    with pytest.raises(WorldError, match="n_rows"):
        save_grid(presets.get("six-nine"), "rot4", tmp_path / "x.png", n_rows=0)
