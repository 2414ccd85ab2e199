"""Training experiments: a frozen spec, the runner, the cache and the exact checks.

==========================================  =====================================================
module                                      holds
==========================================  =====================================================
``essl_testbed.experiments.spec``           :class:`Experiment` (frozen; ``key()`` names its runs)
``essl_testbed.experiments.run``            :func:`run_one` (one seed), :func:`run_ensemble`, :func:`summarise`
``essl_testbed.experiments.records``        :class:`RunRecord`, :class:`SeedsResult`: the typed results of runs
``essl_testbed.experiments.sweep``          :func:`run_seeds`, :func:`run_sweep`: many runs, one table
``essl_testbed.experiments.sweep_spec``     :class:`SweepSpec`: a grid read from TOML
``essl_testbed.experiments.executors``      in-process, a local process pool, Ray tasks
``essl_testbed.experiments.downstream``     the downstream probe problem of a world, probe protocol
``essl_testbed.experiments.budget``         :class:`Budget`, the profiles, :class:`Runner` (equal optimiser steps)
``essl_testbed.experiments.cache``          :class:`RunCache`, atomic writes
``essl_testbed.experiments.checks``         :class:`BoundViolation`, exact limits of learned numbers
``essl_testbed.experiments.limits``         exact limits of the pretext task on a seed's training styles
``essl_testbed.experiments.forecast``       forecasts from exact quantities, written before training, then scored
``essl_testbed.experiments.provenance``     commit, library versions, threads and device of a number
``essl_testbed.experiments.tables``         markdown tables and number formatting of run summaries
==========================================  =====================================================
"""

from .budget import FULL, QUICK, Budget, Runner
from .cache import RunCache, atomic_write_json
from .checks import BoundViolation, bottleneck_information, check_bound
from .downstream import downstream_sets, probe_scores
from .executors import InProcess, LocalPool, RayCluster, make_executor
from .records import RunRecord, SeedsResult
from .run import run_ensemble, run_one, summarise
from .spec import Experiment
from .sweep import RunFailed, run_seeds, run_sweep
from .sweep_spec import SweepSpec

__all__ = [
    "FULL",
    "QUICK",
    "BoundViolation",
    "Budget",
    "Experiment",
    "InProcess",
    "LocalPool",
    "RayCluster",
    "RunCache",
    "RunFailed",
    "RunRecord",
    "Runner",
    "SeedsResult",
    "SweepSpec",
    "atomic_write_json",
    "bottleneck_information",
    "check_bound",
    "make_executor",
    "run_ensemble",
    "run_one",
    "run_seeds",
    "run_sweep",
    "summarise",
    "downstream_sets",
    "probe_scores",
]
