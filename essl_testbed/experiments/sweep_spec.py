"""A sweep specification: a grid of experiments and seeds, read from TOML.

Lists in ``[grid]`` are axes; ``[train]`` holds fixed settings, named like the options of
``essl-testbed train`` (``batch-size`` or ``batch_size``); ``[overrides]`` holds world
overrides for every world. Axes and settings are: ``world``, ``transform``, ``base_aug``,
``seed``, every :class:`~synthetic.config.TrainConfig` field (``model``, ``mode``, ``lam``,
``epochs``, ``lr``, ...); a budget is ``steps`` (optimiser steps, the same for every
condition whatever its data size) or ``epochs``.

>>> spec = SweepSpec.from_toml('''
... [grid]
... world = ["six-nine"]
... transform = ["rot2", "rot4"]
... model = ["mlp"]
... seed = [0, 1, 2]
...
... [train]
... epochs = 2
... ''')
>>> len(spec.tasks()), len({e.key() for e, _ in spec.tasks()})
(6, 2)
>>> spec.axes
('world', 'transform', 'model', 'seed')
"""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import dataclass, fields
from typing import Any

from synthetic import transforms
from synthetic.config import TrainConfig
from synthetic.worlds import presets

from ..errors import ExperimentError
from .spec import Experiment

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["SweepSpec"]

TRAIN_FIELDS = tuple(f.name for f in fields(TrainConfig))
KEYS = ("world", "transform", "base_aug", "seed", *TRAIN_FIELDS)
REQUIRED = ("world", "transform")


def _name(key: str) -> str:
    return key.replace("-", "_")


@dataclass(frozen=True)
class SweepSpec:
    """The grid's axes (name -> values, in file order), fixed settings and world overrides."""

    grid: tuple[tuple[str, tuple[Any, ...]], ...]
    fixed: tuple[tuple[str, Any], ...] = ()
    overrides: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def from_toml(cls, text: str, source: str = "the sweep spec") -> SweepSpec:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ExperimentError(f"{source} is not valid TOML: {err}") from None
        unknown_tables = sorted(set(data) - {"grid", "train", "overrides"})
        if unknown_tables:
            raise ExperimentError(f"{source}: unknown table(s) {unknown_tables}; use [grid], [train] and [overrides]")
        grid_raw, fixed_raw = data.get("grid", {}), data.get("train", {})
        if not isinstance(grid_raw, dict) or not isinstance(fixed_raw, dict):
            raise ExperimentError(f"{source}: [grid] and [train] must be tables")
        grid, fixed = {}, {}
        for table, raw, out in (("grid", grid_raw, grid), ("train", fixed_raw, fixed)):
            for key, value in raw.items():
                name = _name(key)
                if name not in KEYS:
                    raise ExperimentError(f"{source}: unknown setting {key!r} in [{table}]; valid: {', '.join(KEYS)}")
                if name in grid or name in fixed:
                    raise ExperimentError(f"{source}: {key!r} is set twice")
                if table == "grid":
                    values = tuple(value) if isinstance(value, list) else (value,)
                    if not values:
                        raise ExperimentError(f"{source}: the axis {key!r} in [grid] has no values")
                    out[name] = values
                else:
                    if isinstance(value, list):
                        raise ExperimentError(f"{source}: {key!r} in [train] is a list; put axes in [grid]")
                    out[name] = value
        missing = [k for k in REQUIRED if k not in grid and k not in fixed]
        if missing:
            raise ExperimentError(f"{source}: no {' or '.join(missing)} given (in [grid] or [train])")
        if "steps" in {**grid, **fixed} and "epochs" in {**grid, **fixed}:
            raise ExperimentError(f"{source}: give a budget as 'steps' or as 'epochs', not both")
        for key in ("steps", "epochs"):
            budgets = grid.get(key, (fixed[key],) if key in fixed else ())
            bad = [v for v in budgets if isinstance(v, bool) or not isinstance(v, int) or v < 1]
            if bad:
                raise ExperimentError(
                    f"{source}: {key} must be positive integers (a budget of 0 trains nothing), got {bad}"
                )
        overrides = data.get("overrides", {})
        spec = cls(tuple(grid.items()), tuple(fixed.items()), tuple(overrides.items()))
        spec.tasks()  # every configuration must be valid before anything runs
        return spec

    def to_toml(self) -> str:
        """The spec as TOML that :meth:`from_toml` reads back to an equal spec.

        >>> spec = SweepSpec((("seed", (0, 1)),), (("world", "six-nine"), ("transform", "rot2")))
        >>> SweepSpec.from_toml(spec.to_toml()) == spec
        True
        """
        lines = ["[grid]", *(f"{k} = {json.dumps(list(v))}" for k, v in self.grid)]
        lines += ["", "[train]", *(f"{k} = {json.dumps(v)}" for k, v in self.fixed)]
        if self.overrides:
            lines += ["", "[overrides]", *(f"{k} = {json.dumps(v)}" for k, v in self.overrides)]
        return "\n".join(lines) + "\n"

    @property
    def axes(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.grid)

    def configurations(self) -> list[dict[str, Any]]:
        """One settings dict per grid point, in row-major order of the axes."""
        names = self.axes
        return [
            {**dict(self.fixed), **dict(zip(names, values))}
            for values in itertools.product(*(values for _, values in self.grid))
        ]

    def tasks(self) -> list[tuple[Experiment, int]]:
        """(experiment, seed) for every grid point."""
        out = []
        for settings in self.configurations():
            settings = dict(settings)
            seed = settings.pop("seed", 0)
            world, transform = settings.pop("world"), settings.pop("transform")
            base_aug = settings.pop("base_aug", "none")
            try:
                presets.overrides(world)  # an unknown world or transformation fails here, before any run
                transforms.get(transform)
                config = TrainConfig(**settings)
                experiment = Experiment(
                    world, transform, config, base_aug=base_aug, world_overrides=dict(self.overrides)
                )
            except (TypeError, ValueError) as err:
                raise ExperimentError(
                    f"configuration {settings | {'world': world, 'transform': transform}}: {err}"
                ) from None
            if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
                raise ExperimentError(f"seeds must be non-negative integers, got {seed!r}")
            out.append((experiment, seed))
        return out
