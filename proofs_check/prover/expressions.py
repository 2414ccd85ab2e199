"""Information expressions: exact linear combinations of joint entropies, and their parser.

An :class:`InfoExpression` maps sets of variable names to exact rational coefficients of
the joint entropies H(set). Mutual informations and conditional entropies expand into this
canonical form, so two expressions are equal exactly when they are the same linear
combination of joint entropies:

>>> e = parse_expression("I(A;Z) - I(A;Z|C) + I(A;C|Z)")
>>> print(e)
H(A) + H(C) - H(A,C)
>>> e == parse_expression("I(A;C)")
True
>>> parse_relation("1/2 H(A|B) <= H(A,B)").normalized()
(InfoExpression('1/2 H(B) + 1/2 H(A,B)'), '>=')

Relations (``>=``, ``<=``, ``=``) are :class:`InfoRelation` objects; ``normalized()`` moves
every term to the left, giving ``E >= 0`` or ``E = 0``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from numbers import Rational
from types import MappingProxyType
from typing import Any, TypeVar

from ..errors import ProofsCheckError

__all__ = [
    "ExpressionSyntaxError",
    "InfoExpressionError",
    "InfoExpressionTypeError",
    "InfoExpression",
    "InfoRelation",
    "ProverInputError",
    "co_information",
    "entropy",
    "mutual_information",
    "natural_key",
    "parse_expression",
    "parse_relation",
]

Scalar = int | Fraction
Names = str | Iterable[str]
Value = TypeVar("Value")

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*'*\Z")  # primes for copy-lemma statements: X', Z1''


class InfoExpressionError(ProofsCheckError):
    """An expression built through the Python API with a bad name, term or operator."""


class InfoExpressionTypeError(InfoExpressionError, TypeError):
    """An operand of the wrong type (a non-string to parse, a float coefficient, a product)."""


class ProverInputError(ProofsCheckError):
    """A statement, constraint or variable list the prover cannot use."""


class ExpressionSyntaxError(ProofsCheckError):
    """A malformed information expression; ``position`` is the 0-based offending column."""

    def __init__(self, message: str, text: str, position: int) -> None:
        self.message = message
        self.text = text
        self.position = position
        super().__init__(f"{message} at position {position}:\n  {text}\n  {' ' * position}^")


def natural_key(name: str) -> tuple:
    """Sort key that orders ``A2`` before ``A10`` (digit runs compare as numbers)."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", name) if part)


def _subset_key(subset: frozenset[str]) -> tuple:
    return (len(subset), sorted(natural_key(n) for n in subset))


def _as_exact(value: object, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, Rational):
        raise InfoExpressionTypeError(f"{what} must be exact (int or Fraction), got {type(value).__name__} {value!r}")
    return Fraction(value)


def _format_number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


