"""The E-SSL statements, as formalized in this project, as executable checks on a joint.

Each check takes a joint (:class:`~theory.Joint` or :class:`~theory.PushforwardJoint`) and
variable names, and returns a :class:`StatementReport`: every relation with its left side,
right side and slack, the terms involved, and the preconditions it rests on. A failed
precondition is reported by name and makes ``holds`` False; the relation is still evaluated
(``relations_hold``) so a user can see what happens without the assumption.

T1 on the six/nine world (an upside-down "6" is a "9"):

>>> from theory import Joint
>>> J = Joint.from_weights([[[1, 0], [0, 1]], [[0, 1], [1, 0]]], names=("C", "A", "Z"))
>>> report = explaining_away_identity(J, a="A", c="C", z="Z")
>>> report.holds, report.lhs, report.rhs, report.terms["I(A;C|Z)"]
(True, 0, 0, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._combination import Variables
from ._entropy import entropy
from ._mutual_information import mutual_information
from ._posterior import with_posterior
from .statements import STATEMENTS

DEFAULT_TOL = 1e-9

__all__ = [
    "Precondition",
    "Relation",
    "StatementReport",
    "class_relevance",
    "explaining_away_identity",
    "fine_grained",
    "lossy_transformation",
    "multivariate",
    "needed_class_information",
    "shortcut_pruning",
]


def _difference_sign(value: Any, tol: float) -> int:
    """Sign of ``value`` (-1, 0, 1): exact for sympy values, within ``tol`` for floats."""
    if isinstance(value, float):
        return 0 if abs(value) <= tol else (1 if value > 0 else -1)
    import sympy

    expanded = sympy.expand(value)
    if expanded == 0:
        return 0
    # Not identically zero: sums of logs of primes are then decidably non-zero, and 60
    # digits separate them from zero for any table this engine can hold.
    numeric = sympy.N(expanded, 60)
    return 1 if numeric > 0 else -1


@dataclass(frozen=True)
class Relation:
    """``lhs op rhs`` with ``op`` one of ``"="``, ``"<="``, ``">="``, ``">"``.

    ``slack`` is ``rhs - lhs`` for ``<=``, ``lhs - rhs`` for ``>=`` and ``>``, and
    ``lhs - rhs`` for ``=``; it is non-negative (zero for ``=``) when the relation holds.
    """

    text: str
    lhs: Any
    op: str
    rhs: Any
    tol: float = DEFAULT_TOL

    @property
    def slack(self) -> Any:
        return self.rhs - self.lhs if self.op == "<=" else self.lhs - self.rhs

    @property
    def holds(self) -> bool:
        sign = _difference_sign(self.slack, self.tol)
        return {"=": sign == 0, "<=": sign >= 0, ">=": sign >= 0, ">": sign > 0}[self.op]

    def __str__(self) -> str:
        mark = "holds" if self.holds else "FAILS"
        return f"{self.text}: {_fmt(self.lhs)} {self.op} {_fmt(self.rhs)} (slack {_fmt(self.slack)}) {mark}"


@dataclass(frozen=True)
class Precondition:
    """An assumption checked on the joint, e.g. ``I(A;C) = 0``."""

    text: str
    value: Any
    holds: bool

    def __str__(self) -> str:
        return f"{self.text} [value {_fmt(self.value)}] {'ok' if self.holds else 'VIOLATED'}"


@dataclass(frozen=True)
class StatementReport:
    """The outcome of one statement on one joint; ``lhs``/``rhs``/``slack`` are the main relation's."""

    statement: str
    relations: tuple[Relation, ...]
    preconditions: tuple[Precondition, ...] = ()
    terms: dict = field(default_factory=dict)

    @property
    def relations_hold(self) -> bool:
        return all(r.holds for r in self.relations)

    @property
    def failed_preconditions(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.preconditions if not p.holds)

    @property
    def holds(self) -> bool:
        return self.relations_hold and not self.failed_preconditions

    @property
    def lhs(self) -> Any:
        return self.relations[0].lhs

    @property
    def rhs(self) -> Any:
        return self.relations[0].rhs

    @property
    def slack(self) -> Any:
        return self.relations[0].slack

    def __str__(self) -> str:
        lines = [f"{self.statement}: {'holds' if self.holds else 'does not hold'}"]
        lines += [f"  precondition {p}" for p in self.preconditions]
        lines += [f"  {r}" for r in self.relations]
        lines += [f"  {name} = {_fmt(value)}" for name, value in self.terms.items()]
        return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    try:
        return f"{value} (= {float(value):.6g})" if not value.is_Number else str(value)
    except AttributeError:
        return str(value)


