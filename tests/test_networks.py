"""Tests of the small torch networks in :mod:`synthetic`: shapes, exact C4 equivariance,
seeding, gradient reversal, the categorical bottleneck and a short rotation-prediction run."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from synthetic.nets.bottleneck import CategoricalBottleneck, joint_with_codes, joint_with_codes_from_ids
from synthetic.nets.c4 import C4Encoder, C4GroupNorm, GroupConv, LiftingConv, rotate_group_map, rotate_images
from synthetic.nets.encoders import CNNEncoder, InputShapeError, MLPEncoder, NetworkConfigError, halve_spatial
from synthetic.nets.equivariance import check_equivariance
from synthetic.nets.gradient_reversal import GradientReversal, reverse_gradient
from synthetic.nets.matched import matched_pair
from synthetic.nets.pretext_model import PretextModel
from synthetic.nets.runtime import DeviceError, resolve_device, seed_everything, seeded
from theory import InvalidDistribution

F64_ATOL = 1e-10
SIZES = (8, 12, 16, 24)


def make_encoder(kind: str, channels: int, size: int, feature_dim: int = 32) -> torch.nn.Module:
    if kind == "cnn":
        return CNNEncoder(channels, width=8, feature_dim=feature_dim)
    if kind == "mlp":
        return MLPEncoder(channels, size, hidden=32, feature_dim=feature_dim)
    if kind == "c4":
        return C4Encoder(channels, width=4, feature_dim=feature_dim)
    if kind == "c4-grid2":
        return C4Encoder(channels, width=4, feature_dim=feature_dim, readout_grid=2)
    raise AssertionError(kind)


ENCODERS = ("cnn", "mlp", "c4", "c4-grid2")


def float64_input(shape: tuple[int, ...], seed: int = 0) -> torch.Tensor:
    return torch.rand(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def randomise_affine(module: torch.nn.Module, seed: int = 1) -> torch.nn.Module:
    """Give every norm layer non-trivial affine parameters so they take part in the check."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, (C4GroupNorm, torch.nn.GroupNorm)):
                m.weight.copy_(torch.rand(m.weight.shape, generator=g, dtype=m.weight.dtype) + 0.5)
                m.bias.copy_(torch.randn(m.bias.shape, generator=g, dtype=m.bias.dtype))
    return module


# --- shapes and input checks -------------------------------------------------------------


@pytest.mark.parametrize("kind", ENCODERS)
@pytest.mark.parametrize("channels", (1, 3))
@pytest.mark.parametrize("size", SIZES)
def test_encoder_feature_shape(kind: str, channels: int, size: int) -> None:
    enc = make_encoder(kind, channels, size)
    z = enc(torch.rand(5, channels, size, size))
    assert z.shape == (5, 32) and enc.feature_dim == 32
    assert z.dtype == torch.float32 and torch.isfinite(z).all()


@pytest.mark.parametrize("size", SIZES)
def test_feature_maps_keep_spatial_layout(size: int) -> None:
    cnn_map = CNNEncoder(1, width=8).feature_map(torch.rand(2, 1, size, size))
    c4_map = C4Encoder(1, width=4).feature_map(torch.rand(2, 1, size, size))
    side = -(-size // 4)
    assert cnn_map.shape == (2, 16, side, side)
    assert c4_map.shape == (2, 8, 4, side, side)


@pytest.mark.parametrize("kind", ENCODERS)
def test_encoders_reject_bad_inputs(kind: str) -> None:
    enc = make_encoder(kind, 3, 8)
    with pytest.raises(InputShapeError, match="channel"):
        enc(torch.rand(2, 1, 8, 8))
    with pytest.raises(InputShapeError, match="square"):
        enc(torch.rand(2, 3, 8, 6))
    with pytest.raises(InputShapeError, match="floating"):
        enc(torch.ones(2, 3, 8, 8, dtype=torch.long))
    with pytest.raises(InputShapeError, match=r"\(N, C, H, W\)"):
        enc(torch.rand(3, 8, 8))


def test_mlp_rejects_other_sizes() -> None:
    with pytest.raises(InputShapeError, match="8x8"):
        MLPEncoder(1, size=8)(torch.rand(2, 1, 12, 12))


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: C4Encoder(1, feature_dim=30), "multiple of 4"),
        (lambda: C4Encoder(1, feature_dim=40, readout_grid=2), "multiple of 4 \\* readout_grid"),
        (lambda: LiftingConv(1, 4, kernel_size=4), "odd"),
        (lambda: GroupConv(4, 4, kernel_size=2), "odd"),
        (lambda: CNNEncoder(1, width=0), "width"),
        (lambda: MLPEncoder(1, size=8, hidden=2.5), "hidden"),
        (lambda: C4GroupNorm(6, groups=4), "does not divide"),
    ],
)
def test_bad_configurations_raise(build, message: str) -> None:
    with pytest.raises(NetworkConfigError, match=message):
        build()