class InfoExpression:
    """An immutable linear combination ``sum c_S H(S)`` of joint entropies, exact coefficients.

    Keys are non-empty frozensets of variable names, values non-zero Fractions (zeros are
    dropped because they contribute nothing). Supports ``+``, ``-``, multiplication and
    division by exact scalars, equality and hashing.

    >>> H_ab = InfoExpression({frozenset({"A", "B"}): 1})
    >>> print(2 * H_ab - entropy("A") - entropy("B"))
    -H(A) - H(B) + 2 H(A,B)
    """

    __slots__ = ("_terms", "_hash")

    def __init__(self, terms: Mapping[frozenset[str], Scalar] | None = None) -> None:
        clean: dict[frozenset[str], Fraction] = {}
        for subset, coefficient in (terms or {}).items():
            if not isinstance(subset, frozenset):
                raise InfoExpressionTypeError(f"keys must be frozensets of variable names, got {subset!r}")
            if not subset:
                raise InfoExpressionError("the empty set has no entropy term (H of nothing is 0); drop it")
            for name in subset:
                if not isinstance(name, str) or not _NAME.match(name):
                    raise InfoExpressionError(f"invalid variable name {name!r}: use an identifier like A, Xbar, A1")
            value = _as_exact(coefficient, f"coefficient of H({','.join(sorted(subset))})")
            if value:
                clean[subset] = value
        self._terms = MappingProxyType(clean)
        self._hash = hash(frozenset(clean.items()))

    @classmethod
    def _trusted(cls, terms: dict[frozenset[str], Fraction]) -> InfoExpression:
        new = cls.__new__(cls)
        new._terms = MappingProxyType({k: v for k, v in terms.items() if v})
        new._hash = hash(frozenset(new._terms.items()))
        return new

    @property
    def terms(self) -> Mapping[frozenset[str], Fraction]:
        """Read-only mapping subset -> non-zero coefficient."""
        return self._terms

    @property
    def variables(self) -> frozenset[str]:
        """Every variable name that occurs in some term."""
        return frozenset().union(*self._terms) if self._terms else frozenset()

    def coefficient(self, names: Names) -> Fraction:
        """Coefficient of H(names) (0 when absent)."""
        return self._terms.get(_name_set(names), Fraction(0))

    def is_zero(self) -> bool:
        return not self._terms

    def evaluate(self, entropy_of: Callable[[frozenset[str]], Value]) -> Value:
        """``sum c_S * entropy_of(S)``; floats give floats, Fractions give exact Fractions.

        >>> h = {frozenset("A"): 1.0, frozenset("B"): 1.0, frozenset("AB"): 1.5}
        >>> parse_expression("I(A;B)").evaluate(h.__getitem__)
        0.5
        """
        total: Any = 0
        for subset, coefficient in self._terms.items():
            value: Any = entropy_of(subset)
            total = total + (float(coefficient) * value if isinstance(value, float) else coefficient * value)
        return total

    def __add__(self, other: object) -> InfoExpression:
        if not isinstance(other, InfoExpression):
            return NotImplemented
        out = dict(self._terms)
        for subset, coefficient in other._terms.items():
            out[subset] = out.get(subset, Fraction(0)) + coefficient
        return InfoExpression._trusted(out)

    def __neg__(self) -> InfoExpression:
        return InfoExpression._trusted({k: -v for k, v in self._terms.items()})

    def __sub__(self, other: object) -> InfoExpression:
        if not isinstance(other, InfoExpression):
            return NotImplemented
        return self + (-other)

    def __mul__(self, scalar: object) -> InfoExpression:
        if isinstance(scalar, InfoExpression):
            raise InfoExpressionTypeError("the product of two information expressions is not linear")
        factor = _as_exact(scalar, "scalar")
        return InfoExpression._trusted({k: v * factor for k, v in self._terms.items()})

    __rmul__ = __mul__

    def __truediv__(self, scalar: object) -> InfoExpression:
        divisor = _as_exact(scalar, "divisor")
        if not divisor:
            raise ZeroDivisionError("division of an information expression by zero")
        return self * (1 / divisor)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, InfoExpression):
            return self._terms == other._terms
        if isinstance(other, int) and other == 0:
            return self.is_zero()
        return NotImplemented

    def __hash__(self) -> int:
        return self._hash

    def __str__(self) -> str:
        if not self._terms:
            return "0"
        parts: list[str] = []
        for subset in sorted(self._terms, key=_subset_key):
            coefficient = self._terms[subset]
            magnitude = abs(coefficient)
            factor = "" if magnitude == 1 else _format_number(magnitude) + " "
            term = f"{factor}H({','.join(sorted(subset, key=natural_key))})"
            if not parts:
                parts.append(term if coefficient > 0 else "-" + term)
            else:
                parts.append(("+ " if coefficient > 0 else "- ") + term)
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"InfoExpression({str(self)!r})"


def _name_set(names: Names) -> frozenset[str]:
    result = frozenset([names]) if isinstance(names, str) else frozenset(names)
    for name in result:
        if not isinstance(name, str) or not _NAME.match(name):
            raise InfoExpressionError(f"invalid variable name {name!r}: use an identifier like A, Xbar, A1")
    return result


def _joint_entropy(subset: frozenset[str]) -> InfoExpression:
    # H of the empty set is 0, so it contributes no term.
    return InfoExpression._trusted({subset: Fraction(1)} if subset else {})


def entropy(x: Names, given: Names = ()) -> InfoExpression:
    """H(x | given) = H(x, given) - H(given). ``x`` and ``given`` are a name or names.

    >>> print(entropy(["A", "C"], given="Z"))
    -H(Z) + H(A,C,Z)
    """
    xs, gs = _name_set(x), _name_set(given)
    if not xs:
        raise InfoExpressionError("H() needs at least one variable")
    return _joint_entropy(xs | gs) - _joint_entropy(gs)


