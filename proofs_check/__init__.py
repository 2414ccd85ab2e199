"""Symbolic proofs, hypothesis strategies, learned-vs-exact checks, the paper's claims and the CLI.

===============================  ==============================================================
module                           holds
===============================  ==============================================================
``proofs_check.prover``          the Shannon-inequality prover and the paper's statements
``proofs_check.strategies``      hypothesis strategies: joints, causal models, encoders
``proofs_check.experiments``     experiment specs, the runner, the cache, exact checks
``proofs_check.report``          the claims, figures and the reproduction report
``proofs_check.cli``             the ``essl-testbed`` command line
``proofs_check.errors``          :class:`ProofsCheckError` and the errors under it
===============================  ==============================================================
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("essl-testbed")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
