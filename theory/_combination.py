"""Every Shannon measure is an integer combination of joint entropies; evaluate one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ._errors import InvalidDistribution
from ._logs import Base, add_into

Variables = str | Iterable[str] | None


def as_variables(joint, spec: Variables, role: str, allow_empty: bool = False) -> frozenset[str]:
    """A name or a sequence of names -> frozenset, checked against the joint's names.

    Only a conditioning set (``allow_empty``) may be empty: H() or I(;Y) is a typo, not 0.
    """
    if spec is None:
        spec = ()
    names = (spec,) if isinstance(spec, str) else tuple(spec)
    if not names and not allow_empty:
        raise InvalidDistribution(f"{role}: no variable given")
    for name in names:
        if not isinstance(name, str):
            raise InvalidDistribution(f"{role}: variable names must be strings, got {name!r}")
    joint.axes(names)  # raises on unknown names
    return frozenset(names)


def evaluate(joint, terms: Mapping[frozenset, int], base: object = 2):
    """``sum coef * H(subset)`` in ``base``: a float, or an exact sympy value for exact joints.

    >>> from theory import Joint
    >>> J = Joint.from_weights([[1, 1], [1, 1]], names=("A", "B"))
    >>> evaluate(J, {frozenset("AB"): 1, frozenset("B"): -1})   # H(A|B)
    1
    """
    resolved = Base(base)
    if joint.is_exact:
        total: dict = {}
        for subset, coef in terms.items():
            if coef:
                add_into(total, joint._entropy_nats(frozenset(subset)), coef)
        return resolved.to_sympy(total)
    nats = sum(coef * joint._entropy_nats(frozenset(subset)) for subset, coef in terms.items() if coef)
    return float(nats) / resolved.float_divisor


def combine(*pairs: tuple[int, frozenset]) -> dict[frozenset, int]:
    """Sum ``coef * H(subset)`` terms, merging equal subsets (H of the empty set is 0)."""
    out: dict[frozenset, int] = {}
    for coef, subset in pairs:
        if subset:
            out[subset] = out.get(subset, 0) + coef
    return out