def mutual_information(x: Names, y: Names, given: Names = ()) -> InfoExpression:
    """I(x; y | given) = H(x,given) + H(y,given) - H(x,y,given) - H(given).

    >>> print(mutual_information("A", "A"))
    H(A)
    """
    xs, ys, gs = _name_set(x), _name_set(y), _name_set(given)
    if not xs or not ys:
        raise InfoExpressionError("I(x;y) needs at least one variable on each side")
    return _joint_entropy(xs | gs) + _joint_entropy(ys | gs) - _joint_entropy(xs | ys | gs) - _joint_entropy(gs)


_OPERATORS = {">=": ">=", "≥": ">=", "<=": "<=", "≤": "<=", "=": "=", "==": "="}


def co_information(groups: Iterable[Names], given: Names = ()) -> InfoExpression:
    """I(X1;...;Xn|Z) with McGill's sign, as in :func:`theory.co_information`:
    I(X1;...;Xn|Z) = I(X1;...;Xn-1|Z) - I(X1;...;Xn-1|Z,Xn); two groups give I(X1;X2|Z).

    >>> print(parse_expression("I(X;Y;Z)") - (parse_expression("I(X;Y)") - parse_expression("I(X;Y|Z)")))
    0
    """
    sets = [_name_set(g) for g in groups]
    if len(sets) < 2:
        raise InfoExpressionError("I() needs at least two variable lists")
    condition = _name_set(given)
    if len(sets) == 2:
        return mutual_information(sets[0], sets[1], condition)
    *rest, last = sets
    return co_information(rest, condition) - co_information(rest, condition | last)


@dataclass(frozen=True)
class InfoRelation:
    """``lhs op rhs`` with ``op`` one of ``">="``, ``"<="``, ``"="``; ``text`` is the source.

    >>> r = parse_relation("I(A;Z) <= I(A;Z|C)")
    >>> r.kind, str(r.expression)
    ('>=', '-H(A) - H(C) - H(Z) + H(A,C) + H(A,Z) + H(C,Z) - H(A,C,Z)')
    """

    lhs: InfoExpression
    op: str
    rhs: InfoExpression
    text: str | None = None

    def __post_init__(self) -> None:
        if self.op not in (">=", "<=", "="):
            raise InfoExpressionError(f"relation operator must be '>=', '<=' or '=', got {self.op!r}")

    def normalized(self) -> tuple[InfoExpression, str]:
        """``(E, ">=")`` meaning E >= 0, or ``(E, "=")`` meaning E = 0 (``a <= b`` gives b - a)."""
        if self.op == "<=":
            return self.rhs - self.lhs, ">="
        return self.lhs - self.rhs, self.op

    @property
    def expression(self) -> InfoExpression:
        """The normalized left side E (``E >= 0`` or ``E = 0``)."""
        return self.normalized()[0]

    @property
    def kind(self) -> str:
        """``">="`` for inequalities, ``"="`` for identities."""
        return self.normalized()[1]

    @property
    def variables(self) -> frozenset[str]:
        return self.lhs.variables | self.rhs.variables

    def ordered_variables(self) -> tuple[str, ...]:
        """Variable names in order of first appearance in ``text`` (natural order without text).

        Names whose terms cancel (``H(A|A)``) still count: they were written.

        >>> parse_relation("I(Z;A|C) >= 0").ordered_variables()
        ('Z', 'A', 'C')
        """
        if self.text is None:
            return tuple(sorted(self.variables, key=natural_key))
        tokens = _tokenize(self.text)
        seen: dict[str, None] = {}
        for token, after in zip(tokens, tokens[1:]):
            if token.kind == "name" and after.text != "(":
                seen.setdefault(token.text, None)
        return tuple(seen)

    def slack(self, entropy_of: Callable[[frozenset[str]], Value]) -> Value:
        """E evaluated on a distribution: >= 0 (inequality) or 0 (identity) when it holds."""
        return self.expression.evaluate(entropy_of)

    def holds_on(self, entropy_of: Callable[[frozenset[str]], float], tol: float = 1e-9) -> bool:
        """Whether the relation holds numerically, up to ``tol``."""
        value = float(self.slack(entropy_of))
        return abs(value) <= tol if self.kind == "=" else value >= -tol

    def __str__(self) -> str:
        return self.text if self.text is not None else f"{self.lhs} {self.op} {self.rhs}"