def test_describe_and_parameter_counts() -> None:
    enc = CNNEncoder(3, width=8, feature_dim=32)
    expected = 3 * 8 * 9 + 8 * 16 * 9 + 16 * 16 * 9 + 2 * (8 + 16 + 16) + (16 * 4 * 32 + 32)
    assert enc.n_parameters == expected
    assert enc.describe() == f"CNNEncoder(in_channels=3, width=8, feature_dim=32) with {expected:,} parameters"
    c4 = C4Encoder(3, width=4, feature_dim=32)
    expected_c4 = 3 * 4 * 9 + 4 * 8 * 4 * 9 + 8 * 8 * 4 * 9 + 2 * (4 + 8 + 8) + (8 * 8 * 4 + 8)
    assert c4.n_parameters == expected_c4
    assert "readout_grid=1" in c4.describe() and f"{expected_c4:,} parameters" in c4.describe()
    model = PretextModel(enc, 4, n_classes=10, class_head="add")
    assert model.n_parameters == expected + 32 * 4 + 4 + 32 * 10 + 10
    assert model.describe().startswith("PretextModel(4 actions, add class head (10 classes)")


# --- C4 equivariance ----------------------------------------------------------------------


def test_group_action_has_order_four() -> None:
    m = float64_input((2, 3, 4, 5, 5))
    assert torch.equal(rotate_group_map(m, 4), m)
    assert torch.equal(rotate_group_map(rotate_group_map(m, 1), 3), m)
    assert not torch.equal(rotate_group_map(m, 1), m)


@pytest.mark.parametrize("size", (8, 12, 16))
def test_c4_layers_are_exactly_equivariant_in_float64(size: int) -> None:
    torch.manual_seed(0)
    cases = [
        (LiftingConv(3, 5).double(), float64_input((2, 3, size, size))),
        (LiftingConv(1, 4, kernel_size=5, bias=True).double(), float64_input((2, 1, size, size))),
        (GroupConv(3, 5).double(), float64_input((2, 3, 4, size, size))),
        (GroupConv(2, 3, kernel_size=1, bias=True).double(), float64_input((2, 2, 4, size, size))),
        (randomise_affine(C4GroupNorm(4).double()), float64_input((2, 4, 4, size, size))),
        (halve_spatial, float64_input((2, 3, 4, size, size))),
    ]
    for layer, x in cases:
        report = check_equivariance(layer, x, atol=F64_ATOL)
        assert report.holds, f"{layer}: {report}"
        assert report.output_scale > 0.1  # the check is not passing on a zero output


@pytest.mark.parametrize("size", (8, 12, 16))
@pytest.mark.parametrize("channels", (1, 3))
@pytest.mark.parametrize("grid", (1, 2))
def test_c4_stack_and_features_are_exactly_equivariant(size: int, channels: int, grid: int) -> None:
    with seeded(size + channels + grid):
        enc = randomise_affine(C4Encoder(channels, width=4, feature_dim=16 * grid * grid, readout_grid=grid).double())
    with torch.no_grad():
        enc.readout.bias.fill_(1.0)  # keep the final ReLU alive so the feature check is not vacuous
    x = float64_input((3, channels, size, size), seed=size)
    stack = check_equivariance(enc.feature_map, x, atol=F64_ATOL)
    features = check_equivariance(enc, x, atol=F64_ATOL)
    assert stack.holds, str(stack)
    assert features.holds, str(features)
    assert stack.output_scale > 0.1 and features.output_scale > 0.1


