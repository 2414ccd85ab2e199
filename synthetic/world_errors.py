"""The error types of the worlds (:mod:`synthetic.world`, :mod:`synthetic.digits`) and their datasets."""

from __future__ import annotations

__all__ = ["ExactAnalysisUnavailable", "WorldError"]


class WorldError(ValueError):
    """A bad world knob (prior, glyph, canvas, pose, style, cue), preset name, override or
    dataset request; the message names the knob and the problem.

    >>> from synthetic.world import GlyphWorld
    >>> GlyphWorld({"a": [[0.0, 1.0]]}, class_prior=[2.0])
    Traceback (most recent call last):
    ...
    synthetic.world_errors.WorldError: class_prior sums to 2, not 1; nothing is renormalised
    """


class ExactAnalysisUnavailable(WorldError):
    """Exact analysis asked of a world whose latents are not all known (real data)."""
