"""Everything about worlds, in numpy (matplotlib only to draw pictures; never torch).

====================================  ==========================================================
module                                holds
====================================  ==========================================================
``synthetic.worlds.interface``        the world contract: :class:`World`, :class:`ExactWorld`
``synthetic.worlds.glyph_world``      :class:`GlyphWorld` (latents, knobs, joints)
``synthetic.worlds.knobs``            the knobs' validation and the latent grid's spec
``synthetic.worlds.render``           the vectorised renderer
``synthetic.worlds.glyphs``           glyph families (asymmetric, symmetric, six/nine)
``synthetic.worlds.digits``           :class:`DigitsWorld` (real 8x8 digits, class known only)
``synthetic.worlds.presets``          named worlds: ``names()``, ``descriptions()``, ``get(name, **kw)``
``synthetic.worlds.analysis``         ``analyze`` (exact measures), ``format_analysis``, ``analysis_json``
``synthetic.worlds.datasets``         :class:`WorldDataset` (enumerated grid, samples, splits)
``synthetic.worlds.splits``           :class:`StyleSplit`: held-out styles no transformation reveals
``synthetic.worlds.views``            cheap statistics g(X) as exact ids
``synthetic.worlds.pictures``         ``save_grid`` (PNG of raw and transformed images, latents labelled)
====================================  ==========================================================

>>> from synthetic.worlds import presets, analyze
>>> round(analyze(presets.get("natural", n_classes=2, n_positions=1, n_colours=1), "rot4")["class_relevant_bits"], 9)
2.0
"""

from __future__ import annotations

from ..errors import ExactAnalysisUnavailable, WorldError
from . import presets
from .analysis import ANALYSIS_KEYS, analysis_json, analyze, format_analysis, format_comparison
from .datasets import WorldDataset
from .digits import DigitsWorld
from .glyph_world import KNOBS, ColourJitter, GlyphWorld, Style
from .interface import ExactWorld, ImageSetWorld, World
from .pictures import save_grid
from .splits import SPLIT_KNOBS, StyleSplit

__all__ = [
    "ANALYSIS_KEYS",
    "KNOBS",
    "SPLIT_KNOBS",
    "ColourJitter",
    "DigitsWorld",
    "ExactWorld",
    "ExactAnalysisUnavailable",
    "GlyphWorld",
    "ImageSetWorld",
    "Style",
    "StyleSplit",
    "WorldDataset",
    "World",
    "WorldError",
    "analysis_json",
    "analyze",
    "format_analysis",
    "format_comparison",
    "presets",
    "save_grid",
]
