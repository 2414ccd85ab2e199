"""The error family of :mod:`proofs_check`: every input error a user can trigger in the prover
or the strategies is a :class:`ProofsCheckError` (a ``ValueError``) whose message names what is
wrong.

>>> from proofs_check.prover import prove
>>> prove("I(A;B) >= ")
Traceback (most recent call last):
...
proofs_check.prover.expressions.ExpressionSyntaxError: expected a number, H(...), I(...) or '(', found end of input at position 10:
...
"""

from __future__ import annotations

__all__ = ["ProofsCheckError"]


class ProofsCheckError(ValueError):
    """Base of every error :mod:`proofs_check` raises on bad input."""
