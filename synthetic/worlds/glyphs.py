"""Procedural glyphs: small binary images with known symmetry, drawn from 8×8 stroke art.

Three families, each rendered on a square canvas of even ``size`` >= 8 (float arrays with
values 0.0 and 1.0, shape (size, size)):

* :func:`asymmetric`: upright letters and digits (F, G, J, L, P, R, Q, 2, 4, 7) that no
  rotation or mirror fixes: all 8 images under D4 are distinct;
* :func:`symmetric`: shapes covering the subgroups of D4: O, X, plus (all of D4), H (180°
  and both mirrors), Z (180° only), pinwheel (the four rotations only), T (left-right
  mirror), E (top-bottom mirror), corner (mirror in the anti-diagonal);
* :func:`six_nine`: a "6" and the "9" that is exactly its 180° rotation.

Every glyph states the D4 elements that fix it (``Glyph.symmetry``, element order of the
``d4`` transform in :mod:`synthetic.transforms`: 4·m + r = mirror left-right if m = 1, then
rotate 90°·r counter-clockwise), and :func:`symmetry_group` computes them. Within a family
no glyph is a rotation or mirror image of another. The art is scaled by the largest integer
factor that fits and centred, so symmetries survive any even size.

>>> from synthetic.worlds import glyphs
>>> g = glyphs.symmetric(size=12)
>>> g["H"].shape, sorted(glyphs.symmetry_group(g["H"])), sorted(glyphs.symmetry_group(g["Z"]))
((12, 12), [0, 2, 4, 6], [0, 2])
>>> pair = glyphs.six_nine()
>>> bool((pair["9"] == pair["6"][::-1, ::-1]).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import GlyphError
from ..transforms import get

__all__ = [
    "ASYMMETRIC",
    "GRID",
    "SIX",
    "SYMMETRIC",
    "Glyph",
    "GlyphError",
    "asymmetric",
    "d4_orbit",
    "six_nine",
    "symmetric",
    "symmetry_group",
]

GRID = 8
"""Side of the stroke art, in cells."""

# Stabilisers in d4 labels (4·m + r: mirror left-right if m = 1, then rotate 90°·r).
_IDENTITY = frozenset({0})
_ALL_D4 = frozenset(range(8))
_ROTATIONS = frozenset({0, 1, 2, 3})
_HALF_TURN_AND_MIRRORS = frozenset({0, 2, 4, 6})
_HALF_TURN = frozenset({0, 2})
_MIRROR_LEFT_RIGHT = frozenset({0, 4})
_MIRROR_TOP_BOTTOM = frozenset({0, 6})
_MIRROR_ANTI_DIAGONAL = frozenset({0, 7})


@dataclass(frozen=True)
class Glyph:
    """A named 8×8 stroke drawing ('#' ink, '.' blank) and the D4 elements that fix it."""

    name: str
    art: str
    symmetry: frozenset[int]

    def cells(self) -> np.ndarray:
        """The art as a (GRID, GRID) 0/1 float array."""
        rows = self.art.split()
        if len(rows) != GRID or any(len(r) != GRID or set(r) - {"#", "."} for r in rows):
            raise GlyphError(f"glyph {self.name!r}: art must be {GRID} rows of {GRID} '#'/'.' cells")
        return np.array([[c == "#" for c in r] for r in rows], dtype=np.float64)

    def render(self, size: int = 16) -> np.ndarray:
        """The glyph on a (size, size) canvas: cells scaled by size // GRID, then centred."""
        scale, pad = _layout(size)
        big = np.kron(self.cells(), np.ones((scale, scale)))
        return np.pad(big, pad)


def _layout(size: int) -> tuple[int, int]:
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < GRID or size % 2:
        raise GlyphError(f"size must be an even integer >= {GRID} (so the art can be centred exactly), got {size!r}")
    scale = int(size) // GRID
    return scale, (int(size) - GRID * scale) // 2


