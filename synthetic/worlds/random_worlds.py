"""Glyph worlds drawn at random from a documented distribution: worlds that nobody tuned.

:func:`draw` turns a seed into a :class:`RandomWorldSpec` (every parameter of the world, so a
world is described and rebuilt from its spec alone); :meth:`RandomWorldSpec.build` renders it
as an exactly analysable :class:`~synthetic.worlds.glyph_world.GlyphWorld`.

The distribution (each draw independent, in this order, from ``numpy.random.default_rng(seed)``):

* classes: 3 to 6, uniform; glyph side 5 or 6, uniform;
* each class's glyph: with probability 1/4 (from the second class on) the 90° or 180°
  rotation or a mirror image of an earlier class's glyph (a *rotated pair*, like 6 and 9);
  otherwise random ink (half the cells on, on average) made invariant under a symmetry
  drawn from ``none`` (probability 1/2), ``rot2``, ``rot4``, ``hflip``, ``vflip``, ``d4``
  (1/10 each) by taking the union of its images. Glyphs are redrawn until every class's glyph
  differs from the others and has ink;
* each class's pose Ā (a d4 element applied before A): ``canonical`` (the identity; 1/2),
  ``uniform`` on D4, ``rotations`` (uniform on the four rotations), ``mirror`` (identity or
  left-right mirror), or ``mixture`` (identity with probability 1/2, else uniform on D4),
  1/8 each;
* channels: 1 (grey on grey) or 3 (colour on a dark background), 1/2 each; 3 or 4
  foreground/background colour pairs drawn from the palette of that kind;
* positions on a canvas 4 pixels wider than the glyph: the centre only (2/3) or the four
  corners of a D4-symmetric square around it (1/3);
* occluders: none (2/3) or, in a share 1/2 of the scenes, one of the four half-windows of
  the glyph box (1/3);
* a shortcut cue (a lit top-left corner pixel drawn before A) with probability 1/5.

Worlds stay small (at most 6 classes × 4 colours × 4 positions × 2 occluder states × 8
poses × 8 actions, about 25,000 cells under d4), so every quantity of :func:`analyze` is
exact.

>>> spec = draw(3)
>>> spec == draw(3), spec.build().n_classes == spec.n_classes
(True, True)
>>> [s.seed for s in random_worlds(3, seed=0)] == [s.seed for s in random_worlds(3, seed=0)]
True
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

import numpy as np

from .. import transforms
from ..errors import WorldError
from .glyph_world import GlyphWorld

__all__ = [
    "BRIGHT",
    "DARK",
    "GREY",
    "POSES",
    "SYMMETRIES",
    "RandomWorldSpec",
    "art",
    "draw",
    "random_worlds",
    "symmetrised",
]

SYMMETRIES: dict[str, tuple[int, ...]] = {
    "none": (0,),
    "rot2": (0, 2),
    "rot4": (0, 1, 2, 3),
    "hflip": (0, 4),
    "vflip": (0, 6),
    "d4": tuple(range(8)),
}
"""A glyph's imposed symmetry -> the d4 elements it is made invariant under."""

POSES: dict[str, tuple[float, ...]] = {
    "canonical": (1, 0, 0, 0, 0, 0, 0, 0),
    "uniform": (1 / 8,) * 8,
    "rotations": (1 / 4,) * 4 + (0,) * 4,
    "mirror": (1 / 2, 0, 0, 0, 1 / 2, 0, 0, 0),
    "mixture": (1 / 2 + 1 / 16,) + (1 / 16,) * 7,
}
"""A class's pose distribution -> p(ā | c) over the d4 elements (4·m + r)."""

GREY = ((1.0, 0.0), (0.75, 0.25), (0.0, 1.0), (0.5, 0.0), (1.0, 0.5))
DARK = ((0.0, 0.0, 0.0), (0.1, 0.1, 0.2), (0.2, 0.1, 0.1))
BRIGHT = ((1.0, 0.2, 0.2), (0.2, 1.0, 0.2), (0.3, 0.3, 1.0), (1.0, 1.0, 0.2), (1.0, 0.5, 0.0), (0.8, 0.2, 1.0))
_HALVES = ("top", "bottom", "left", "right")


