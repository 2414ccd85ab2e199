"""The catalogue of the paper's statements, written once: the numeric checks of
:mod:`theory.essl` and the prover's :data:`proofs_check.prover.statements.STATEMENTS` both read
their relations and hypotheses from here.

A :class:`Statement` is a relation template over the paper's variable names in braces, the
hypotheses it needs, a description, and ``family``: the causal model its variables live in
(``"single"``: C, S, A, Z; ``"fine"``: a coarse A = g(Afine); ``"multi"``: two augmentations
A1, A2; ``None`` for a statement the causal model does not cover). ``beyond_model`` lists the
hypotheses the causal model does not imply (the prover adds them to the model's constraints);
``shannon`` is False for a statement that no Shannon-type inequality proves (it rests on a
property of a posterior or is a property of a world, not a theorem).

>>> STATEMENTS["t1_identity"].text()
'I(A;Z) = I(A;Z|C) - I(A;C|Z)'
>>> STATEMENTS["t1_identity"].text(Z="X"), STATEMENTS["t1_identity"].hypotheses_text(Z="X")
('I(A;X) = I(A;X|C) - I(A;C|X)', ('I(A;C) = 0',))
>>> STATEMENTS["principle1_cap"].op
'<='
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from string import Formatter

__all__ = ["STATEMENTS", "Statement", "statement"]

_OPS = (" >= ", " <= ", " = ", " > ")


@dataclass(frozen=True)
class Statement:
    """One of the paper's relations: ``relation`` and ``hypotheses`` are templates whose fields
    (``{A}``, ``{Z}``, ...) are variable names, each defaulting to itself."""

    key: str
    relation: str
    hypotheses: tuple[str, ...]
    description: str
    family: str | None = "single"
    beyond_model: tuple[str, ...] = ()
    shannon: bool = True

    @cached_property  # read on every numeric check: parse the templates once
    def variables(self) -> tuple[str, ...]:
        """The template's fields, in order of first appearance."""
        fields = [f for text in (self.relation, *self.hypotheses) for _, f, _, _ in Formatter().parse(text) if f]
        return tuple(dict.fromkeys(fields))

    @property
    def op(self) -> str:
        """The relation's comparison: ``=``, ``<=``, ``>=`` or ``>``."""
        return next(op.strip() for op in _OPS if op in self.relation)

    def _fill(self, template: str, names: dict[str, str]) -> str:
        unknown = set(names) - set(self.variables)
        if unknown:
            raise KeyError(f"statement {self.key!r} has no variable {sorted(unknown)}; it has {list(self.variables)}")
        return template.format(**{v: names.get(v, v) for v in self.variables})

    def text(self, **names: str) -> str:
        """The relation with the variables renamed (``Z="X"``); groups as ``"C,S"``."""
        return self._fill(self.relation, names)

    def hypotheses_text(self, **names: str) -> tuple[str, ...]:
        return tuple(self._fill(h, names) for h in self.hypotheses)

    def beyond_model_text(self, **names: str) -> tuple[str, ...]:
        return tuple(self._fill(h, names) for h in self.beyond_model)


def statement(key: str) -> Statement:
    """``STATEMENTS[key]``, with a message that lists the keys when it is missing."""
    try:
        return STATEMENTS[key]
    except KeyError:
        raise KeyError(f"no statement {key!r} in the catalogue; known: {', '.join(STATEMENTS)}") from None


