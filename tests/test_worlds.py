"""GlyphWorld rendering and knob validation: the vectorised renderer against a per-image
reference, the identity world, style tuples, probabilities, and clear errors for bad knobs."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

from synthetic import transforms
from synthetic.errors import WorldError
from synthetic.worlds import glyphs, presets
from synthetic.worlds.glyph_world import KNOBS, ColourJitter, GlyphWorld
from theory import outcome_ids

L_GLYPH = np.array(
    [
        [0, 1, 0, 0],
        [0, 1, 0, 0],
        [0, 1, 1, 0],
        [0, 0, 0, 0],
    ],
    dtype=float,
)
T_GLYPH = np.array(
    [
        [1, 1, 1, 0],
        [0, 1, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 0, 0],
    ],
    dtype=float,
)


def reference_image(world: GlyphWorld, c: int, s: int, abar: int) -> np.ndarray:
    """One raw image rendered step by step with plain loops (the module docs' recipe)."""
    style = world.style(s)
    glyph = world.glyph_bank[c].astype(np.float64)  # (gc, h, w)
    gc, gh, gw = glyph.shape
    r = style.stroke
    if r:
        thick = np.zeros_like(glyph)
        for y in range(gh):
            for x in range(gw):
                for dy in range(-r, r + 1):
                    for dx in range(-r, r + 1):
                        yy, xx = y + dy, x + dx
                        if abs(dy) + abs(dx) <= r and 0 <= yy < gh and 0 <= xx < gw:
                            thick[:, y, x] = np.maximum(thick[:, y, x], glyph[:, yy, xx])
        glyph = thick
    if world.pose is not None:
        glyph = transforms.get(world.pose).apply(glyph[None], np.array([abar]))[0]
    H, W = world.canvas
    mask = np.zeros((gc, H, W))
    top, left = style.position
    for y in range(gh):
        for x in range(gw):
            if 0 <= top + y < H and 0 <= left + x < W:
                hidden = style.occluder is not None and (
                    style.occluder[0] <= y < style.occluder[0] + style.occluder[2]
                    and style.occluder[1] <= x < style.occluder[1] + style.occluder[3]
                )
                mask[:, top + y, left + x] = 0.0 if hidden else glyph[:, y, x]
    fg, bg = (np.array(v)[:, None, None] for v in style.colour)
    img = bg + (fg - bg) * mask
    if world.cue == "corner":
        img[:, : world.cue_size, : world.cue_size] = world.spec.cue_colour[:, None, None]
    dy, dx = style.shift
    moved = np.broadcast_to(bg, img.shape).copy()
    for y in range(H):
        for x in range(W):
            if 0 <= y - dy < H and 0 <= x - dx < W:
                moved[:, y, x] = img[:, y - dy, x - dx]
    img = moved[:, :, ::-1] if style.flip else moved
    return style.jitter.apply(img.astype(np.float32))


def full_knob_world() -> GlyphWorld:
    return GlyphWorld(
        {"L": L_GLYPH, "T": T_GLYPH},
        canvas=6,
        positions=[(1, 1), (0, 2), (3, -1)],
        colours=[((1.0, 0.5, 0.25), (0.0, 0.0, 0.125)), ((0.25, 0.75, 0.5), (0.125, 0.0, 0.0))],
        strokes=(0, 1),
        occluders=(None, (0, 0, 2, 4)),
        pose="rot4",
        cue="corner",
        shifts=((0, 0), (1, -1)),
        flips=(False, True),
        jitters=(ColourJitter(), ColourJitter((2, 0, 1), 0.5), ColourJitter(grey=True)),
    )


def test_vectorised_renderer_matches_the_per_image_reference():
    w = full_knob_world()
    raw = w.raw_images()
    assert raw.shape == (2, w.n_styles, 4, 3, 6, 6) and raw.dtype == np.float32
    rng = np.random.default_rng(0)
    for _ in range(60):
        c, s, abar = int(rng.integers(2)), int(rng.integers(w.n_styles)), int(rng.integers(4))
        expected = reference_image(w, c, s, abar)
        np.testing.assert_allclose(raw[c, s, abar], expected, atol=2**-16)


def test_identity_world_renders_each_glyph_as_given():
    w = GlyphWorld({"L": L_GLYPH, "T": T_GLYPH})
    assert (w.n_styles, w.n_poses, w.image_shape) == (1, 1, (1, 4, 4))
    X = w.images("rot4")
    np.testing.assert_array_equal(X[0, 0, 0, 0, 0], L_GLYPH)
    np.testing.assert_array_equal(X[1, 0, 0, 1, 0], np.rot90(T_GLYPH, 1))
    assert not w.exact and w.latent_joint("rot4").shape == (2, 1, 1, 4)


def test_colour_glyphs_render_as_given():
    rgb = np.stack([L_GLYPH * 0.5, L_GLYPH, T_GLYPH * 0.25])
    w = GlyphWorld({"a": rgb, "b": rgb[::-1].copy()})
    assert w.image_shape == (3, 4, 4)
    np.testing.assert_array_equal(w.images("hflip")[0, 0, 0, 0], rgb)


def test_transformed_images_are_the_transform_of_the_raw_images():
    w = presets.get("natural", n_classes=3, n_positions=5, n_colours=2)
    for name in ("rot4", "jigsaw", "invert", "grayscale", "blur4"):
        t = transforms.get(name)
        X = w.images(t)
        raw = w.raw_images()
        a = np.arange(raw.shape[0] * raw.shape[1] * raw.shape[2]) % t.n_actions
        flat = raw.reshape((-1,) + raw.shape[3:])
        expected = t.apply(flat, a)
        got = X.reshape((-1, t.n_actions) + X.shape[4:])[np.arange(len(a)), a]
        np.testing.assert_allclose(got, expected, atol=2**-16)


def test_style_table_matches_the_knob_product():
    w = full_knob_world()
    assert w.n_styles == int(np.prod([len(w.knob_values[k]) for k in KNOBS])) == 3 * 2 * 2 * 2 * 2 * 2 * 3
    idx = w.style_indices()
    assert idx.shape == (w.n_styles, len(KNOBS))
    assert len({tuple(r) for r in idx}) == w.n_styles
    for s in (0, 7, w.n_styles - 1):
        style = w.style(s)
        for k, i in zip(KNOBS, idx[s]):
            assert getattr(style, k) == w.knob_values[k][i]


def test_exact_world_has_an_exact_latent_joint():
    w = GlyphWorld({"L": L_GLYPH, "T": T_GLYPH}, [F(1, 3), F(2, 3)], pose="hflip", pose_probs=[F(1, 4), F(3, 4)])
    J = w.latent_joint("rot4")
    assert w.exact and J.is_exact
    p = J.probabilities
    assert p[1, 0, 1, 3] == F(2, 3) * F(3, 4) * F(1, 4)
    assert sum(p.ravel()) == 1


def test_pose_probabilities_per_class():
    w = GlyphWorld({"L": L_GLYPH, "T": T_GLYPH}, pose="hflip", pose_probs={"L": [1.0, 0.0], "T": [0.5, 0.5]})
    np.testing.assert_allclose(w.pose_probs, [[1.0, 0.0], [0.5, 0.5]])
    ds = w.dataset("rot4")
    assert not ((ds.latents["C"] == 0) & (ds.latents["Abar"] == 1)).any()  # zero-probability cells dropped


def test_coinciding_images_share_an_id():
    six_nine = presets.get("six-nine")
    ids, _ = six_nine.x_ids("rot2")
    assert ids[0, 0, 0, 0] == ids[1, 0, 0, 1] and ids[0, 0, 0, 1] == ids[1, 0, 0, 0]
    assert ids[0, 0, 0, 0] != ids[0, 0, 0, 1]


def test_image_ids_merge_exactly_equal_rows_only():
    rng = np.random.default_rng(1)
    base = (rng.random((50, 3, 4, 4)) < 0.5).astype(np.float32)
    rows = base[rng.integers(0, 50, 2000)]
    ids, first = outcome_ids(rows)
    flat = rows.reshape(len(rows), -1)
    assert np.array_equal(flat, flat[first[ids]])
    assert len(first) == len(np.unique(flat, axis=0))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"class_prior": [-0.5, 1.5]}, "negative"),
        ({"class_prior": [0.5, 0.6]}, "sums to 1.1"),
        ({"class_prior": [F(1, 3), F(1, 3)]}, "sums to 2/3"),
        ({"class_prior": [F(1, 2), 0.5]}, "mix exact"),
        ({"class_prior": [1.0]}, "1 entries, expected 2"),
        ({"pose": "invert"}, "unknown pose group"),
        ({"pose": "spin"}, "unknown pose group"),
        ({"pose_probs": [0.5, 0.5]}, "without a pose group"),
        ({"pose": "hflip", "pose_probs": [0.5, 0.25]}, "sums to 0.75"),
        ({"canvas": 8, "positions": [(9, 0)]}, "entirely off"),
        ({"colours": [((1.0, 0.0, 0.0), 0.0)]}, "mix grey levels"),
        ({"colours": [(1.5, 0.0)]}, "outside \\[0, 1\\]"),
        ({"strokes": (-1,)}, "non-negative int"),
        ({"occluders": ((0, 0, 5, 1),)}, "inside the 4x4 glyph box"),
        ({"cue": "stripe"}, "unknown cue"),
        ({"jitters": (ColourJitter((1, 0, 2)),)}, "1-channel"),
        ({"style_probs": {"size": [1.0]}}, "unknown style knob"),
        ({"shifts": ((4, 0),)}, "out of view"),
    ],
)
def test_bad_knobs_raise_clear_errors(kwargs, match):
    with pytest.raises(WorldError, match=match):
        GlyphWorld({"L": L_GLYPH, "T": T_GLYPH}, **kwargs)