@dataclass(frozen=True)
class RandomWorldSpec:
    """Every parameter of a drawn world; :meth:`build` renders it deterministically."""

    seed: int | None
    """The seed :func:`draw` made it from (None for a world built otherwise, e.g. by hypothesis)."""
    glyphs: tuple[str, ...]
    """One string per class: rows of '#' (ink) and '.', joined by '/'."""
    symmetries: tuple[str, ...]
    """How each glyph was made: a :data:`SYMMETRIES` name, or ``pair:k:d`` (d4 element d of class k's glyph)."""
    poses: tuple[str, ...]
    channels: int
    colours: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...]
    corners: bool
    occlusion: bool
    cue: bool

    @property
    def n_classes(self) -> int:
        return len(self.glyphs)

    def masks(self) -> dict[str, np.ndarray]:
        """Class name -> (g, g) 0/1 float mask."""
        return {f"c{i}": _parse(art) for i, art in enumerate(self.glyphs)}

    def build(self) -> GlyphWorld:
        """The world: d4 poses, the drawn colours, positions, occluders and cue."""
        masks = self.masks()
        g = next(iter(masks.values())).shape[0]
        canvas = g + 4
        positions = [(1, 1), (1, 3), (3, 1), (3, 3)] if self.corners else [(2, 2)]
        half, rest = g // 2, g - g // 2
        windows = {
            "top": (0, 0, half, g),
            "bottom": (rest, 0, half, g),
            "left": (0, 0, g, half),
            "right": (0, rest, g, half),
        }
        occluders: list = [None] + [windows[h] for h in _HALVES] if self.occlusion else [None]
        style_probs = {"occluder": [0.5] + [0.125] * 4} if self.occlusion else None
        colours = [(fg[0], bg[0]) for fg, bg in self.colours] if self.channels == 1 else list(self.colours)
        return GlyphWorld(
            masks,
            canvas=canvas,
            positions=positions,
            colours=colours,
            occluders=occluders,
            pose="d4",
            pose_probs={name: list(POSES[p]) for name, p in zip(masks, self.poses)},
            cue="corner" if self.cue else None,
            style_probs=style_probs,
            name=self.name,
        )

    @property
    def name(self) -> str:
        return f"random-{self.seed}" if self.seed is not None else f"random-{self.fingerprint()}"

    def describe(self) -> str:
        """One line: the seed and the parameters that matter to a reader."""
        sym = ", ".join(self.symmetries)
        return (
            f"{self.name}: {self.n_classes} classes (glyphs {sym}; poses {', '.join(self.poses)}), "
            f"{self.channels} channel(s), {len(self.colours)} colour pairs, "
            f"{'4 corner positions' if self.corners else 'centred'}, "
            f"{'half-occluded in half the scenes' if self.occlusion else 'no occlusion'}, "
            f"{'a corner cue' if self.cue else 'no cue'}"
        )

    def as_dict(self) -> dict:
        return asdict(self)

    def fingerprint(self) -> str:
        """A short hash of the spec (the same spec, the same world)."""
        return hashlib.sha256(json.dumps(self.as_dict(), sort_keys=True).encode()).hexdigest()[:12]


def _parse(art: str) -> np.ndarray:
    return np.array([[c == "#" for c in row] for row in art.split("/")], dtype=np.float64)


def art(mask: np.ndarray) -> str:
    """A mask as the spec's string: rows of '#' and '.', joined by '/'."""
    return "/".join("".join("#" if v else "." for v in row) for row in mask)


def _d4(mask: np.ndarray, element: int) -> np.ndarray:
    return transforms.get("d4").apply(mask[None, None], np.array([element]))[0, 0]


def symmetrised(ink: np.ndarray, symmetry: str) -> np.ndarray:
    """The union of the images of ``ink`` under the d4 elements of ``symmetry``: invariant under them."""
    return np.maximum.reduce([_d4(np.asarray(ink, dtype=np.float64), e) for e in SYMMETRIES[symmetry]])


def _glyph(rng: np.random.Generator, g: int, symmetry: str) -> np.ndarray:
    # each cell inked with the probability that leaves the union of |H| images half inked
    return symmetrised(rng.random((g, g)) < 1 - 0.5 ** (1 / len(SYMMETRIES[symmetry])), symmetry)


def draw(seed: int) -> RandomWorldSpec:
    """The world of ``seed`` (see the module docs for the distribution)."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise WorldError(f"seed must be a non-negative int, got {seed!r}")
    rng = np.random.default_rng(int(seed))
    n_classes = int(rng.integers(3, 7))
    g = int(rng.choice([5, 6]))
    names = list(SYMMETRIES)
    sym_p = [0.5] + [0.1] * (len(names) - 1)
    masks: list[np.ndarray] = []
    made: list[str] = []
    while len(masks) < n_classes:
        if masks and rng.random() < 0.25:
            k, element = int(rng.integers(len(masks))), int(rng.choice([1, 2, 4, 6]))
            mask, how = _d4(masks[k], element), f"pair:{k}:{element}"
        else:
            how = str(rng.choice(names, p=sym_p))
            mask = _glyph(rng, g, how)
        if mask.sum() == 0 or any(np.array_equal(mask, m) for m in masks):
            continue
        masks.append(mask)
        made.append(how)
    pose_names = list(POSES)
    poses = tuple(str(rng.choice(pose_names, p=[0.5] + [0.125] * 4)) for _ in range(n_classes))
    channels = int(rng.choice([1, 3]))
    n_colours = int(rng.integers(3, 5))
    colours: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...]
    if channels == 1:
        picks = rng.choice(len(GREY), size=n_colours, replace=False)
        colours = tuple(((GREY[i][0],), (GREY[i][1],)) for i in picks)
    else:
        fgs = rng.choice(len(BRIGHT), size=n_colours, replace=False)
        colours = tuple((BRIGHT[i], DARK[int(rng.integers(len(DARK)))]) for i in fgs)
    return RandomWorldSpec(
        seed=int(seed),
        glyphs=tuple(art(m) for m in masks),
        symmetries=tuple(made),
        poses=poses,
        channels=channels,
        colours=colours,
        corners=bool(rng.random() < 1 / 3),
        occlusion=bool(rng.random() < 1 / 3),
        cue=bool(rng.random() < 0.2),
    )


def random_worlds(n: int, seed: int = 0) -> list[RandomWorldSpec]:
    """``n`` worlds whose seeds are drawn from ``seed``: reproducible, and the first k of n are the
    worlds of ``random_worlds(k, seed)``."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise WorldError(f"the number of worlds must be a non-negative int, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise WorldError(f"seed must be a non-negative int, got {seed!r}")
    seeds: np.ndarray | list[int]
    seeds = np.random.SeedSequence(int(seed)).generate_state(n) if n else []  # a prefix of a longer list's
    return [draw(int(s)) for s in seeds]
