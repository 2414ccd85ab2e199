"""The Shannon-inequality prover and hypothesis strategies for the theory's statements.

Needs numpy, highspy (the prover's LP), sympy and hypothesis; never torch (the experiments, report, course and
command line that train networks live in :mod:`essl_testbed`).

===============================  ==============================================================
module                           holds
===============================  ==============================================================
``proofs_check.prover``          the Shannon-inequality prover and the paper's statements
``proofs_check.strategies``      hypothesis strategies: joints, causal models, encoders
``proofs_check.errors``          :class:`~proofs_check.errors.ProofsCheckError` and the errors under it
===============================  ==============================================================
"""

from importlib.metadata import PackageNotFoundError, version

from . import _moved

try:
    __version__ = version("essl-testbed")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"

_moved.install()
