"""The field's notation for statements and constraints, read into relations.

``parse_statements(text)`` returns the relations a statement means:

==============================  ==========================================================
written                         means
==============================  ==========================================================
``X -> Y -> Z`` (``→``, ITIP    a Markov chain, any length: for every middle group Y_i,
``X/Y/Z``)                      I(before; after | Y_i) = 0
``X _|_ Y | Z`` (``⊥``, ITIP    conditional independence: I(X;Y|Z) = 0
``X.Y|Z``)
``Y = f(X)`` (ITIP ``X:Y``)     functional dependence: H(Y|X) = 0
``0 <= I(X;Y) <= H(X)``         a chained comparison: two relations
anything else                   one relation, :func:`~proofs_check.prover.expressions.parse_relation`
==============================  ==========================================================

Groups are comma lists (``X,Y -> Z -> W``). Co-information ``I(X;Y;Z)`` and primed names
(``X'``) are part of the expression grammar.

>>> [str(r) for r in parse_statements("X -> Y -> Z")]
['I(X;Z|Y) = 0']
>>> [str(r) for r in parse_statements("0 <= I(X;Y) <= H(X)")]
['0 <= I(X;Y)', 'I(X;Y) <= H(X)']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .expressions import (
    ExpressionSyntaxError,
    InfoExpression,
    InfoRelation,
    ProverInputError,
    entropy,
    mutual_information,
    parse_relation,
)

__all__ = ["check_concatenation", "itip_joints", "parse_statements"]

_NAME = r"[A-Za-z_][A-Za-z0-9_]*'*"
_GROUP = rf"\s*{_NAME}(?:\s*,\s*{_NAME})*\s*"
_CHAIN = re.compile(rf"^{_GROUP}(?:(?:->|→){_GROUP}){{2,}}$")
_ITIP_CHAIN = re.compile(rf"^{_GROUP}(?:/{_GROUP}){{2,}}$")
_INDEPENDENT = re.compile(rf"^(?P<x>{_GROUP})(?:_\|_|⊥⊥|⊥)(?P<y>{_GROUP})(?:\|(?P<z>{_GROUP}))?$")
_ITIP_INDEPENDENT = re.compile(rf"^(?P<x>{_GROUP})\.(?P<y>{_GROUP})(?:\|(?P<z>{_GROUP}))?$")
_FUNCTION = re.compile(rf"^(?P<y>{_GROUP})=\s*[A-Za-z_]\w*\s*\((?P<x>{_GROUP})\)\s*$")
_ITIP_FUNCTION = re.compile(rf"^(?P<x>{_GROUP}):(?P<y>{_GROUP})$")
_COMPARISON = re.compile(r"(>=|<=|==|≥|≤|(?<![<>=])=(?!=))")


def _names(group: str | None) -> list[str]:
    return [n.strip() for n in group.split(",")] if group else []


def _zero(kind: str, first: list[str], second: list[str], given: Sequence[str] = ()) -> InfoRelation:
    """``I(first;second|given) = 0`` or ``H(first|second) = 0``, with that text."""
    bar = f"|{','.join(given)}" if given else ""
    if kind == "I":
        expression, text = mutual_information(first, second, given), f"I({','.join(first)};{','.join(second)}{bar}) = 0"
    else:
        expression, text = entropy(first, second), f"H({','.join(first)}|{','.join(second)}) = 0"
    return InfoRelation(expression, "=", InfoExpression(), text)


def _chain(groups: list[list[str]]) -> list[InfoRelation]:
    return [
        _zero("I", [n for g in groups[:i] for n in g], [n for g in groups[i + 1 :] for n in g], groups[i])
        for i in range(1, len(groups) - 1)
    ]


def parse_statements(text: str) -> list[InfoRelation]:
    """The relations ``text`` means (see the module's table); a syntax error names its position."""
    if not isinstance(text, str):
        raise ExpressionSyntaxError(f"expected a string, got {type(text).__name__}", "", 0)
    stripped = text.strip()
    if _CHAIN.match(stripped):
        return _chain([_names(g) for g in re.split(r"->|→", stripped)])
    if _ITIP_CHAIN.match(stripped):
        return _chain([_names(g) for g in stripped.split("/")])
    for pattern in (_INDEPENDENT, _ITIP_INDEPENDENT):
        m = pattern.match(stripped)
        if m:
            return [_zero("I", _names(m["x"]), _names(m["y"]), _names(m["z"]))]
    for pattern in (_FUNCTION, _ITIP_FUNCTION):
        m = pattern.match(stripped)
        if m:
            return [_zero("H", _names(m["y"]), _names(m["x"]))]
    parts = _COMPARISON.split(stripped)
    if len(parts) > 3:  # a chained comparison: a <= b <= c
        terms, ops = parts[0::2], parts[1::2]
        return [parse_relation(f"{terms[i].strip()} {ops[i]} {terms[i + 1].strip()}") for i in range(len(ops))]
    return [parse_relation(text)]  # the user's own text, so that an error's position points into it


def itip_joints(text: str) -> str:
    """ITIP's concatenation read as joints: every all-letter name of two or more letters in a
    variable list becomes its letters (``H(XY|Z)`` -> ``H(X,Y|Z)``; ``XY.Z`` -> ``X,Y.Z``).

    >>> itip_joints("H(XY) <= H(X) + H(Y)")
    'H(X,Y) <= H(X) + H(Y)'
    """

    def split(m: re.Match) -> str:
        name = m.group(0)
        return ",".join(name) if name.isalpha() and len(name) > 1 else name

    def in_lists(m: re.Match) -> str:
        return m.group(1) + re.sub(r"[A-Za-z_][A-Za-z0-9_]*", split, m.group(2)) + ")"

    if re.search(r"[HI]\(", text):
        return re.sub(r"([HI]\()([^()]*)\)", in_lists, text)
    return re.sub(r"[A-Za-z_][A-Za-z0-9_]*", split, text)  # a bare constraint: X.Y|Z, XY:Z, X/Y/Z


def check_concatenation(names: tuple[str, ...] | list[str]) -> None:
    """Refuse a statement where a multi-letter name is spelled from single-letter names that
    are variables of the same statement (``H(XY)`` next to ``H(X)``): say both readings."""
    single = {n for n in names if len(n) == 1}
    for name in names:
        if len(name) > 1 and name.isalpha() and set(name) <= single:
            letters = ",".join(name)
            raise ProverInputError(
                f"{name!r} is read as one new variable, but {', '.join(name)} are variables of this statement too: "
                f"for their joint write {letters} (H({letters}) rather than H({name})), or pass --itip "
                f"(itip=True) to read concatenated letters as joints; rename {name!r} if it is really one variable"
            )
