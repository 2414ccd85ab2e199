"""Read a PNG back and count what it shows (shared by the picture tests)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def decoded(path: Path) -> np.ndarray:
    """The PNG as a float array (height, width, channels), checking the signature first."""
    import matplotlib.image as mpimg

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return mpimg.imread(path)


def panels(image: np.ndarray, min_pixels: int = 2000) -> int:
    """Image panels on the white figure: connected non-white regions of at least ``min_pixels``
    (text and tick marks are smaller)."""
    from scipy import ndimage

    nonwhite = image[..., :3].min(axis=-1) < 0.9
    labels, n = ndimage.label(nonwhite)
    sizes = ndimage.sum(nonwhite, labels, range(1, n + 1))
    return int((np.asarray(sizes) >= min_pixels).sum())
