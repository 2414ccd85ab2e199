"""Held-out styles that no transformation can reveal: the split every trained number uses.

A rotation or flip moves a glyph to another grid position. If held-out styles included
positions, some training positions would appear only as rotated partners and the position
would reveal A in training, a shortcut the world's exact quantities know nothing about. So
the unit of a split is a combination of the style knobs that no transformation moves
(:data:`SPLIT_KNOBS`: colour and stroke); for real data it is the image, whose transformed
versions stay with it. Held-out combinations are drawn so that they differ in every knob
(a "diagonal" through the grid of combinations, in seeded random order): holding out one
colour × stroke would make every test image, say, thick-stroked.

>>> from synthetic.worlds import presets
>>> ds = presets.get("natural").dataset("rot4")
>>> split = StyleSplit.draw(ds, seed=0)
>>> split.test, split.validation            # (colour, stroke) index pairs
(((0, 0), (2, 1)), ((0, 1),))
>>> parts = split.apply(ds)
>>> [len(parts[k]) for k in ("train", "validation", "test")]
[2880, 576, 1152]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import WorldError
from .datasets import WorldDataset

__all__ = ["SPLIT_KNOBS", "StyleSplit", "split_units"]

SPLIT_KNOBS: tuple[str, ...] = ("colour", "stroke")
"""Style knobs that no transformation moves (position, shift, flip and occluder windows are
moved by rotations and flips; a base augmentation's colour jitter is part of training)."""

TEST_FRACTION = 0.25
VALIDATION_FRACTION = 0.2


def split_units(dataset: WorldDataset) -> tuple[str, ...]:
    """The groupings a split of ``dataset`` holds out: ``("image",)`` for real data, whole
    drawings (``("variant",)``, e.g. fonts) for a glyph world with several, else the
    :data:`SPLIT_KNOBS` (every glyph world has them, with one value when a knob is fixed)."""
    if "image" in dataset.groups:
        return ("image",)
    if "variant" in dataset.groups and len(np.unique(dataset.groups["variant"])) > 1:
        return ("variant",)
    missing = [k for k in SPLIT_KNOBS if k not in dataset.groups]
    if missing:
        raise WorldError(f"dataset of {dataset.world!r} has no style knob(s) {missing} to split by")
    return SPLIT_KNOBS


def _unit_keys(dataset: WorldDataset, units: tuple[str, ...]) -> list[tuple[int, ...]]:
    return [tuple(int(v) for v in row) for row in np.stack([dataset.groups[u] for u in units], axis=1)]


def _diagonal(present: list[tuple[int, ...]], k: int, rng: np.random.Generator) -> list[tuple[int, ...]]:
    """``k`` of the ``present`` combinations, taken along a diagonal through each knob's values
    in seeded random order, so they differ in every knob while each knob has values left; a
    diagonal step that is taken or absent is replaced by a random remaining combination."""
    orders = [rng.permutation(sorted({p[j] for p in present})).tolist() for j in range(len(present[0]))]
    available = set(present)
    combos: list[tuple[int, ...]] = []
    for i in range(k):
        combo = tuple(order[i % len(order)] for order in orders)
        if combo not in available:
            remaining = sorted(available)
            combo = remaining[int(rng.integers(len(remaining)))]
        combos.append(combo)
        available.discard(combo)
    return combos


@dataclass(frozen=True)
class StyleSplit:
    """Which split units are held out for testing and which for choosing a probe's
    regularisation; everything else trains. ``units`` names the groupings (knobs or "image");
    ``test`` and ``validation`` are tuples of unit values (one int per grouping). A world with
    a single unit value (six-nine, symmetric) has nothing to hold out: ``test`` is empty and
    :meth:`apply` gives the full grid to every part."""

    units: tuple[str, ...]
    test: tuple[tuple[int, ...], ...]
    validation: tuple[tuple[int, ...], ...]

    @classmethod
    def draw(cls, dataset: WorldDataset, seed: int) -> StyleSplit:
        """A quarter of the units for testing, a fifth of the rest for validation, seeded."""
        units = split_units(dataset)
        present = sorted(set(_unit_keys(dataset, units)))
        if len(present) < 2:
            return cls(units, (), ())
        rng = np.random.default_rng(seed)
        n_test = min(max(1, round(TEST_FRACTION * len(present))), len(present) - 1)
        if units == ("image",):
            test = [present[i] for i in rng.choice(len(present), n_test, replace=False)]
        else:
            test = _diagonal(present, n_test, rng)
        rest = [p for p in present if p not in set(test)]
        n_val = min(max(1, round(VALIDATION_FRACTION * len(rest))), len(rest) - 1) if len(rest) > 1 else 0
        validation = [rest[i] for i in rng.choice(len(rest), n_val, replace=False)] if n_val else []
        return cls(units, tuple(sorted(test)), tuple(sorted(validation)))

    def part_of(self, dataset: WorldDataset) -> np.ndarray:
        """Per row: 0 train, 1 validation, 2 test."""
        keys = _unit_keys(dataset, self.units)
        test, val = set(self.test), set(self.validation)
        return np.array([2 if k in test else 1 if k in val else 0 for k in keys], dtype=np.int8)

    def apply(self, dataset: WorldDataset, merge_validation: bool = False) -> dict[str, WorldDataset]:
        """``{"train", "validation", "test"}`` parts of ``dataset`` (weights renormalised within
        each); with ``merge_validation`` the validation rows train too (the pretext split)."""
        if not self.test:
            return {"train": dataset, "validation": dataset, "test": dataset}
        part = self.part_of(dataset)
        if merge_validation:
            part = np.where(part == 1, 0, part)
        out = {
            name: dataset.subset(part == i)
            for i, name in enumerate(("train", "validation", "test"))
            if (part == i).any()
        }
        out.setdefault("validation", out["train"])
        return out

    def describe(self) -> str:
        if not self.test:
            return "no held-out styles (one style): train and test on the full grid"
        return f"held out by {' × '.join(self.units)}: test {list(self.test)}, validation {list(self.validation)}"
