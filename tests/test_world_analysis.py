"""Exact analysis of worlds: hand-derived six/nine values, invariance under an injective
renderer, I(A;C) = 0 everywhere, lossy symmetric glyphs, the shortcut cue, and the
separation of the paper's seven transformations on the natural world."""

from __future__ import annotations

import json
from fractions import Fraction as F

import numpy as np
import pytest
import sympy

from synthetic import transforms
from synthetic.errors import WorldError
from synthetic.worlds import glyphs, presets
from synthetic.worlds.analysis import ANALYSIS_KEYS, analysis_json, analyze, format_analysis, format_comparison
from synthetic.worlds.glyph_world import GlyphWorld
from theory import entropy, mutual_information

LOG2_3 = sympy.log(3) / sympy.log(2)
H_THIRD = LOG2_3 - sympy.Rational(2, 3)  # binary entropy h(1/3) in bits


def same(a, b) -> bool:
    return sympy.expand(sympy.sympify(a) - sympy.sympify(b)) == 0


def six_nine(transform: str):
    return analyze(presets.get("six-nine", class_prior=(F(1, 3), F(2, 3))), transform)


def test_six_nine_rot2_hand_derived():
    """C in {6, 9}, p = (1/3, 2/3); A in {0°, 180°} uniform; 9 = 6 turned by 180°.

    X looks like a "6" for (6, 0°) and (9, 180°): p(X = "6") = 1/6 + 1/3 = 1/2, and the
    posterior on A given either look is (1/3, 2/3), so H(A|X) = h(1/3) = log2 3 - 2/3.
    Given the class, X determines A: H(A|X,C) = 0, so I(A;C|X) = h(1/3) too and
    I(A;X|C) = H(A) = 1. Each class gives both looks with probability 1/2: I(C;X) = 0.
    I(A;X) = 1 - h(1/3) = 5/3 - log2 3. Bayes accuracies: A from X 2/3, C from X 2/3.
    """
    r = six_nine("rot2")
    assert r["H_A"] == 1 and r["I_A_C"] == 0
    assert same(r["H_A_given_X"], H_THIRD)
    assert same(r["I_A_C_given_X"], H_THIRD)
    assert r["I_A_X_given_C"] == 1
    assert r["I_C_X"] == 0 and same(r["H_C_given_X"], r["H_C"])
    assert same(r["I_A_X"], sympy.Rational(5, 3) - LOG2_3)
    assert r["bayes_acc_A_given_X"] == pytest.approx(2 / 3)
    assert r["bayes_acc_C_given_X"] == pytest.approx(2 / 3)
    assert r["bayes_acc_A_given_X_C"] == pytest.approx(1.0)
    assert r["n_distinct_X"] == 2 and r["n_latent_cells"] == 4
    assert r["n_posteriors_A"] == 2  # p(A|6 up) = (1/3, 2/3), p(A|6 down) = (2/3, 1/3)


def test_six_nine_rot4_hand_derived():
    """A in {0, 90, 180, 270}: X = rot(6) by a (class 6) or by a + 180 (class 9): four looks,
    each of probability 1/12 + 1/6 = 1/4. Given a look, A is a (posterior 1/3) or a - 180
    (2/3): H(A|X) = h(1/3) = I(A;C|X), I(A;X|C) = 2, I(C;X) = 0, I(A;X) = 8/3 - log2 3.
    The class-erased view is the box of the 6's ink, symmetric under rotation: I(A;Xerased) = 0."""
    r = six_nine("rot4")
    assert same(r["H_A_given_X"], H_THIRD) and same(r["I_A_C_given_X"], H_THIRD)
    assert r["I_A_X_given_C"] == 2 and r["I_C_X"] == 0
    assert same(r["I_A_X"], sympy.Rational(8, 3) - LOG2_3)
    assert r["I_A_Xerased"] == 0 and r["H_A_given_Xerased"] == 2
    assert same(r["class_relevant_bits"], 2 - H_THIRD)


def test_t1_identity_holds_exactly_on_an_exact_world():
    r = six_nine("rot4")
    assert same(r["I_A_X"], r["I_A_X_given_C"] - r["I_A_C_given_X"])


def _x_measures(J):
    return [
        mutual_information(J, "A", "X"),
        mutual_information(J, "C", "X"),
        mutual_information(J, "A", "C", given="X"),
        mutual_information(J, ("A", "C"), "X", given="S"),
        mutual_information(J, "Abar", "X", given=("C", "A")),
        entropy(J, "X"),
        entropy(J, ("C", "S", "Abar"), given="X"),
    ]