def _label(v: Variables) -> str:
    return v if isinstance(v, str) else ",".join(v or ())


def _names(*groups: Variables) -> tuple[str, ...]:
    out: list[str] = []
    for g in groups:
        out.extend((g,) if isinstance(g, str) else g or ())
    return tuple(out)


def _relation(key: str, names: dict[str, str], lhs: Any, rhs: Any, tol: float) -> Relation:
    """The catalogue's statement ``key`` with its variables renamed, on numbers ``lhs`` and ``rhs``."""
    entry = STATEMENTS[key]
    return Relation(entry.text(**{v: names[v] for v in entry.variables}), lhs, entry.op, rhs, tol)


def _independent(joint, x: Variables, y: Variables, base: object, tol: float) -> Precondition:
    value = mutual_information(joint, x, y, base=base)
    return Precondition(
        f"{_label(x)} independent of {_label(y)}: I({_label(x)};{_label(y)}) = 0",
        value,
        _difference_sign(value, tol) == 0,
    )


def explaining_away_identity(
    joint, a: Variables = "A", c: Variables = "C", z: Variables = "Z", *, base: object = 2, tol: float = DEFAULT_TOL
) -> StatementReport:
    """T1: I(A;Z) = I(A;Z|C) - I(A;C|Z) and I(A;Z|C) - H(C|Z) <= I(A;Z) <= I(A;Z|C), given A ⊥ C.

    I(A;C|Z) is the explaining-away term: raising I(C;Z) lowers H(C|Z) and so raises the
    floor of the E-SSL objective I(A;Z).
    """
    A, C, Z = _label(a), _label(c), _label(z)
    i_az = mutual_information(joint, a, z, base=base)
    i_az_c = mutual_information(joint, a, z, given=c, base=base)
    i_ac_z = mutual_information(joint, a, c, given=z, base=base)
    h_c_z = entropy(joint, c, given=z, base=base)
    names = {"A": A, "C": C, "Z": Z}
    return StatementReport(
        "T1 explaining-away identity",
        (
            _relation("t1_identity", names, i_az, i_az_c - i_ac_z, tol),
            _relation("t1_lower_bound", names, i_az, i_az_c - h_c_z, tol),
            _relation("t1_upper_bound", names, i_az, i_az_c, tol),
        ),
        (_independent(joint, a, c, base, tol),),
        {
            f"I({A};{Z})": i_az,
            f"I({A};{Z}|{C})": i_az_c,
            f"I({A};{C}|{Z})": i_ac_z,
            f"H({C}|{Z})": h_c_z,
            f"I({C};{Z})": mutual_information(joint, c, z, base=base),
        },
    )


def lossy_transformation(
    joint, a: Variables = "A", c: Variables = "C", z: Variables = "Z", *, base: object = 2, tol: float = DEFAULT_TOL
) -> StatementReport:
    """Principle I: the explaining-away term is capped, I(A;C|Z) <= H(A|Z).

    When a view Z already determines A (H(A|Z) = 0) nothing is left for the class to
    explain: such a transformation is not lossy enough to teach class features.
    """
    A, C, Z = _label(a), _label(c), _label(z)
    i_ac_z = mutual_information(joint, a, c, given=z, base=base)
    h_a_z = entropy(joint, a, given=z, base=base)
    return StatementReport(
        "Principle I (lossy transformations)",
        (_relation("principle1_cap", {"A": A, "C": C, "Z": Z}, i_ac_z, h_a_z, tol),),
        (),
        {
            f"I({A};{C}|{Z})": i_ac_z,
            f"H({A}|{Z})": h_a_z,
            f"I({A};{Z})": mutual_information(joint, a, z, base=base),
            f"H({A})": entropy(joint, a, base=base),
        },
    )


def class_relevance(
    joint, a: Variables = "A", c: Variables = "C", g: Variables = "G", *, base: object = 2, tol: float = DEFAULT_TOL
) -> StatementReport:
    """Principle II: synergy needs I(A;C|G) > 0 for a class-agnostic view G.

    Under A ⊥ C the gain from knowing the class, I(A;G|C) - I(A;G), equals I(A;C|G):
    if it is zero the class does not help predict A from G and nothing pushes toward it.
    It is at most I(G;C|A): the view's response to A must depend on the class.
    ``holds`` means the transformation is class-relevant for this view.
    """
    A, C, G = _label(a), _label(c), _label(g)
    i_ac_g = mutual_information(joint, a, c, given=g, base=base)
    i_ag = mutual_information(joint, a, g, base=base)
    i_ag_c = mutual_information(joint, a, g, given=c, base=base)
    i_gc_a = mutual_information(joint, g, c, given=a, base=base)
    names = {"A": A, "C": C, "Z": G}
    return StatementReport(
        "Principle II (class relevance)",
        (
            _relation("principle2_class_relevant", names, i_ac_g, 0, tol),
            _relation("principle2_synergy", names, i_ag_c - i_ag, i_ac_g, tol),
            _relation("principle2_bound", names, i_ac_g, i_gc_a, tol),
        ),
        (_independent(joint, a, c, base, tol),),
        {f"I({A};{C}|{G})": i_ac_g, f"I({A};{G})": i_ag, f"I({A};{G}|{C})": i_ag_c, f"I({G};{C}|{A})": i_gc_a},
    )


