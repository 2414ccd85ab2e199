"""Training objectives: strict equivariance, instance discrimination (N-way and contrastive),
the exact target chain up to the instance, and strictly equivariant codes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from essl_testbed.cli import main
from essl_testbed.errors import ExperimentError
from essl_testbed.experiments import Experiment, run_one
from synthetic import transforms
from synthetic.config import TrainConfig
from synthetic.errors import TrainConfigError
from synthetic.nets import C4Encoder, CNNEncoder, MLPEncoder, seeded
from synthetic.nets.contrastive import ContrastiveModel
from synthetic.nets.strict import StrictModel, feature_representation, pair_statistics, regular_representation
from synthetic.objectives import instance_ids, relabel_by_instance
from synthetic.worlds import presets
from synthetic.worlds.strict_codes import code_information, equivariance_gap, symmetrise
from synthetic.worlds.targets import target_chain
from theory import Joint, PushforwardJoint, mutual_information
from theory._posterior import _sparse_posterior_ids, posterior_ids

SMALL = {"n_classes": 3, "n_positions": 1, "n_colours": 2, "strokes": (0,)}


# ---------------------------------------------------------------- configuration errors


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"objective": "byol"}, "unknown objective 'byol'"),
        ({"objective": "vicreg-equivariance", "mode": "add"}, "mode 'add' changes the class head"),
        ({"objective": "contrastive", "model": "bottleneck"}, "the bottleneck predicts A through its code"),
    ],
)
def test_config_rejects_combinations_that_mean_nothing(kwargs, match):
    with pytest.raises(TrainConfigError, match=match):
        TrainConfig(**kwargs)


@pytest.mark.parametrize(
    "transform, objective, target, match",
    [
        ("blur4", "vicreg-equivariance", "A", "needs a group of transformations"),
        ("grayscale", "vicreg-equivariance", "A", "'grayscale' is not one"),
        ("identity", "vicreg-equivariance", "A", "a single action constrains nothing"),
        ("identity", "predict", "A", "a single action leaves nothing to learn"),
        ("rot4", "instance", "C", "the supervised ceiling predicts the class"),
    ],
)
def test_experiment_rejects_objectives_that_mean_nothing_under_a_transform(transform, objective, target, match):
    with pytest.raises(ExperimentError, match=match):
        Experiment("natural", transform, TrainConfig(objective=objective), target=target)


def test_the_default_objective_keeps_old_cache_keys():
    assert "objective" not in TrainConfig().as_dict()
    assert TrainConfig(objective="vicreg-equivariance").as_dict()["objective"] == "vicreg-equivariance"
    assert (
        Experiment("natural", "rot4").key()
        != Experiment("natural", "rot4", TrainConfig(objective="vicreg-equivariance")).key()
    )


def test_instance_objectives_need_views():
    with pytest.raises(ExperimentError, match="has a single view"):
        Experiment("natural", "identity", TrainConfig(objective="contrastive"), world_overrides=SMALL).check_views()
    Experiment("natural", "identity", TrainConfig(objective="contrastive"), base_aug="crop-flip").check_views()


def test_cli_errors_are_one_line(capsys):
    assert (
        main(
            [
                "train",
                "--world",
                "natural",
                "--transform",
                "rot4",
                "--objective",
                "vicreg-equivariance",
                "--mode",
                "add",
            ]
        )
        == 2
    )
    assert "objective 'vicreg-equivariance' has none" in capsys.readouterr().err
    argv = [
        "train",
        "--world",
        "six-nine",
        "--transform",
        "rot2",
        "--objective",
        "vicreg-equivariance",
        "--ensemble",
        "2",
    ]
    assert main([*argv, "--seeds", "0,1", "--steps", "2", "--quiet"]) == 2
    assert "trains one seed at a time" in capsys.readouterr().err


# ---------------------------------------------------------------- strict equivariance


@pytest.mark.parametrize("name", ["rot4", "rot2", "vflip", "d4", "rot4*vflip", "jigsaw"])
def test_regular_representation_is_a_representation(name):
    P, table = regular_representation(name), transforms.get(name).cayley_table()
    n = len(P)
    assert np.array_equal(P[0], np.eye(n))
    for a in range(n):
        assert np.array_equal(P[a] @ P[a].T, np.eye(n))
        for b in range(n):
            assert np.array_equal(P[a] @ P[b], P[table[a, b]])  # a, then b


def _natural_images(transform: str, n: int = 24) -> tuple[torch.Tensor, torch.Tensor]:
    ds = presets.get("natural", **SMALL).dataset(transform)
    idx = np.linspace(0, len(ds) - 1, n).astype(int)
    return torch.as_tensor(ds.x[idx]).double(), torch.as_tensor(ds.a[idx])


@pytest.mark.parametrize("transform", ["rot4", "rot2"])
def test_the_c4_cnn_is_strictly_equivariant_by_construction(transform):
    x, a = _natural_images(transform)
    with seeded(0):
        encoder = C4Encoder(3, width=4, feature_dim=32).double()
    rho = feature_representation(encoder, transform).double()
    accuracy, error = pair_statistics(encoder, rho, transform, x, a)
    assert error < 1e-20 and accuracy == pytest.approx(1.0)
    # the inverse representation is wrong: the same check then fails
    wrong = rho.transpose(1, 2) if transform == "rot4" else rho[[0, 1]].flip(1)
    assert pair_statistics(encoder, wrong, transform, x, a)[1] > 1e-3


def test_a_plain_cnn_is_not_equivariant_at_initialisation():
    x, a = _natural_images("rot4")
    with seeded(0):
        encoder = CNNEncoder(3, width=4, feature_dim=32).double()
    assert pair_statistics(encoder, feature_representation(encoder, "rot4").double(), "rot4", x, a)[1] > 1e-2


def test_regular_blocks_need_a_multiple_of_the_group_order():
    with pytest.raises(TrainConfigError, match="feature_dim 12 is not a multiple of 8"):
        feature_representation(MLPEncoder(1, 4, feature_dim=12), "d4")


def test_strict_training_lowers_the_equivariance_error():
    experiment = Experiment(
        "natural", "rot4", TrainConfig(objective="vicreg-equivariance", steps=40, batch_size=32), world_overrides=SMALL
    )
    run = run_one(experiment, seed=0)
    assert {"pretext_acc", "equivariance_error", "equivariance_error_full"} <= set(run)
    assert "ce_A_bits" not in run and "pretext_acc <= bayes_acc_A_given_X" not in run["checks"]
    x, a = _natural_images("rot4")
    with seeded(0):
        fresh = StrictModel(CNNEncoder(3, feature_dim=64), "rot4")
    at_init = pair_statistics(fresh.encoder, fresh.rho, "rot4", x.float(), a)[1]
    assert run["equivariance_error_full"] < 0.75 * at_init


# ---------------------------------------------------------------- instance discrimination


def test_instances_are_scenes_without_their_views():
    ds = presets.get("natural", **SMALL, base="crop-flip").dataset("rot2")
    ids, n = instance_ids(ds)
    assert np.array_equal(np.bincount(ids), np.full(n, 2 * 10))  # 2 actions x 5 shifts x 2 flips
    for name in ("C", "Abar", "colour", "position"):
        assert all(len(set(ds.groups[name][ids == i])) == 1 for i in range(n))
    relabelled = relabel_by_instance(ds)
    assert relabelled.n_actions == n and np.array_equal(relabelled.a, ids)


def test_contrastive_partners_are_views_of_the_same_instance_and_seeded():
    ds = relabel_by_instance(presets.get("six-nine").dataset("rot2"))
    x, ids = torch.as_tensor(ds.x), torch.as_tensor(ds.a)
    models = [ContrastiveModel(MLPEncoder(1, ds.x.shape[-1], feature_dim=8), x, ids, seed=3) for _ in range(2)]
    views = [m.partners(ids) for m in models]
    assert torch.equal(views[0], views[1])
    for row, view in zip(range(len(ds)), views[0]):
        assert any(torch.equal(view, x[j]) for j in np.flatnonzero(ds.a == ds.a[row]))
    loss, found = models[0].pretext_loss(x, ids, torch.as_tensor(ds.c))
    assert torch.isfinite(loss) and found.shape == ids.shape


@pytest.mark.parametrize("objective", ["instance", "contrastive"])
def test_instance_objectives_train_and_repeat(objective):
    experiment = Experiment(
        "natural",
        "identity",
        TrainConfig(objective=objective, steps=20, batch_size=32),
        base_aug="crop-flip",
        world_overrides=SMALL,
    )
    runs = [run_one(experiment, seed=1) for _ in range(2)]
    assert runs[0]["probe_acc"] == runs[1]["probe_acc"] and runs[0]["pretext_acc"] == runs[1]["pretext_acc"]
    assert "ce_A_bits" not in runs[0]


# ---------------------------------------------------------------- exact targets


def test_sparse_posterior_ids_partition_like_the_dense_table():
    rng = np.random.default_rng(0)
    for exact in (False, True):
        weights = rng.integers(0, 3, size=(3, 4, 5))
        weights[0, 0, 0] = 1
        latent = Joint.from_weights(weights if exact else weights.astype(float), names=("C", "U", "V"))
        functions = {"X": rng.integers(0, 6, size=(3, 4, 5)), "t": rng.integers(0, 7, size=(3, 4, 5))}
        functions["X"][functions["X"] == 5] = 4  # an id with no cell keeps probability 0
        joint = PushforwardJoint(latent, functions)
        dense, _ = posterior_ids(joint, "t", "X")
        sparse, _ = _sparse_posterior_ids(joint, "t", "X")
        used = np.unique(functions["X"][weights > 0])
        same = dense[used][:, None] == dense[used][None, :]
        assert np.array_equal(same, sparse[used][:, None] == sparse[used][None, :])


def test_target_chain_follows_t2_and_names_the_class_at_the_scene():
    rows = {r["target"]: r for r in target_chain(presets.get("occluded", n_classes=4, n_positions=1), "d4")}
    chain = ["rot2", "rot4", "d4", "d4 × style", "scene"]
    assert list(rows) == [*chain, "instance"]
    for coarse, fine in zip(chain, chain[1:]):
        assert rows[fine]["nested"]
        assert float(rows[fine]["I_t_C_given_X"]) >= float(rows[coarse]["I_t_C_given_X"]) - 1e-12
        assert float(rows[fine]["I_C_T"]) >= float(rows[coarse]["I_C_T"]) - 1e-12
        assert float(rows[fine]["H_t_given_X"]) >= float(rows[coarse]["H_t_given_X"]) - 1e-12
    assert all(abs(float(rows[t]["I_t_C"])) < 1e-12 for t in chain[:4])
    h_c = float(rows["rot2"]["H_C"])
    assert float(rows["scene"]["I_t_C"]) == pytest.approx(h_c) == float(rows["instance"]["I_t_C"])
    assert float(rows["rot4"]["I_C_T"]) > 0  # occlusion: A's posterior depends on the class


def test_target_chain_matches_a_brute_force_on_six_nine():
    world = presets.get("six-nine")
    rows = {r["target"]: r for r in target_chain(world, "rot2")}
    ds = world.dataset("rot2")
    ids, _ = instance_ids(ds)
    # brute force: the instance is (C, S, Abar); X and C from the enumerated rows
    joint = Joint.from_weights(
        np.histogramdd(
            np.stack([ds.c, ids, ds.latents["X"]], 1),
            bins=(2, ids.max() + 1, ds.latents["X"].max() + 1),
            weights=ds.weights,
        )[0],
        names=("C", "I", "X"),
    )
    assert float(rows["instance"]["I_t_X"]) == pytest.approx(float(mutual_information(joint, "I", "X")))
    assert float(rows["instance"]["I_t_C_given_X"]) == pytest.approx(
        float(mutual_information(joint, "I", "C", given="X"))
    )


# ---------------------------------------------------------------- strictly equivariant codes


def _codes(world, transform: str, n_codes: int, seed: int = 0) -> np.ndarray:
    ids, _ = world.x_ids(transform)
    return np.random.default_rng(seed).dirichlet(np.full(n_codes, 0.3), size=ids.max() + 1)[ids]


@pytest.mark.parametrize("name, transform", [("occluded", "rot4"), ("six-nine", "rot2"), ("occluded", "d4")])
def test_group_averaged_codes_are_strict_and_keep_class_information_in_their_orbit(name, transform):
    world = presets.get(name, **({"n_classes": 4, "n_positions": 1} if name == "occluded" else {}))
    n = transforms.get(transform).n_actions
    raw = _codes(world, transform, 2 * n)
    strict = code_information(world, transform, symmetrise(raw, transform))
    assert strict["equivariance_gap"] < 1e-12
    assert strict["I_C_Z"] == pytest.approx(strict["I_C_O"], abs=1e-10)
    assert strict["I_A_Z"] == pytest.approx(strict["H_A_minus_H_pos_given_O"], abs=1e-10)
    loose = code_information(world, transform, raw)
    assert loose["equivariance_gap"] > 0.1
    if name == "occluded":  # on six-nine no code knows the class (I(C;X) = 0)
        assert loose["I_C_Z"] > loose["I_C_O"] + 1e-6


def test_a_wrong_group_average_is_caught():
    world = presets.get("occluded", n_classes=4, n_positions=1)
    q = _codes(world, "rot4", 8)
    table = transforms.get("rot4").cayley_table()
    blocks = q.reshape(q.shape[:4] + (2, 4))
    # averaging over the cells g·x but forgetting to move the codes by ρ(g)
    wrong = sum(blocks[:, :, :, table[:, g]] for g in range(4)).reshape(q.shape) / 4
    assert equivariance_gap(wrong, "rot4") > 1e-3


def test_a_sweep_takes_the_objective_as_an_axis_and_checks_it_first(tmp_path):
    from essl_testbed.experiments.sweep import run_sweep
    from essl_testbed.experiments.sweep_spec import SweepSpec

    text = """
[grid]
world = ["natural"]
transform = ["identity"]
objective = ["instance", "contrastive"]
seed = [0]
[train]
steps = 2
[overrides]
n_classes = 3
n_positions = 1
"""
    spec = SweepSpec.from_toml(text)
    assert {e.train.objective for e, _ in spec.tasks()} == {"instance", "contrastive"}
    with pytest.raises(ExperimentError, match="has a single view"):
        run_sweep(spec, tmp_path / "sweep", progress=False, log=lambda _: None)
    assert not (tmp_path / "sweep" / "results.csv").exists()


def test_instance_objectives_refuse_action_labels_and_back():
    from synthetic.training import build_model

    ds = presets.get("six-nine").dataset("rot2")
    with pytest.raises(TrainConfigError, match="relabel_by_instance"):
        build_model(TrainConfig(model="mlp", objective="contrastive"), ds, seed=0)
    with pytest.raises(TrainConfigError, match="holds 'instance' labels"):
        build_model(TrainConfig(model="mlp"), relabel_by_instance(ds), seed=0)
    assert relabel_by_instance(ds).subset(np.arange(2)).labels == "instance"
