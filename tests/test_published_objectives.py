"""E-SSL and CARE on a contrastive base (synthetic.nets.published)."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from synthetic import transforms
from synthetic.config import TrainConfig
from synthetic.errors import TrainConfigError
from synthetic.nets.encoders import MLPEncoder
from synthetic.nets.published import PublishedObjective, gram_equivariance, nt_xent
from synthetic.objectives import instance_ids, view_ids
from synthetic.training import build_model
from synthetic.worlds import presets


@pytest.fixture(scope="module")
def rot4_rows():
    """Natural glyphs under rot4 with SimCLR-like base augmentations: several views per scene."""
    return presets.get("natural", base="simclr-like", n_classes=3, n_positions=1, n_colours=2).dataset("rot4")


def _model(dataset, kind: str, weight: float | None = None, seed: int = 0) -> PublishedObjective:
    torch.manual_seed(seed)
    return build_model(TrainConfig(objective=kind, weight=weight, model="mlp"), dataset, seed)


def test_the_two_views_are_the_rows_own_scene_undone_and_another_view_of_it(rot4_rows):
    model = _model(rot4_rows, "care")
    rows = torch.randperm(len(rot4_rows), generator=torch.Generator().manual_seed(1))[:256]
    first, second = (v.numpy() for v in model.view_rows(rows))
    r = rows.numpy()
    scenes, views = instance_ids(rot4_rows)[0], view_ids(rot4_rows)
    assert (scenes[first] == scenes[r]).all() and (scenes[second] == scenes[r]).all()
    assert (rot4_rows.a[first] == 0).all() and (rot4_rows.a[second] == 0).all()
    assert (views[first] == views[r]).all()  # the row's own base augmentation, its action undone
    redone = transforms.get("rot4").apply(torch.as_tensor(rot4_rows.x[first]), rot4_rows.a[r])
    assert torch.equal(redone, torch.as_tensor(rot4_rows.x[r]))
    assert (views[second] != views[r]).any()  # the second view is drawn: other base augmentations occur


def test_essl_adds_exactly_weight_times_the_cross_entropy_of_a(rot4_rows):
    base, essl = _model(rot4_rows, "essl", weight=0.0), _model(rot4_rows, "essl", weight=0.4)
    essl.load_state_dict(copy.deepcopy(base.state_dict()))
    rows = torch.arange(0, 64)
    x, a = torch.as_tensor(rot4_rows.x[:64]), torch.as_tensor(rot4_rows.a[:64])
    w = torch.as_tensor(rot4_rows.weights[:64], dtype=torch.float32)
    loss0, _ = base.pretext_loss(x, a, torch.zeros(64), w, rows=rows)
    loss1, _ = essl.pretext_loss(x, a, torch.zeros(64), w, rows=rows)
    ce = (w * F.cross_entropy(essl.action_head(essl.encoder(x)), a, reduction="none")).sum() / w.sum()
    assert float((loss1 - loss0).detach()) == pytest.approx(0.4 * float(ce.detach()), rel=1e-4)
    assert essl.weight == 0.4 and _model(rot4_rows, "essl").weight == 0.4  # the published λ by default


def test_the_gram_term_compares_rows_within_one_action_only():
    """One orthogonal map per action: zero. Compared across actions it would not be."""
    torch.manual_seed(0)
    h0 = F.normalize(torch.randn(12, 6), dim=1)
    maps = torch.linalg.qr(torch.randn(3, 6, 6)).Q
    actions = torch.arange(12) % 3
    h = torch.einsum("bd,bde->be", h0, maps[actions])
    assert float(gram_equivariance(h, h0, actions).abs().max()) < 1e-10
    across = ((h @ h.T - h0 @ h0.T) ** 2).mean(1)
    assert float(across.max()) > 1e-2
    # a map that is not orthogonal within a chunk is penalised
    assert float(gram_equivariance(h * torch.linspace(0.5, 1.5, 6), h0, actions).max()) > 1e-3


def test_a_constant_code_meets_the_gram_term_but_not_infonce(rot4_rows):
    """CARE's equivariance term alone is met by collapse; the InfoNCE term is then log(2B - 1),
    its value for indistinguishable embeddings, far above what separated views reach."""
    constant = F.normalize(torch.ones(16, 8), dim=1)
    actions = torch.arange(16) % 4
    assert float(gram_equivariance(constant, constant, actions).max()) == 0.0
    assert float(nt_xent(constant, constant).mean()) == pytest.approx(math.log(31), rel=1e-6)
    separated = torch.eye(16)[:, :16]
    assert float(nt_xent(separated, separated).mean()) < math.log(31) - 1.0


def test_care_trains_without_collapse_and_reports_its_contrastive_accuracy(rot4_rows):
    model = _model(rot4_rows, "care", weight=0.03)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, a = torch.as_tensor(rot4_rows.x), torch.as_tensor(rot4_rows.a)
    generator = torch.Generator().manual_seed(0)
    for _ in range(40):
        rows = torch.randperm(len(x), generator=generator)[:64]
        loss, predicted = model.pretext_loss(x[rows], a[rows], torch.zeros(64), rows=rows)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    assert ((predicted == a[rows]) | (predicted == -1)).all()
    with torch.no_grad():
        spread = model.encoder(x[:512]).std(0).mean()
    assert float(spread) > 1e-2


def test_same_seed_same_views(rot4_rows):
    one, two = _model(rot4_rows, "essl", seed=3), _model(rot4_rows, "essl", seed=3)
    rows = torch.arange(100)
    assert all(torch.equal(u, v) for u, v in zip(one.view_rows(rows), two.view_rows(rows)))


def test_the_rows_are_required():
    encoder = MLPEncoder(1, 4, feature_dim=8)
    x, a = torch.rand(4, 1, 4, 4), torch.tensor([0, 1, 0, 1])
    model = PublishedObjective(encoder, "essl", x, a, torch.tensor([0, 0, 1, 1]), torch.tensor([0, 0, 1, 1]), 2, 0)
    with pytest.raises(Exception, match="row indices"):
        model.pretext_loss(x, a, torch.zeros(4))


def test_a_row_without_its_unaugmented_view_is_named():
    x, a = torch.rand(4, 1, 4, 4), torch.tensor([0, 1, 1, 1])
    with pytest.raises(TrainConfigError, match="2 training rows have no un-augmented row"):
        PublishedObjective(
            MLPEncoder(1, 4, feature_dim=8), "care", x, a, torch.zeros(4), torch.tensor([0, 0, 1, 1]), 2, 0
        )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"objective": "essl", "weight": -0.1}, "weight must be a non-negative number"),
        ({"objective": "care", "weight": float("nan")}, "weight must be a non-negative number"),
        ({"objective": "predict", "weight": 0.4}, "weight weighs the second term of essl and care"),
    ],
)
def test_bad_weights_are_named(kwargs, match):
    with pytest.raises(TrainConfigError, match=match):
        TrainConfig(**kwargs)


def test_the_weight_leaves_other_experiments_keys_alone():
    assert "weight" not in TrainConfig().as_dict()
    assert TrainConfig(objective="essl", weight=0.0).as_dict()["weight"] == 0.0


def test_train_runs_both_objectives_from_the_command_line(capsys):
    import json

    from essl_testbed.cli import main

    for objective, extra in (("essl", []), ("essl", ["--weight", "0"]), ("care", [])):
        argv = ["train", "--world", "random", "--transform", "rot4", "--objective", objective, "--model", "mlp"]
        assert main([*argv, *extra, "--steps", "3", "--seeds", "0", "--json", "--quiet"]) == 0
        run = json.loads(capsys.readouterr().out)
        run = run["runs"][0] if "runs" in run else run
        assert np.isfinite(run["probe_acc"]) and "pretext_acc" in run
        if objective == "care" or extra:
            assert run["dead"] is False  # no head on A to die: the contrastive base and CARE


@pytest.mark.parametrize("objective", ["essl", "contrastive"])
def test_the_temperature_reaches_infonce(rot4_rows, objective):
    """Two models with the same weights and views: the loss is NT-Xent at each one's τ."""
    from synthetic.objectives import relabel_by_instance

    data = relabel_by_instance(rot4_rows) if objective == "contrastive" else rot4_rows
    extra = {"weight": 0.0} if objective == "essl" else {}
    torch.manual_seed(0)
    cold = build_model(TrainConfig(objective=objective, model="mlp", temperature=0.1, **extra), data, 0)
    torch.manual_seed(0)
    warm = build_model(TrainConfig(objective=objective, model="mlp", temperature=1.0, **extra), data, 0)
    warm.load_state_dict(copy.deepcopy(cold.state_dict()))
    x, a = torch.as_tensor(data.x[:32]), torch.as_tensor(data.a[:32])
    rows = {"rows": torch.arange(32)} if objective == "essl" else {}
    with torch.no_grad():
        losses = [float(m.pretext_loss(x, a, torch.zeros(32), **rows)[0]) for m in (cold, warm)]
    assert abs(losses[0] - losses[1]) > 1e-5  # equal weights and views: only τ differs
    h = F.normalize(torch.randn(8, 4), dim=1)
    assert float(nt_xent(h, h, 0.1).mean()) < float(nt_xent(h, h, 1.0).mean())


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"objective": "essl", "temperature": 0.0}, "temperature must be a positive number"),
        ({"objective": "predict", "temperature": 0.5}, "temperature scales InfoNCE"),
    ],
)
def test_bad_temperatures_are_named(kwargs, match):
    with pytest.raises(TrainConfigError, match=match):
        TrainConfig(**kwargs)


def _base(gains):
    flat = [{"epoch": e, "loss": 1.0} for e in range(1, 11)]
    return {"runs": [{"seed": s, "probe_gain": g, "history": flat} for s, g in enumerate(gains)]}


def test_a_base_below_random_init_is_a_failed_baseline_and_blocks_the_verdict():
    from essl_testbed.report.published_claims import baseline_gate
    from essl_testbed.report.statistics import Verdict, certified

    failed = baseline_gate(_base([-0.04, 0.01, -0.02, 0.0, -0.03]))
    assert sorted(failed.violations) == [0, 1, 2, 3, 4]
    assert "failed baseline" in failed.describe()
    assert certified(Verdict.SUPPORTED, [failed], 0.05) is Verdict.UNCONVERGED
    working = baseline_gate(_base([0.10, 0.12, 0.09, 0.11, 0.10]))
    assert not working.violations and working.converged(0.05)
    # above 0 on average but not reliably: still not a working baseline
    assert baseline_gate(_base([0.2, -0.15, 0.1, -0.1, 0.0])).violations
