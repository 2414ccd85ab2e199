"""Concrete distributions that violate a statement: structured candidates first, then random
small tables, within a time bound.

When the prover says a statement is not Shannon-type provable, a table on which it is false
makes the failure tangible, and settles it: the statement is false. The search tries

1. *linear* distributions: independent uniform base symbols over GF(q) (q = 2, then 3) and
   each variable a linear combination of them. These are constants, copies, XORs and
   parities (A, B, C fair bits and D = A xor B xor C; X = Y = Z with W constant; Z = W =
   X xor Y), and their entropies are ranks, so a candidate costs a few small eliminations;
2. random small tables from :func:`proofs_check.strategies.joints` (small integer weights,
   exact), shrunk by hypothesis to a sparse or uniform table.

A found table is checked again in exact arithmetic. No table within the bound does not
prove the statement: true non-Shannon inequalities (Zhang-Yeung) have none.

>>> search = search_counterexample("I(A;Z) <= I(A;Z|C)")      # T1's upper bound without A ⊥ C
>>> search.joint.names, search.method                        # A = Z = C, each a fair bit
(('A', 'Z', 'C'), 'linear over GF(2), 1 base symbol(s)')
>>> float(relation_slack("I(A;Z) <= I(A;Z|C)", search.joint))  # 1 bit on the left, 0 on the right
-1.0
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .expressions import InfoRelation, parse_relation
from .notation import parse_statements

__all__ = ["Search", "find_counterexample", "relation_slack", "search_counterexample"]

DEFAULT_SECONDS = 5.0


def _relation(relation: str | InfoRelation) -> InfoRelation:
    return parse_relation(relation) if isinstance(relation, str) else relation


def _relations(items: Sequence[str | InfoRelation]) -> list[InfoRelation]:
    return [r for c in items for r in ([c] if isinstance(c, InfoRelation) else parse_statements(c))]


def relation_slack(relation: str | InfoRelation, joint: Any, base: object = 2) -> Any:
    """The relation's slack E (E >= 0 or E = 0 when it holds) evaluated on a theory joint."""
    from theory import entropy

    return _relation(relation).slack(lambda subset: entropy(joint, tuple(sorted(subset)), base=base))


@dataclass(frozen=True)
class Search:
    """The outcome of a search: the violating joint (or None), how it was found, how many
    candidates were tried, and the seconds spent."""

    joint: Any
    method: str
    candidates: int
    seconds: float

    def describe(self) -> str:
        if self.joint is not None:
            return f"False: a distribution where it fails ({self.method}, after {self.candidates} candidates)"
        return (
            f"Not Shannon-type, and no counterexample among {self.candidates} candidates ({self.method}) in "
            f"{self.seconds:.1f} s; it may still hold: Zhang-Yeung-type inequalities are true but not provable "
            "this way"
        )


def _rank(vectors: Sequence[tuple[int, ...]], q: int) -> int:
    """Rank over GF(q), q prime, by Gaussian elimination."""
    rows = [list(v) for v in vectors if any(v)]
    rank, width = 0, len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] % q), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        inverse = pow(rows[rank][col], q - 2, q)
        rows[rank] = [x * inverse % q for x in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][col] % q:
                factor = rows[r][col]
                rows[r] = [(x - factor * y) % q for x, y in zip(rows[r], rows[rank])]
        rank += 1
    return rank


class _RankEntropy:
    """H(subset) of a linear candidate in units of log q: the rank of the subset's vectors."""

    def __init__(self, assignment: tuple[tuple[int, ...], ...], q: int, index: dict[str, int]):
        self.assignment, self.q, self.index = assignment, q, index
        self.ranks: dict[frozenset[str], int] = {}

    def __call__(self, subset: frozenset[str]) -> int:
        if subset not in self.ranks:
            self.ranks[subset] = _rank([self.assignment[self.index[name]] for name in subset], self.q)
        return self.ranks[subset]

    def slack_of(self, relation: InfoRelation) -> Any:
        return relation.slack(self)


def _violates(goal: InfoRelation, conditions: list[InfoRelation], slack_of: Any, tol: float = 0) -> bool:
    """Whether every condition holds and the goal fails, up to ``tol``; with exact slacks
    (Fractions of log q for linear candidates) and ``tol`` 0 the check is exact."""

    def fails(relation: InfoRelation) -> bool:
        slack = slack_of(relation)
        return abs(slack) > tol if relation.kind == "=" else slack < -tol

    return not any(fails(c) for c in conditions) and fails(goal)