def shortcut_pruning(
    joint,
    a: Variables = "A",
    c: Variables = "C",
    s: Variables = "S",
    z: Variables = "Z",
    *,
    base: object = 2,
    tol: float = DEFAULT_TOL,
) -> StatementReport:
    """Principle III: I(A;Z) = I(A;Z|C,S) - I(A;C,S|Z), given A ⊥ (C, S).

    Style can explain A away instead of the class: the report splits the explaining-away
    term into the class part I(A;C|Z) and the style part I(A;S|Z,C).
    """
    A, C, S, Z = _label(a), _label(c), _label(s), _label(z)
    cs = _names(c, s)
    i_az = mutual_information(joint, a, z, base=base)
    i_az_cs = mutual_information(joint, a, z, given=cs, base=base)
    i_acs_z = mutual_information(joint, a, cs, given=z, base=base)
    i_ac_z = mutual_information(joint, a, c, given=z, base=base)
    i_as_zc = mutual_information(joint, a, s, given=_names(z, c), base=base)
    names = {"A": A, "C": C, "S": S, "Z": Z}
    return StatementReport(
        "Principle III (shortcut pruning)",
        (
            _relation("principle3_identity", names, i_az, i_az_cs - i_acs_z, tol),
            _relation("principle3_split", names, i_acs_z, i_ac_z + i_as_zc, tol),
        ),
        (_independent(joint, a, cs, base, tol),),
        {
            f"I({A};{Z})": i_az,
            f"I({A};{Z}|{C},{S})": i_az_cs,
            f"I({A};{C},{S}|{Z})": i_acs_z,
            f"I({A};{C}|{Z})": i_ac_z,
            f"I({A};{S}|{Z},{C})": i_as_zc,
        },
    )


def fine_grained(
    joint,
    fine: Variables = "Afine",
    coarse: Variables = "A",
    c: Variables = "C",
    z: Variables = "Z",
    *,
    base: object = 2,
    tol: float = DEFAULT_TOL,
) -> StatementReport:
    """T2: with A = g(A'), I(A';C|Z) = I(A;C|Z) + I(A';C|Z,A) >= I(A;C|Z) and H(A'|Z) >= H(A|Z)."""
    F, A, C, Z = _label(fine), _label(coarse), _label(c), _label(z)
    i_fc_z = mutual_information(joint, fine, c, given=z, base=base)
    i_ac_z = mutual_information(joint, coarse, c, given=z, base=base)
    i_fc_za = mutual_information(joint, fine, c, given=_names(z, coarse), base=base)
    h_f_z = entropy(joint, fine, given=z, base=base)
    h_a_z = entropy(joint, coarse, given=z, base=base)
    h_a_f = entropy(joint, coarse, given=fine, base=base)
    names = {"Afine": F, "A": A, "C": C, "Z": Z}
    (coarsening,) = STATEMENTS["t2_explaining_away"].hypotheses_text(Afine=F, A=A)
    return StatementReport(
        "T2 fine-grained equivariance",
        (
            _relation("t2_explaining_away", names, i_fc_z, i_ac_z, tol),
            _relation("t2_chain_rule", names, i_fc_z, i_ac_z + i_fc_za, tol),
            _relation("t2_harder_to_saturate", names, h_f_z, h_a_z, tol),
        ),
        (
            Precondition(f"{A} is a function of {F}: {coarsening}", h_a_f, _difference_sign(h_a_f, tol) == 0),
            _independent(joint, fine, c, base, tol),
        ),
        {
            f"I({F};{C}|{Z})": i_fc_z,
            f"I({A};{C}|{Z})": i_ac_z,
            f"I({F};{C}|{Z},{A})": i_fc_za,
            f"H({F}|{Z})": h_f_z,
            f"H({A}|{Z})": h_a_z,
        },
    )


