"""Named worlds, each declared once with :func:`preset`: ``names()``, ``descriptions()``,
``get(name, **overrides)``.

Every preset takes keyword overrides (``get("natural", n_classes=6, base="crop-flip")``);
an unknown override raises :class:`WorldError` listing the valid ones.

>>> w = get("natural")
>>> w.n_classes, w.image_shape, w.n_styles, w.n_latent_cells("rot4")
(8, (3, 16, 16), 72, 4608)
>>> get("six-nine").class_names
('6', '9')
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar, cast

import numpy as np

from ..errors import WorldError
from . import glyphs as glyph_families
from .digits import DigitsWorld
from .glyph_world import ColourJitter, GlyphWorld
from .interface import World

__all__ = [
    "BACKGROUNDS",
    "BASE_AUGMENTATIONS",
    "FOREGROUNDS",
    "Preset",
    "descriptions",
    "get",
    "names",
    "preset",
    "unregister",
]

NATURAL_GLYPHS: tuple[str, ...] = ("F", "G", "J", "L", "P", "R", "2", "7", "Q", "4")
"""Asymmetric glyphs in the order ``natural`` takes them. The first eight keep their ink in
the centred 6x6 square of the 8x8 art, so the class-erased box is symmetric under D4; Q and 4
reach the bottom row, and with them the box itself reveals vertical orientation."""

FOREGROUNDS: tuple[tuple[float, float, float], ...] = (
    (15 / 16, 4 / 16, 3 / 16),  # red
    (3 / 16, 13 / 16, 4 / 16),  # green
    (4 / 16, 7 / 16, 15 / 16),  # blue
    (15 / 16, 13 / 16, 3 / 16),  # yellow
    (13 / 16, 4 / 16, 14 / 16),  # magenta
    (3 / 16, 13 / 16, 13 / 16),  # cyan
)
"""Non-grey foreground colours (multiples of 1/16, so inversion stays exact)."""

BACKGROUNDS: tuple[tuple[float, float, float], ...] = (
    (1 / 16, 1 / 16, 1 / 16),  # near black
    (1 / 16, 2 / 16, 3 / 16),  # dark navy
    (3 / 16, 2 / 16, 1 / 16),  # dark brown
)
"""Dark backgrounds."""

_SHIFT = 2
BASE_AUGMENTATIONS: dict[str, dict] = {
    "none": {},
    "crop-flip": {
        "shifts": ((0, 0), (_SHIFT, _SHIFT), (-_SHIFT, -_SHIFT), (_SHIFT, -_SHIFT), (-_SHIFT, _SHIFT)),
        "flips": (False, True),
    },
    "simclr-like": {
        "shifts": ((0, 0), (_SHIFT, _SHIFT), (-_SHIFT, -_SHIFT), (_SHIFT, -_SHIFT), (-_SHIFT, _SHIFT)),
        "flips": (False, True),
        "jitters": (ColourJitter(), ColourJitter((1, 2, 0)), ColourJitter(grey=True)),
    },
}
"""Base augmentations (part of the style S, applied before A): translations that crop (a
D4-symmetric set, so the shift itself does not reveal a rotation), left-right flips and a
finite colour jitter (channel rotation, SimCLR's random grey)."""


@dataclass(frozen=True)
class Preset:
    """A named world: its one-line description, its builder, and the builder parameters it
    fixes itself (a derived preset such as ``shortcut`` sets ``natural``'s ``cue``)."""

    name: str
    description: str
    build: Callable[..., World]
    fixes: tuple[str, ...] = ()


_PRESETS: dict[str, Preset] = {}

_Build = TypeVar("_Build", bound=Callable[..., World])


def preset(name: str, description: str, fixes: tuple[str, ...] = ()) -> Callable[[_Build], _Build]:
    """Decorator: register ``build(**overrides) -> World`` as the preset ``name``."""

    def add(build: _Build) -> _Build:
        if name in _PRESETS:
            raise WorldError(f"a preset named {name!r} is already registered")
        _PRESETS[name] = Preset(name, description, build, tuple(fixes))
        return build

    return add


def _grid_positions(n_positions: int, canvas: int, glyph: int, spread: int) -> list[tuple[int, int]]:
    """A D4-symmetric set of glyph positions around the centre of a square canvas."""
    if (canvas - glyph) % 2:
        raise WorldError(f"canvas {canvas} - glyph {glyph} must be even so the glyph can be centred")
    centre = (canvas - glyph) // 2
    if isinstance(spread, bool) or not isinstance(spread, int) or spread < 0:
        raise WorldError(f"spread must be a non-negative int, got {spread!r}")
    offsets = {
        1: [(0, 0)],
        4: [(-1, -1), (-1, 1), (1, -1), (1, 1)],
        5: [(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1)],
        9: [(i, j) for i in (-1, 0, 1) for j in (-1, 0, 1)],
    }
    if n_positions not in offsets:
        raise WorldError(f"n_positions must be one of {sorted(offsets)} (D4-symmetric grids), got {n_positions!r}")
    if n_positions > 1 and spread == 0:
        raise WorldError("spread 0 puts every position at the centre; use n_positions=1")
    return [(centre + i * spread, centre + j * spread) for i, j in offsets[n_positions]]


def _count(value: object, name: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise WorldError(f"{name} must be an int in {lo}..{hi}, got {value!r}")
    return value


@preset("natural", "colour glyphs, upright pose, left/right facing equally likely, varied position/colour/stroke")
def natural(
    n_classes: int = 8,
    canvas: int = 16,
    glyph_size: int = 8,
    n_positions: int = 9,
    spread: int = 3,
    n_colours: int = 4,
    n_backgrounds: int = 1,
    strokes: Sequence[int] = (0, 1),
    mirror: bool = True,
    base: str = "none",
    cue: str | None = None,
    occluders: Sequence[tuple[int, int, int, int] | None] = (None,),
    class_prior: Sequence[object] | None = None,
    style_probs: Mapping[str, Sequence[object]] | None = None,
    exact: bool | None = None,
    name: str = "natural",
) -> GlyphWorld:
    """Colour glyphs (non-grey on dark, sharp edges) in a canonical upright pose, facing
    left or right with equal probability (Ā uniform on {identity, hflip} when ``mirror``),
    at D4-symmetric positions, in several colours and stroke widths.

    Rotation and vertical flip change an upright glyph in a way only its class explains;
    horizontal flip is hidden by the mirror pose; inversion, grayscale, blur and jigsaw are
    revealed by the background, the colours, the sharp edges and the glyph's box.

    Defaults: 8 classes x 72 styles x 2 poses (4,608 cells under rot4); style varies enough
    that a random-init CNN's linear probe for C stays far below 70% on held-out styles,
    while rotation pretext training lifts it. ``base``
    multiplies the styles by 10 ("crop-flip") or 30 ("simclr-like"); shrink ``n_positions``
    or ``n_colours`` with it to stay at tens of thousands of cells.
    """
    n_classes = _count(n_classes, "n_classes", 1, len(NATURAL_GLYPHS))
    family = glyph_families.asymmetric(size=glyph_size)
    chosen = {k: family[k] for k in NATURAL_GLYPHS[:n_classes]}
    n_colours = _count(n_colours, "n_colours", 1, len(FOREGROUNDS))
    n_backgrounds = _count(n_backgrounds, "n_backgrounds", 1, len(BACKGROUNDS))
    if base not in BASE_AUGMENTATIONS:
        raise WorldError(f"unknown base augmentation {base!r}; use one of {', '.join(BASE_AUGMENTATIONS)}")
    colours = [(fg, bg) for bg in BACKGROUNDS[:n_backgrounds] for fg in FOREGROUNDS[:n_colours]]
    return GlyphWorld(
        chosen,
        class_prior,
        canvas=canvas,
        positions=_grid_positions(n_positions, canvas, glyph_size, spread),
        colours=colours,
        strokes=tuple(strokes),
        occluders=tuple(occluders),
        pose="hflip" if mirror else None,
        cue=cue,
        style_probs=style_probs,
        exact=exact,
        name=name,
        **BASE_AUGMENTATIONS[base],
    )


@preset("shortcut", "natural plus a lit corner pixel drawn before A that reveals A for any class", fixes=("cue",))
def shortcut(
    n_positions: int = 5, n_colours: int = 4, base: str = "none", name: str = "shortcut", **natural_overrides: object
) -> GlyphWorld:
    """``natural`` with a white top-left pixel drawn before A: it moves with A and reveals it
    for any class. Smaller defaults keep the base-augmented variants (``base="simclr-like"``)
    at tens of thousands of cells."""
    return natural(
        n_positions=n_positions,
        n_colours=n_colours,
        base=base,
        cue="corner",
        name=name,
        **natural_overrides,  # type: ignore[arg-type]
    )


@preset(
    "occluded",
    "natural with half of each glyph hidden (in a share `occlusion` of the scenes): the class becomes ambiguous",
    fixes=("occluders",),
)
def occluded(
    n_positions: int = 5,
    n_colours: int = 6,
    strokes: Sequence[int] = (0,),
    occlusion: object = 1,
    name: str = "occluded",
    **natural_overrides: object,
) -> GlyphWorld:
    """``natural`` with the top, bottom, left or right half of the glyph box hidden (a
    D4-symmetric set of windows): glyphs that share a half become ambiguous, so H(C|X) > 0
    and the explaining-away term I(A;C|X) can be positive.

    ``occlusion`` is the probability that a scene is occluded (the four windows equally
    likely): 1 (the default) hides half of every glyph, 0 none, and the steps between grade
    the world from ``natural``-like (I(C;T) = 0 under rot4) to fully occluded. A Fraction
    makes the style probabilities exact.
    """
    share = cast(float | Fraction, occlusion)  # any real number, checked just below
    if isinstance(share, bool) or not isinstance(share, numbers.Real) or not 0 <= share <= 1:
        raise WorldError(f"occlusion must be a number in [0, 1], got {occlusion!r}")
    size = int(natural_overrides.get("glyph_size", 8))  # type: ignore[call-overload]
    half = size // 2
    windows = ((0, 0, half, size), (size - half, 0, half, size), (0, 0, size, half), (0, size - half, size, half))
    occluders: tuple = windows if share == 1 else (None,) if share == 0 else (None, *windows)
    if 0 < share < 1:
        natural_overrides["style_probs"] = {"occluder": [1 - share] + [share / 4] * 4}
    return natural(
        n_positions=n_positions,
        n_colours=n_colours,
        strokes=strokes,
        occluders=occluders,
        name=name,
        **natural_overrides,  # type: ignore[arg-type]
    )


MARKERS: tuple[str, ...] = ("none", "corners", "midpoints", "frame")
"""Marker patterns on the border of a square box, each invariant under D4 (rotations and flips
leave them in place): no marker, an L at each corner, a pair of pixels at each edge's middle,
the whole border."""


def marker_masks(box: int, names: Sequence[str] = MARKERS) -> dict[str, np.ndarray]:
    """The D4-symmetric marker masks of :data:`MARKERS` on a ``box`` x ``box`` square.

    >>> m = marker_masks(6)["midpoints"]
    >>> m[0].tolist(), bool((np.rot90(m) == m).all() and (m[:, ::-1] == m).all())
    ([0.0, 0.0, 1.0, 1.0, 0.0, 0.0], True)
    """
    mid = box // 2
    seeds = {
        "none": [],
        "corners": [(0, 0), (0, 1)],
        "midpoints": [(0, mid - 1)],
        "frame": [(0, j) for j in range(box)],
    }
    out = {}
    for name in names:
        if name not in seeds:
            raise WorldError(f"unknown marker {name!r}; markers: {', '.join(seeds)}")
        mask = np.zeros((box, box))
        for r, c in seeds[name]:
            mask[r, c] = 1.0
        out[name] = glyph_families.d4_orbit(mask).max(axis=0)
    return out


@preset("marked", "a glyph and, on its box's border, a rotation-symmetric marker: two labels in one image")
def marked(
    n_carriers: int = 4,
    n_markers: int = 4,
    n_positions: int = 5,
    spread: int = 2,
    n_colours: int = 4,
    strokes: Sequence[int] = (0, 1),
    mirror: bool = True,
    name: str = "marked",
) -> GlyphWorld:
    """Each image shows an asymmetric ``natural`` glyph (the *carrier*: its pose moves with a
    rotation) inside a 12x12 box whose border carries one of :data:`MARKERS` (invariant under
    every rotation and flip). The class is the pair; ``label_maps`` gives the two labels
    (``carrier``, ``marker``), independent and uniform.

    Under rot4 the carrier's label is needed to read A (as in ``natural``) and the marker's is
    not (I(marker;T) = 0 exactly); under hflip with mirror-uniform poses neither is. Box
    positions are a D4-symmetric grid on the 16x16 canvas, so position never reveals A.
    """
    n_carriers = _count(n_carriers, "n_carriers", 1, len(NATURAL_GLYPHS))
    n_markers = _count(n_markers, "n_markers", 1, len(MARKERS))
    n_colours = _count(n_colours, "n_colours", 1, len(FOREGROUNDS))
    box, glyph = 12, 8
    carriers = glyph_families.asymmetric(size=glyph)
    masks = marker_masks(box, MARKERS[:n_markers])
    composites = {}
    for carrier in NATURAL_GLYPHS[:n_carriers]:
        for marker, mask in masks.items():
            image = mask.copy()
            inner = image[2 : 2 + glyph, 2 : 2 + glyph]
            np.maximum(inner, carriers[carrier], out=inner)
            composites[f"{carrier}|{marker}"] = image
    classes = range(n_carriers * n_markers)
    return GlyphWorld(
        composites,
        canvas=16,
        positions=_grid_positions(n_positions, 16, box, spread),
        colours=[(fg, BACKGROUNDS[0]) for fg in FOREGROUNDS[:n_colours]],
        strokes=tuple(strokes),
        pose="hflip" if mirror else None,
        label_maps={"carrier": [c // n_markers for c in classes], "marker": [c % n_markers for c in classes]},
        name=name,
    )


@preset("six-nine", "two classes, '6' and its 180-degree rotation '9'; exact uniform prior")
def six_nine(
    size: int = 8, class_prior: Sequence[object] | None = None, pose: str | None = None, name: str = "six-nine"
) -> GlyphWorld:
    """Two classes, "6" and "9" = the 6 turned by 180°, one channel, nothing else varies.
    The prior defaults to exact (1/2, 1/2); a 180° rotation turns one class into the other."""
    prior = (Fraction(1, 2), Fraction(1, 2)) if class_prior is None else class_prior
    return GlyphWorld(glyph_families.six_nine(size=size), prior, pose=pose, name=name)


@preset("symmetric", "nine glyphs with rotation/mirror symmetries: some actions become invisible")
def symmetric(size: int = 8, class_prior: Sequence[object] | None = None, name: str = "symmetric") -> GlyphWorld:
    """The symmetric glyph family (O, X, plus, H, Z, pinwheel, T, E, corner), upright, one
    channel: each glyph's symmetries make some rotations and flips invisible (lossy A)."""
    family = glyph_families.symmetric(size=size)
    prior = [Fraction(1, len(family))] * len(family) if class_prior is None else class_prior
    return GlyphWorld(family, prior, name=name)


@preset(
    "random", "a glyph world drawn from the documented distribution of synthetic.worlds.random_worlds (override: seed)"
)
def random(seed: int = 0) -> GlyphWorld:
    """The world :func:`synthetic.worlds.random_worlds.draw` makes from ``seed``."""
    from .random_worlds import draw

    return draw(seed).build()


@preset("fonts", "characters drawn from matplotlib's fonts (DejaVu, STIX, Computer Modern): the font is a style")
def fonts(
    characters: str | None = None, fonts: Sequence[str] | None = None, box: int = 10, n_colours: int = 2
) -> GlyphWorld:
    """:func:`synthetic.worlds.fonts.fonts_world`: 16 characters in 6 fonts by default."""
    from .fonts import DEFAULT_CHARACTERS, DEFAULT_FONTS, fonts_world

    return fonts_world(
        DEFAULT_CHARACTERS if characters is None else characters,
        DEFAULT_FONTS if fonts is None else fonts,
        box=box,
        n_colours=n_colours,
    )


@preset("digits", "scikit-learn's real 8x8 handwritten digits: class known, no other latents")
def digits(n_images: int | None = None) -> DigitsWorld:
    """scikit-learn's 1797 real 8x8 digits (or the first ``n_images``); class known only."""
    return DigitsWorld(n_images)


def unregister(name: str) -> None:
    """Remove a registered preset (for tests and interactive sessions)."""
    _spec(name)
    del _PRESETS[name]


def names() -> tuple[str, ...]:
    """The preset names."""
    return tuple(_PRESETS)


def descriptions() -> dict[str, str]:
    """Preset name -> one-line description."""
    return {k: v.description for k, v in _PRESETS.items()}


def overrides(name: str) -> tuple[str, ...]:
    """The keyword overrides preset ``name`` accepts."""
    spec = _spec(name)
    params = dict(inspect.signature(spec.build).parameters)
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        params.update({k: v for k, v in inspect.signature(natural).parameters.items() if k not in params})
    return tuple(k for k, p in params.items() if p.kind is not p.VAR_KEYWORD and k not in spec.fixes)


def _spec(name: str) -> Preset:
    if name not in _PRESETS:
        raise WorldError(f"unknown world {name!r}; presets: {', '.join(_PRESETS)}")
    return _PRESETS[name]


def get(name: str, **kwargs: object) -> World:
    """Build preset ``name`` with keyword overrides.

    >>> get("natural", n_classes=3, n_positions=1, n_colours=1, strokes=(0,)).n_styles
    1
    >>> get("natural", colour="red")
    Traceback (most recent call last):
    ...
    synthetic.errors.WorldError: unknown override(s) ['colour'] for world 'natural'; valid: n_classes, canvas, glyph_size, n_positions, spread, n_colours, n_backgrounds, strokes, mirror, base, cue, occluders, class_prior, style_probs, exact, name
    """
    build = _spec(name).build
    valid = overrides(name)
    unknown = sorted(set(kwargs) - set(valid))
    if unknown:
        raise WorldError(f"unknown override(s) {unknown} for world {name!r}; valid: {', '.join(valid)}")
    return build(**kwargs)
