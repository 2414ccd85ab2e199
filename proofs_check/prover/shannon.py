"""An ITIP-style prover of Shannon-type information inequalities, with exact certificates.

``prove(statement, constraints)`` decides whether ``statement`` follows from the elemental
Shannon inequalities of its variables plus the given constraints. A linear program
(``scipy.optimize.linprog``, HiGHS) looks for non-negative multipliers on the elemental
inequalities (free ones on equality constraints) that add up to the goal; the multipliers
are then made rational and the sum is re-checked in exact arithmetic. Only a certificate
that passes this exact check proves anything. When the LP is infeasible, a second LP looks
for a polymatroid (a point satisfying every elemental inequality and constraint) on which
the goal is negative; that point, checked exactly too, is the evidence that the goal is not
Shannon-type (it may still be true: the Zhang-Yeung inequality is the classic case).

>>> result = prove("I(A;Z) <= I(A;Z|C)", ["I(A;C) = 0"])
>>> result.proved, len(result.certificates), result.verify()
(True, 1, True)
>>> prove("I(A;Z) <= I(A;Z|C)").proved
False
>>> print(prove("I(X;Y|Z) >= 0").derivation())  # doctest: +NORMALIZE_WHITESPACE
Goal: I(X;Y|Z) >= 0
Variables: X, Y, Z (9 elemental inequalities)
  1 × I(X;Y|Z) >= 0    [elemental]
Sum of multiplier × left side: -H(Z) + H(X,Z) + H(Y,Z) - H(X,Y,Z)
Goal, moved to one side:       -H(Z) + H(X,Z) + H(Y,Z) - H(X,Y,Z) >= 0
Sum equals the goal exactly (checked in rational arithmetic).  ∎
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache
from itertools import combinations
from typing import TYPE_CHECKING

from .expressions import (
    InfoExpression,
    InfoRelation,
    ProverInputError,
    entropy,
    mutual_information,
    natural_key,
    parse_expression,
)

if TYPE_CHECKING:  # scipy is imported lazily: it costs ~0.3 s.
    import numpy as np
    from scipy.optimize import OptimizeResult
    from scipy.sparse import csc_matrix

__all__ = [
    "Certificate",
    "Constraint",
    "ElementalInequality",
    "ProofResult",
    "ProverInputError",
    "Refutation",
    "elemental_inequalities",
    "is_identity",
    "n_elemental",
    "prove",
]

NOT_SHANNON = "not provable by Shannon-type inequalities"
_SUPPORT_TOL = 1e-9
_DENOMINATOR_BOUNDS = (1, 12, 120, 10_000, 1_000_000)


# ---------------------------------------------------------------- inequalities


@dataclass(frozen=True)
class ElementalInequality:
    """One elemental Shannon inequality ``expression >= 0``.

    Either ``H(first | given) >= 0`` with ``given`` all other variables, or
    ``I(first; second | given) >= 0``.

    >>> print(elemental_inequalities(["A", "B"])[2])
    I(A;B) >= 0
    """

    first: str
    second: str | None
    given: tuple[str, ...]
    is_equality = False
    source = "elemental"

    @cached_property
    def expression(self) -> InfoExpression:
        """Derived from the fields, never passed in: a certificate cannot carry a forged left side.
        Any H(X|Y) or I(X;Y|Z) is non-negative, so every such term is a sound step."""
        if self.second is None:
            return entropy(self.first, self.given)
        return mutual_information(self.first, self.second, self.given)

    @property
    def left(self) -> str:
        """The left side in the paper's notation, e.g. ``I(A;B|C)``."""
        given = "|" + ",".join(self.given) if self.given else ""
        if self.second is None:
            return f"H({self.first}{given})"
        return f"I({self.first};{self.second}{given})"

    def __str__(self) -> str:
        return f"{self.left} >= 0"


