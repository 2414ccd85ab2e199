"""Nothing the prover proves is ever numerically violated on a drawn causal model."""

from __future__ import annotations

from hypothesis import given

from proofs_check.prover.counterexamples import relation_slack
from proofs_check.prover.expressions import parse_relation
from proofs_check.prover.statements import STATEMENTS
from proofs_check.strategies import ESSL_NAMES, essl_models

TOL = 1e-9
CHECKABLE = {
    name: spec
    for name, spec in STATEMENTS.items()
    if parse_relation(spec.statement).variables <= set(ESSL_NAMES)
    and all(parse_relation(c).variables <= set(ESSL_NAMES) for c in spec.constraints)
}


def holds(relation, J) -> bool:
    slack = float(relation_slack(relation, J))
    return abs(slack) <= TOL if relation.kind == "=" else slack >= -TOL


def test_most_statements_are_checkable_on_the_models():
    assert len(CHECKABLE) >= 8, sorted(CHECKABLE)


@given(essl_models())
def test_proved_statements_hold_on_every_model(J):
    for name, spec in CHECKABLE.items():
        constraints = [parse_relation(c) for c in spec.constraints]
        if all(holds(c, J) for c in constraints):  # e.g. H(A|Z) = 0 holds only on some models
            assert holds(parse_relation(spec.statement), J), name
