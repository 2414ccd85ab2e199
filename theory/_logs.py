"""Exact logarithms as rational combinations of logs of primes, and the choice of base.

An exact entropy in nats is ``sum_q c_q * ln(q)`` over primes ``q`` with rational ``c_q``.
Logs of distinct primes are linearly independent over the rationals, so two exact
quantities are equal exactly when their coefficient maps are equal: exact zeros (the
explaining-away term of a collider-free table, a chain-rule residual) cancel to an empty
map with no call to ``sympy.simplify``.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Iterable, Mapping
from fractions import Fraction
from functools import lru_cache

import numpy as np

from ._errors import InvalidDistribution

LogSum = dict  # {prime: Fraction}; the empty dict is exactly zero


@lru_cache(maxsize=65536)
def _factor(n: int) -> tuple[tuple[int, int], ...]:
    from sympy import factorint

    return tuple(sorted(factorint(n).items()))


def log_of_rational(value: Fraction) -> LogSum:
    """``ln(value)`` of a positive rational, e.g. ``ln(3/4) -> {2: -2, 3: 1}``."""
    out: LogSum = {}
    for prime, exp in _factor(value.numerator):
        out[prime] = out.get(prime, 0) + Fraction(exp)
    for prime, exp in _factor(value.denominator):
        out[prime] = out.get(prime, 0) - Fraction(exp)
    return out


def add_into(total: LogSum, term: Mapping[int, Fraction], scale: Fraction | int = 1) -> LogSum:
    """``total += scale * term`` in place, dropping exact zeros; returns ``total``."""
    for prime, coef in term.items():
        new = total.get(prime, 0) + scale * coef
        if new:
            total[prime] = new
        else:
            total.pop(prime, None)
    return total


def exact_entropy_nats(probabilities: Iterable[Fraction]) -> LogSum:
    """``-sum p ln p`` of exact probabilities; equal cells are grouped before factoring."""
    total: LogSum = {}
    for value, count in Counter(p for p in probabilities if p).items():
        add_into(total, log_of_rational(Fraction(value)), -count * Fraction(value))
    return total


def exact_value(value: object) -> Fraction | None:
    """``value`` as a Fraction if it is exact (int, Fraction, sympy Rational), else None.

    >>> exact_value(3), exact_value(0.5), exact_value(True)
    (Fraction(3, 1), None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, Fraction):
        return value
    if type(value).__module__.startswith("sympy") and getattr(value, "is_Rational", False):
        return Fraction(int(value.p), int(value.q))  # type: ignore[attr-defined]
    return None


class Base:
    """A validated logarithm base: ``2`` (default), ``"e"``/``math.e``, or any positive number != 1.

    ``float_divisor`` is ``ln(base)``; ``exact_divisor`` is the same as a sympy expression
    (a rational base becomes a combination of logs of primes, so ``log(2)/log(2)`` cancels
    to 1 term by term).
    """

    __slots__ = ("value", "natural", "float_divisor", "_exact_rational")

    def __init__(self, base: object):
        if isinstance(base, str):
            if base != "e":
                raise InvalidDistribution(f"base must be 'e' or a positive number other than 1, got {base!r}")
            base = math.e
        if isinstance(base, bool) or not isinstance(base, numbers.Real):
            raise InvalidDistribution(f"base must be 'e' or a positive number other than 1, got {base!r}")
        if not (float(base) > 0) or base == 1 or not math.isfinite(float(base)):
            raise InvalidDistribution(f"base must be a finite positive number other than 1, got {base!r}")
        self.value = base
        self.natural = base == math.e
        self.float_divisor = 1.0 if self.natural else math.log(float(base))
        rational = None
        if not self.natural:
            rational = Fraction(int(base)) if isinstance(base, float) and base.is_integer() else exact_value(base)
        self._exact_rational = rational

    def to_sympy(self, nats: Mapping[int, Fraction]):
        """Turn an exact combination of logs (in nats) into a sympy value in this base."""
        import sympy

        if self.natural:
            divisor = sympy.Integer(1)
        elif self._exact_rational is not None:
            divisor = sympy.Add(*(_sym(c) * sympy.log(q) for q, c in log_of_rational(self._exact_rational).items()))
        else:
            divisor = sympy.log(sympy.Float(self.value))
        if not nats:
            return sympy.Integer(0)
        return sympy.Add(*(_sym(c) * sympy.log(q) / divisor for q, c in sorted(nats.items())))


def _sym(value: Fraction):
    import sympy

    return sympy.Rational(value.numerator, value.denominator)
