"""Deprecation shims: the experiment runner, the report, the course and the CLI moved out of
:mod:`proofs_check` into :mod:`essl_testbed` in 0.5.0. Their old import paths keep working
until 0.6.0 and warn once with a :class:`DeprecationWarning` naming the new path.

The alias is the new module itself (not a copy), so classes and registries stay one object:

>>> import warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore", DeprecationWarning)
...     import proofs_check.experiments.spec as old
>>> import essl_testbed.experiments.spec as new
>>> old is new
True

This module is the only place :mod:`proofs_check` names :mod:`essl_testbed` (tests/test_layout.py).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from types import ModuleType

MOVED = {
    "proofs_check.experiments": "essl_testbed.experiments",
    "proofs_check.report": "essl_testbed.report",
    "proofs_check.exercises": "essl_testbed.course",
    "proofs_check.cli": "essl_testbed.cli",
}


def new_name(old: str) -> str | None:
    """The module's name after the move, or None for a module that did not move.

    >>> new_name("proofs_check.exercises.judges"), new_name("proofs_check.prover")
    ('essl_testbed.course.judges', None)
    """
    for prefix, target in MOVED.items():
        if old == prefix or old.startswith(prefix + "."):
            return target + old[len(prefix) :]
    return None


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``proofs_check.<moved>...`` and loads it as the module under its new name."""

    def __init__(self) -> None:
        self._real_specs: dict[str, importlib.machinery.ModuleSpec | None] = {}

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        return importlib.util.spec_from_loader(fullname, self) if new_name(fullname) else None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        target = new_name(spec.name)
        assert target is not None
        warnings.warn(
            f"{spec.name} has moved to {target}; the old name will be removed in 0.6.0",
            DeprecationWarning,
            stacklevel=2,
        )
        module = importlib.import_module(target)
        # The import system stamps the alias's spec on the module it gets back; keep the real one.
        self._real_specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        alias = module.__spec__
        assert alias is not None
        module.__spec__ = self._real_specs.pop(alias.name)


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (once): the path finder would otherwise load a
    moved submodule a second time under its old name, through the alias's ``__path__``."""
    if not any(isinstance(f, _MovedModules) for f in sys.meta_path):
        sys.meta_path.insert(0, _MovedModules())
