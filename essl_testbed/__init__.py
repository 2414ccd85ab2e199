"""The testbed's experiments, report, course and command line, on top of :mod:`theory`,
:mod:`synthetic` and :mod:`proofs_check`.

Layers, each importing only those before it (tests/test_layout.py):
theory < synthetic < proofs_check < experiments < report < course < cli.

==================================  ==========================================================
module                              holds
==================================  ==========================================================
``essl_testbed.experiments``        experiment specs, the runner, the cache, executors, exact checks
``essl_testbed.report``             the claims, statistics, figures and the reproduction report
``essl_testbed.course``             the exercises on explaining away and their checkers
``essl_testbed.cli``                the ``essl-testbed`` command line, one module per command group
``essl_testbed.errors``             :class:`~essl_testbed.errors.TestbedError` and the errors under it
==================================  ==========================================================
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("essl-testbed")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