ASYMMETRIC: tuple[Glyph, ...] = (
    Glyph("F", "........ .######. .#...... .#...... .#####.. .#...... .#...... ........", _IDENTITY),
    Glyph("G", "........ ..####.. .#....#. .#...... .#..###. .#....#. ..####.. ........", _IDENTITY),
    Glyph("J", "........ ..#####. .....#.. .....#.. .....#.. .#...#.. ..###... ........", _IDENTITY),
    Glyph("L", "........ .#...... .#...... .#...... .#...... .#...... .####... ........", _IDENTITY),
    Glyph("P", "........ .####... .#...#.. .#...#.. .####... .#...... .#...... ........", _IDENTITY),
    Glyph("R", "........ .####... .#...#.. .#...#.. .####... .#..#... .#...#.. ........", _IDENTITY),
    Glyph("Q", "........ ..###... .#...#.. .#...#.. .#...#.. .#..##.. ..####.. ......#.", _IDENTITY),
    Glyph("2", "........ ..####.. .#....#. ......#. ....##.. ..##.... .######. ........", _IDENTITY),
    Glyph("4", "........ .....#.. ....##.. ...#.#.. ..#..#.. .######. .....#.. .....#..", _IDENTITY),
    Glyph("7", "........ .######. ......#. .....#.. ....#... ...#.... ...#.... ........", _IDENTITY),
)
"""Chiral upright glyphs: only the identity fixes them."""

SYMMETRIC: tuple[Glyph, ...] = (
    Glyph("O", "........ ..####.. .#....#. .#....#. .#....#. .#....#. ..####.. ........", _ALL_D4),
    Glyph("X", "........ .#....#. ..#..#.. ...##... ...##... ..#..#.. .#....#. ........", _ALL_D4),
    Glyph("plus", "........ ...##... ...##... .######. .######. ...##... ...##... ........", _ALL_D4),
    Glyph("H", "........ .#....#. .#....#. .######. .######. .#....#. .#....#. ........", _HALF_TURN_AND_MIRRORS),
    Glyph("Z", "........ .######. .....#.. ....#... ...#.... ..#..... .######. ........", _HALF_TURN),
    Glyph("pinwheel", "........ .####.#. ......#. .#....#. .#....#. .#...... .#.####. ........", _ROTATIONS),
    Glyph("T", "........ .######. ...##... ...##... ...##... ...##... ...##... ........", _MIRROR_LEFT_RIGHT),
    Glyph("E", "........ .#####.. .#...... .####... .####... .#...... .#####.. ........", _MIRROR_TOP_BOTTOM),
    Glyph("corner", "........ .#...... .#...... .#...... .#...... .#...... .######. ........", _MIRROR_ANTI_DIAGONAL),
)
"""Glyphs with non-trivial symmetry, one or more per kind of stabiliser in D4."""

SIX = Glyph("6", "........ ...###.. ..#..... .#...... .#####.. .#....#. ..####.. ........", _IDENTITY)
"""The "6" of :func:`six_nine`; its "9" is the 180° rotation of the rendered canvas."""


def _family(glyphs: tuple[Glyph, ...], size: int) -> dict[str, np.ndarray]:
    return {g.name: g.render(size) for g in glyphs}


def asymmetric(n: int | None = None, size: int = 16) -> dict[str, np.ndarray]:
    """The first ``n`` (default all 10) chiral glyphs, name -> (size, size) array.

    >>> list(asymmetric(3, size=8))
    ['F', 'G', 'J']
    """
    if n is None:
        n = len(ASYMMETRIC)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= len(ASYMMETRIC):
        raise GlyphError(f"n must be an integer in 1..{len(ASYMMETRIC)} (the family's size), got {n!r}")
    return _family(ASYMMETRIC[: int(n)], size)


def symmetric(size: int = 16) -> dict[str, np.ndarray]:
    """The symmetric family, name -> (size, size) array; ``SYMMETRIC`` states each group."""
    return _family(SYMMETRIC, size)


def six_nine(size: int = 16) -> dict[str, np.ndarray]:
    """``{"6": six, "9": np.rot90(six, 2)}``; neither is fixed by any D4 element but the identity."""
    six = SIX.render(size)
    return {"6": six, "9": np.rot90(six, 2).copy()}


def d4_orbit(glyph: np.ndarray) -> np.ndarray:
    """The 8 images of a square (H, W) glyph under D4, stacked as (8, H, W) in d4 label order."""
    g = np.asarray(glyph)
    if g.ndim != 2 or g.shape[0] != g.shape[1]:
        raise GlyphError(f"a glyph is a square (H, W) array, got shape {g.shape}")
    return get("d4").apply(np.repeat(g[None, None], 8, axis=0), np.arange(8))[:, 0]


def symmetry_group(glyph: np.ndarray) -> frozenset[int]:
    """The d4 labels whose action leaves ``glyph`` unchanged (exact comparison).

    >>> sorted(symmetry_group(SYMMETRIC[0].render(8)))
    [0, 1, 2, 3, 4, 5, 6, 7]
    """
    g = np.asarray(glyph)
    orbit = d4_orbit(g)
    return frozenset(int(a) for a in np.flatnonzero((orbit == g[None]).all(axis=(1, 2))))
