"""One import point for the worlds: presets, the world types, analysis, datasets, pictures.

========================  ====================================================================
module                    holds
========================  ====================================================================
``synthetic.world``       :class:`GlyphWorld` (latents, knobs, vectorised renderer, joints)
``synthetic.digits``      :class:`DigitsWorld` (real 8x8 digits, class known only)
``synthetic.presets``     named worlds: ``names()``, ``descriptions()``, ``get(name, **kw)``
``synthetic.analysis``    ``analyze`` (exact measures), ``format_analysis``, ``analysis_json``
``synthetic.datasets``    :class:`WorldDataset` (enumerated grid, samples, splits)
``synthetic.views``       cheap statistics g(X) as exact ids
``synthetic.pictures``    ``save_grid`` (PNG of raw and transformed images, latents labelled)
========================  ====================================================================

>>> from synthetic.worlds import presets, analyze
>>> round(analyze(presets.get("natural", n_classes=2, n_positions=1, n_colours=1), "rot4")["class_relevant_bits"], 9)
2.0
"""

from __future__ import annotations

from . import presets
from .analysis import ANALYSIS_KEYS, analysis_json, analyze, format_analysis, format_comparison
from .datasets import WorldDataset
from .digits import DigitsWorld
from .pictures import save_grid
from .world import KNOBS, ColourJitter, GlyphWorld, Style
from .world_errors import ExactAnalysisUnavailable, WorldError

__all__ = [
    "ANALYSIS_KEYS",
    "KNOBS",
    "ColourJitter",
    "DigitsWorld",
    "ExactAnalysisUnavailable",
    "GlyphWorld",
    "Style",
    "WorldDataset",
    "WorldError",
    "analysis_json",
    "analyze",
    "format_analysis",
    "format_comparison",
    "presets",
    "save_grid",
]