# ---------------------------------------------------------------- parser

_TOKEN = re.compile(
    r"(?P<ws>\s+)"
    r"|(?P<number>\d+(?:\.\d*)?|\.\d+)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*'*)"
    r"|(?P<op>>=|<=|==|[≥≤=;|,()*/+\-−])"
)


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op", "end"
    text: str
    pos: int


def _tokenize(text: str) -> list[_Token]:
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ExpressionSyntaxError(f"unexpected character {text[pos]!r}", text, pos)
        kind = match.lastgroup or ""
        if kind != "ws":
            value = "-" if match.group() == "−" else match.group()
            tokens.append(_Token(kind, value, pos))
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


_Parsed = Fraction | InfoExpression


class _Parser:
    """Recursive descent: sum := term (('+'|'-') term)*; term := unary (('*'|'/'|juxtaposition) unary)*;
    unary := ('+'|'-') unary | atom; atom := number | H(...) | I(...) | '(' sum ')'."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0

    @property
    def peek(self) -> _Token:
        return self.tokens[self.index]

    def error(self, message: str, token: _Token | None = None) -> ExpressionSyntaxError:
        token = token or self.peek
        return ExpressionSyntaxError(message, self.text, token.pos)

    def take(self, text: str, message: str | None = None) -> _Token:
        token = self.peek
        if token.text != text or token.kind not in ("op", "name"):
            found = "end of input" if token.kind == "end" else repr(token.text)
            raise self.error(message or f"expected {text!r}, found {found}")
        self.index += 1
        return token

    def sum(self) -> _Parsed:
        start = self.peek
        value = self.term()
        while self.peek.kind == "op" and self.peek.text in "+-":
            sign = self.tokens[self.index].text
            self.index += 1
            right_token = self.peek
            right = self.term()
            value = self.add(value, right if sign == "+" else -right, start, right_token)
        return value

    def add(self, left: _Parsed, right: _Parsed, left_token: _Token, right_token: _Token) -> _Parsed:
        if isinstance(left, Fraction) and isinstance(right, Fraction):
            return left + right
        for value, token in ((left, left_token), (right, right_token)):
            if isinstance(value, Fraction) and value != 0:
                raise self.error(
                    "constant term in an information expression (they are homogeneous; only 0 may stand alone)",
                    token,
                )
        left_expr = left if isinstance(left, InfoExpression) else InfoExpression()
        right_expr = right if isinstance(right, InfoExpression) else InfoExpression()
        return left_expr + right_expr

    def term(self) -> _Parsed:
        value = self.unary()
        while True:
            token = self.peek
            if token.kind == "op" and token.text in "*/":
                self.index += 1
                right_token = self.peek
                right = self.unary()
                value = self.multiply(value, right, right_token, divide=token.text == "/")
            elif token.kind == "name" or (token.kind == "op" and token.text == "("):
                if not isinstance(value, Fraction):
                    raise self.error("expected an operator between two terms", token)
                value = self.multiply(value, self.unary(), token, divide=False)
            else:
                return value

    def multiply(self, left: _Parsed, right: _Parsed, right_token: _Token, divide: bool) -> _Parsed:
        if divide:
            if not isinstance(right, Fraction):
                raise self.error("can only divide by a number", right_token)
            if right == 0:
                raise self.error("division by zero", right_token)
            return left / right
        if isinstance(left, InfoExpression) and isinstance(right, InfoExpression):
            raise self.error("product of two information quantities is not linear", right_token)
        return left * right

    def unary(self) -> _Parsed:
        token = self.peek
        if token.kind == "op" and token.text in "+-":
            self.index += 1
            value = self.unary()
            return -value if token.text == "-" else value
        return self.atom()

    def atom(self) -> _Parsed:
        token = self.peek
        if token.kind == "number":
            self.index += 1
            return Fraction(token.text)
        if token.kind == "op" and token.text == "(":
            self.index += 1
            value = self.sum()
            self.take(")")
            return value
        if token.kind == "name":
            if token.text in ("H", "I") and self.tokens[self.index + 1].text == "(":
                self.index += 2
                value = self.entropy_call() if token.text == "H" else self.information_call()
                self.take(")", "expected ')' to close " + token.text + "(")
                return value
            if token.text in ("H", "I"):
                raise self.error(f"expected '(' after {token.text}", self.tokens[self.index + 1])
            raise self.error(f"bare name {token.text!r}: write H({token.text}) or I({token.text};...)", token)
        found = "end of input" if token.kind == "end" else repr(token.text)
        raise self.error(f"expected a number, H(...), I(...) or '(', found {found}")

    def names(self) -> frozenset[str]:
        names = []
        while True:
            token = self.peek
            if token.kind != "name":
                found = "end of input" if token.kind == "end" else repr(token.text)
                raise self.error(f"expected a variable name, found {found}")
            names.append(token.text)
            self.index += 1
            if self.peek.text != ",":
                return frozenset(names)
            self.index += 1

    def conditioning(self) -> frozenset[str]:
        if self.peek.text == "|":
            self.index += 1
            return self.names()
        return frozenset()

    def entropy_call(self) -> InfoExpression:
        xs = self.names()
        if self.peek.text == ";":
            raise self.error("H() takes one variable list; use I(X;Y) for mutual information")
        return entropy(xs, self.conditioning())

    def information_call(self) -> InfoExpression:
        groups = [self.names()]
        self.take(";", "I() needs two variable lists separated by ';'")
        groups.append(self.names())
        while self.peek.text == ";":
            self.index += 1
            groups.append(self.names())
        return co_information(groups, self.conditioning())

    def finish(self) -> None:
        token = self.peek
        if token.kind != "end":
            raise self.error(f"unexpected {token.text!r}")


def _as_expression(value: _Parsed, parser: _Parser, token: _Token) -> InfoExpression:
    if isinstance(value, InfoExpression):
        return value
    if value != 0:
        raise parser.error("a nonzero number is not an information expression", token)
    return InfoExpression()


@lru_cache(maxsize=1024)
def parse_expression(text: str) -> InfoExpression:
    """Parse ``"I(A;Z) - 2*H(A,C|Z) + 1/2 I(A1,A2;C|Z)"`` into an :class:`InfoExpression`.

    Raises :class:`ExpressionSyntaxError` (with the position) on malformed input.

    >>> print(parse_expression("H(A|Z)"))
    -H(Z) + H(A,Z)
    """
    if not isinstance(text, str):
        raise InfoExpressionTypeError(f"expected a string, got {type(text).__name__}")
    parser = _Parser(text)
    start = parser.peek
    value = parser.sum()
    token = parser.peek
    if token.kind == "op" and token.text in _OPERATORS:
        raise parser.error("a relation is not an expression; use parse_relation", token)
    parser.finish()
    return _as_expression(value, parser, start)


@lru_cache(maxsize=1024)
def parse_relation(text: str) -> InfoRelation:
    """Parse ``"LHS >= RHS"``, ``"LHS <= RHS"`` or ``"LHS = RHS"`` (``==``, ``≥``, ``≤`` too).

    >>> r = parse_relation("I(A;C) = 0")
    >>> r.kind, str(r.expression)
    ('=', 'H(A) + H(C) - H(A,C)')
    """
    if not isinstance(text, str):
        raise InfoExpressionTypeError(f"expected a string, got {type(text).__name__}")
    parser = _Parser(text)
    start = parser.peek
    lhs = _as_expression(parser.sum(), parser, start)
    token = parser.peek
    if token.kind != "op" or token.text not in _OPERATORS:
        found = "end of input" if token.kind == "end" else repr(token.text)
        raise parser.error(f"expected '>=', '<=' or '=', found {found}", token)
    parser.index += 1
    right_start = parser.peek
    rhs = _as_expression(parser.sum(), parser, right_start)
    after = parser.peek
    if after.kind == "op" and after.text in _OPERATORS:
        raise parser.error("only one comparison per relation", after)
    parser.finish()
    return InfoRelation(lhs, _OPERATORS[token.text], rhs, text.strip())
