"""The paper's statements, as formalized in this project, as inputs for the prover.

The statements are read from the catalogue :data:`theory.statements.STATEMENTS` (the numeric
checks of :mod:`theory.essl` read the same entries). Each :class:`StatementSpec` holds the
statement, the fewest constraints it needs (fewer variables, faster proofs), a description,
and ``causal_model``: the full causal-model constraints (plus any hypothesis of the statement
the model does not imply), so that every statement can also be proved from the model itself. Variables follow the paper: C class,
S style, Abar intrinsic pose, Xbar raw input, A augmentation, X augmented input, Z
representation; Afine is a finer augmentation (T2), A1 and A2 two augmentations (T3).

The causal model as constraints (A drawn independently, Xbar a function of the latents, X a
function of (Xbar, A), Z depending on the rest only through X; Z may be a stochastic
representation q(z|x)):

>>> for c in causal_model(): print(c)
I(A;C,S,Abar) = 0
H(Xbar|C,S,Abar) = 0
H(X|Xbar,A) = 0
I(Z;C,S,Abar,Xbar,A|X) = 0
>>> prove_statement("t1_upper_bound").proved
True
>>> prove_statement("t1_identity", causal=True).proved
True

Two findings of the formalization, recorded in the descriptions: the T1 lower bound
I(A;Z) >= I(A;Z|C) - H(C|Z) holds without A ⊥ C (I(A;Z) - I(A;Z|C) = I(A;C) - I(A;C|Z)
>= -H(C|Z)); only the identity and the upper bound need independence. Principle II is
formalized as the bound I(A;C|Z) <= I(Z;C|A) (explaining-away needs the representation's
response to A to depend on the class) and its equality case.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from theory.statements import STATEMENTS as CATALOGUE

from ..errors import ProofsCheckError
from .expressions import parse_relation
from .shannon import ProofResult, prove

__all__ = [
    "BROKEN",
    "CAUSAL_VARIABLES",
    "STATEMENTS",
    "StatementSpec",
    "UnknownStatement",
    "causal_model",
    "prove_statement",
]

CAUSAL_VARIABLES = ("C", "S", "Abar", "Xbar", "A", "X", "Z")


class UnknownStatement(ProofsCheckError):
    """A statement name that is in neither STATEMENTS nor BROKEN."""


class StatementSpec(NamedTuple):
    """``(statement, constraints, description, causal_model)``; constraints are relation strings."""

    statement: str
    constraints: tuple[str, ...]
    description: str
    causal_model: tuple[str, ...] = ()


def causal_model(augmentations: Sequence[str] = ("A",), derived: Sequence[str] = ()) -> tuple[str, ...]:
    """The paper's causal model (Figure 2) as constraint strings.

    ``augmentations`` are the drawn augmentation variables (jointly independent of
    (C, S, Abar), and of each other when several); ``derived`` are further variables
    computed from them (a coarse A = g(Afine)), which Z may only see through X too.

    >>> causal_model(("A1", "A2"))[-1]
    'I(A2;A1) = 0'
    """
    aug = ",".join(augmentations)
    everything = ",".join(("C", "S", "Abar", "Xbar", *augmentations, *derived))
    model = [
        f"I({aug};C,S,Abar) = 0",
        "H(Xbar|C,S,Abar) = 0",
        f"H(X|Xbar,{aug}) = 0",
        f"I(Z;{everything}|X) = 0",
    ]
    model += [f"I({a};{','.join(augmentations[:k])}) = 0" for k, a in enumerate(augmentations) if k]
    return tuple(model)


_MODEL = causal_model()

_MODELS = {
    "single": _MODEL,
    "fine": causal_model(("Afine",), derived=("A",)) + ("H(A|Afine) = 0",),
    "multi": causal_model(("A1", "A2")),
}

STATEMENTS: dict[str, StatementSpec] = {
    entry.key: StatementSpec(
        entry.text(),
        entry.hypotheses_text(),
        entry.description,
        _MODELS[entry.family] + entry.beyond_model_text() if entry.family else (),
    )
    for entry in CATALOGUE.values()
    if entry.shannon
}
"""The catalogue's statements that Shannon-type inequalities decide (:data:`theory.statements.STATEMENTS`)."""


def _without_hypotheses(key: str, description: str) -> StatementSpec:
    """The catalogue's statement ``key`` with none of its hypotheses."""
    return StatementSpec(CATALOGUE[key].text(), (), description)


BROKEN: dict[str, StatementSpec] = {
    "t1_identity_without_independence": _without_hypotheses(
        "t1_identity", "T1 identity without A independent of C: off by I(A;C)."
    ),
    "t1_upper_bound_without_independence": _without_hypotheses(
        "t1_upper_bound", "T1 upper bound without independence: fails for A = C = Z."
    ),
    "t1_upper_bound_reversed": StatementSpec(
        "I(A;Z) >= I(A;Z|C)",
        ("I(A;C) = 0",),
        "Reversed T1 bound: explaining-away makes I(A;Z|C) exceed I(A;Z) (Z = A xor C).",
    ),
    "principle1_cap_reversed": StatementSpec(
        "I(A;C|Z) >= H(A|Z)",
        (),
        "Reversed Principle I cap: false whenever A is uncertain given Z and independent of C.",
    ),
    "principle2_bound_without_independence": _without_hypotheses(
        "principle2_bound", "Principle II bound without independence: fails for A = C and a constant Z."
    ),
    "principle3_identity_without_independence": _without_hypotheses(
        "principle3_identity", "Principle III identity without A independent of (C,S): off by I(A;C,S)."
    ),
    "t2_without_coarsening": _without_hypotheses(
        "t2_explaining_away", "T2 without A being a function of Afine: unrelated variables, no order."
    ),
    "t3_single_vs_joint": StatementSpec(
        "I(A1;C|Z) >= I(A1,A2;C|Z)",
        (),
        "Reversed T3: the single task can have less explaining-away than the joint one.",
    ),
    "explaining_away_vanishes_in_causal_model": StatementSpec(
        CATALOGUE["principle1_no_explaining_away"].text(),
        _MODEL,
        "The causal model does not make the explaining-away term vanish: A and C become "
        "dependent given the collider's descendant Z.",
    ),
}


def prove_statement(name: str, causal: bool = False) -> ProofResult:
    """Prove STATEMENTS[name] (or BROKEN[name]) under its own constraints, or under the full
    causal model with ``causal=True`` (variables then listed in causal order).

    >>> prove_statement("t1_identity_without_independence").proved
    False
    """
    spec = STATEMENTS.get(name) or BROKEN.get(name)
    if spec is None:
        known = ", ".join(sorted(STATEMENTS) + sorted(BROKEN))
        raise UnknownStatement(f"unknown statement {name!r}; known: {known}")
    if not causal:
        return prove(spec.statement, spec.constraints)
    if not spec.causal_model:
        raise UnknownStatement(f"statement {name!r} has no causal-model version")
    order = ("C", "S", "Abar", "Xbar", "Afine", "A1", "A2", "A", "X", "Z")
    names = set().union(*(parse_relation(r).variables for r in (spec.statement, *spec.causal_model)))
    variables = tuple(sorted(names, key=lambda v: (order.index(v) if v in order else len(order), v)))
    return prove(spec.statement, spec.causal_model, variables=variables)
