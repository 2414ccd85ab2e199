"""The fonts world: characters from matplotlib's fonts, the font as a style that splits hold out."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from matplotlib import ft2font

from synthetic.errors import WorldError
from synthetic.worlds import fonts as F
from synthetic.worlds import presets
from synthetic.worlds.glyph_world import GlyphWorld
from synthetic.worlds.splits import StyleSplit
from theory import Joint, mutual_information

REFERENCE_MACHINE = matplotlib.__version__ == "3.11.2" and ft2font.__freetype_version__ == "2.14.3"


def test_the_same_characters_render_the_same_pixels_twice():
    first = F.render_set(F.DEFAULT_CHARACTERS, F.DEFAULT_FONTS)
    F._bitmap.cache_clear()
    again = F.render_set(F.DEFAULT_CHARACTERS, F.DEFAULT_FONTS)
    assert np.array_equal(first, again) and F.glyph_set_hash(first) == F.glyph_set_hash(again)
    assert first.shape == (16, 6, 10, 10) and set(np.unique(first)) == {0.0, 1.0}


@pytest.mark.skipif(not REFERENCE_MACHINE, reason="the reference hash is of matplotlib 3.11.2 / FreeType 2.14.3")
def test_this_machine_renders_the_reference_set():
    masks = F.render_set(F.DEFAULT_CHARACTERS, F.DEFAULT_FONTS)
    assert F.glyph_set_hash(masks) == F.REFERENCE_HASHES[(F.DEFAULT_CHARACTERS, F.DEFAULT_FONTS, 10)]


def test_a_different_rendering_is_said_clearly(monkeypatch):
    monkeypatch.setitem(F.REFERENCE_HASHES, ("bd", ("DejaVu Sans", "STIX"), 8), "0" * 16)
    with pytest.warns(F.FontRenderingWarning, match="renders the fonts world differently.*FreeType"):
        F.fonts_world("bd", ("DejaVu Sans", "STIX"), box=8)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: F.render_character("b", "Comic Sans"), "unknown font 'Comic Sans'"),
        (lambda: F.render_character(" ", "STIX"), "one visible character"),
        (lambda: F.render_character("bd", "STIX"), "one visible character"),
        (lambda: F.render_set("bb", ("STIX",)), "characters must be distinct"),
        (lambda: GlyphWorld({"a": [np.ones((2, 2))]}, variants=("x", "y")), "has 1 variants, expected 2"),
        (lambda: GlyphWorld({"a": [np.ones((2, 2))] * 2}, variants=("x", "x")), "variant names repeat"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(WorldError, match=match):
        call()


def test_splits_hold_out_whole_fonts():
    ds = presets.get("fonts").dataset("rot4")
    split = StyleSplit.draw(ds, seed=0)
    assert split.units == ("variant",)
    part = split.part_of(ds)
    test_fonts, train_fonts = set(ds.groups["variant"][part == 2]), set(ds.groups["variant"][part == 0])
    assert test_fonts and train_fonts and not test_fonts & train_fonts


def _brute_force(world, transform: str) -> dict[str, float]:
    """I(A;X), H(A|X), I(A;C|X) and I(C;T) from the enumerated rows, images compared by their bytes."""
    ds = world.dataset(transform)
    _, x = np.unique(ds.x.reshape(len(ds), -1), axis=0, return_inverse=True)
    x = x.ravel()
    table = np.zeros((ds.n_classes, ds.n_actions, x.max() + 1))
    np.add.at(table, (ds.c, ds.a, x), ds.weights)
    joint = Joint(table, names=("C", "A", "X"))
    p_ax = table.sum(0)
    posterior = np.round(p_ax / p_ax.sum(0, keepdims=True), 9).T  # (X, A)
    _, t = np.unique(posterior, axis=0, return_inverse=True)
    t_table = np.zeros((ds.n_classes, t.max() + 1))
    np.add.at(t_table, (slice(None), t.ravel()), table.sum(1))
    return {
        "I_A_X": float(mutual_information(joint, "A", "X")),
        "I_A_C_given_X": float(mutual_information(joint, "A", "C", given="X")),
        "I_C_T": float(mutual_information(Joint(t_table, names=("C", "T")), "C", "T")),
    }


@pytest.mark.parametrize("transform", ["rot4", "hflip", "d4"])
def test_exact_analysis_matches_a_brute_force_on_a_small_set(transform):
    world = F.fonts_world("bdpqNZ", ("DejaVu Sans", "DejaVu Serif", "STIX"), box=8)
    exact = world.analyze(transform, class_blind=False)
    brute = _brute_force(world, transform)
    for key, value in brute.items():
        assert float(exact[key]) == pytest.approx(value, abs=1e-9), key
    assert brute["I_C_T"] > 0.1  # b/d/p/q and N/Z: turned letters are other letters


def test_each_style_shows_the_font_it_names():
    characters, fonts = "bdN", ("DejaVu Sans", "STIX", "Computer Modern")
    masks = F.render_set(characters, fonts, box=8)
    world = F.fonts_world(characters, fonts, box=8, n_colours=2)
    raw = world.raw_images()  # (C, S, Abar, 1, H, W)
    for c in range(len(characters)):
        for s in range(world.n_styles):
            style = world.style(s)
            fg, bg = style.colour[0][0], style.colour[1][0]
            expected = bg + (fg - bg) * masks[c, fonts.index(style.variant)]
            assert np.array_equal(raw[c, s, 0, 0, 1:-1, 1:-1], expected), (characters[c], style)