def _linear_candidates(n: int, deadline: float) -> Iterator[tuple[int, int, tuple[tuple[int, ...], ...]]]:
    """(q, k, one GF(q)^k vector per variable), small fields and few base symbols first."""
    for q, k in ((2, 1), (2, 2), (3, 1), (2, 3), (3, 2), (2, 4)):
        vectors = list(itertools.product(range(q), repeat=k))
        for assignment in itertools.product(vectors, repeat=n):
            if time.monotonic() > deadline:
                return
            yield q, k, assignment


def _linear_joint(names: list[str], q: int, k: int, assignment: tuple[tuple[int, ...], ...]) -> Any:
    """The exact joint of the variables when the k base symbols are uniform on GF(q)."""
    import numpy as np

    from theory import Joint

    table = np.zeros((q,) * len(names), dtype=object)
    table[...] = Fraction(0)
    for base in itertools.product(range(q), repeat=k):
        cell = tuple(sum(a * b for a, b in zip(vector, base)) % q for vector in assignment)
        table[cell] += Fraction(1, q**k)
    return Joint(table, names=tuple(names))


def search_counterexample(
    relation: str | InfoRelation,
    constraints: Sequence[str | InfoRelation] = (),
    seconds: float = DEFAULT_SECONDS,
    max_alphabet: int = 2,
    max_examples: int = 5000,
    tol: float = 1e-9,
) -> Search:
    """Search for a small exact joint on which ``relation`` fails while every constraint
    holds, for at most ``seconds``: linear candidates first (at most half the time), then
    random tables. Derandomised: the same call gives the same table."""
    t0 = time.monotonic()
    deadline = t0 + seconds
    linear_deadline = t0 + seconds / 2  # random tables get the other half
    goal = _relation(relation)
    conditions = _relations(constraints)
    names = list(goal.ordered_variables())
    for c in conditions:
        names += [n for n in c.ordered_variables() if n not in names]
    tried = 0
    index = {name: i for i, name in enumerate(names)}
    for q, k, assignment in _linear_candidates(len(names), linear_deadline):
        tried += 1
        ranks = _RankEntropy(assignment, q, index)
        if _violates(goal, conditions, ranks.slack_of):
            joint = _linear_joint(names, q, k, assignment)
            if _exact_violation(goal, conditions, joint, tol):
                return Search(joint, f"linear over GF({q}), {k} base symbol(s)", tried, time.monotonic() - t0)
    linear_tried = tried
    joint, random_tried = _random_search(goal, conditions, names, deadline, max_alphabet, max_examples, tol)
    method = (
        f"{linear_tried} linear over GF(2) and GF(3), then {random_tried} random tables of up to {max_alphabet} values"
    )
    return Search(
        joint, "random table" if joint is not None else method, linear_tried + random_tried, time.monotonic() - t0
    )


def _exact_violation(goal: InfoRelation, conditions: list[InfoRelation], joint: Any, tol: float) -> bool:
    """The same check on a theory joint (exact sympy values, compared as floats)."""
    return _violates(goal, conditions, lambda r: float(relation_slack(r, joint)), tol)


class _OutOfTime(Exception):
    pass


def _random_search(
    goal: InfoRelation,
    conditions: list[InfoRelation],
    names: list[str],
    deadline: float,
    max_alphabet: int,
    max_examples: int,
    tol: float,
) -> tuple[Any, int]:
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis import strategies as st
    from hypothesis.errors import NoSuchExample

    from ..strategies import joints

    tried = 0

    def violates(J: Any) -> bool:
        nonlocal tried
        if time.monotonic() > deadline:
            raise _OutOfTime
        tried += 1
        return _exact_violation(goal, conditions, J, tol)

    search = settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    try:
        found = find(
            joints(tuple(names), alphabet_sizes=st.integers(1, max_alphabet), exact=True), violates, settings=search
        )
    except (NoSuchExample, _OutOfTime):
        return None, tried
    return found, tried


def find_counterexample(
    relation: str | InfoRelation,
    constraints: Sequence[str | InfoRelation] = (),
    max_alphabet: int = 2,
    max_examples: int = 5000,
    tol: float = 1e-9,
    seconds: float = DEFAULT_SECONDS,
) -> Any:
    """The joint of :func:`search_counterexample`, or None."""
    return search_counterexample(relation, constraints, seconds, max_alphabet, max_examples, tol).joint
