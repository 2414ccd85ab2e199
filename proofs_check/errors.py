"""The error family of :mod:`proofs_check`: every input error a user can trigger is a
:class:`ProofsCheckError` (a ``ValueError``) whose message names what is wrong.

>>> from proofs_check.prover import prove
>>> prove("I(A;B) >= ")
Traceback (most recent call last):
...
proofs_check.prover.expressions.ExpressionSyntaxError: expected a number, H(...), I(...) or '(', found end of input at position 10:
...
"""

from __future__ import annotations

__all__ = ["ExperimentError", "ProofsCheckError", "UnknownClaim"]


class ProofsCheckError(ValueError):
    """Base of every error :mod:`proofs_check` raises on bad input."""


class ExperimentError(ProofsCheckError):
    """An experiment specification or run request that cannot be carried out."""


class UnknownClaim(ProofsCheckError):
    """A claim key (or prefix) that matches no registered claim."""
