"""Cheap statistics of an image batch, each turned into exact ids (equal statistic, equal id).

These are the "cheap class-agnostic features" g(X) of Principle I as formalized in this
project: a network can read each of them with a handful of weights, and none needs to know
which glyph is drawn.

=================  ==========================================================================
view               statistic of an image (channels, H, W)
=================  ==========================================================================
``mean_colour``    per-channel pixel sum (the mean colour), exactly permutation invariant
``is_grey``        every pixel has R = G = B (always true for 1-channel images)
``corners``        the four corner pixels, all channels (the background colour, a lit corner)
``pooled``         per-channel sums over the 2x2 blocks of the image (a 2x2 average pool)
=================  ==========================================================================

Sums are taken in float64 over pixel values on the 2**-16 grid (the worlds quantise images to
it): every partial sum is an integer multiple of 2**-16 below 2**37, so the sums are exact and
a pixel permutation (a rotation) leaves them bit for bit equal.

>>> import numpy as np
>>> x = np.zeros((2, 3, 2, 2), dtype=np.float32)
>>> x[1, 0, 0, 0] = 0.5                      # image 1 has one red pixel
>>> grey = statistic_ids(x, "is_grey")
>>> bool(grey[0] != grey[1]), len(set(statistic_ids(x, "corners").tolist()))
(True, 2)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from theory import outcome_ids

from ..errors import WorldError

__all__ = ["GRID_BITS", "STATISTICS", "statistic_ids", "statistics_ids"]

GRID_BITS = 16
"""Rendered images hold multiples of ``2**-GRID_BITS``."""


def _mean_colour(images: np.ndarray) -> np.ndarray:
    return images.sum(axis=(-2, -1), dtype=np.float64)


def _is_grey(images: np.ndarray) -> np.ndarray:
    if images.shape[1] == 1:
        return np.ones((images.shape[0], 1), dtype=np.int8)
    grey = (images[:, 1:] == images[:, :1]).all(axis=(1, 2, 3))
    return grey.astype(np.int8)[:, None]


def _corners(images: np.ndarray) -> np.ndarray:
    return np.stack([images[..., 0, 0], images[..., 0, -1], images[..., -1, 0], images[..., -1, -1]], axis=-1).reshape(
        images.shape[0], -1
    )


def _pooled(images: np.ndarray) -> np.ndarray:
    h, w = images.shape[-2] // 2, images.shape[-1] // 2
    blocks = [images[..., :h, :w], images[..., :h, w:], images[..., h:, :w], images[..., h:, w:]]
    return np.stack([b.sum(axis=(-2, -1), dtype=np.float64) for b in blocks], axis=-1).reshape(images.shape[0], -1)


STATISTICS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "mean_colour": _mean_colour,
    "is_grey": _is_grey,
    "corners": _corners,
    "pooled": _pooled,
}
"""View name -> function from images (N, channels, H, W) to one row of values per image."""


def statistic_ids(images: np.ndarray, name: str) -> np.ndarray:
    """Ids ``(N,)`` of one statistic of ``images`` (N, channels, H, W): equal value, equal id."""
    if name not in STATISTICS:
        raise WorldError(f"unknown view {name!r}; valid views: {', '.join(STATISTICS)}")
    if np.ndim(images) != 4:
        raise WorldError(f"views need images of shape (N, channels, H, W), got shape {np.shape(images)}")
    values = np.ascontiguousarray(STATISTICS[name](np.asarray(images)))
    return outcome_ids(values)[0]


def statistics_ids(images: np.ndarray, names: tuple[str, ...] = tuple(STATISTICS)) -> dict[str, np.ndarray]:
    """Ids of each statistic in ``names`` and, under ``"g"``, of their tuple g = (s1, s2, ...).

    >>> import numpy as np
    >>> x = np.zeros((3, 1, 2, 2), dtype=np.float32)
    >>> x[1, 0, 0, 0] = x[2, 0, 1, 1] = 1.0       # same mean, different corner
    >>> out = statistics_ids(x, ("mean_colour", "corners"))
    >>> len(set(out["mean_colour"].tolist())), len(set(out["g"].tolist()))
    (2, 3)
    """
    out = {name: statistic_ids(images, name) for name in names}
    key = np.stack([out[name] for name in names], axis=1) if names else np.zeros((np.shape(images)[0], 1), np.int64)
    out["g"] = outcome_ids(key)[0]
    return out
