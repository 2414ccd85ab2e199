"""Transformations: group laws, numpy/torch agreement, exactness, errors, coarsenings."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from scipy.ndimage import correlate1d

from synthetic import transforms as T
from synthetic.transforms import TransformError

ALL = T.names()
PRODUCTS = ("rot4*vflip", "hflip*rot4", "jigsaw*invert", "blur4*rot2", "grayscale*hflip")


def rand_images(n: int = 12, c: int = 3, h: int = 6, w: int = 6, seed: int = 0, dtype=np.float64):
    return np.random.default_rng(seed).random((n, c, h, w)).astype(dtype)


def repeat_one(image: np.ndarray, n: int) -> np.ndarray:
    return np.repeat(image[None], n, axis=0)


def run(t: T.Transform, x: np.ndarray, a) -> np.ndarray:
    return t.apply(x, np.broadcast_to(np.asarray(a), (len(x),)).copy())


# ---------------------------------------------------------------- registry


def test_registry_lists_the_paper_seven_and_the_fine_grained_ones():
    assert T.PAPER_SEVEN == ("rot4", "vflip", "hflip", "invert", "grayscale", "jigsaw", "blur4")
    assert set(T.PAPER_SEVEN) | {"rot2", "d4", "identity"} == set(ALL)
    sizes = {name: T.get(name).n_actions for name in ALL}
    assert sizes == {
        "rot4": 4,
        "vflip": 2,
        "hflip": 2,
        "invert": 2,
        "grayscale": 2,
        "jigsaw": 24,
        "blur4": 4,
        "rot2": 2,
        "d4": 8,
        "identity": 1,
    }
    assert all(T.get(name).name == name for name in ALL)


def test_products_are_cached_and_sized():
    p = T.get("rot4*vflip")
    assert p is T.get("rot4*vflip")
    assert (p.n_actions, p.sizes, [f.name for f in p.factors]) == (8, (4, 2), ["rot4", "vflip"])
    assert T.get("rot4*vflip*invert").n_actions == 16


@pytest.mark.parametrize("bad", ["rot3", "rot4*", "*vflip", "rot4**vflip", "Rot4", "rot4 * vflip", ""])
def test_unknown_names_raise_and_list_the_valid_ones(bad):
    with pytest.raises(TransformError, match="valid names: rot4, vflip") as info:
        T.get(bad)
    assert "rot4*vflip" in str(info.value)


def test_product_split_and_join_are_row_major_inverses():
    p = T.get("rot4*vflip")
    a1, a2 = np.meshgrid(np.arange(4), np.arange(2), indexing="ij")
    labels = p.join(a1.ravel(), a2.ravel())
    assert labels.tolist() == list(range(8)) == (a1.ravel() * 2 + a2.ravel()).tolist()
    s1, s2 = p.split(labels)
    assert s1.tolist() == a1.ravel().tolist() and s2.tolist() == a2.ravel().tolist()
    with pytest.raises(TransformError, match="range\\(4\\)"):
        p.join([4], [0])
    with pytest.raises(TransformError, match="2 factors, got 1"):
        p.join([1])
    with pytest.raises(TransformError, match="range\\(8\\)"):
        p.split([8])


def test_product_applies_the_first_factor_first():
    x = rand_images(8, c=1)
    p = T.get("rot4*vflip")
    a = np.arange(8)
    rot_then_flip = T.get("vflip").apply(T.get("rot4").apply(x, a // 2), a % 2)
    np.testing.assert_array_equal(p.apply(x, a), rot_then_flip)
    flip_then_rot = T.get("rot4").apply(T.get("vflip").apply(x, a % 2), a // 2)
    assert not np.array_equal(p.apply(x, a), flip_then_rot)  # they differ on the odd rotations


# ---------------------------------------------------------------- group laws


def test_rot4_matches_np_rot90_and_four_quarter_turns_are_the_identity():
    x = rand_images(5, h=7, w=7)
    rot4 = T.get("rot4")
    for k in range(4):
        np.testing.assert_array_equal(run(rot4, x, k), np.rot90(x, k, axes=(-2, -1)))
    y = x
    for _ in range(4):
        y = run(rot4, y, 1)
        assert y.shape == x.shape
    np.testing.assert_array_equal(y, x)


@pytest.mark.parametrize("name", ["hflip", "vflip", "invert", "rot2"])
def test_two_element_groups_are_involutions(name):
    x = np.random.default_rng(1).integers(0, 257, (6, 3, 4, 4)) / 256.0  # 1 - x exact
    t = T.get(name)
    once = run(t, x, 1)
    assert not np.array_equal(once, x)
    np.testing.assert_array_equal(run(t, once, 1), x)


def test_flips_mirror_the_named_axis():
    x = rand_images(3, h=4, w=5)
    np.testing.assert_array_equal(run(T.get("hflip"), x, 1), x[..., ::-1])
    np.testing.assert_array_equal(run(T.get("vflip"), x, 1), x[..., ::-1, :])


def test_rot2_is_rot4_at_0_and_2():
    x = rand_images(4)
    for a in (0, 1):
        np.testing.assert_array_equal(run(T.get("rot2"), x, a), run(T.get("rot4"), x, 2 * a))


def test_jigsaw_labels_are_the_lexicographic_permutations():
    jig = T.get("jigsaw")
    perms = list(itertools.permutations(range(4)))
    assert [jig.permutation(a) for a in range(24)] == perms
    assert [jig.label(p) for p in perms] == list(range(24))
    assert jig.permutation(0) == (0, 1, 2, 3)
    with pytest.raises(TransformError, match="not a permutation"):
        jig.label((0, 0, 1, 2))


def test_jigsaw_moves_input_quarter_p_i_to_output_quarter_i():
    x = np.zeros((24, 1, 4, 6))
    top, bottom, left, right = slice(0, 2), slice(2, 4), slice(0, 3), slice(3, 6)
    quarters = [(top, left), (top, right), (bottom, left), (bottom, right)]
    for q, (rows, cols) in enumerate(quarters):
        x[..., rows, cols] = q + 10 * np.arange(6).reshape(2, 3)  # quarter id plus a within-quarter pattern
    y = T.get("jigsaw").apply(x, np.arange(24))
    for a, p in enumerate(itertools.permutations(range(4))):
        for i, (rows, cols) in enumerate(quarters):
            src_rows, src_cols = quarters[p[i]]
            np.testing.assert_array_equal(y[a, :, rows, cols], x[a, :, src_rows, src_cols])


def test_jigsaw_composition_and_inverse_are_permutation_algebra():
    jig = T.get("jigsaw")
    perms = list(itertools.permutations(range(4)))
    for a, b in itertools.product(range(24), repeat=2):
        p, q = perms[a], perms[b]
        assert int(jig.compose(a, b)) == perms.index(tuple(p[q[i]] for i in range(4)))
    for a in range(24):
        p = perms[a]
        assert perms[int(jig.inverse(a))] == tuple(int(i) for i in np.argsort(p))


def test_d4_closes_under_composition_on_images():
    x = rand_images(1, c=2, h=5, w=5, seed=3)[0]
    d4 = T.get("d4")
    elements = d4.apply(repeat_one(x, 8), np.arange(8))
    assert len({e.tobytes() for e in elements}) == 8
    for a, b in itertools.product(range(8), repeat=2):
        twice = run(d4, run(d4, x[None], a), b)[0]
        hits = [c for c in range(8) if np.array_equal(twice, elements[c])]
        assert hits == [int(d4.compose(a, b))]


def test_d4_element_order():
    x = rand_images(4, h=5, w=5)
    d4 = T.get("d4")
    for r in range(4):
        np.testing.assert_array_equal(run(d4, x, r), run(T.get("rot4"), x, r))
    np.testing.assert_array_equal(run(d4, x, 4), x[..., ::-1])
    np.testing.assert_array_equal(run(d4, x, 5), np.swapaxes(x, -1, -2))
    np.testing.assert_array_equal(run(d4, x, 6), x[..., ::-1, :])
    np.testing.assert_array_equal(run(d4, x, 7), np.swapaxes(x, -1, -2)[..., ::-1, ::-1])
    xs = np.repeat(x, 2, axis=0)
    np.testing.assert_array_equal(d4.apply(xs, np.arange(8)), T.get("hflip*rot4").apply(xs, np.arange(8)))


@pytest.mark.parametrize("name", ALL + PRODUCTS)
def test_algebra_flags(name):
    closed = {
        "rot4",
        "vflip",
        "hflip",
        "invert",
        "grayscale",
        "jigsaw",
        "rot2",
        "d4",
        "identity",
        "rot4*vflip",
        "hflip*rot4",
        "jigsaw*invert",
        "grayscale*hflip",
    }
    groups = closed - {"grayscale", "grayscale*hflip"}
    t = T.get(name)
    assert (t.is_closed, t.is_group) == (name in closed, name in groups)


@pytest.mark.parametrize("name", [n for n in ALL + PRODUCTS if T.get(n).is_closed])
def test_compose_and_inverse_agree_with_apply_on_random_images(name):
    t = T.get(name)
    n = t.n_actions
    x = rand_images(1, seed=7)[0]
    a, b = (m.ravel() for m in np.meshgrid(np.arange(n), np.arange(n), indexing="ij"))
    xs = repeat_one(x, n * n)
    # grayscale's luminance weights do not sum to 1 exactly in binary, hence the tolerance
    np.testing.assert_allclose(t.apply(t.apply(xs, a), b), t.apply(xs, t.compose(a, b)), rtol=0, atol=1e-12)
    assert t.cayley_table()[:, 0].tolist() == list(range(n))  # action 0 is the identity
    if t.is_group:
        inv = t.inverse(np.arange(n))
        np.testing.assert_allclose(t.apply(t.apply(xs[:n], np.arange(n)), inv), xs[:n], rtol=0, atol=0)


def test_algebra_errors():
    with pytest.raises(TransformError, match="blur4 is not closed"):
        T.get("blur4").compose(1, 1)
    with pytest.raises(TransformError, match="grayscale is not a group"):
        T.get("grayscale").inverse(1)
    assert int(T.get("grayscale").compose(1, 1)) == 1  # idempotent
    with pytest.raises(TransformError, match="range\\(4\\)"):
        T.get("rot4").compose(4, 0)


# ---------------------------------------------------------------- numeric behaviour


def test_grayscale_is_itu_601_luminance_in_every_channel():
    x = rand_images(3)
    y = run(T.get("grayscale"), x, 1)
    lum = 0.299 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2]
    for ch in range(3):
        np.testing.assert_array_equal(y[:, ch], lum)


def test_blur_levels_match_scipy_binomial_filters_with_edge_padding():
    x = rand_images(2, h=9, w=7)
    kernels = [np.array(k) / sum(k) for k in ([1, 2, 1], [1, 4, 6, 4, 1], [1, 6, 15, 20, 15, 6, 1])]
    previous = x
    for level, k in enumerate(kernels, start=1):
        y = run(T.get("blur4"), x, level)
        expect = correlate1d(correlate1d(x, k, axis=-2, mode="nearest"), k, axis=-1, mode="nearest")
        np.testing.assert_allclose(y, expect, rtol=0, atol=1e-14)
        assert y.std() < previous.std()  # stronger levels smooth more
        previous = y
    const = np.full((1, 1, 4, 4), 0.375)  # dyadic, so the integer-weight sums are exact
    np.testing.assert_array_equal(T.get("blur4").apply(const, [3]), const)


@pytest.mark.parametrize("name", ["rot4", "hflip", "vflip", "rot2", "d4", "jigsaw", "rot4*vflip"])
def test_geometric_actions_are_exact_pixel_permutations(name):
    t = T.get(name)
    n = t.n_actions
    x = np.random.default_rng(2).integers(0, 256, (n, 3, 8, 8)).astype(np.float32)  # uint8-valued
    y = t.apply(x, np.arange(n))
    np.testing.assert_array_equal(np.sort(y.reshape(n, -1), axis=1), np.sort(x.reshape(n, -1), axis=1))
    np.testing.assert_array_equal(t.apply(y, t.inverse(np.arange(n))), x)
    scaled = x / 255
    np.testing.assert_array_equal(t.apply(t.apply(scaled, np.arange(n)), t.inverse(np.arange(n))), scaled)


def test_invert_round_trips_uint8_valued_floats():
    x = np.random.default_rng(3).integers(0, 256, (4, 3, 5, 5)).astype(np.float32)
    inv = T.get("invert")
    np.testing.assert_array_equal(run(inv, run(inv, x, 1), 1), x)
    np.testing.assert_array_equal(run(inv, x / 256, 1), 1 - x / 256)


@pytest.mark.parametrize("name", ALL + PRODUCTS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_numpy_and_torch_agree_bitwise(name, dtype):
    t = T.get(name)
    x = rand_images(40, h=6, w=6, seed=4, dtype=dtype)
    a = np.random.default_rng(5).integers(0, t.n_actions, 40)
    y_np = t.apply(x, a)
    y_t = t.apply(torch.from_numpy(x), torch.from_numpy(a))
    assert isinstance(y_np, np.ndarray) and isinstance(y_t, torch.Tensor)
    assert y_np.dtype == dtype and y_t.dtype == torch.from_numpy(x).dtype and y_t.shape == x.shape
    np.testing.assert_array_equal(y_t.numpy(), y_np)


def test_apply_does_not_modify_its_input_and_keeps_gradients():
    x = rand_images(6)
    before = x.copy()
    T.get("rot4*invert").apply(x, np.arange(6) % 8)
    np.testing.assert_array_equal(x, before)
    xt = torch.rand(4, 3, 4, 4, requires_grad=True)
    T.get("blur4").apply(xt, [0, 1, 2, 3]).sum().backward()
    assert xt.grad is not None and torch.isfinite(xt.grad).all()


@pytest.mark.parametrize("name", ALL + ("rot4*vflip",))
def test_work_loops_over_action_values_not_images(name, monkeypatch):
    calls: list[int] = []
    t = T.get(name)
    classes = {type(f) for f in getattr(t, "factors", (t,))}
    for cls in classes:
        original = cls._apply_one

        def counting(self, ops, images, action, _original=original):
            calls.append(len(images))
            return _original(self, ops, images, action)

        monkeypatch.setattr(cls, "_apply_one", counting)
    n = 300
    t.apply(rand_images(n, h=4, w=4), np.arange(n) % t.n_actions)
    sizes = getattr(t, "sizes", (t.n_actions,))
    assert len(calls) <= sum(k - 1 for k in sizes)  # one call per non-identity action value
    assert sum(calls) <= n * len(sizes)


def test_numpy_users_never_import_torch():
    code = (
        "import sys, numpy as np\n"
        "from synthetic import transforms as T\n"
        "T.get('rot4*jigsaw').apply(np.zeros((3, 3, 4, 4)), [0, 5, 90])\n"
        "T.get('d4').inverse(3)\n"
        "print('torch' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "actions, message",
    [
        ([0, 1, 4], "range\\(4\\)"),
        ([0, -1, 1], "range\\(4\\)"),
        ([0, 1], "shape \\(3,\\)"),
        ([[0, 1, 2]], "shape \\(3,\\)"),
        ([0.0, 1.0, 2.0], "integers"),
        ([True, False, True], "integers"),
    ],
)
def test_bad_actions_raise(actions, message):
    with pytest.raises(TransformError, match=message):
        T.get("rot4").apply(rand_images(3), actions)


def test_bad_images_raise():
    with pytest.raises(TransformError, match="odd|even H and W"):
        T.get("jigsaw").apply(rand_images(2, h=5, w=6), [0, 0])
    with pytest.raises(TransformError, match="3 channels, got 1 channel$"):
        T.get("grayscale").apply(rand_images(2, c=1), [1, 1])
    with pytest.raises(TransformError, match="square images \\(H == W\\), got H=4, W=6"):
        T.get("rot4").apply(rand_images(2, h=4, w=6), [0, 0])
    with pytest.raises(TransformError, match="square"):
        T.get("d4").apply(rand_images(2, h=4, w=6), [0, 0])
    with pytest.raises(TransformError, match="floating-point"):
        T.get("invert").apply(np.zeros((2, 3, 4, 4), dtype=np.uint8), [1, 1])
    with pytest.raises(TransformError, match="\\(N, channels, H, W\\)"):
        T.get("hflip").apply(np.zeros((3, 4, 4)), [0, 0, 0])
    with pytest.raises(T.TransformError, match="numpy array or a torch tensor"):
        T.get("hflip").apply([[[[0.0]]]], [0])


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: T.Flip("f", 2, axis=0), "axis must be -1"),
        (lambda: T.Invert("i", 3), "has 2 actions, got 3"),
        (lambda: T.Rotation("r", 3), "1, 2 or 4 actions"),
        (lambda: T.Jigsaw("j", 4), "has 24 actions"),
        (lambda: T.Blur("b", 3), "3 kernels give 4 actions"),
        (lambda: T.Blur("b", 2, kernels=((1, 2),)), "symmetric with odd length"),
        (lambda: T.Dihedral("d", 0), "positive integer"),
    ],
)
def test_bad_constructions_raise(build, message):
    with pytest.raises(TransformError, match=message):
        build()


# ---------------------------------------------------------------- coarsenings

COARSENINGS = {
    ("d4", "rot4"): [0, 1, 2, 3, 0, 1, 2, 3],
    ("d4", "hflip"): [0, 0, 0, 0, 1, 1, 1, 1],
    ("d4", "vflip"): [0, 0, 0, 0, 1, 1, 1, 1],
    ("rot4", "rot2"): [0, 0, 1, 1],
    ("d4", "rot2"): [0, 0, 1, 1, 0, 0, 1, 1],
    ("rot4*vflip", "rot4"): [0, 0, 1, 1, 2, 2, 3, 3],
    ("rot4*vflip", "vflip"): [0, 1] * 4,
    ("rot4*vflip", "rot2"): [0, 0, 0, 0, 1, 1, 1, 1],
    ("jigsaw", "jigsaw"): list(range(24)),
}


@pytest.mark.parametrize("pair", list(COARSENINGS))
def test_coarsening_maps(pair):
    assert T.coarsening(*pair).tolist() == COARSENINGS[pair]


def coarse_is_a_factor(fine: T.Transform, coarse: T.Transform, g: np.ndarray, a: int, x: np.ndarray) -> bool:
    """Fine action a = coarse action g[a] before or after some fine action b with g[b] = 0."""
    target = run(fine, x, a)
    for b in np.flatnonzero(g == 0):
        if np.array_equal(run(fine, run(coarse, x, g[a]), b), target):
            return True
        if np.array_equal(run(coarse, run(fine, x, b), g[a]), target):
            return True
    return False


@pytest.mark.parametrize("pair", list(COARSENINGS))
def test_coarse_action_is_a_factor_of_the_fine_action(pair):
    fine, coarse = (T.get(n) for n in pair)
    g = T.coarsening(*pair)
    x = rand_images(1, h=6, w=6, seed=11)
    assert all(coarse_is_a_factor(fine, coarse, g, a, x) for a in range(fine.n_actions))


def test_parity_of_the_rotation_is_not_the_rot2_label():
    """rot4 -> rot2 by a % 2 would call 90° a half turn: the factor test rejects it."""
    x = rand_images(1, seed=12)
    assert not coarse_is_a_factor(T.get("rot4"), T.get("rot2"), np.arange(4) % 2, 1, x)
    assert not coarse_is_a_factor(T.get("d4"), T.get("hflip"), np.arange(8) % 2, 1, x)


@pytest.mark.parametrize(
    "pair", [("rot4", "d4"), ("hflip", "vflip"), ("rot2", "rot4"), ("blur4", "invert"), ("rot4", "nope")]
)
def test_unknown_coarsenings_raise(pair):
    with pytest.raises(TransformError, match="no known coarsening|unknown transformation"):
        T.coarsening(*pair)
