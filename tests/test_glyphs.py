"""Glyph families: promised symmetry groups, distinctness up to D4, the six/nine pair."""

from __future__ import annotations

import numpy as np
import pytest

from synthetic.worlds import glyphs as G
from synthetic.worlds.glyphs import GlyphError

SIZES = (8, 10, 12, 16, 24)
ALL_GLYPHS = G.ASYMMETRIC + G.SYMMETRIC + (G.SIX,)


def d4_class(image: np.ndarray) -> bytes:
    """A key shared by exactly the images that are rotations or mirror images of each other."""
    return min(o.tobytes() for o in G.d4_orbit(image))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("glyph", ALL_GLYPHS, ids=lambda g: g.name)
def test_each_glyph_has_its_stated_symmetry_group(glyph, size):
    assert G.symmetry_group(glyph.render(size)) == glyph.symmetry


def test_symmetry_group_on_hand_made_images():
    ring = np.ones((4, 4))
    ring[1:3, 1:3] = 0
    assert G.symmetry_group(ring) == frozenset(range(8))
    diag = np.eye(4)
    assert G.symmetry_group(diag) == {0, 2, 5, 7}  # 180°, transpose, anti-transpose
    step = np.zeros((4, 4))
    step[0, :3] = step[1, 0] = 1
    assert G.symmetry_group(step) == {0}


def test_asymmetric_family_is_chiral():
    for name, image in G.asymmetric().items():
        assert len({o.tobytes() for o in G.d4_orbit(image)}) == 8, name


def test_symmetric_family_covers_the_kinds_of_stabiliser():
    groups = {g.name: g.symmetry for g in G.SYMMETRIC}
    assert all(len(s) > 1 for s in groups.values())
    kinds = {
        frozenset(range(8)),
        frozenset({0, 1, 2, 3}),
        frozenset({0, 2, 4, 6}),
        frozenset({0, 2}),
        frozenset({0, 4}),
        frozenset({0, 6}),
        frozenset({0, 7}),
    }
    assert kinds <= set(groups.values())
    chiral = [name for name, s in groups.items() if s <= {0, 1, 2, 3}]
    assert set(chiral) == {"Z", "pinwheel"}  # rotation symmetry without any mirror


@pytest.mark.parametrize("family", [G.asymmetric, G.symmetric])
@pytest.mark.parametrize("size", (8, 12, 16))
def test_families_are_same_shaped_binary_and_distinct_up_to_d4(family, size):
    glyphs = family(size=size)
    assert len(glyphs) >= 8
    for name, image in glyphs.items():
        assert image.shape == (size, size) and image.dtype == np.float64, name
        assert set(np.unique(image)) == {0.0, 1.0}, name
    assert len({d4_class(image) for image in glyphs.values()}) == len(glyphs)


@pytest.mark.parametrize("glyph", ALL_GLYPHS, ids=lambda g: g.name)
def test_art_is_strokes_neither_blank_nor_filled(glyph):
    cells = glyph.cells()
    assert cells.shape == (G.GRID, G.GRID)
    assert 0.1 < cells.mean() < 0.4


def test_six_nine_pair():
    for size in SIZES:
        pair = G.six_nine(size=size)
        six, nine = pair["6"], pair["9"]
        np.testing.assert_array_equal(nine, np.rot90(six, 2))
        assert not np.array_equal(six, nine)
        assert 2 not in G.symmetry_group(six) and 2 not in G.symmetry_group(nine)
        assert G.symmetry_group(six) == G.symmetry_group(nine) == {0}
        assert d4_class(six) == d4_class(nine)


def test_rendering_is_deterministic_and_scales_the_art():
    a, b = G.asymmetric(size=16), G.asymmetric(size=16)
    assert list(a) == list(b)
    for name in a:
        np.testing.assert_array_equal(a[name], b[name])
    a["F"][:] = 0.5  # callers get fresh arrays
    assert set(np.unique(G.asymmetric(size=16)["F"])) == {0.0, 1.0}
    small = G.symmetric(size=8)
    for name, image in G.symmetric(size=16).items():
        np.testing.assert_array_equal(image, np.kron(small[name], np.ones((2, 2))))
    padded = G.symmetric(size=12)["T"]
    np.testing.assert_array_equal(padded[2:10, 2:10], small["T"])
    assert padded[:2].sum() == padded[-2:].sum() == padded[:, :2].sum() == padded[:, -2:].sum() == 0


def test_asymmetric_takes_the_first_n():
    assert list(G.asymmetric(3)) == ["F", "G", "J"]
    assert len(G.asymmetric()) == len(G.ASYMMETRIC)


@pytest.mark.parametrize("size", [7, 9, 6, 0, -8, 12.0, "16", True])
def test_bad_sizes_raise(size):
    with pytest.raises(GlyphError, match="even integer >= 8"):
        G.symmetric(size=size)


@pytest.mark.parametrize("n", [0, 11, -1, 2.5, True])
def test_bad_family_sizes_raise(n):
    with pytest.raises(GlyphError, match="n must be an integer in 1..10"):
        G.asymmetric(n)


@pytest.mark.parametrize("bad", [np.zeros((4, 5)), np.zeros((1, 4, 4)), np.zeros(4)])
def test_symmetry_group_needs_a_square_image(bad):
    with pytest.raises(GlyphError, match="square \\(H, W\\) array"):
        G.symmetry_group(bad)


def test_malformed_art_raises():
    with pytest.raises(GlyphError, match="8 rows of 8"):
        G.Glyph("bad", "#" * 8, frozenset({0})).render()
