"""Concrete distributions that violate a statement, found and shrunk by hypothesis.

When the prover says a statement is not Shannon-type provable, a small table on which it
is numerically false makes the failure tangible. Tables are drawn from
:func:`proofs_check.strategies.joints` (small integer weights, exact), so hypothesis shrinks
a violation to a sparse or uniform table over few values.

>>> J = find_counterexample("I(A;Z) <= I(A;Z|C)")      # T1's upper bound without A ⊥ C
>>> J.names, J.shape                                 # A = Z = C, each a fair bit
(('A', 'Z', 'C'), (2, 2, 2))
>>> [str(p) for p in J.probabilities.ravel()]
['1/2', '0', '0', '0', '0', '0', '0', '1/2']
>>> float(relation_slack("I(A;Z) <= I(A;Z|C)", J))  # 1 bit on the left, 0 on the right
-1.0
"""

from __future__ import annotations

from collections.abc import Sequence

from .expressions import InfoRelation, parse_relation
from .notation import parse_statements


def _relation(relation: str | InfoRelation) -> InfoRelation:
    return parse_relation(relation) if isinstance(relation, str) else relation


def relation_slack(relation: str | InfoRelation, joint, base: object = 2):
    """The relation's slack E (E >= 0 or E = 0 when it holds) evaluated on a theory joint."""
    from theory import entropy

    return _relation(relation).slack(lambda subset: entropy(joint, tuple(sorted(subset)), base=base))


def find_counterexample(
    relation: str | InfoRelation,
    constraints: Sequence[str | InfoRelation] = (),
    max_alphabet: int = 2,
    max_examples: int = 5000,
    tol: float = 1e-9,
):
    """A small exact joint on which ``relation`` fails while every constraint holds, or None.

    Constraints act as filters, so equality constraints are met only by tables that satisfy
    them exactly (uniform and sparse tables do often). The search is derandomised: the same
    call gives the same table.
    """
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis import strategies as st
    from hypothesis.errors import NoSuchExample

    from ..strategies import joints

    goal = _relation(relation)
    conditions = [r for c in constraints for r in ([c] if isinstance(c, InfoRelation) else parse_statements(c))]
    names = list(goal.ordered_variables())
    for c in conditions:
        names += [n for n in c.ordered_variables() if n not in names]

    def violates(J) -> bool:
        if any(
            abs(float(relation_slack(c, J))) > tol if c.kind == "=" else float(relation_slack(c, J)) < -tol
            for c in conditions
        ):
            return False
        slack = float(relation_slack(goal, J))
        return abs(slack) > tol if goal.kind == "=" else slack < -tol

    search = settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    try:
        return find(
            joints(tuple(names), alphabet_sizes=st.integers(1, max_alphabet), exact=True), violates, settings=search
        )
    except NoSuchExample:
        return None
