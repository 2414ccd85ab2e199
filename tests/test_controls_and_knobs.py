"""The null control's labels, matched readouts, eliminate's reversal warm-up and the
bottleneck's sharpening."""

import numpy as np
import pytest
import torch

from essl_testbed.errors import ExperimentError
from essl_testbed.experiments.downstream import entropy_given_images, independent_labels
from essl_testbed.experiments.spec import Experiment
from synthetic.config import TrainConfig
from synthetic.errors import TrainConfigError
from synthetic.nets import matched_pair
from synthetic.training import build_model, reversal_ramp
from synthetic.worlds import presets


def test_null_labels_are_exactly_independent_of_the_images():
    rows = presets.get("occluded").dataset("rot4")  # A is readable here: H(A|X) = 0.14 bits
    null = independent_labels(rows)
    marginal = np.bincount(rows.a, weights=rows.weights, minlength=rows.n_actions)
    h_a = float(-(marginal * np.log2(marginal)).sum())
    assert entropy_given_images(rows) < h_a - 1
    assert entropy_given_images(null) == pytest.approx(h_a, abs=1e-9)  # I(label; X) = 0
    assert np.bincount(null.a, weights=null.weights) == pytest.approx(marginal)
    assert len(null) == rows.n_actions * len(rows) and null.labels == "null"


def test_the_null_control_is_an_experiment_of_its_own():
    a, null = Experiment("six-nine", "rot2"), Experiment("six-nine", "rot2", target="null")
    assert a.key() != null.key() and null.label().endswith("/null")
    with pytest.raises(ExperimentError, match="null"):
        Experiment("six-nine", "rot2", TrainConfig(objective="vicreg-equivariance"), target="null")


@pytest.mark.parametrize("grid", [1, 2])
def test_a_readout_grid_matches_both_encoders(grid):
    pair = matched_pair(3, 64, cnn_width=16, readout_grid=grid, cnn_readout_grid=grid)
    assert pair.cnn.readout_grid == pair.c4.readout_grid == grid
    assert abs(pair.c4_parameters - pair.cnn_parameters) / pair.cnn_parameters < 0.1
    dataset = presets.get("six-nine").dataset("rot4")
    for model in ("cnn", "c4cnn"):
        net = build_model(TrainConfig(model=model, readout_grid=grid), dataset, seed=0)
        assert net.encoder.readout_grid == grid
        assert net.encoder(torch.as_tensor(dataset.x[:2])).shape == (2, 64)


def test_the_default_readouts_keep_their_keys():
    assert not {"readout_grid", "warmup", "sharpen"} & set(TrainConfig().as_dict())


def test_the_reversal_ramps_up_over_the_warmup_share():
    dataset = presets.get("six-nine").dataset("rot4")
    config = TrainConfig(model="mlp", mode="eliminate", lam=3.0, warmup=0.5)
    net = build_model(config, dataset, seed=0)
    ramp = reversal_ramp(net, config, total_steps=10)
    layer = net.class_head[0]
    seen = []
    for step in range(10):
        ramp(step)
        seen.append(layer.lambda_)
    assert seen[:5] == pytest.approx([0.6, 1.2, 1.8, 2.4, 3.0]) and seen[5:] == [3.0] * 5


@pytest.mark.parametrize(
    "config",
    [
        lambda: TrainConfig(warmup=0.5),  # normal has no reversal
        lambda: TrainConfig(mode="eliminate", warmup=1.5),
        lambda: TrainConfig(model="mlp", readout_grid=1),
        lambda: TrainConfig(readout_grid=-1),
        lambda: TrainConfig(sharpen=0.5),  # the CNN has no code to sharpen
        lambda: TrainConfig(model="bottleneck", sharpen=-0.1),
    ],
)
def test_bad_knobs_are_refused(config):
    with pytest.raises(TrainConfigError):
        config()


def test_sharpening_trains_the_last_share_on_the_expected_loss_and_sharpens_the_code():
    """On six-nine under rot4 the mixture loss alone leaves the code soft; the expected loss
    over the last half makes it sharper (H(Z|X) measured exactly on the world)."""
    from synthetic.training import train

    dataset = presets.get("six-nine").dataset("rot4")
    x = torch.as_tensor(dataset.x)
    p_x = torch.as_tensor(dataset.weights / dataset.weights.sum())

    def h_z_given_x(sharpen: float) -> float:
        config = TrainConfig(model="bottleneck", n_codes=4, steps=300, lr=0.01, sharpen=sharpen)
        net = build_model(config, dataset, seed=0)
        train(net, dataset, config, seed=0)
        q = net.code_probs(x).detach().double()
        return float(-(p_x * (q * torch.log2(q.clamp_min(1e-300))).sum(1)).sum())

    assert h_z_given_x(0.5) < h_z_given_x(0.0) - 0.1
