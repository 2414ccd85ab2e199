"""Characters from the fonts matplotlib ships: a world whose symmetries come from type designers.

:func:`render_character` draws one character with matplotlib's own FreeType (``ft2font``), no
download: DejaVu Sans / Serif / Mono and their weights and slants, STIX and Computer Modern lie
in matplotlib's ``mpl-data/fonts``. The glyph is thresholded to a 0/1 mask and centred, by
its ink's bounding box, in a square box whose size is shared by the whole character set (so a
lowercase letter stays smaller than a capital).

Pixels depend on the FreeType that matplotlib bundles. :func:`glyph_set_hash` fingerprints a
rendered set; :data:`REFERENCE_HASHES` holds the hashes of the default sets rendered with
matplotlib 3.11.2 (FreeType 2.14.3), and :func:`fonts_world` warns with
:class:`FontRenderingWarning`, naming both versions, when this machine renders differently
(the world is still exact; its numbers are then not those of the reference).

>>> masks = render_character("b", "DejaVu Sans", box=10)
>>> masks.shape, set(np.unique(masks)) <= {0.0, 1.0}
((10, 10), True)
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from ..errors import WorldError

__all__ = [
    "DEFAULT_CHARACTERS",
    "DEFAULT_FONTS",
    "FONT_FILES",
    "REFERENCE_HASHES",
    "FontRenderingWarning",
    "fonts_world",
    "glyph_set_hash",
    "render_character",
    "render_set",
]

FONT_FILES: dict[str, str] = {
    "DejaVu Sans": "DejaVuSans.ttf",
    "DejaVu Sans Bold": "DejaVuSans-Bold.ttf",
    "DejaVu Sans Oblique": "DejaVuSans-Oblique.ttf",
    "DejaVu Serif": "DejaVuSerif.ttf",
    "DejaVu Serif Bold": "DejaVuSerif-Bold.ttf",
    "DejaVu Serif Italic": "DejaVuSerif-Italic.ttf",
    "DejaVu Sans Mono": "DejaVuSansMono.ttf",
    "DejaVu Sans Mono Bold": "DejaVuSansMono-Bold.ttf",
    "STIX": "STIXGeneral.ttf",
    "STIX Bold": "STIXGeneralBol.ttf",
    "STIX Italic": "STIXGeneralItalic.ttf",
    "Computer Modern": "cmr10.ttf",
    "Computer Modern Sans": "cmss10.ttf",
    "Computer Modern Typewriter": "cmtt10.ttf",
}
"""Font name -> file in matplotlib's ``mpl-data/fonts/ttf``."""

DEFAULT_CHARACTERS = "OXHNSZbdpq69MWnu"
"""Characters whose shapes type designers made (near-)symmetric or pairwise related: O X H
(symmetric), N S Z (half-turn), b d p q and 6 9 (mirror and rotation pairs), M W and n u
(turned pairs)."""

DEFAULT_FONTS: tuple[str, ...] = (
    "DejaVu Sans",
    "DejaVu Sans Bold",
    "DejaVu Serif",
    "DejaVu Sans Mono",
    "STIX",
    "Computer Modern Sans",
)
"""Six fonts: the latent grid of :func:`fonts_world` is 16 characters x 6 fonts x its other knobs."""

REFERENCE_HASHES: dict[tuple[str, tuple[str, ...], int], str] = {
    (DEFAULT_CHARACTERS, DEFAULT_FONTS, 10): "2703cb978486b21c",
}
"""(characters, fonts, box) -> :func:`glyph_set_hash` of the set rendered with matplotlib
3.11.2 / FreeType 2.14.3."""

_POINTS_PER_BOX = 1.1
"""Font size in points per pixel of the box at 72 dpi (a capital's height is about 0.73 em)."""

_SUPERSAMPLE = 4
"""Characters are drawn at this many times the box's resolution, then pooled."""


class FontRenderingWarning(UserWarning):
    """This machine renders a character set differently from the reference rendering."""


def _font_path(font: str) -> Path:
    import matplotlib

    if font not in FONT_FILES:
        raise WorldError(f"unknown font {font!r}; fonts: {', '.join(FONT_FILES)}")
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / FONT_FILES[font]


