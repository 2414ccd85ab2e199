"""One catalogue of the paper's statements (theory.statements): the numeric checks of
theory.essl compute what their relation's text says, and the prover proves the same texts."""

from __future__ import annotations

import numpy as np
import pytest

from proofs_check.prover import parse_relation, prove
from proofs_check.prover.statements import STATEMENTS as PROVER_STATEMENTS
from theory import Joint, entropy, with_posterior
from theory.essl import (
    class_relevance,
    explaining_away_identity,
    fine_grained,
    lossy_transformation,
    multivariate,
    needed_class_information,
    shortcut_pruning,
)
from theory.statements import STATEMENTS, statement

NAMES = ("C", "S", "A", "Afine", "A1", "A2", "X", "Z")


def random_joint(seed: int) -> Joint:
    weights = np.random.default_rng(seed).dirichlet(np.ones(2 ** len(NAMES))).reshape((2,) * len(NAMES))
    return Joint(weights, NAMES)


def reports(J: Joint) -> list:
    return [
        explaining_away_identity(J, "A", "C", "Z"),
        lossy_transformation(J, "A", "C", "Z"),
        class_relevance(J, "A", "C", "X"),
        shortcut_pruning(J, "A", "C", "S", "Z"),
        fine_grained(J, "Afine", "A", "C", "Z"),
        multivariate(J, "A1", "A2", "C", "Z"),
        needed_class_information(J, "A", "C", "X", "Z"),
    ]


def evaluated(text: str, J: Joint) -> tuple[float, float]:
    """The two sides of a relation's text, evaluated on ``J`` through the prover's parser."""
    relation = parse_relation(text.replace(" > ", " >= "))  # the parser has no strict comparison
    entropy_of = lambda subset: entropy(J, tuple(sorted(subset)))  # noqa: E731
    return float(relation.lhs.evaluate(entropy_of)), float(relation.rhs.evaluate(entropy_of))


@pytest.mark.parametrize("seed", [0, 1])
def test_every_numeric_relation_computes_what_its_text_says(seed):
    J = random_joint(seed)
    JT = with_posterior(J, target="A", given="X", name="T")  # the needed-class check's T
    relations = [rel for report in reports(J) for rel in report.relations]
    assert len(relations) == 18
    for rel in relations:
        lhs, rhs = evaluated(rel.text, JT)
        assert (lhs, rhs) == pytest.approx((float(rel.lhs), float(rel.rhs)), abs=1e-9), rel.text


def test_every_numeric_relation_is_a_catalogue_entry():
    rendered = {
        entry.text(**{v: n for v, n in names.items() if v in entry.variables}): key
        for key, entry in STATEMENTS.items()
        for names in ({}, {"Z": "X"})
    }
    texts = [rel.text for report in reports(random_joint(0)) for rel in report.relations]
    assert [t for t in texts if t not in rendered] == []
    used = {rendered[t] for t in texts}
    assert {key for key, entry in STATEMENTS.items() if not entry.shannon} <= used


def test_the_prover_states_the_catalogue():
    assert set(PROVER_STATEMENTS) == {key for key, entry in STATEMENTS.items() if entry.shannon}
    for key, spec in PROVER_STATEMENTS.items():
        assert (spec.statement, spec.constraints) == (STATEMENTS[key].text(), STATEMENTS[key].hypotheses_text())
        assert spec.description == STATEMENTS[key].description


@pytest.mark.parametrize("key", [k for k, e in STATEMENTS.items() if not e.shannon and e.op != ">"])
def test_entries_marked_not_shannon_are_not_provable(key):
    entry = STATEMENTS[key]
    assert not prove(entry.text(), entry.hypotheses_text()).proved


def test_renaming_refuses_an_unknown_variable():
    with pytest.raises(KeyError, match="has no variable"):
        statement("t1_identity").text(Q="X")
    with pytest.raises(KeyError, match="no statement 'nope'"):
        statement("nope")