@dataclass(frozen=True)
class Constraint:
    """A hypothesis ``E = 0`` or ``E >= 0`` built from a relation such as ``"I(A;C) = 0"``."""

    relation: InfoRelation
    source = "constraint"

    @property
    def expression(self) -> InfoExpression:
        return self.relation.expression

    @property
    def is_equality(self) -> bool:
        return self.relation.kind == "="

    def __str__(self) -> str:
        return str(self.relation)


Inequality = ElementalInequality | Constraint


def n_elemental(n: int) -> int:
    """Number of elemental inequalities on ``n`` variables: n + C(n,2) 2^(n-2).

    >>> n_elemental(7)
    679
    """
    return n + (n * (n - 1) // 2) * (2 ** (n - 2)) if n >= 2 else n


@lru_cache(maxsize=64)
def _elementals(variables: tuple[str, ...]) -> tuple[ElementalInequality, ...]:
    out = []
    for i, name in enumerate(variables):
        rest = tuple(v for j, v in enumerate(variables) if j != i)
        out.append(ElementalInequality(name, None, rest))
    for i, j in combinations(range(len(variables)), 2):
        others = [v for k, v in enumerate(variables) if k not in (i, j)]
        for size in range(len(others) + 1):
            for given in combinations(others, size):
                out.append(ElementalInequality(variables[i], variables[j], given))
    return tuple(out)


def elemental_inequalities(variables: Sequence[str]) -> tuple[ElementalInequality, ...]:
    """The elemental Shannon inequalities of ``variables`` (in that order).

    Every Shannon inequality on these variables is a non-negative combination of them.

    >>> [str(e) for e in elemental_inequalities(["A", "B"])]
    ['H(A|B) >= 0', 'H(B|A) >= 0', 'I(A;B) >= 0']
    """
    return _elementals(_check_variables(variables))


def _check_variables(variables: Iterable[str]) -> tuple[str, ...]:
    names = tuple(variables)
    if not names:
        raise ProverInputError("no variables: the statement mentions no random variable")
    if len(set(names)) != len(names):
        raise ProverInputError(f"duplicate variable names in {names}")
    for name in names:
        if not isinstance(name, str) or not name.rstrip("'").isidentifier():
            raise ProverInputError(f"invalid variable name {name!r}")
    return names


# ---------------------------------------------------------------- certificates


@dataclass(frozen=True)
class Certificate:
    """Multipliers showing ``target >= 0``: target = sum(m * inequality.expression).

    Multipliers on inequalities (elemental or ``>=`` constraints) must be non-negative;
    those on equality constraints may have any sign.
    """

    target: InfoExpression
    terms: tuple[tuple[Fraction, Inequality], ...]
    rationalised_by: str = "exact solve on the LP support"

    def combination(self) -> InfoExpression:
        """sum(multiplier × left side), computed exactly."""
        total: dict[frozenset[str], Fraction] = {}
        for multiplier, inequality in self.terms:
            for subset, coefficient in inequality.expression.terms.items():
                total[subset] = total.get(subset, Fraction(0)) + multiplier * coefficient
        return InfoExpression({k: v for k, v in total.items() if v})

    def verify(self) -> bool:
        """Exact check: rational multipliers, signs respected, sum equal to the target."""
        for multiplier, inequality in self.terms:
            if not isinstance(multiplier, Fraction):
                return False
            if not inequality.is_equality and multiplier < 0:
                return False
        return self.combination() == self.target


@dataclass(frozen=True)
class Refutation:
    """A polymatroid ``h`` satisfying every elemental inequality and constraint with target(h) < 0.

    ``h`` is exact (Fractions) when ``verified``; otherwise only ``h_float`` (the LP's
    point) is available and the exact re-check failed or no point was found.
    """

    target: InfoExpression
    h: Mapping[frozenset[str], Fraction] | None
    h_float: Mapping[frozenset[str], float] | None
    target_value: Fraction | float | None
    verified: bool
    lp_status: int
    lp_message: str

    def __str__(self) -> str:
        if self.h_float is None:
            return f"no polymatroid found (LP status {self.lp_status}: {self.lp_message})"
        values = self.h if self.h is not None else self.h_float
        # The singletons and the goal's own terms say why the goal fails; the full point
        # (2^n - 1 values) is in ``h``.
        shown_sets = {s for s in values if len(s) == 1} | set(self.target.terms)
        shown = ", ".join(
            f"h({','.join(sorted(s, key=natural_key))})={_fmt(values[s])}"
            for s in sorted(shown_sets, key=lambda s: (len(s), sorted(map(natural_key, s))))
        )
        check = "exact polymatroid, checked in rational arithmetic" if self.verified else "LP point, not exact"
        return f"polymatroid h with goal(h) = {_fmt(self.target_value)} < 0 ({check}); {shown}"


def _fmt(value: object) -> str:
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


@dataclass(frozen=True)
class ProofResult:
    """Outcome of :func:`prove`; ``derivation()`` prints a human-readable proof or refutation.

    ``method`` is ``"identity"`` when both sides expand to the same joint-entropy combination
    (no LP needed) and ``"lp"`` otherwise. An inequality has one certificate; an identity
    proved under constraints has two (``E >= 0`` and ``-E >= 0``).
    """

    statement: InfoRelation
    constraints: tuple[Constraint, ...]
    variables: tuple[str, ...]
    proved: bool
    method: str
    certificates: tuple[Certificate, ...]
    evidence: Refutation | None
    message: str
    n_elemental: int
    lp_seconds: float = 0.0
    verify_seconds: float = 0.0

    @property
    def verified(self) -> bool:
        """Deprecated (to go in 0.6.0): always ``proved``, which is True only once every
        certificate has passed its exact check."""
        warnings.warn("ProofResult.verified always equals .proved; use .proved", DeprecationWarning, stacklevel=2)
        return self.proved

    def verify(self) -> bool:
        """Re-run the exact checks (catches a certificate altered after the proof)."""
        goal, kind = self.statement.normalized()
        if self.method == "identity":
            return goal.is_zero() and not self.certificates
        targets = [goal] if kind == ">=" else [goal, -goal]
        hypotheses = {str(c) for c in self.constraints}
        uses_only_hypotheses = all(
            str(inequality) in hypotheses
            for c in self.certificates
            for _, inequality in c.terms
            if inequality.source == "constraint"
        )
        return (
            uses_only_hypotheses
            and len(self.certificates) == len(targets)
            and all(c.target == t and c.verify() for c, t in zip(self.certificates, targets))
        )

    def derivation(self) -> str:
        goal, kind = self.statement.normalized()
        lines = [f"Goal: {self.statement}"]
        if self.constraints:
            lines.append("Under: " + "; ".join(str(c) for c in self.constraints))
        lines.append(f"Variables: {', '.join(self.variables)} ({self.n_elemental} elemental inequalities)")
        if self.method == "identity":
            lines.append(f"Both sides expand to the same joint-entropy combination: {self.statement.lhs}")
            lines.append("Identity holds exactly (checked in rational arithmetic).  ∎")
            return "\n".join(lines)
        if not self.proved:
            lines.append(f"Not proved: {self.message}.")
            if self.evidence is not None:
                lines.append(f"Unprovable part, moved to one side: {self.evidence.target} >= 0")
                lines.append(f"Evidence: {self.evidence}")
            return "\n".join(lines)
        for index, certificate in enumerate(self.certificates):
            if kind == "=":
                direction = ">=" if index == 0 else "<="
                lines.append(f"Direction {index + 1}: left side {direction} right side")
            lines.extend(_certificate_lines(certificate))
        lines.append("Sum equals the goal exactly (checked in rational arithmetic).  ∎")
        return "\n".join(lines)


def _certificate_lines(certificate: Certificate) -> list[str]:
    rows = []
    for multiplier, inequality in certificate.terms:
        item = f"({inequality})" if inequality.source == "constraint" else str(inequality)
        rows.append((f"  {_fmt(multiplier)} × {item}", f"[{inequality.source}]"))
    width = max((len(r[0]) for r in rows), default=0) + 4
    lines = [left.ljust(width) + tag for left, tag in rows]
    if not rows:
        lines.append("  (no inequality needed: the goal is 0)")
    lines.append(f"Sum of multiplier × left side: {certificate.combination()}")
    lines.append(f"Goal, moved to one side:       {certificate.target} >= 0")
    return lines


# ---------------------------------------------------------------- linear algebra


def _vector(expr: InfoExpression, index: Mapping[str, int]) -> dict[int, Fraction]:
    """Sparse coordinates of ``expr``: joint-entropy H(S) sits at row (bitmask of S) - 1."""
    out = {}
    for subset, coefficient in expr.terms.items():
        out[sum(1 << index[name] for name in subset) - 1] = coefficient
    return out


@lru_cache(maxsize=64)
def _elemental_matrix(variables: tuple[str, ...]) -> csc_matrix:
    """Columns = elemental inequalities, rows = the 2^n - 1 joint-entropy coordinates."""
    import numpy as np
    from scipy.sparse import csc_matrix

    index = {v: i for i, v in enumerate(variables)}
    rows, cols, vals = [], [], []
    for col, inequality in enumerate(_elementals(variables)):
        for row, value in _vector(inequality.expression, index).items():
            rows.append(row)
            cols.append(col)
            vals.append(float(value))
    shape = (2 ** len(variables) - 1, len(_elementals(variables)))
    return csc_matrix((np.array(vals), (np.array(rows), np.array(cols))), shape=shape)


def _columns_matrix(vectors: Sequence[Mapping[int, Fraction]], n_rows: int) -> csc_matrix:
    import numpy as np
    from scipy.sparse import csc_matrix

    rows = [r for v in vectors for r in v]
    cols = [c for c, v in enumerate(vectors) for _ in v]
    vals = [float(x) for v in vectors for x in v.values()]
    return csc_matrix(
        (np.array(vals, dtype=float), (np.array(rows, dtype=int), np.array(cols, dtype=int))),
        shape=(n_rows, len(vectors)),
    )


def _solve_exact(rows: Sequence[Mapping[int, Fraction]], rhs: Sequence[Fraction]) -> dict[int, Fraction] | None:
    """One exact solution of the sparse system ``rows · x = rhs`` (free unknowns set to 0).

    Returns None when the system is inconsistent. Rows are dicts unknown -> coefficient.
    """
    pivots: list[tuple[int, dict[int, Fraction], Fraction]] = []
    for row_in, value in zip(rows, rhs):
        row, value = {k: Fraction(v) for k, v in row_in.items() if v}, Fraction(value)
        for col, pivot_row, pivot_value in pivots:
            factor = row.get(col)
            if factor:
                for k, v in pivot_row.items():
                    new = row.get(k, 0) - factor * v
                    if new:
                        row[k] = new
                    else:
                        row.pop(k, None)
                value -= factor * pivot_value
        if not row:
            if value:
                return None
            continue
        col = min(row)
        scale = row[col]
        pivots.append((col, {k: v / scale for k, v in row.items()}, value / scale))
    solution: dict[int, Fraction] = {}
    for col, pivot_row, pivot_value in reversed(pivots):
        solution[col] = pivot_value - sum(
            (v * solution.get(k, 0) for k, v in pivot_row.items() if k != col), Fraction(0)
        )
    return solution


# ---------------------------------------------------------------- the prover


def _as_relations(value: object, what: str) -> tuple[InfoRelation, ...]:
    """The relations a string means in the field's notation (:mod:`.notation`), or the relation given."""
    from .notation import parse_statements

    if isinstance(value, InfoRelation):
        return (value,)
    if isinstance(value, str):
        return tuple(parse_statements(value))
    raise ProverInputError(f"{what} must be a relation string like 'I(A;C) = 0' or an InfoRelation, got {value!r}")


def _as_relation(value: object, what: str) -> InfoRelation:
    relations = _as_relations(value, what)
    if len(relations) != 1:
        raise ProverInputError(
            f"the {what} {value!r} means {len(relations)} relations "
            f"({'; '.join(map(str, relations))}): prove them one at a time"
        )
    return relations[0]


def is_identity(lhs: str | InfoExpression, rhs: str | InfoExpression = InfoExpression()) -> bool:
    """Whether ``lhs = rhs`` holds for every distribution (same joint-entropy combination).

    >>> is_identity("I(A1,A2;Z)", "I(A1;Z) + I(A2;Z|A1)")
    True
    """
    left = parse_expression(lhs) if isinstance(lhs, str) else lhs
    right = parse_expression(rhs) if isinstance(rhs, str) else rhs
    return left == right


class _Problem:
    """The fixed part of one proof: variables, coordinates, elemental matrix, constraints."""

    def __init__(self, variables: tuple[str, ...], constraints: tuple[Constraint, ...]) -> None:
        self.variables = variables
        self.index = {v: i for i, v in enumerate(variables)}
        self.n_rows = 2 ** len(variables) - 1
        self.elementals = _elementals(variables)
        self.G = _elemental_matrix(variables)
        self.constraints = constraints
        self.constraint_vectors = [_vector(c.expression, self.index) for c in constraints]
        self.C = _columns_matrix(self.constraint_vectors, self.n_rows)
        self.eq = [i for i, c in enumerate(constraints) if c.is_equality]

    def column(self, j: int) -> tuple[Inequality, dict[int, Fraction]]:
        m = len(self.elementals)
        if j < m:
            inequality = self.elementals[j]
            return inequality, _vector(inequality.expression, self.index)
        return self.constraints[j - m], self.constraint_vectors[j - m]

    def solve_lp(self, target: InfoExpression) -> tuple[np.ndarray | None, OptimizeResult]:
        """LP: min sum(multipliers) s.t. G y + C_eq (u - w) + C_ge z = target, all >= 0.

        Returns the multipliers (elemental columns, then one per constraint) and the result.
        """
        import numpy as np
        from scipy.optimize import linprog
        from scipy.sparse import hstack

        b = np.zeros(self.n_rows)
        for row, value in _vector(target, self.index).items():
            b[row] = float(value)
        eq_cols = self.C[:, self.eq]
        A = hstack([self.G, self.C, -eq_cols], format="csc")
        res = linprog(np.ones(A.shape[1]), A_eq=A, b_eq=b, bounds=(0, None), method="highs")
        if res.status != 0:
            return None, res
        m, k = self.G.shape[1], self.C.shape[1]
        x = np.array(res.x[: m + k])
        for offset, i in enumerate(self.eq):  # free multiplier = positive part - negative part
            x[m + i] -= res.x[m + k + offset]
        return x, res

    def rationalise(self, target: InfoExpression, x: np.ndarray) -> Certificate | None:
        support = [int(j) for j in (abs(x) > _SUPPORT_TOL).nonzero()[0]]
        columns = [self.column(j) for j in support]
        rows: list[dict[int, Fraction]] = [dict() for _ in range(self.n_rows)]
        for position, (_, vector) in enumerate(columns):
            for row, value in vector.items():
                rows[row][position] = value
        rhs = [Fraction(0)] * self.n_rows
        for row, value in _vector(target, self.index).items():
            rhs[row] = value
        used = [r for r in range(self.n_rows) if rows[r] or rhs[r]]
        solution = _solve_exact([rows[r] for r in used], [rhs[r] for r in used])
        if solution is not None:
            terms = tuple((solution.get(p, Fraction(0)), col[0]) for p, col in enumerate(columns))
            certificate = Certificate(target, tuple(t for t in terms if t[0]))
            if certificate.verify():
                return certificate
        for bound in _DENOMINATOR_BOUNDS:  # support columns were dependent: try rounding
            terms = tuple((Fraction(float(x[j])).limit_denominator(bound), col[0]) for j, col in zip(support, columns))
            method = f"rounding to denominators <= {bound}"
            certificate = Certificate(target, tuple(t for t in terms if t[0]), method)
            if certificate.verify():
                return certificate
        return None

    def find_refutation(self, target: InfoExpression) -> Refutation:
        """LP: min target(h) over polymatroids h satisfying the constraints, h(all) <= 1."""
        import numpy as np
        from scipy.optimize import linprog
        from scipy.sparse import csc_matrix, vstack

        c = np.zeros(self.n_rows)
        for row, value in _vector(target, self.index).items():
            c[row] = float(value)
        ge = [i for i in range(len(self.constraints)) if i not in self.eq]
        normalisation = csc_matrix(([1.0], ([0], [self.n_rows - 1])), shape=(1, self.n_rows))
        A_ub = vstack([-self.G.T, -self.C[:, ge].T, normalisation], format="csc")
        b_ub = np.zeros(A_ub.shape[0])
        b_ub[-1] = 1.0
        A_eq = self.C[:, self.eq].T if self.eq else None
        b_eq = np.zeros(len(self.eq)) if self.eq else None
        res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=(0, 1), method="highs")
        if res.status != 0 or res.fun >= -_SUPPORT_TOL:
            message = res.message if res.status != 0 else f"minimum of the goal over polymatroids is {res.fun:.3g}"
            return Refutation(target, None, None, None, False, int(res.status), message)
        subsets = [
            frozenset(v for i, v in enumerate(self.variables) if mask >> i & 1) for mask in range(1, self.n_rows + 1)
        ]
        h_float = {s: float(v) for s, v in zip(subsets, res.x)}
        for bound in _DENOMINATOR_BOUNDS:
            h = {s: Fraction(float(v)).limit_denominator(bound) for s, v in zip(subsets, res.x)}
            if self._refutes(target, h):
                return Refutation(
                    target, h, h_float, target.evaluate(h.__getitem__), True, int(res.status), res.message
                )
        vertex = self._exact_vertex(res.x, subsets)
        if vertex is not None and self._refutes(target, vertex):
            value = target.evaluate(vertex.__getitem__)
            return Refutation(target, vertex, h_float, value, True, int(res.status), res.message)
        return Refutation(target, None, h_float, float(res.fun), False, int(res.status), res.message)

    def _exact_vertex(self, x: np.ndarray, subsets: list[frozenset[str]]) -> dict[frozenset[str], Fraction] | None:
        """Re-solve exactly the constraints that are tight at the LP's vertex ``x``."""
        point = dict(enumerate(float(v) for v in x))
        rows: list[dict[int, Fraction]] = []
        rhs: list[Fraction] = []
        vectors = [_vector(e.expression, self.index) for e in self.elementals] + self.constraint_vectors
        for vector in vectors:
            if abs(sum(float(v) * point[r] for r, v in vector.items())) <= _SUPPORT_TOL:
                rows.append(vector)
                rhs.append(Fraction(0))
        for r, value in point.items():  # tight bounds 0 <= h <= 1 also define the vertex
            if abs(value) <= _SUPPORT_TOL or abs(value - 1) <= _SUPPORT_TOL:
                rows.append({r: Fraction(1)})
                rhs.append(Fraction(round(value)))
        solution = _solve_exact(rows, rhs)
        if solution is None:
            return None
        return {s: solution.get(r, Fraction(0)) for r, s in enumerate(subsets)}

    def _refutes(self, target: InfoExpression, h: Mapping[frozenset[str], Fraction]) -> bool:
        return self._is_polymatroid(h) and target.evaluate(h.__getitem__) < 0

    def _is_polymatroid(self, h: Mapping[frozenset[str], Fraction]) -> bool:
        get = h.__getitem__
        if any(e.expression.evaluate(get) < 0 for e in self.elementals):
            return False
        for constraint in self.constraints:
            value = constraint.expression.evaluate(get)
            if value < 0 or (constraint.is_equality and value != 0):
                return False
        return True


