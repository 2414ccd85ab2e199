"""``DigitsWorld``: scikit-learn's bundled 8x8 handwritten digits with the world API.

The class C is known; style and pose are not, so nothing but datasets and pictures is
available: exact analysis raises :class:`ExactAnalysisUnavailable`. The dataset grid is
images x actions with uniform weights; ``split`` holds out a seeded subset of the images.

>>> w = DigitsWorld()
>>> w.image_shape, w.n_classes, w.n_images
((1, 8, 8), 10, 1797)
>>> ds = w.dataset("rot4")
>>> len(ds), ds.x.dtype.name
(7188, 'float32')
>>> w.analyze("rot4")
Traceback (most recent call last):
...
synthetic.errors.ExactAnalysisUnavailable: digits: exact analysis needs every latent, but the real digits only know their class C; style S and pose Ā are unknown, so there is no latent grid to push forward (use the dataset, or a synthetic world)
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from .. import transforms
from ..errors import ExactAnalysisUnavailable, WorldError
from .glyph_world import apply_all_actions

__all__ = ["DigitsWorld"]


class DigitsWorld:
    """Real 8x8 digits (values 0..16 scaled to [0, 1], one channel); ``n_images`` limits the
    set to the first images (e.g. for quick tests)."""

    name = "digits"
    exact = False

    def __init__(self, n_images: int | None = None):
        if n_images is not None and (
            isinstance(n_images, bool) or not isinstance(n_images, (int, np.integer)) or n_images < 1
        ):
            raise WorldError(f"n_images must be a positive int or None, got {n_images!r}")
        self._limit = None if n_images is None else int(n_images)

    @cached_property
    def _data(self) -> tuple[np.ndarray, np.ndarray]:
        from sklearn.datasets import load_digits

        bunch = load_digits()
        images = (bunch.images / 16.0).astype(np.float32)[:, None]  # multiples of 1/16: on the 2**-16 grid
        labels = bunch.target.astype(np.int64)
        if self._limit is not None:
            if self._limit > len(labels):
                raise WorldError(f"n_images={self._limit} but only {len(labels)} digits exist")
            images, labels = images[: self._limit], labels[: self._limit]
        return images, labels

    @property
    def class_names(self) -> tuple[str, ...]:
        return tuple(str(d) for d in range(10))

    @property
    def n_classes(self) -> int:
        return 10

    @property
    def n_images(self) -> int:
        return len(self._data[1])

    @property
    def image_shape(self) -> tuple[int, int, int]:
        return (1, 8, 8)

    def raw_images(self) -> np.ndarray:
        """(n_images, 1, 8, 8) float32 in [0, 1]."""
        return self._data[0]

    @property
    def labels(self) -> np.ndarray:
        return self._data[1]

    def describe(self) -> str:
        return f"digits: {self.n_images} real 8x8 handwritten digits, 10 classes, class known, style and pose unknown"

    def __repr__(self) -> str:
        return f"DigitsWorld({self.describe()})"

    def _unavailable(self) -> ExactAnalysisUnavailable:
        return ExactAnalysisUnavailable(
            "digits: exact analysis needs every latent, but the real digits only know their class C; "
            "style S and pose Ā are unknown, so there is no latent grid to push forward "
            "(use the dataset, or a synthetic world)"
        )

    def joint(self, *args: object, **kwargs: object):
        raise self._unavailable()

    def latent_table(self, *args: object, **kwargs: object):
        raise self._unavailable()

    def analyze(self, *args: object, **kwargs: object):
        raise self._unavailable()

    def images(self, transform: str | transforms.Transform) -> np.ndarray:
        """X for every (image, action): float32 (n_images, n_actions, 1, 8, 8)."""
        t = transforms.get(transform)
        return apply_all_actions(self.raw_images(), t)

    def dataset(self, transform: str | transforms.Transform, drop_zero: bool = True):
        """Grid of images x actions, uniform weights; latents "C", "A", "image"."""
        from .datasets import WorldDataset

        t = transforms.get(transform)
        X = self.images(t)
        n, k = X.shape[:2]
        image = np.repeat(np.arange(n), k)
        a = np.tile(np.arange(k), n)
        c = self.labels[image]
        latents = {"C": c, "A": a, "image": image}
        return WorldDataset(
            x=X.reshape((n * k,) + X.shape[2:]),
            a=a,
            c=c,
            weights=np.full(n * k, 1.0 / (n * k)),
            latents=latents,
            groups=dict(latents),
            n_actions=k,
            n_classes=10,
            transform=t.name,
            world=self.name,
        )