def test_bad_glyphs_raise_clear_errors():
    with pytest.raises(WorldError, match="glyph shapes differ"):
        GlyphWorld({"a": np.zeros((4, 4)), "b": np.zeros((4, 5))})
    with pytest.raises(WorldError, match="outside \\[0, 1\\]"):
        GlyphWorld({"a": np.full((4, 4), 1.5)})
    with pytest.raises(WorldError, match="non-empty mapping"):
        GlyphWorld({})
    with pytest.raises(WorldError, match="expected \\(H, W\\) or \\(3, H, W\\)"):
        GlyphWorld({"a": np.zeros((2, 4, 4))})
    with pytest.raises(WorldError, match="recolour mask glyphs"):
        GlyphWorld({"a": np.zeros((3, 4, 4))}, colours=[(1.0, 0.0)])
    with pytest.raises(WorldError, match="changes the glyph's shape|square"):
        GlyphWorld({"a": np.zeros((4, 6))}, pose="rot4")


def test_bad_transformations_raise_clear_errors():
    odd = GlyphWorld({"a": np.eye(5)})
    with pytest.raises(transforms.TransformError, match="even H and W"):
        odd.joint("jigsaw")
    with pytest.raises(transforms.TransformError, match="3 channels"):
        odd.joint("grayscale")
    with pytest.raises(transforms.TransformError, match="unknown transformation"):
        odd.joint("spin")


def test_exactness_is_inferred_or_explicit():
    assert GlyphWorld({"a": L_GLYPH}, [F(1)]).exact
    assert not GlyphWorld({"a": L_GLYPH}, [1.0]).exact
    assert GlyphWorld({"a": L_GLYPH}, exact=True).latent_joint("hflip").is_exact
    with pytest.raises(WorldError, match="float in an exact world"):
        GlyphWorld({"a": L_GLYPH, "b": T_GLYPH}, [0.5, 0.5], exact=True)


def test_glyph_families_fit_the_world():
    w = GlyphWorld(glyphs.symmetric(size=8), canvas=12, positions=[(2, 2), (0, 4)], pose="d4")
    assert w.images("rot4").shape == (9, 2, 8, 4, 1, 12, 12)
