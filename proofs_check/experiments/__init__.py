"""Training experiments: a frozen spec, the runner, the cache and the exact checks.

==========================================  =====================================================
module                                      holds
==========================================  =====================================================
``proofs_check.experiments.spec``           :class:`Experiment` (frozen; ``key()`` names its runs)
``proofs_check.experiments.run``            :func:`run_one`, :func:`run_seeds`, :func:`summarise`
``proofs_check.experiments.budget``         :class:`Budget`, :class:`Runner` (equal optimiser steps)
``proofs_check.experiments.cache``          :class:`RunCache`, atomic writes
``proofs_check.experiments.checks``         :class:`BoundViolation`, exact limits of learned numbers
==========================================  =====================================================
"""

from .budget import QUICK, Budget, Runner
from .cache import RunCache, atomic_write_json
from .checks import BoundViolation, bottleneck_information, check_bound
from .run import run_one, run_seeds, summarise, train_test_split
from .spec import Experiment

__all__ = [
    "QUICK",
    "BoundViolation",
    "Budget",
    "Experiment",
    "RunCache",
    "Runner",
    "atomic_write_json",
    "bottleneck_information",
    "check_bound",
    "run_one",
    "run_seeds",
    "summarise",
    "train_test_split",
]