def test_c4_features_still_tell_rotations_apart() -> None:
    # An equivariant, not invariant, readout: the four rotations give four different feature vectors.
    with seeded(0):
        enc = C4Encoder(1, width=4, feature_dim=16).double()
    x = float64_input((1, 1, 8, 8))
    with torch.no_grad():
        enc.readout.bias.fill_(1.0)
        z = torch.cat([enc(rotate_images(x, k)) for k in range(4)])
    gaps = [float((z[i] - z[j]).abs().max()) for i, j in itertools.combinations(range(4), 2)]
    assert min(gaps) > 1e-3


def test_plain_cnn_fails_the_equivariance_check() -> None:
    torch.manual_seed(0)
    x = float64_input((2, 1, 8, 8))
    report = check_equivariance(CNNEncoder(1, width=4).double().feature_map, x, atol=F64_ATOL)
    assert not report.holds and report.max_abs_error > 1e-3

    unrotated = torch.nn.Conv2d(1, 4 * 3, 3, padding=1, bias=False).double()

    def lifting_without_rotation(images: torch.Tensor) -> torch.Tensor:
        return unrotated(images).reshape(images.shape[0], 3, 4, *images.shape[-2:])

    report = check_equivariance(lifting_without_rotation, x, atol=F64_ATOL)
    assert not report.holds and "FAILS" in str(report)


def test_check_equivariance_needs_a_feature_action() -> None:
    with pytest.raises(InputShapeError, match="rotate_features"):
        check_equivariance(CNNEncoder(1, width=4), torch.rand(1, 1, 8, 8))


# --- seeding and determinism ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ENCODERS)
def test_same_seed_same_weights_and_outputs(kind: str) -> None:
    x = torch.rand(4, 3, 12, 12, generator=torch.Generator().manual_seed(5))
    builds = []
    for seed in (7, 7, 8):
        torch.manual_seed(1000 + len(builds))  # different global state: seeded() must not depend on it
        with seeded(seed):
            builds.append(make_encoder(kind, 3, 12))
    a, b, c = builds
    assert all(torch.equal(p, q) for p, q in zip(a.state_dict().values(), b.state_dict().values()))
    assert torch.equal(a(x), b(x))
    assert not torch.equal(a(x), c(x))


@pytest.mark.parametrize("kind", ("cnn", "c4"))
def test_identical_training_steps_give_identical_parameters(kind: str) -> None:
    g = torch.Generator().manual_seed(0)
    x, actions = torch.rand(16, 1, 8, 8, generator=g), torch.randint(0, 4, (16,), generator=g)

    def train() -> list[torch.Tensor]:
        seed_everything(3)
        model = PretextModel(make_encoder(kind, 1, 8), n_actions=4)
        opt = torch.optim.Adam(model.parameters(), lr=1e-2)
        for _ in range(5):
            opt.zero_grad()
            model.loss(model(x), actions).backward()
            opt.step()
        return [p.detach().clone() for p in model.parameters()]

    first, second = train(), train()
    assert all(torch.equal(p, q) for p, q in zip(first, second))


def test_resolve_device() -> None:
    assert resolve_device("cpu") == torch.device("cpu")
    assert resolve_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(DeviceError, match="unknown device"):
        resolve_device("gpu")
    if not torch.cuda.is_available():
        with pytest.raises(DeviceError, match="no CUDA"):
            resolve_device("cuda")


def test_seed_must_be_a_non_negative_int() -> None:
    with pytest.raises(ValueError, match="seed"):
        seed_everything(-1)
    with pytest.raises(ValueError, match="seed"):
        with seeded(1.5):  # type: ignore[arg-type]
            pass


# --- matched feature size -----------------------------------------------------------------


