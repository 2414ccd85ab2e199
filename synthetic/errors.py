"""The error family of :mod:`synthetic`: every input error a user can trigger is a
:class:`SyntheticError` (a ``ValueError``) whose message names the knob, name or array at fault.

>>> from synthetic.worlds import GlyphWorld
>>> GlyphWorld({"a": [[0.0, 1.0]]}, class_prior=[2.0])
Traceback (most recent call last):
...
synthetic.errors.WorldError: class_prior sums to 2, not 1; nothing is renormalised
>>> issubclass(WorldError, SyntheticError) and issubclass(SyntheticError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "DeviceError",
    "ExactAnalysisUnavailable",
    "GlyphError",
    "InputShapeError",
    "NetworkConfigError",
    "ProbeInputError",
    "SyntheticError",
    "TrainConfigError",
    "TransformError",
    "WorldError",
]


class SyntheticError(ValueError):
    """Base of every error :mod:`synthetic` raises on bad input."""


class WorldError(SyntheticError):
    """A bad world knob (prior, glyph, canvas, pose, style, cue), preset name, override or
    dataset request; the message names the knob and the problem."""


class ExactAnalysisUnavailable(WorldError):
    """Exact analysis asked of a world whose latents are not all known (real data)."""


class GlyphError(WorldError):
    """A bad canvas size, family size, glyph name or glyph array; the message names it."""


class TransformError(SyntheticError):
    """A bad transformation name, action array, image batch, or an algebra query that has no
    answer (composing blurs, inverting grayscale). The message names the problem."""


class NetworkConfigError(SyntheticError):
    """A network hyper-parameter that is out of range or inconsistent with another."""


class InputShapeError(SyntheticError):
    """An input tensor whose rank, channel count, size, dtype or values a network cannot take."""


class DeviceError(SyntheticError):
    """A device name that is unknown, or names a device this machine does not have."""


class TrainConfigError(SyntheticError):
    """A training configuration that cannot run (unknown model or mode, a bad number)."""


class ProbeInputError(SyntheticError):
    """Features, labels or weights that do not fit together."""
