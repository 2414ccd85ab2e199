"""The parts the class-need claims are built from: graded and two-label worlds, the nuisance
label, the bottleneck's class adversary, and the exact limits on a seed's training styles."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from essl_testbed.errors import ExperimentError
from essl_testbed.experiments.downstream import with_aux_label, with_class_label
from essl_testbed.experiments.limits import training_style_limits
from essl_testbed.experiments.spec import Experiment
from synthetic.config import TrainConfig
from synthetic.errors import TrainConfigError, WorldError
from synthetic.nets import CategoricalBottleneck
from synthetic.transforms import get as get_transform
from synthetic.worlds import presets
from synthetic.worlds.glyph_world import GlyphWorld
from synthetic.worlds.presets import MARKERS, marker_masks

# ------------------------------------------------------------------ the graded occluded family


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
def test_occlusion_grades_the_needed_class_information():
    values = [float(presets.get("occluded", occlusion=o).analyze("rot4")["I_C_T"]) for o in (0, 0.5, 1)]
    assert values[0] == pytest.approx(0, abs=1e-12) and 0.05 < values[1] < values[2]


def test_full_occlusion_is_the_occluded_world_as_before():
    default, explicit = presets.get("occluded"), presets.get("occluded", occlusion=1)
    assert default.describe() == explicit.describe() and None not in default.knob_values["occluder"]
    assert np.array_equal(default.raw_images(), explicit.raw_images())


def test_partial_occlusion_weights_the_unoccluded_scenes():
    w = presets.get("occluded", occlusion=0.25)
    assert w.knob_values["occluder"][0] is None
    assert w.knob_probs["occluder"].tolist() == pytest.approx([0.75, 0.0625, 0.0625, 0.0625, 0.0625])


@pytest.mark.parametrize("bad", [-0.1, 1.5, "half", True])
def test_occlusion_outside_zero_one_is_rejected(bad):
    with pytest.raises(WorldError, match="occlusion must be a number in \\[0, 1\\]"):
        presets.get("occluded", occlusion=bad)


# ------------------------------------------------------------------ the marked world: two labels


@pytest.mark.parametrize("name", MARKERS)
def test_every_marker_is_invariant_under_d4(name):
    mask = marker_masks(12)[name]
    d4 = get_transform("d4")
    images = d4.apply(np.repeat(mask[None, None].astype(np.float32), 8, axis=0), np.arange(8))
    assert all(np.array_equal(image[0], mask) for image in images)


def test_marked_world_pairs_carrier_and_marker_labels():
    w = presets.get("marked")
    assert w.n_classes == 16 and w.class_names[:2] == ("F|none", "F|corners")
    assert w.label_maps["carrier"].tolist() == [c // 4 for c in range(16)]
    assert w.label_maps["marker"].tolist() == [c % 4 for c in range(16)]
    assert "labels carrier, marker" in w.describe()


def test_the_marker_never_reveals_the_rotation():
    """Ring pixels of the box (where the markers live) are the same under every rotation of an
    image whose box sits at the canvas centre."""
    w = presets.get("marked", n_positions=1)
    x = w.images("rot4")  # (C, S, Abar, A, ch, H, W); box at (2, 2), 12 x 12
    ring = np.zeros((16, 16), dtype=bool)
    ring[2, 2:14] = ring[13, 2:14] = ring[2:14, 2] = ring[2:14, 13] = True
    assert np.array_equal(x[..., ring][:, :, :, :1].repeat(4, axis=3), x[..., ring])


@pytest.mark.parametrize(
    "maps, match",
    [
        ({"C": [0, 1]}, "other than 'C'"),
        ({"half": [0]}, "non-negative int for each of the 2 classes"),
        ({"half": [0, -1]}, "non-negative int"),
        ([0, 1], "must map label names"),
    ],
)
def test_label_maps_are_validated(maps, match):
    with pytest.raises(WorldError, match=match):
        GlyphWorld({"a": np.eye(2), "b": np.eye(2)[::-1]}, label_maps=maps)


def test_with_class_label_reads_the_label_of_each_row():
    ds = presets.get("marked").dataset("rot4")
    marker = with_class_label(ds, presets.get("marked").label_maps["marker"])
    assert marker.n_classes == 4 and np.array_equal(marker.c, ds.c % 4)


# ------------------------------------------------------------------ the nuisance label


def test_aux_colour_replaces_the_class_by_the_colour():
    ds = presets.get("occluded", n_classes=6).dataset("rot4")
    nuisance = with_aux_label(ds, "colour")
    assert nuisance.n_classes == 6 and np.array_equal(nuisance.c, ds.groups["colour"])
    assert with_aux_label(ds, "class") is ds


def test_aux_needs_a_colour_knob():
    ds = presets.get("digits", n_images=20).dataset("rot4")
    with pytest.raises(ExperimentError, match="needs a world with a 'colour' style knob"):
        with_aux_label(ds, "colour")


def test_aux_is_validated_and_leaves_old_keys_alone():
    with pytest.raises(TrainConfigError, match="unknown aux label"):
        TrainConfig(mode="add", aux="shape")
    with pytest.raises(TrainConfigError, match="mode 'normal' has none"):
        TrainConfig(aux="colour")
    assert "aux" not in TrainConfig().as_dict() and TrainConfig(mode="add", aux="colour").as_dict()["aux"] == "colour"


# ------------------------------------------------------------------ the bottleneck's class adversary


def test_bottleneck_adversary_reverses_its_gradient_into_the_code():
    """d(loss)/d(code logits) = d(objective) - λ d(CE of the adversary): the code is pushed away
    from what the adversary uses, while the adversary itself learns to classify."""
    torch.manual_seed(0)
    model = CategoricalBottleneck(6, n_codes=3, n_actions=2, n_classes=2, reversal_lambda=0.7)
    x, a, c = torch.arange(6), torch.tensor([0, 1, 0, 1, 0, 1]), torch.tensor([0, 0, 1, 1, 0, 1])
    loss, _ = model.pretext_loss(x, a, c)
    loss.backward()
    total = model.logit_table.grad.clone()
    model.zero_grad()
    model.loss(x, a).backward()
    objective = model.logit_table.grad.clone()
    model.zero_grad()
    linear = model.adversary[1]
    torch.nn.functional.cross_entropy(linear(model.code_probs(x)), c).backward()
    adversary = model.logit_table.grad.clone()
    assert torch.allclose(total, objective - 0.7 * adversary, atol=1e-6)
    assert linear.weight.grad is not None


def test_bottleneck_trains_in_eliminate_mode_only():
    assert TrainConfig(model="bottleneck", mode="eliminate").mode == "eliminate"
    with pytest.raises(TrainConfigError, match="trains in mode"):
        TrainConfig(model="bottleneck", mode="add")


# ------------------------------------------------------------------ exact limits on the training styles


def test_training_style_limits_are_ordered():
    limits = training_style_limits(Experiment("occluded", "rot4", world_overrides={"n_classes": 6}), seed=0)
    assert 0 < limits["H_A_given_X"] < limits["H_A_given_Z_class_blind"] < limits["H_A"] == pytest.approx(2.0)
    assert limits["I_C_T"] > 0.1
