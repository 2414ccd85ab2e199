"""The one exception type of :mod:`theory`, shown in tracebacks by its public path."""

from __future__ import annotations

__all__ = ["InvalidDistribution"]


class InvalidDistribution(ValueError):
    """A table, a query or a base that does not describe a valid distribution or measure.

    The message always names the offending variable, cell or argument.

    >>> from theory import Joint
    >>> Joint([0.5, 0.25], names=("A",))
    Traceback (most recent call last):
    ...
    theory.InvalidDistribution: probabilities sum to 0.75, not 1 (off by 2.5e-01 > 1e-09); nothing is renormalised: use Joint.from_weights for unnormalised weights
    """


InvalidDistribution.__module__ = "theory"
