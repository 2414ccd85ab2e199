"""``WorldDataset``: a world's enumerated grid with exact weights, samples and splits.

Enumerate, don't sample: ``world.dataset(transform)`` holds every latent cell of positive
probability with its weight, so a weighted accuracy or cross-entropy over it is an exact
expectation. ``sample(n, seed)`` draws cells by weight for training noise; ``split`` holds
out a seeded subset of the values of one grouping (styles S, a style knob such as
``"position"``, or the image of a real-data world).

>>> import numpy as np
>>> from synthetic.worlds.glyph_world import GlyphWorld
>>> w = GlyphWorld({"a": [[1.0, 0.0]], "b": [[0.0, 1.0]]}, canvas=(1, 4), positions=[(0, 0), (0, 2)])
>>> ds = w.dataset("hflip")
>>> len(ds), float(ds.weights.sum()), ds.x.shape
(8, 1.0, (8, 1, 1, 4))
>>> train, test = ds.split(0.5, seed=0, by="position")
>>> sorted(set(train.groups["position"])) != sorted(set(test.groups["position"]))
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import WorldError

__all__ = ["WorldDataset"]


def _seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise WorldError(f"seed must be a non-negative int, got {seed!r}")
    return int(seed)


@dataclass(frozen=True)
class WorldDataset:
    """Rows are latent cells (or drawn samples) of a world under one transformation.

    * ``x``: float32 (N, channels, H, W) images; ``a``, ``c``: int64 action and class labels;
    * ``weights``: float64 (N,), summing to 1 (the probability of each row);
    * ``latents``: name -> int64 (N,): "C", "S", "Abar", "A", "X" (the X id) for glyph worlds,
      "C", "A", "image" for real data;
    * ``groups``: name -> int64 (N,) values ``split`` can hold out (latents and style knobs);
    * ``labels``: what ``a`` holds: "A" (the action), "C" (the class, for the supervised
      ceiling), "instance" (:func:`synthetic.objectives.relabel_by_instance`) or "null" (A's
      values independent of X, the null control).
    """

    x: np.ndarray
    a: np.ndarray
    c: np.ndarray
    weights: np.ndarray
    latents: Mapping[str, np.ndarray]
    groups: Mapping[str, np.ndarray] = field(default_factory=dict)
    n_actions: int = 1
    n_classes: int = 1
    transform: str = ""
    world: str = ""
    labels: str = "A"

    def __post_init__(self) -> None:
        n = len(self.x)
        for name, arr in [
            ("a", self.a),
            ("c", self.c),
            ("weights", self.weights),
            *self.latents.items(),
            *self.groups.items(),
        ]:
            if len(arr) != n:
                raise WorldError(f"dataset column {name!r} has {len(arr)} rows, x has {n}")
        if n and abs(float(self.weights.sum()) - 1.0) > 1e-9:
            raise WorldError(f"dataset weights sum to {float(self.weights.sum())!r}, not 1")

    def __len__(self) -> int:
        return len(self.x)

    def __repr__(self) -> str:
        return (
            f"WorldDataset({self.world!r} under {self.transform!r}: {len(self)} rows, x {self.x.shape[1:]}, "
            f"{self.n_classes} classes, {self.n_actions} actions)"
        )

    def subset(self, index: Any) -> WorldDataset:
        """Rows ``index`` (a boolean mask or integer indices), weights renormalised to sum to 1."""
        idx = np.asarray(index)
        if idx.dtype == bool:
            if idx.shape != (len(self),):
                raise WorldError(f"boolean mask of shape {idx.shape} for {len(self)} rows")
            idx = np.flatnonzero(idx)
        w = self.weights[idx]
        total = float(w.sum())
        if total <= 0:
            raise WorldError("the selected rows have total weight 0")
        return WorldDataset(
            x=self.x[idx],
            a=self.a[idx],
            c=self.c[idx],
            weights=w / total,
            latents={k: v[idx] for k, v in self.latents.items()},
            groups={k: v[idx] for k, v in self.groups.items()},
            n_actions=self.n_actions,
            n_classes=self.n_classes,
            transform=self.transform,
            world=self.world,
            labels=self.labels,
        )

    def sample(self, n: int, seed: int = 0) -> WorldDataset:
        """``n`` rows drawn with replacement by weight (seeded); each drawn row weighs 1/n.

        >>> from synthetic.worlds.glyph_world import GlyphWorld
        >>> ds = GlyphWorld({"a": [[1.0, 0.0]]}).dataset("hflip")
        >>> ds.sample(4, seed=1).a.tolist() == ds.sample(4, seed=1).a.tolist()
        True
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise WorldError(f"sample size must be a positive int, got {n!r}")
        rng = np.random.default_rng(_seed(seed))
        idx = rng.choice(len(self), size=int(n), p=self.weights / self.weights.sum())
        out = self.subset(idx)
        return WorldDataset(**{**out.__dict__, "weights": np.full(int(n), 1.0 / int(n))})

    def split(self, test_fraction: float = 0.25, seed: int = 0, by: str = "S") -> tuple[WorldDataset, WorldDataset]:
        """(train, test): a seeded ``test_fraction`` of the distinct values of ``by`` is held out.

        ``by`` is a key of ``groups`` (for glyph worlds "S", a style knob such as "position"
        or "colour", or a latent; for real data "image"). At least one value goes to each side.
        """
        if by not in self.groups:
            raise WorldError(f"cannot split by {by!r}; valid groupings: {', '.join(self.groups)}")
        if not 0 < float(test_fraction) < 1:
            raise WorldError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction!r}")
        values = np.unique(self.groups[by])
        if len(values) < 2:
            raise WorldError(f"{by!r} takes a single value here; nothing to hold out")
        rng = np.random.default_rng(_seed(seed))
        n_test = min(max(1, int(round(test_fraction * len(values)))), len(values) - 1)
        held = rng.choice(values, size=n_test, replace=False)
        is_test = np.isin(self.groups[by], held)
        return self.subset(~is_test), self.subset(is_test)

    def weighted_accuracy(self, predictions: np.ndarray, target: str = "a") -> float:
        """sum of weights of the rows where ``predictions`` equals ``target`` ("a" or "c")."""
        if target not in ("a", "c"):
            raise WorldError(f"target must be 'a' or 'c', got {target!r}")
        pred = np.asarray(predictions)
        if pred.shape != (len(self),):
            raise WorldError(f"predictions of shape {pred.shape} for {len(self)} rows")
        return float(self.weights[pred == getattr(self, target)].sum())
