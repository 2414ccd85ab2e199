"""The error family of :mod:`essl_testbed`: every input error a user can trigger in the
experiments, the report or the course is a :class:`TestbedError` (a ``ValueError``) whose
message names what is wrong. The prover's errors are :class:`proofs_check.errors.ProofsCheckError`.

>>> from essl_testbed.experiments import Experiment
>>> Experiment("six-nine", "rot2", target="B")
Traceback (most recent call last):
...
essl_testbed.errors.ExperimentError: target must be 'A' (pretext), 'C' (supervised ceiling) or 'null' (labels independent of X), got 'B'
"""

from __future__ import annotations

__all__ = ["ExperimentError", "TestbedError", "UnknownClaim"]


class TestbedError(ValueError):
    """Base of every error :mod:`essl_testbed` raises on bad input."""

    __test__ = False  # a library class, not a pytest test class


class ExperimentError(TestbedError):
    """An experiment specification or run request that cannot be carried out."""


class UnknownClaim(TestbedError):
    """A claim key (or prefix) that matches no registered claim."""
