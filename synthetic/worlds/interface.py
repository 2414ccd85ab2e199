"""The world contract, written down once as Protocols (no imports from the rest of the package).

Analysis, pictures, training and the report rely on these attributes and nothing else:

* :class:`World`: anything that yields images and datasets under a transformation (a glyph
  world, or real images such as scikit-learn's digits).
* :class:`ImageSetWorld`: a :class:`World` that is a finite labelled image set (real data).
* :class:`ExactWorld`: a :class:`World` whose latents (C, S, Ā, A) are all known and
  enumerable, so it also yields exact joints and analyses.

A transformation is given by its registered name (``"rot4"``, ``"rot4*vflip"``) or a
:class:`synthetic.transforms.Transform`.

>>> from synthetic.worlds import presets
>>> isinstance(presets.get("six-nine"), ExactWorld), isinstance(presets.get("digits"), ExactWorld)
(True, False)
>>> isinstance(presets.get("digits"), ImageSetWorld)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, Union, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

    from theory import PushforwardJoint

    from ..transforms import Transform
    from .datasets import WorldDataset

TransformLike = Union[str, "Transform"]

__all__ = ["ExactWorld", "ImageSetWorld", "TransformLike", "World"]


@runtime_checkable
class World(Protocol):
    """Yields raw images, transformed images and datasets; describes itself."""

    name: str

    @property
    def n_classes(self) -> int: ...

    @property
    def class_names(self) -> tuple[str, ...]: ...

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """(channels, height, width)."""
        ...

    def describe(self) -> str:
        """One line naming the world and its knobs (it enters cache fingerprints)."""
        ...

    def raw_images(self) -> np.ndarray:
        """The images before any augmentation (it enters cache fingerprints)."""
        ...

    def images(self, transform: TransformLike) -> np.ndarray:
        """Every image under every action of ``transform``."""
        ...

    def dataset(self, transform: TransformLike, drop_zero: bool = True) -> WorldDataset:
        """The enumerated grid (every row with its exact weight) under ``transform``."""
        ...


@runtime_checkable
class ImageSetWorld(World, Protocol):
    """A finite set of labelled images (real data): the class is its only known latent."""

    @property
    def n_images(self) -> int: ...

    @property
    def labels(self) -> np.ndarray:
        """int64 class label of each image."""
        ...


@runtime_checkable
class ExactWorld(World, Protocol):
    """A world with known, enumerable latents (C, S, Ā, A): exact joints and analyses."""

    n_poses: int
    pose_probs: np.ndarray  # p(ā | c), shape (n_classes, n_poses)

    @property
    def n_styles(self) -> int: ...

    def style(self, s: int) -> Any:
        """The knob values of style index ``s``."""
        ...

    def style_prior(self) -> np.ndarray:
        """p(s) over style indices."""
        ...

    def pose_label(self, abar: int) -> str: ...

    def n_latent_cells(self, transform: TransformLike) -> int: ...

    def render(self, c: object, s: object, abar: object, a: object, transform: TransformLike) -> np.ndarray:
        """Images of the given latents (broadcast) under ``transform``."""
        ...

    def latent_table(self, transform: TransformLike) -> np.ndarray:
        """p(c, s, ā, a) as a dense array."""
        ...

    def x_ids(self, transform: TransformLike) -> tuple[np.ndarray, np.ndarray]:
        """(an X id per latent cell, one representative cell per id): equal images share an id."""
        ...

    def joint(self, transform: TransformLike, views: Sequence[str] = (), erase: str = "box") -> PushforwardJoint:
        """The exact joint of C, S, Abar, A, X (and the named views of X)."""
        ...

    def analyze(self, transform: TransformLike, erase: str = "box", class_blind: bool = True) -> dict:
        """Exact information measures of the world under ``transform``."""
        ...
