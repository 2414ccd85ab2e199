"""``Experiment``: the frozen definition of a training experiment, whose ``key()`` names its results.

Everything that changes a run's numbers is in the definition (the world's fingerprint too,
so a changed preset gets a new key); the seeds are not: one experiment, many seeds.

>>> from synthetic.config import TrainConfig
>>> e = Experiment("six-nine", "rot2", TrainConfig(model="mlp", epochs=3))
>>> e.key() == Experiment("six-nine", "rot2", TrainConfig(model="mlp", epochs=3)).key(), len(e.key())
(True, 12)
>>> e.key() == Experiment("six-nine", "rot4", TrainConfig(model="mlp", epochs=3)).key()
False
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from synthetic.config import TrainConfig
from synthetic.worlds.interface import World

from ..errors import ExperimentError

__all__ = ["CACHE_VERSION", "TARGETS", "Experiment", "world_fingerprint"]

TARGETS = ("A", "C", "null")

TUNING_SCORES = (None, "pretext", "probe")

CACHE_VERSION = 5  # the numerics version: bump when a change to training or evaluation makes cached runs stale
# (5: the probe's own L-BFGS fit, synthetic.logistic, in place of scikit-learn's)


def world_fingerprint(world: World) -> str:
    """A hash of what a world renders and how it is described: a changed preset gets a new cache key."""
    digest = hashlib.sha256(world.describe().encode())
    digest.update(np.ascontiguousarray(world.raw_images()).tobytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Experiment:
    """A world preset (with a base augmentation and overrides), a transformation, a training
    configuration, how often the bottleneck's exact information is computed, and the
    ``target`` the network is trained on: "A" (the pretext task), "C" (the supervised
    ceiling: the same encoder trained on the class of the downstream training images) or
    "null" (the null control: A's values drawn independently of X, see
    :func:`~essl_testbed.experiments.downstream.independent_labels`)."""

    world: str
    transform: str
    train: TrainConfig = field(default_factory=TrainConfig)
    base_aug: str = "none"
    world_overrides: Mapping[str, Any] = field(default_factory=dict)
    info_every: int = 1
    target: str = "A"
    tune_for: str | None = None
    """what tuning scores (:func:`~essl_testbed.experiments.tuning.validation_score`): "pretext"
    (the cross-entropy of A above its optimum) or "probe" (the class information a linear probe
    fails to read); None: "pretext" for the predict objective, "probe" for the others."""

    def __post_init__(self) -> None:
        if self.target not in TARGETS:
            raise ExperimentError(
                f"target must be 'A' (pretext), 'C' (supervised ceiling) or 'null' (labels independent of X), "
                f"got {self.target!r}"
            )
        if isinstance(self.info_every, bool) or not isinstance(self.info_every, int) or self.info_every < 1:
            raise ExperimentError(f"info_every must be a positive int, got {self.info_every!r}")
        if not isinstance(self.train, TrainConfig):
            raise ExperimentError(f"train must be a TrainConfig, got {type(self.train).__name__}")
        if self.tune_for not in TUNING_SCORES:
            raise ExperimentError(f"tune_for must be one of {TUNING_SCORES}, got {self.tune_for!r}")
        if self.tune_for == "pretext" and self.train.objective != "predict":
            raise ExperimentError(
                f"tune_for 'pretext' scores the cross-entropy of A; objective {self.train.objective!r} is tuned by 'probe'"
            )
        object.__setattr__(self, "world_overrides", dict(self.world_overrides))
        from synthetic.errors import TrainConfigError
        from synthetic.objectives import check

        try:
            check(self.train.objective, self.transform, self.target)
        except TrainConfigError as err:
            raise ExperimentError(str(err)) from None

    def __hash__(self) -> int:
        return hash(self.key())

    def make_world(self) -> World:
        """The preset, with the base augmentation for worlds that take one."""
        from synthetic.worlds import presets

        overrides = dict(self.world_overrides)
        if self.base_aug != "none":
            overrides["base"] = self.base_aug
        return presets.get(self.world, **overrides)

    def check_views(self) -> None:
        """For the instance and contrastive objectives, an :class:`ExperimentError` when no
        instance of the world has two views (checked before any seed trains)."""
        if self.target != "A" or self.train.objective not in ("instance", "contrastive"):
            return
        from synthetic.errors import TrainConfigError
        from synthetic.objectives import relabel_by_instance

        try:
            relabel_by_instance(self.make_world().dataset(self.transform))
        except TrainConfigError as err:
            raise ExperimentError(str(err)) from None

    @cached_property
    def definition(self) -> dict:
        """What the key hashes: every field, the world's fingerprint and the cache version."""
        out = {
            "version": CACHE_VERSION,
            "world": self.world,
            "world_fingerprint": world_fingerprint(self.make_world()),
            "transform": self.transform,
            "base_aug": self.base_aug,
            "world_overrides": self.world_overrides,
            "train": self.train.as_dict(),
        }
        if self.info_every != 1:
            out["info_every"] = self.info_every
        if self.target != "A":
            out["target"] = self.target
        if self.tune_for is not None:
            out["tune_for"] = self.tune_for
        return out

    @property
    def tuning_score(self) -> str:
        """ "pretext" or "probe": what :attr:`tune_for` resolves to."""
        if self.tune_for is not None:
            return self.tune_for
        return "pretext" if self.train.objective == "predict" else "probe"

    def key(self) -> str:
        """A short stable hash of :attr:`definition` (names the experiment's result files)."""
        return hashlib.sha256(json.dumps(self.definition, sort_keys=True, default=str).encode()).hexdigest()[:12]

    def label(self) -> str:
        """``world/transform/model/mode`` (or ``/objective`` when it is not ``predict``; the world
        with its overrides and base augmentation, the mode with its aux label, readout and null
        target) for progress bars, logs and the report's tuning tables.

        >>> Experiment("occluded", "rot4", world_overrides={"occlusion": 0.5}, target="null").label()
        'occluded occlusion 0.5/rot4/cnn/normal/null'
        """
        world = self.world + "".join(f" {k} {v}" for k, v in self.world_overrides.items())
        if self.base_aug != "none":
            world += f" {self.base_aug}"
        if self.target == "C":
            return f"{world}/supervised/{self.train.model}"
        last = self.train.mode if self.train.objective == "predict" else self.train.objective
        extras = [self.train.aux] if self.train.aux != "class" else []
        extras += [f"readout {self.train.readout_grid}"] if self.train.readout_grid else []
        extras += ["null"] if self.target == "null" else []
        return "/".join([world, self.transform, self.train.model, last, *extras])