@pytest.mark.parametrize("channels", (1, 3))
def test_matched_pair_has_equal_feature_size_and_close_parameter_counts(channels: int) -> None:
    pair = matched_pair(channels, feature_dim=64, cnn_width=16)
    assert pair.cnn.feature_dim == pair.c4.feature_dim == pair.feature_dim == 64
    assert abs(pair.c4_parameters - pair.cnn_parameters) <= 0.1 * pair.cnn_parameters
    for width in (pair.c4.width - 1, pair.c4.width + 1):  # the chosen width is the closest
        other = C4Encoder(channels, width=width, feature_dim=64).n_parameters
        assert abs(other - pair.cnn_parameters) >= abs(pair.c4_parameters - pair.cnn_parameters)
    assert "CNNEncoder" in pair.describe() and "C4Encoder" in pair.describe()
    assert matched_pair(channels, 64, c4_width=3).c4.width == 3


def test_matched_pair_width_search_leaves_the_random_stream_alone() -> None:
    with seeded(0):
        pair = matched_pair(1, feature_dim=32, cnn_width=8)
    with seeded(0):
        cnn = CNNEncoder(1, width=8, feature_dim=32)
        c4 = C4Encoder(1, width=pair.c4.width, feature_dim=32)
    for built, direct in ((pair.cnn, cnn), (pair.c4, c4)):
        assert all(torch.equal(p, q) for p, q in zip(built.parameters(), direct.parameters()))


# --- gradient reversal and pretext heads ------------------------------------------------------


@pytest.mark.parametrize("lambda_", (0.0, 0.3, 1.0, 2.5))
def test_gradient_reversal_flips_the_gradient_exactly(lambda_: float) -> None:
    x = torch.randn(4, 6, generator=torch.Generator().manual_seed(0), requires_grad=True)
    weights = torch.randn(4, 6, generator=torch.Generator().manual_seed(1))
    (torch.sin(x) * weights).sum().backward()
    plain = x.grad.clone()
    x.grad = None
    y = GradientReversal(lambda_)(x)
    assert torch.equal(y, x)
    (torch.sin(y) * weights).sum().backward()
    assert torch.equal(x.grad, -lambda_ * plain)
    x.grad = None
    (torch.sin(reverse_gradient(x, lambda_)) * weights).sum().backward()
    assert torch.equal(x.grad, -lambda_ * plain)


def test_gradient_reversal_rejects_bad_lambda() -> None:
    with pytest.raises(ValueError, match="lambda_"):
        GradientReversal(-1.0)
    layer = GradientReversal(1.0)
    with pytest.raises(ValueError, match="lambda_"):
        layer.lambda_ = float("nan")
    layer.lambda_ = 0.5
    assert "lambda_=0.5" in repr(layer)