@cache
def _bitmap(char: str, font: str, size: float) -> np.ndarray:
    from matplotlib import ft2font

    face = ft2font.FT2Font(str(_font_path(font)))
    face.set_size(size, 72)
    face.set_text(char, 0.0, flags=ft2font.LoadFlags.NO_HINTING)
    face.draw_glyphs_to_bitmap(antialiased=True)
    return np.asarray(face.get_image(), dtype=np.float64) / 255.0


def _ink(char: str, font: str, size: float) -> np.ndarray:
    if not isinstance(char, str) or len(char) != 1 or char.isspace():
        raise WorldError(f"a character must be one visible character, got {char!r}")
    image = _bitmap(char, font, size) >= 0.5
    rows, cols = np.flatnonzero(image.any(1)), np.flatnonzero(image.any(0))
    if not len(rows):
        raise WorldError(f"{font!r} draws no ink for {char!r}")
    return image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def render_character(char: str, font: str, box: int = 10) -> np.ndarray:
    """``char`` in ``font`` as a (box, box) 0/1 mask: drawn at 4x the resolution, its ink's
    bounding box centred, then a pixel is ink where a quarter of its area is."""
    if isinstance(box, bool) or not isinstance(box, int) or box < 4:
        raise WorldError(f"box must be an int >= 4, got {box!r}")
    fine = _SUPERSAMPLE * box
    size = fine * _POINTS_PER_BOX
    ink = _ink(char, font, size)
    while ink.shape[0] > fine or ink.shape[1] > fine:  # a wide or tall glyph: smaller until it fits
        size *= 0.9
        ink = _ink(char, font, size)
    h, w = ink.shape
    canvas = np.zeros((fine, fine))
    top, left = (fine - h) // 2, (fine - w) // 2
    canvas[top : top + h, left : left + w] = ink
    coverage = canvas.reshape(box, _SUPERSAMPLE, box, _SUPERSAMPLE).mean(axis=(1, 3))
    return (coverage >= 0.25).astype(np.float64)


def render_set(characters: str, fonts: Sequence[str], box: int = 10) -> np.ndarray:
    """(characters, fonts, box, box) masks."""
    if len(set(characters)) != len(characters) or not characters:
        raise WorldError(f"characters must be distinct and at least one, got {characters!r}")
    return np.stack([np.stack([render_character(c, f, box) for f in fonts]) for c in characters])


def glyph_set_hash(masks: np.ndarray) -> str:
    """A short sha256 of a rendered set's pixels (0/1 masks)."""
    return hashlib.sha256(np.ascontiguousarray(masks, dtype=np.uint8).tobytes()).hexdigest()[:16]


def _check_rendering(characters: str, fonts: tuple[str, ...], box: int, masks: np.ndarray) -> None:
    reference = REFERENCE_HASHES.get((characters, fonts, box))
    if reference is not None and glyph_set_hash(masks) != reference:
        import matplotlib
        from matplotlib import ft2font

        warnings.warn(
            f"this machine renders the fonts world differently from the reference (hash {glyph_set_hash(masks)}, "
            f"reference {reference}: matplotlib 3.11.2 with FreeType 2.14.3; here matplotlib {matplotlib.__version__} "
            f"with FreeType {ft2font.__freetype_version__}); its exact numbers differ from the reference's",
            FontRenderingWarning,
            stacklevel=3,
        )


def fonts_world(
    characters: str = DEFAULT_CHARACTERS,
    fonts: Sequence[str] = DEFAULT_FONTS,
    box: int = 10,
    n_colours: int = 2,
    name: str = "fonts",
):
    """Characters as classes, fonts as a style knob (``variant``; splits hold out whole fonts),
    upright, centred on a canvas two pixels wider than the box, white on black or black on
    white (``n_colours`` 1 or 2): 16 x 6 x 2 = 192 scenes by default, 768 cells under rot4."""
    from .glyph_world import GlyphWorld

    fonts = tuple(fonts)
    if not fonts:
        raise WorldError("fonts must name at least one font")
    if n_colours not in (1, 2):
        raise WorldError(f"n_colours must be 1 or 2, got {n_colours!r}")
    masks = render_set(characters, fonts, box)
    _check_rendering(characters, fonts, box, masks)
    colours = [(1.0, 0.0), (0.0, 1.0)][:n_colours]
    return GlyphWorld(
        {c: masks[i] if len(fonts) > 1 else masks[i, 0] for i, c in enumerate(characters)},
        canvas=box + 2,
        positions=[(1, 1)],
        colours=colours,
        variants=fonts if len(fonts) > 1 else None,
        name=name,
    )