def _collect_variables(statement: InfoRelation, constraints: Sequence[Constraint]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for relation in (statement, *(c.relation for c in constraints)):
        present = relation.variables
        for name in relation.ordered_variables():
            if name in present:  # a name whose terms all cancel needs no elemental inequalities
                seen.setdefault(name, None)
    return tuple(seen)


def prove(
    statement: str | InfoRelation,
    constraints: Iterable[str | InfoRelation] = (),
    variables: Sequence[str] | None = None,
    find_counterexample: bool = True,
    itip: bool = False,
) -> ProofResult:
    """Decide whether ``statement`` is a Shannon-type consequence of ``constraints``.

    ``statement`` is ``"E >= F"``, ``"E <= F"`` or ``"E = F"``; constraints likewise (an
    equality constraint may be used with either sign). ``variables`` defaults to every
    name in the statement and constraints, in order of appearance; extra names are allowed.
    With ``find_counterexample`` a failed proof carries a polymatroid refutation. ``itip``
    reads concatenated letters as joints, as ITIP does (``H(XY)`` is H(X,Y)); without it a
    name spelled from the statement's single-letter variables is an error naming both readings.

    >>> r = prove("I(A;Z) = I(A;Z|C) - I(A;C|Z)", ["I(A;C) = 0"])
    >>> r.proved, r.method, len(r.certificates)
    (True, 'lp', 2)
    >>> prove("I(A1,A2;Z) = I(A1;Z) + I(A2;Z|A1)").method
    'identity'
    """
    from .notation import check_concatenation, itip_joints

    if itip:
        statement = itip_joints(statement) if isinstance(statement, str) else statement
        constraints = [itip_joints(c) if isinstance(c, str) else c for c in constraints]
    goal_relation = _as_relation(statement, "statement")
    hypotheses = tuple(Constraint(r) for c in constraints for r in _as_relations(c, "constraint"))
    used = _collect_variables(goal_relation, hypotheses)
    check_concatenation(tuple({n for r in (goal_relation, *(h.relation for h in hypotheses)) for n in r.variables}))
    if variables is None:
        names = _check_variables(used) if used else ()
    else:
        names = _check_variables(variables)
        missing = [v for v in used if v not in names]
        if missing:
            raise ProverInputError(f"variables {missing} occur in the statement or constraints but not in {names}")
    goal, kind = goal_relation.normalized()
    count = n_elemental(len(names))

    if goal.is_zero():
        return ProofResult(
            goal_relation,
            hypotheses,
            names,
            True,
            "identity",
            (),
            None,
            "identity: both sides are the same joint-entropy combination",
            count,
        )

    problem = _Problem(names, hypotheses)
    targets = [goal] if kind == ">=" else [goal, -goal]
    certificates: list[Certificate] = []
    lp_seconds = verify_seconds = 0.0
    for target in targets:
        t0 = time.perf_counter()
        x, res = problem.solve_lp(target)
        t1 = time.perf_counter()
        certificate = problem.rationalise(target, x) if x is not None else None
        t2 = time.perf_counter()
        lp_seconds += t1 - t0
        verify_seconds += t2 - t1
        if certificate is None:
            if res.status == 2:
                message = f"{NOT_SHANNON} (LP infeasible: {res.message})"
            elif res.status == 0:
                message = "the LP found multipliers but they could not be made exact and verified"
            else:
                message = f"LP failed with status {res.status}: {res.message}"
            evidence = problem.find_refutation(target) if find_counterexample and res.status == 2 else None
            lp_seconds += time.perf_counter() - t2
            return ProofResult(
                goal_relation,
                hypotheses,
                names,
                False,
                "lp",
                tuple(certificates),
                evidence,
                message,
                count,
                lp_seconds,
                verify_seconds,
            )
        certificates.append(certificate)
    t3 = time.perf_counter()
    verified = all(c.verify() for c in certificates)
    verify_seconds += time.perf_counter() - t3
    message = "proved from the elemental Shannon inequalities" + (" and the constraints" if hypotheses else "")
    if not verified:
        message = "the LP's multipliers failed the exact check in rational arithmetic"
    return ProofResult(
        goal_relation,
        hypotheses,
        names,
        verified,
        "lp",
        tuple(certificates),
        None,
        message,
        count,
        lp_seconds,
        verify_seconds,
    )