_INDEPENDENT = "I({A};{C}) = 0"
_COARSENING = "H({A}|{Afine}) = 0"
_ENTRIES = (
    Statement(
        "t1_identity",
        "I({A};{Z}) = I({A};{Z}|{C}) - I({A};{C}|{Z})",
        (_INDEPENDENT,),
        "T1: the E-SSL objective is the class-conditional information minus the "
        "explaining-away term, when A is independent of C.",
    ),
    Statement(
        "t1_lower_bound",
        "I({A};{Z}) >= I({A};{Z}|{C}) - H({C}|{Z})",
        (),
        "T1 floor: more class information in Z (smaller H(C|Z)) raises the floor of I(A;Z). "
        "Needs no independence: I(A;Z) - I(A;Z|C) = I(A;C) - I(A;C|Z) >= -H(C|Z).",
    ),
    Statement(
        "t1_upper_bound",
        "I({A};{Z}) <= I({A};{Z}|{C})",
        (_INDEPENDENT,),
        "T1 ceiling: with A independent of C, explaining-away only lowers I(A;Z) below I(A;Z|C).",
    ),
    Statement(
        "principle1_cap",
        "I({A};{C}|{Z}) <= H({A}|{Z})",
        (),
        "Principle I: the explaining-away term is capped by the uncertainty left about A.",
    ),
    Statement(
        "principle1_saturation",
        "I({A};{Z}) = H({A})",
        ("H({A}|{Z}) = 0",),
        "Principle I: a representation that determines A already reaches I(A;Z) = H(A).",
        beyond_model=("H({A}|{Z}) = 0",),
    ),
    Statement(
        "principle1_no_explaining_away",
        "I({A};{C}|{Z}) = 0",
        ("H({A}|{Z}) = 0",),
        "Principle I: once Z determines A, nothing is left for the class to explain away.",
        beyond_model=("H({A}|{Z}) = 0",),
    ),
    Statement(
        "principle2_class_relevant",
        "I({A};{C}|{Z}) > 0",
        (),
        "Principle II: the transformation is class-relevant for the view Z (a property of a world "
        "and a view, not a theorem).",
        shannon=False,
    ),
    Statement(
        "principle2_synergy",
        "I({A};{Z}|{C}) - I({A};{Z}) = I({A};{C}|{Z})",
        (_INDEPENDENT,),
        "Principle II: under A independent of C, the gain from knowing the class, I(A;Z|C) - I(A;Z), "
        "is the explaining-away term.",
    ),
    Statement(
        "principle2_bound",
        "I({A};{C}|{Z}) <= I({Z};{C}|{A})",
        (_INDEPENDENT,),
        "Principle II: explaining-away through Z needs Z's response to A to depend on the class "
        "(I(Z;C|A) > 0); from I(A,Z;C) = I(Z;C|A) = I(Z;C) + I(A;C|Z) when A is independent of C.",
    ),
    Statement(
        "principle2_no_synergy",
        "I({A};{Z}) = I({A};{Z}|{C})",
        (_INDEPENDENT, "I({Z};{C}|{A}) = 0"),
        "Principle II: if the visible effect of A in Z is the same for every class, there is no "
        "synergy: I(A;Z) equals its class-conditional value.",
        beyond_model=("I({Z};{C}|{A}) = 0",),
    ),
    Statement(
        "principle3_identity",
        "I({A};{Z}) = I({A};{Z}|{C},{S}) - I({A};{C},{S}|{Z})",
        ("I({A};{C},{S}) = 0",),
        "Principle III: style S can explain A away in place of the class (T1 with (C,S)).",
    ),
    Statement(
        "principle3_upper_bound",
        "I({A};{Z}) <= I({A};{Z}|{C},{S})",
        ("I({A};{C},{S}) = 0",),
        "Principle III: explaining-away by class or style only lowers I(A;Z).",
    ),
    Statement(
        "principle3_split",
        "I({A};{C},{S}|{Z}) = I({A};{C}|{Z}) + I({A};{S}|{Z},{C})",
        (),
        "Principle III: the explaining-away term splits into the class part and the style part.",
    ),
    Statement(
        "t2_explaining_away",
        "I({Afine};{C}|{Z}) >= I({A};{C}|{Z})",
        (_COARSENING,),
        "T2: a finer augmentation Afine (A a function of it) has at least the explaining-away of A.",
        family="fine",
    ),
    Statement(
        "t2_harder_to_saturate",
        "H({Afine}|{Z}) >= H({A}|{Z})",
        (_COARSENING,),
        "T2: the finer target leaves at least as much uncertainty to resolve.",
        family="fine",
    ),
    Statement(
        "t2_chain_rule",
        "I({Afine};{C}|{Z}) = I({A};{C}|{Z}) + I({Afine};{C}|{Z},{A})",
        (_COARSENING,),
        "T2: the chain rule splitting the fine explaining-away into the coarse part and the rest.",
        family="fine",
    ),
    Statement(
        "t3_joint_vs_first",
        "I({A1},{A2};{C}|{Z}) >= I({A1};{C}|{Z})",
        (),
        "T3: joint prediction of (A1, A2) has at least the explaining-away of A1 alone.",
        family="multi",
    ),
    Statement(
        "t3_joint_vs_second",
        "I({A1},{A2};{C}|{Z}) >= I({A2};{C}|{Z})",
        (),
        "T3: joint prediction of (A1, A2) has at least the explaining-away of A2 alone.",
        family="multi",
    ),
    Statement(
        "t3_chain_rule",
        "I({A1},{A2};{Z}) = I({A1};{Z}) + I({A2};{Z}|{A1})",
        (),
        "T3: the joint objective splits into the first task and the second given the first.",
        family="multi",
    ),
    Statement(
        "needed_class_optimal_code",
        "I({C};{Z}) >= I({C};{T})",
        ("I({A};{Z}) = I({A};{X})", "I({A},{C};{Z}|{X}) = 0"),
        "A code of X optimal for A determines the posterior T = p(A|X), so it carries at least "
        "I(C;T) bits about the class (T's definition is not a Shannon-type constraint).",
        family=None,
        shannon=False,
    ),
    Statement(
        "needed_class_sufficiency",
        "I({A};{T}) = I({A};{X})",
        (),
        "The posterior T = p(A|X) is sufficient for A (not a Shannon-type consequence).",
        family=None,
        shannon=False,
    ),
    Statement(
        "needed_class_processing",
        "I({C};{T}) <= I({C};{X})",
        ("H({T}|{X}) = 0",),
        "T = p(A|X) is a function of X, so it carries no more about the class than X.",
        beyond_model=("H({T}|{X}) = 0",),
    ),
)

STATEMENTS: dict[str, Statement] = {s.key: s for s in _ENTRIES}
"""Every statement, by key, in the paper's order."""