def multivariate(
    joint,
    a1: Variables = "A1",
    a2: Variables = "A2",
    c: Variables = "C",
    z: Variables = "Z",
    *,
    base: object = 2,
    tol: float = DEFAULT_TOL,
) -> StatementReport:
    """T3: I(A1,A2;C|Z) >= max(I(A1;C|Z), I(A2;C|Z)) and I(A1,A2;Z) = I(A1;Z) + I(A2;Z|A1).

    Preconditions: A1, A2 independent of each other and of C.
    """
    A1, A2, C, Z = _label(a1), _label(a2), _label(c), _label(z)
    both = _names(a1, a2)
    i_joint = mutual_information(joint, both, c, given=z, base=base)
    i_1 = mutual_information(joint, a1, c, given=z, base=base)
    i_2 = mutual_information(joint, a2, c, given=z, base=base)
    i_bz = mutual_information(joint, both, z, base=base)
    i_1z = mutual_information(joint, a1, z, base=base)
    i_2z_1 = mutual_information(joint, a2, z, given=a1, base=base)
    names = {"A1": A1, "A2": A2, "C": C, "Z": Z}
    return StatementReport(
        "T3 multivariate equivariance",
        (
            _relation("t3_joint_vs_first", names, i_joint, i_1, tol),
            _relation("t3_joint_vs_second", names, i_joint, i_2, tol),
            _relation("t3_chain_rule", names, i_bz, i_1z + i_2z_1, tol),
        ),
        (_independent(joint, a1, a2, base, tol), _independent(joint, both, c, base, tol)),
        {f"I({A1},{A2};{C}|{Z})": i_joint, f"I({A1};{C}|{Z})": i_1, f"I({A2};{C}|{Z})": i_2, f"I({A1},{A2};{Z})": i_bz},
    )


def needed_class_information(
    joint, a: str = "A", c: str = "C", x: str = "X", z: str = "Z", *, base: object = 2, tol: float = DEFAULT_TOL
) -> StatementReport:
    """A code optimal for A must carry the class: I(A;Z) = I(A;X) implies I(C;Z) >= I(C;T).

    T = p(A|X) is the minimal sufficient statistic of X for A. A code Z of X (a channel from
    X alone: I(A,C;Z|X) = 0) that keeps all of I(A;X) determines T, so it carries at least
    I(C;T) bits about the class. Class information is *forced* on an optimal code exactly
    when I(C;T) > 0; I(A;C|X) is neither necessary nor sufficient for that. The relations
    I(A;T) = I(A;X) and I(C;T) <= I(C;X) hold on every joint.

    >>> from theory import Joint
    >>> J = Joint.from_weights([[[1, 0], [0, 1]], [[0, 1], [1, 0]]], names=("C", "A", "X"))   # six/nine
    >>> r = needed_class_information(J, z="X")    # Z = X is an optimal code
    >>> r.holds, r.terms["I(C;T)"], r.terms["I(A;C|X)"]
    (True, 0, 1)
    """
    T = "T"
    while T in joint.names:
        T += "'"
    J = with_posterior(joint, target=a, given=x, name=T)
    i_cz = mutual_information(J, c, z, base=base)
    i_ct = mutual_information(J, c, T, base=base)
    i_az = mutual_information(J, a, z, base=base)
    i_ax = mutual_information(J, a, x, base=base)
    i_at = mutual_information(J, a, T, base=base)
    i_cx = mutual_information(J, c, x, base=base)
    markov = mutual_information(J, (a, c), z, given=x, base=base)
    names = {"A": a, "C": c, "X": x, "Z": z, "T": T}
    optimal, code = STATEMENTS["needed_class_optimal_code"].hypotheses_text(**names)
    return StatementReport(
        "Needed class information (optimal codes determine T = p(A|X))",
        (
            _relation("needed_class_optimal_code", names, i_cz, i_ct, tol),
            _relation("needed_class_sufficiency", names, i_at, i_ax, tol),
            _relation("needed_class_processing", names, i_ct, i_cx, tol),
        ),
        (
            Precondition(f"{z} is optimal for {a}: {optimal}", i_az - i_ax, _difference_sign(i_az - i_ax, tol) == 0),
            Precondition(f"{z} is a code of {x}: {code}", markov, _difference_sign(markov, tol) == 0),
        ),
        {
            f"I({c};T)": i_ct,
            f"I({c};{z})": i_cz,
            f"I({a};{z})": i_az,
            f"I({a};{x})": i_ax,
            f"I({a};{c}|{x})": mutual_information(J, a, c, given=x, base=base),
        },
    )
