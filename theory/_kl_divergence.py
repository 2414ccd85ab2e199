"""Kullback-Leibler divergence between two joints over the same variables."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ._errors import InvalidDistribution
from ._joint import Joint
from ._logs import Base, add_into, log_of_rational


def kl_divergence(p: Joint, q: Joint, base: object = 2):
    """D(P || Q) = sum_x P(x) log(P(x) / Q(x)).

    Returns ``inf`` (``sympy.oo`` for exact joints) when Q = 0 somewhere P > 0: the
    divergence is infinite, not an error. Q may list the same variables in another order.
    The result is exact only when both joints are exact.

    >>> from theory import Joint
    >>> P = Joint.from_weights([1, 1], names=("A",))
    >>> kl_divergence(P, Joint.from_weights([1, 3], names=("A",)))
    -log(3)/(2*log(2)) + 1
    >>> kl_divergence(P, Joint([1, 0], names=("A",)))
    oo
    """
    for arg, label in ((p, "P"), (q, "Q")):
        if not isinstance(arg, Joint):
            raise InvalidDistribution(f"{label} must be a Joint, got {type(arg).__name__}")
    if set(p.names) != set(q.names):
        raise InvalidDistribution(f"P has variables {p.names} but Q has {q.names}")
    q_table = np.transpose(q.probabilities, q.axes(p.names))
    if q_table.shape != p.shape:
        raise InvalidDistribution(f"P has shape {p.shape} but Q has {q_table.shape} over {p.names}")
    resolved = Base(base)
    if p.is_exact and q.is_exact:
        total: dict = {}
        for pv, qv in zip(p.probabilities.ravel(), q_table.ravel()):
            if pv:
                if not qv:
                    import sympy

                    return sympy.oo
                add_into(total, log_of_rational(Fraction(pv) / Fraction(qv)), pv)
        return resolved.to_sympy(total)
    pf = p.probabilities.astype(np.float64).ravel()
    qf = q_table.astype(np.float64).ravel()
    support = pf > 0
    if (qf[support] == 0).any():
        return float("inf")
    ps, qs = pf[support], qf[support]
    return float(np.dot(ps, np.log(ps) - np.log(qs))) / resolved.float_divisor