@pytest.mark.parametrize("transform", ["rot4", "hflip", "jigsaw"])
def test_latent_information_is_invariant_under_an_injective_recolouring(transform):
    base = dict(n_classes=4, n_positions=5, n_colours=2, strokes=(0, 1))
    w1 = presets.get("natural", **base)
    # another palette and a permuted class order: an injective re-rendering of the same latents
    palette = [((0.75, 0.25, 0.5), (0.0, 0.125, 0.0)), ((0.5, 1.0, 0.25), (0.0, 0.125, 0.0))]
    names = list(w1.class_names)
    w2 = GlyphWorld(
        {n: w1.glyph_bank[names.index(n), 0] for n in reversed(names)},
        canvas=w1.canvas,
        positions=w1.knob_values["position"],
        colours=palette,
        strokes=(0, 1),
        pose="hflip",
    )
    assert w2.class_names == tuple(reversed(names))
    ids1, ids2 = w1.x_ids(transform)[0], w2.x_ids(transform)[0][::-1]  # cell (c, ...) of w1 is (n-1-c, ...) of w2
    pairs = np.unique(np.stack([ids1.ravel(), ids2.ravel()], axis=1), axis=0)
    assert len(pairs) == ids1.max() + 1 == ids2.max() + 1  # the same partition of the latent grid
    np.testing.assert_allclose(_x_measures(w1.joint(transform)), _x_measures(w2.joint(transform)), atol=1e-12)


@pytest.mark.parametrize("name", [n for n in presets.names() if n != "digits"])
def test_augmentation_is_independent_of_the_class_in_every_preset(name):
    world = presets.get(name)
    for t in transforms.PAPER_SEVEN + ("d4", "rot4*vflip"):
        J = world.latent_joint(t)
        value = mutual_information(J, "A", "C")
        assert (value == 0) if J.is_exact else abs(value) < 1e-12
        value = mutual_information(J, "A", ("C", "S", "Abar"))
        assert (value == 0) if J.is_exact else abs(value) < 1e-12


def test_augmentation_is_independent_of_the_class_after_rendering():
    r = analyze(presets.get("natural", n_classes=3, n_positions=5, n_colours=2), "rot4")
    assert abs(r["I_A_C"]) < 1e-12


@pytest.mark.parametrize("glyph", [g.name for g in glyphs.SYMMETRIC])
def test_symmetric_glyphs_make_rotation_lossy(glyph):
    """With one glyph and nothing else, X = rot(glyph) by A, and the rotations that fix the
    glyph are invisible: H(A|X) = log2 |stabiliser within the four rotations| (O, plus and
    the pinwheel: 2 bits; H and Z: 1 bit; T, E and the corner: 0)."""
    art = glyphs.symmetric(size=8)[glyph]
    stabiliser = len(glyphs.symmetry_group(art) & {0, 1, 2, 3})
    w = GlyphWorld({glyph: art}, [F(1)])
    assert entropy(w.joint("rot4"), "A", given="X") == {1: 0, 2: 1, 4: 2}[stabiliser]


def test_symmetric_preset_is_lossy_for_rotation():
    """Nine equally likely glyphs that no rotation turns into each other: H(A|X) and the Bayes
    accuracy of A are the glyphs' averages of log2 |stabiliser| and 1 / |stabiliser|."""
    family = glyphs.symmetric(size=8)
    stabilisers = [len(glyphs.symmetry_group(art) & {0, 1, 2, 3}) for art in family.values()]
    assert sorted(stabilisers) == [1, 1, 1, 2, 2, 4, 4, 4, 4]
    r = analyze(presets.get("symmetric"), "rot4")
    assert r["H_A_given_X"] == F(sum({1: 0, 2: 1, 4: 2}[k] for k in stabilisers), 9) == F(10, 9)
    assert r["bayes_acc_A_given_X"] == pytest.approx(sum(1 / k for k in stabilisers) / 9) == 5 / 9


def test_shortcut_cue_drives_h_a_given_x_to_zero():
    kw = dict(n_classes=3, n_positions=5, n_colours=2)
    plain, cued = presets.get("natural", **kw), presets.get("natural", cue="corner", **kw)
    hflip_plain, hflip_cued = analyze(plain, "hflip"), analyze(cued, "hflip")
    assert hflip_plain["H_A_given_X"] == pytest.approx(1.0)  # mirror pose hides the flip
    assert hflip_cued["H_A_given_X"] == pytest.approx(0.0, abs=1e-12)
    rot_plain, rot_cued = analyze(plain, "rot4"), analyze(cued, "rot4")
    assert rot_plain["H_A_given_Xerased"] == pytest.approx(2.0)  # no class-agnostic orientation cue
    assert rot_cued["H_A_given_Xerased"] == pytest.approx(0.0, abs=1e-12)  # the cue reveals A
    assert rot_plain["class_relevant_bits"] == pytest.approx(2.0)
    assert rot_cued["class_relevant_bits"] == pytest.approx(0.0, abs=1e-12)
    assert rot_cued["I_A_corners"] == pytest.approx(2.0)