def test_eliminate_head_reverses_the_class_gradient_into_the_encoder() -> None:
    x = torch.rand(8, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    classes = torch.randint(0, 3, (8,), generator=torch.Generator().manual_seed(1))
    grads = {}
    for kind in ("add", "eliminate"):
        with seeded(0):
            model = PretextModel(
                CNNEncoder(1, width=4, feature_dim=16), 4, n_classes=3, class_head=kind, reversal_lambda=0.5
            )
        F.cross_entropy(model(x).class_logits, classes).backward()
        grads[kind] = {name: p.grad.clone() for name, p in model.named_parameters() if p.grad is not None}
    for name, g_add in grads["add"].items():
        g_elim = grads["eliminate"][name.replace("class_head.", "class_head.1.")]
        if name.startswith("encoder."):
            torch.testing.assert_close(g_elim, -0.5 * g_add, rtol=1e-6, atol=1e-7)
        else:  # the adversary itself still descends on the class loss
            torch.testing.assert_close(g_elim, g_add, rtol=1e-6, atol=1e-7)
    assert any(name.startswith("encoder.") for name in grads["add"])


def test_pretext_loss_with_class_head_and_weights() -> None:
    torch.manual_seed(0)
    model = PretextModel(MLPEncoder(1, 8, hidden=16, feature_dim=8), 4, n_classes=3, class_head="add")
    x = torch.rand(6, 1, 8, 8)
    a, c = torch.randint(0, 4, (6,)), torch.randint(0, 3, (6,))
    out = model(x)
    expected = F.cross_entropy(out.action_logits, a) + 0.7 * F.cross_entropy(out.class_logits, c)
    torch.testing.assert_close(model.loss(out, a, c, class_weight=0.7), expected)
    w = torch.tensor([1.0, 0.0, 2.0, 0.0, 1.0, 0.0])
    keep = w > 0
    expected_w = F.cross_entropy(out.action_logits[keep], a[keep], reduction="none") @ w[keep] / 4 + 0.7 * (
        F.cross_entropy(out.class_logits[keep], c[keep], reduction="none") @ w[keep] / 4
    )
    torch.testing.assert_close(model.loss(out, a, c, class_weight=0.7, weights=w), expected_w)
    with pytest.raises(NetworkConfigError, match="pass classes"):
        model.loss(out, a)
    with pytest.raises(InputShapeError, match="non-negative"):
        model.loss(out, a, c, weights=-w)
    with pytest.raises(InputShapeError, match="do not match"):
        model.loss(out, a, c, weights=w[:3])


def test_pretext_model_rejects_inconsistent_heads() -> None:
    enc = MLPEncoder(1, 8, hidden=8, feature_dim=4)
    with pytest.raises(NetworkConfigError, match="go together"):
        PretextModel(enc, 4, n_classes=3)
    with pytest.raises(NetworkConfigError, match="class_head must be"):
        PretextModel(enc, 4, n_classes=3, class_head="remove")  # type: ignore[arg-type]
    with pytest.raises(NetworkConfigError, match="feature_dim"):
        PretextModel(torch.nn.Linear(3, 3), 4)
    model = PretextModel(enc, 4)
    out = model(torch.rand(2, 1, 8, 8))
    assert out.class_logits is None
    with pytest.raises(NetworkConfigError, match="no class head"):
        model.loss(out, torch.zeros(2, dtype=torch.long), torch.zeros(2, dtype=torch.long))


# --- categorical bottleneck -----------------------------------------------------------------


@pytest.mark.parametrize("source", ("encoder", "ids"))
def test_bottleneck_probabilities_sum_to_one(source: str) -> None:
    with seeded(0):
        if source == "encoder":
            model = CategoricalBottleneck(CNNEncoder(3, width=4, feature_dim=16), n_codes=5, n_actions=4)
            x = torch.rand(7, 3, 12, 12)
        else:
            model = CategoricalBottleneck(10, n_codes=5, n_actions=4)
            x = torch.tensor([0, 3, 9, 9, 2, 5, 1])
    q = model.code_probs(x)
    assert q.shape == (7, 5) and (q >= 0).all()
    torch.testing.assert_close(q.sum(1), torch.ones(7))
    table = model.code_table(x)
    assert table.dtype == np.float64 and np.abs(table.sum(1) - 1).max() < 1e-12
    np.testing.assert_allclose(table, q.detach().numpy(), atol=1e-6)
    torch.testing.assert_close(model.decoder_probs().sum(1), torch.ones(5))
    torch.testing.assert_close(model.action_probs(x).sum(1), torch.ones(7))
    model.temperature = 0.1
    assert model.code_probs(x).max(1).values.mean() > q.max(1).values.mean()
    assert "5 codes -> 4 actions, temperature=0.1" in model.describe()


def test_bottleneck_rejects_bad_settings_and_ids() -> None:
    with pytest.raises(NetworkConfigError, match="temperature"):
        CategoricalBottleneck(4, n_codes=2, n_actions=2, temperature=0.0)
    model = CategoricalBottleneck(4, n_codes=2, n_actions=2)
    with pytest.raises(InputShapeError, match=r"0\.\.3"):
        model.code_probs(torch.tensor([0, 4]))
    with pytest.raises(InputShapeError, match="LongTensor"):
        model.code_probs(torch.rand(2, 1, 8, 8))


def _finite_world(objective: str):
    rng = np.random.default_rng(0)
    p_ax = rng.integers(0, 5, size=(3, 6)).astype(np.float64)
    p_ax /= p_ax.sum()
    with seeded(0):
        model = CategoricalBottleneck(6, n_codes=4, n_actions=3, objective=objective).double()
    a, x = np.meshgrid(np.arange(3), np.arange(6), indexing="ij")
    loss = model.loss(torch.from_numpy(x.ravel()), torch.from_numpy(a.ravel()), weights=torch.from_numpy(p_ax.ravel()))
    return p_ax, model, loss


def test_expected_objective_is_the_cross_entropy_of_the_exact_joint() -> None:
    # Over a finite world weighted by p(a, x), the loss is sum_{a,z} p(a,z) (-log p(a|z)) >= H(A|Z).
    p_ax, model, loss = _finite_world("expected")
    p_az = joint_with_codes(p_ax, model.code_table(torch.arange(6)))
    log_p = F.log_softmax(model.decoder_logits, dim=1).detach().numpy()  # (z, a)
    assert loss.item() == pytest.approx(-(p_az * log_p.T).sum(), abs=1e-12)
    h_a_given_z = -(p_az * np.log(p_az / p_az.sum(axis=0, keepdims=True))).sum()
    assert loss.item() >= h_a_given_z - 1e-12


def test_mixture_objective_is_the_cross_entropy_of_the_mixture_predictor() -> None:
    p_ax, model, loss = _finite_world("mixture")
    mixture = model.action_probs(torch.arange(6)).detach().numpy()  # (x, a)
    assert loss.item() == pytest.approx(-(p_ax * np.log(mixture.T)).sum(), abs=1e-12)
    _, _, expected = _finite_world("expected")
    assert loss.item() <= expected.item() + 1e-12  # Jensen: the mixture never scores worse


def test_bottleneck_rejects_unknown_objective() -> None:
    with pytest.raises(NetworkConfigError, match="objective must be 'mixture' or 'expected'"):
        CategoricalBottleneck(4, n_codes=2, n_actions=2, objective="ib")


def brute_force_joint(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    out = np.zeros(p.shape[:-1] + (q.shape[1],))
    for cell in np.ndindex(*p.shape[:-1]):
        for x in range(p.shape[-1]):
            for z in range(q.shape[1]):
                out[cell + (z,)] += p[cell + (x,)] * q[x, z]
    return out


def test_joint_with_codes_matches_brute_force() -> None:
    rng = np.random.default_rng(1)
    p = rng.random((2, 3, 5))
    p /= p.sum()
    q = rng.random((5, 4))
    q /= q.sum(axis=1, keepdims=True)
    joint = joint_with_codes(p, q)
    assert joint.shape == (2, 3, 4) and joint.dtype == np.float64
    np.testing.assert_allclose(joint, brute_force_joint(p, q), rtol=0, atol=1e-15)
    assert joint.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(joint.sum(-1), p.sum(-1), atol=1e-15)  # the latents' marginal is kept


def test_joint_with_codes_from_ids_matches_the_dense_route() -> None:
    rng = np.random.default_rng(2)
    p = rng.random((3, 4))
    p /= p.sum()
    ids = rng.integers(0, 5, size=(3, 4))
    q = rng.random((5, 3))
    q /= q.sum(axis=1, keepdims=True)
    dense = np.zeros((3, 4, 5))
    for cell in np.ndindex(3, 4):
        dense[cell + (ids[cell],)] = p[cell]
    np.testing.assert_allclose(joint_with_codes_from_ids(p, ids, q), joint_with_codes(dense, q), atol=1e-15)


@pytest.mark.parametrize(
    "p, q, message",
    [
        (np.full((2, 2), 0.3), np.eye(2), "sums to 1.2"),
        (np.array([[0.5, 0.5], [0.1, -0.1]]), np.eye(2), "negative or non-finite"),
        (np.full((2, 2), 0.25), np.eye(3), r"shape \(n_x=2"),
        (np.full((2, 2), 0.25), np.array([[0.5, 0.5], [0.3, 0.6]]), "row x=1 sums to"),
        (np.full((2, 2), 0.25), torch.full((2, 3), 1 / 3, dtype=torch.float32), "float64"),  # float32 thirds
    ],
)
def test_joint_with_codes_rejects_invalid_tables(p: np.ndarray, q: object, message: str) -> None:
    with pytest.raises(InvalidDistribution, match=message):
        joint_with_codes(p, q)


def test_joint_with_codes_from_ids_rejects_bad_ids() -> None:
    with pytest.raises(InvalidDistribution, match="does not index"):
        joint_with_codes_from_ids([0.5, 0.5], [0, 2], np.eye(2))
    with pytest.raises(InvalidDistribution, match="latent shape"):
        joint_with_codes_from_ids([0.5, 0.5], [0], np.eye(2))
    with pytest.raises(InvalidDistribution, match="integer ids"):
        joint_with_codes_from_ids([0.5, 0.5], [0.0, 1.0], np.eye(2))


# --- a short training run ------------------------------------------------------------------


def rotated_batch(g: torch.Generator, n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Binary 8x8 images whose pixels are on more often near the top, rotated by random A."""
    on_probability = torch.linspace(0.85, 0.15, 8).view(1, 1, 8, 1)
    x = (torch.rand(n, 1, 8, 8, generator=g) < on_probability).float()
    a = torch.randint(0, 4, (n,), generator=g)
    all_rotations = torch.stack([rotate_images(x, k) for k in range(4)], dim=1)
    return all_rotations[torch.arange(n), a], a


@pytest.mark.parametrize("kind", ("cnn", "c4"))
def test_encoder_learns_four_fold_rotation_quickly(kind: str) -> None:
    with seeded(0):
        model = PretextModel(make_encoder(kind, 1, 8), n_actions=4)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    g = torch.Generator().manual_seed(0)
    for _ in range(100):
        x, a = rotated_batch(g, 64)
        opt.zero_grad()
        model.loss(model(x), a).backward()
        opt.step()
    x, a = rotated_batch(g, 1000)
    with torch.no_grad():
        accuracy = float((model(x).action_logits.argmax(1) == a).float().mean())
    assert accuracy > 0.9


# --- GPU, where present -------------------------------------------------------------------


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
def test_models_run_and_stay_equivariant_on_cuda() -> None:
    device = resolve_device("cuda")
    with seeded(0):
        enc = C4Encoder(3, width=4, feature_dim=16)
        model = PretextModel(enc, 4).to(device)
        bottleneck = CategoricalBottleneck(CNNEncoder(3, width=4), n_codes=6, n_actions=4).to(device)
    x = torch.rand(8, 3, 16, 16, device=device)
    a = torch.randint(0, 4, (8,), device=device)
    (model.loss(model(x), a) + bottleneck.loss(x, a)).backward()
    assert all(p.grad is not None and p.grad.device.type == "cuda" for p in model.parameters())
    assert bottleneck.code_table(x).shape == (8, 6)
    report = check_equivariance(enc.double(), x.double(), atol=F64_ATOL)
    assert report.holds, str(report)


@pytest.mark.parametrize("shape", [(64, 16, 16, 16), (64, 32, 8, 8), (64, 32, 4, 4), (5, 3, 7, 7), (2, 4, 3, 3)])
def test_halving_gives_adaptive_pooling_bits_forward_and_backward(shape):
    """halve_spatial's fast path for even sizes is bit for bit adaptive average pooling (so
    cached runs stay valid); odd sizes take the adaptive kernel itself."""
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(*shape, generator=generator)
    upstream = torch.randn(*shape[:2], (shape[2] + 1) // 2, (shape[3] + 1) // 2, generator=generator)

    def adaptive(z):
        pooled = F.adaptive_avg_pool2d(z.reshape(-1, 1, *z.shape[-2:]), (z.shape[-1] + 1) // 2)
        return pooled.reshape(*z.shape[:2], *pooled.shape[-2:])

    results = []
    for pool in (adaptive, halve_spatial):
        z = x.clone().requires_grad_(True)
        out = pool(z)
        out.backward(upstream)
        results.append((out.detach(), z.grad))
    assert torch.equal(results[0][0], results[1][0]) and torch.equal(results[0][1], results[1][1])


@pytest.mark.parametrize("size", [12, 16])
def test_the_cnn_readout_pools_as_adaptive_pooling_to_two(size):
    encoder = CNNEncoder(3, width=4, feature_dim=8)
    x = torch.randn(6, 3, size, size, generator=torch.Generator().manual_seed(1))
    pooled = F.adaptive_avg_pool2d(encoder.feature_map(x), 2)
    assert torch.equal(encoder(x), F.relu(encoder.readout(pooled.flatten(1))))