def test_symmetric_glyph_with_cue_loses_nothing():
    O = glyphs.symmetric(size=8)["O"]
    assert entropy(GlyphWorld({"O": O}, [F(1)]).joint("rot4"), "A", given="X") == 2
    assert entropy(GlyphWorld({"O": O}, [F(1)], cue="corner").joint("rot4"), "A", given="X") == 0


def test_base_augmentation_prunes_the_shortcut():
    kw = dict(n_classes=2, n_positions=1, n_colours=1, strokes=(0,))
    none = analyze(presets.get("shortcut", base="none", **kw), "rot4")
    crop_flip = analyze(presets.get("shortcut", base="crop-flip", exact=True, **kw), "rot4")
    assert none["H_A_given_Xerased"] == pytest.approx(0.0, abs=1e-12)
    # exact: the shifted and mirrored crops hide 0.6 (1 + log2 3) bits of the 2 the cue showed
    assert sympy.simplify(crop_flip["H_A_given_Xerased"] - sympy.Rational(3, 5) * (1 + sympy.log(3, 2))) == 0


def test_occlusion_makes_the_class_ambiguous():
    r = analyze(presets.get("occluded", n_classes=4, n_positions=1, n_colours=1, exact=True), "rot4")
    assert r["H_C_given_X"] == F(1, 8) and r["I_A_C_given_X"] == F(1, 8)


def test_natural_world_separates_the_seven_tasks():
    """Rotation and vertical flip: A visible in X but not in the class-erased scene; the
    others: hidden by the mirror pose (hflip) or revealed without the class."""
    w = presets.get("natural", n_positions=5, n_colours=2)
    r = {t: analyze(w, t) for t in ("rot4", "vflip", "hflip", "invert", "grayscale", "blur4")}
    assert r["rot4"]["class_relevant_bits"] == pytest.approx(2.0)
    assert r["vflip"]["class_relevant_bits"] == pytest.approx(1.0)
    for t in ("hflip", "invert", "grayscale", "blur4"):
        assert abs(r[t]["class_relevant_bits"]) < 1e-9, t
    assert r["hflip"]["H_A_given_X"] == pytest.approx(1.0)
    assert r["grayscale"]["I_A_is_grey"] == pytest.approx(1.0)
    assert r["invert"]["I_A_corners"] == pytest.approx(1.0)


def test_float_and_exact_worlds_agree():
    exact = analyze(presets.get("six-nine", class_prior=(F(1, 3), F(2, 3))), "rot4")
    floats = analyze(presets.get("six-nine", class_prior=(1 / 3, 2 / 3)), "rot4")
    assert set(exact) == set(floats) == set(ANALYSIS_KEYS)
    for k in ANALYSIS_KEYS:
        assert float(exact[k]) == pytest.approx(float(floats[k]), abs=1e-9), k


def test_analysis_formats_exact_values_for_tables_and_json():
    r = six_nine("rot2")
    records = analysis_json(r)
    text = json.dumps(records)
    assert json.loads(text)["H_A_given_X"]["value"] == pytest.approx(float(H_THIRD))
    assert records["H_A_given_X"]["exact"] == "-2/3 + log(3)/log(2)"
    assert records["H_A"]["exact"] is None and records["n_latent_cells"]["value"] == 4
    table = format_analysis(r)
    assert "log(3)/log(2)" in table and ANALYSIS_KEYS["I_A_C_given_X"] in table
    comparison = format_comparison({"rot2": r, "rot4": six_nine("rot4")}, keys=("H_A", "I_A_X"))
    assert comparison.splitlines()[2].split() == ["H_A", "1.000", "2.000"]
    with pytest.raises(WorldError, match="not in the analysis"):
        format_analysis(r, keys=("nope",))


def test_erasure_modes():
    w = presets.get("six-nine")
    box = w.erased_glyph("box")
    assert set(np.unique(box)) == {0.0, 1.0}
    assert (w.erased_glyph("union") <= box).all()
    with pytest.raises(WorldError, match="unknown erasure"):
        w.erased_glyph("blank")
    # the mean of a 6 and its half-turn is fixed by the half-turn only: A is seen modulo 180°
    assert analyze(w, "rot4", erase="mean")["I_A_Xerased"] == 1
