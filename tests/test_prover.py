"""The Shannon-inequality prover: classic results, the paper's statements, exact certificates,
refutations, and agreement with numbers on random distributions that satisfy the model."""

from __future__ import annotations

import dataclasses
import doctest
from collections.abc import Callable, Sequence
from fractions import Fraction as F

import numpy as np
import pytest

import proofs_check.prover.shannon as prover_module
import proofs_check.prover.statements as statements_module
from proofs_check.prover.expressions import ExpressionSyntaxError, parse_expression, parse_relation
from proofs_check.prover.shannon import (
    NOT_SHANNON,
    Certificate,
    ProverInputError,
    elemental_inequalities,
    is_identity,
    n_elemental,
    prove,
)
from proofs_check.prover.statements import (
    BROKEN,
    STATEMENTS,
    UnknownStatement,
    causal_model,
    prove_statement,
)

ZHANG_YEUNG = "2*I(C;D) <= I(A;B) + I(A;C,D) + 3*I(C;D|A) + I(C;D|B)"


# ---------------------------------------------------------------- elemental inequalities


@pytest.mark.parametrize("n", range(1, 8))
def test_elemental_count(n: int) -> None:
    names = [f"V{i}" for i in range(n)]
    inequalities = elemental_inequalities(names)
    assert len(inequalities) == n_elemental(n)
    assert len({str(e) for e in inequalities}) == len(inequalities)
    assert n_elemental(7) == 679


def test_elemental_inequalities_are_the_named_quantities() -> None:
    for inequality in elemental_inequalities(["A", "B", "C"]):
        assert inequality.expression == parse_expression(inequality.left)


# ---------------------------------------------------------------- classic results


@pytest.mark.parametrize(
    "statement",
    [
        "I(X;Y|Z) >= 0",
        "H(X) <= H(X,Y)",
        "I(X;Y) <= H(X)",
        "H(X,Y) + H(Y,Z) >= H(X,Y,Z) + H(Y)",  # submodularity
        "H(X,Y,Z) <= H(X) + H(Y) + H(Z)",
        "H(X|Y,Z) <= H(X|Y)",  # conditioning reduces entropy
        "I(X;Y,Z) >= I(X;Y)",
        "2 H(A,B,C) <= H(A,B) + H(B,C) + H(A,C)",  # Han's inequality
        "H(V1,V2,V3,V4,V5) <= H(V1) + H(V2) + H(V3) + H(V4) + H(V5)",
    ],
)
def test_classic_shannon_inequalities_are_proved(statement: str) -> None:
    result = prove(statement)
    assert result.proved and result.verify()
    assert result.method == "lp" and len(result.certificates) == 1
    assert result.certificates[0].combination() == parse_relation(statement).expression


@pytest.mark.parametrize(
    "statement, constraints",
    [
        (ZHANG_YEUNG, ()),  # true for entropies, but not Shannon-type
        ("I(A;B) >= H(A)", ()),
        ("H(X) >= H(X,Y)", ()),
        ("I(X;Y|Z) <= I(X;Y)", ()),
        ("I(X;Y) = 0", ("I(X;Y|Z) = 0",)),
    ],
)
def test_non_shannon_or_false_statements_are_not_proved(statement: str, constraints: tuple) -> None:
    result = prove(statement, constraints)
    assert not result.proved and not result.verify()
    assert NOT_SHANNON in result.message
    _assert_exact_refutation(result)


def test_zhang_yeung_refutation_is_a_polymatroid_on_four_variables() -> None:
    result = prove(ZHANG_YEUNG)
    h = result.evidence.h
    assert len(h) == 15 and result.evidence.target_value < 0
    assert "not provable by Shannon-type inequalities" in result.derivation()


def _assert_exact_refutation(result) -> None:
    """The evidence is an exact point meeting every elemental inequality and constraint,
    with the unprovable part negative: re-checked here independently of the prover."""
    evidence = result.evidence
    assert evidence is not None and evidence.verified
    get = evidence.h.__getitem__
    assert all(isinstance(v, F) for v in evidence.h.values())
    for inequality in elemental_inequalities(result.variables):
        assert inequality.expression.evaluate(get) >= 0
    for constraint in result.constraints:
        value = constraint.expression.evaluate(get)
        assert value == 0 if constraint.is_equality else value >= 0
    assert evidence.target.evaluate(get) == evidence.target_value < 0
    goal, kind = result.statement.normalized()
    assert evidence.target in ((goal, -goal) if kind == "=" else (goal,))


# ---------------------------------------------------------------- identities


def test_identities_without_constraints_need_no_lp() -> None:
    result = prove("I(A1,A2;Z) = I(A1;Z) + I(A2;Z|A1)")
    assert result.proved and result.method == "identity"
    assert result.certificates == () and result.lp_seconds == 0
    assert "Identity holds exactly" in result.derivation()
    assert is_identity("I(X;Y|Z)", "H(X|Z) - H(X|Y,Z)")
    assert is_identity(parse_expression("I(X;X)"), parse_expression("H(X)"))
    assert not is_identity("I(X;Y)", "I(X;Y|Z)")


def test_identity_under_constraints_is_proved_both_ways() -> None:
    result = prove("I(A;Z) = I(A;Z|C) - I(A;C|Z)", ["I(A;C) = 0"])
    assert result.proved and result.method == "lp"
    goal = result.statement.expression
    assert [c.target for c in result.certificates] == [goal, -goal]
    assert all(c.verify() for c in result.certificates)


def test_inequality_constraints_get_non_negative_multipliers() -> None:
    result = prove("H(A) <= 3 H(B)", ["H(A) <= 2 H(B)"])
    assert result.proved
    (certificate,) = result.certificates
    assert all(m > 0 for m, _ in certificate.terms)
    assert not prove("H(A) <= H(B)", ["H(A) <= 2 H(B)"]).proved


# ---------------------------------------------------------------- certificates


def test_certificate_has_exact_fractions_and_readable_derivation() -> None:
    result = prove("I(A;Z) - I(A;Z|C) + H(C|Z) >= 0", ["I(A;C) = 0"])
    assert result.proved
    for multiplier, inequality in result.certificates[0].terms:
        assert isinstance(multiplier, F)
        assert inequality.source in ("elemental", "constraint")
    text = result.derivation()
    assert text.startswith("Goal: I(A;Z) - I(A;Z|C) + H(C|Z) >= 0\nUnder: I(A;C) = 0\n")
    sum_line = next(l for l in text.splitlines() if l.startswith("Sum of multiplier"))
    goal_line = next(l for l in text.splitlines() if l.startswith("Goal, moved"))
    assert sum_line.split(":", 1)[1].strip() + " >= 0" == goal_line.split(":", 1)[1].strip()
    assert text.endswith("∎")


def test_fractional_coefficients_give_fractional_multipliers() -> None:
    result = prove("1/3 H(A,B) <= 2/3 H(A) + 1/3 H(B|A) + 1/7 I(A;B)")
    assert result.proved and result.verify()
    assert any(m.denominator > 1 for m, _ in result.certificates[0].terms)


def test_tampered_certificates_fail_verification() -> None:
    result = prove("H(X,Y) + H(Y,Z) >= H(X,Y,Z) + H(Y)", ["I(X;Z) = 0"])
    assert result.verify()
    certificate = result.certificates[0]
    multiplier, inequality = certificate.terms[0]
    for bad in (multiplier + F(1, 1000), multiplier * 2, -multiplier, float(multiplier)):
        terms = ((bad, inequality),) + certificate.terms[1:]
        tampered = dataclasses.replace(certificate, terms=terms)
        assert not tampered.verify()
        assert not dataclasses.replace(result, certificates=(tampered,)).verify()
    dropped = dataclasses.replace(certificate, terms=certificate.terms[1:])
    assert not dropped.verify()
    wrong_target = dataclasses.replace(certificate, target=certificate.target + parse_expression("H(X)"))
    assert not wrong_target.verify()


def test_a_certificate_may_only_use_the_proofs_own_hypotheses() -> None:
    result = prove("I(A;Z) <= I(A;Z|C)", ["I(A;C) = 0"])
    assert result.verify()
    stranger = prove("I(A;Z) <= I(A;Z|C)", ["I(A;C) = 0", "H(Z) = 0"])
    assert not dataclasses.replace(result, constraints=stranger.constraints[1:]).verify()


def test_negative_multiplier_on_an_inequality_is_rejected() -> None:
    (inequality,) = [e for e in elemental_inequalities(["A", "B"]) if str(e) == "I(A;B) >= 0"]
    # -I(A;B) is a valid linear identity but not a valid use of I(A;B) >= 0.
    assert not Certificate(-inequality.expression, ((F(-1), inequality),)).verify()
    assert Certificate(inequality.expression, ((F(1), inequality),)).verify()


def test_rounding_fallback_when_the_exact_solve_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prover_module, "_solve_exact", lambda rows, rhs: None)
    result = prove("I(A;Z) = I(A;Z|C) - I(A;C|Z)", ["I(A;C) = 0"])
    assert result.proved and result.verify()
    assert all(c.rationalised_by.startswith("rounding") for c in result.certificates)


def test_exact_vertex_fallback_for_refutations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prover_module, "_DENOMINATOR_BOUNDS", ())
    result = prove(ZHANG_YEUNG)
    _assert_exact_refutation(result)


def test_solve_exact_reports_inconsistency() -> None:
    solve = prover_module._solve_exact
    assert solve([{0: F(1)}, {0: F(2)}], [F(1), F(3)]) is None
    assert solve([{0: F(1), 1: F(1)}, {1: F(2)}], [F(3), F(1)]) == {0: F(5, 2), 1: F(1, 2)}


# ---------------------------------------------------------------- input errors


def test_bad_inputs_raise_typed_errors() -> None:
    with pytest.raises(ExpressionSyntaxError):
        prove("H(A)")
    with pytest.raises(ProverInputError, match="relation string"):
        prove(42)  # type: ignore[arg-type]
    with pytest.raises(ProverInputError, match=r"\['B'\]"):
        prove("H(A) <= H(A,B)", variables=["A"])
    with pytest.raises(ProverInputError, match="duplicate"):
        prove("H(A) >= 0", variables=["A", "A"])
    with pytest.raises(UnknownStatement, match="t1_identity"):
        prove_statement("no_such_statement")
    with pytest.raises(ValueError, match="no causal-model version"):
        prove_statement("t3_single_vs_joint", causal=True)


def test_extra_variables_are_allowed() -> None:
    result = prove("I(A;B) >= 0", variables=["A", "B", "C", "D"])
    assert result.proved and result.n_elemental == n_elemental(4)


# ---------------------------------------------------------------- the paper's statements


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_every_statement_is_proved_with_an_exact_certificate(name: str) -> None:
    result = prove_statement(name)
    assert result.proved and result.verify(), result.derivation()
    goal, kind = result.statement.normalized()
    for certificate in result.certificates:
        assert certificate.combination() == certificate.target
        assert certificate.target in (goal, -goal)
    assert result.derivation().endswith("∎")


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_every_statement_follows_from_the_full_causal_model(name: str) -> None:
    result = prove_statement(name, causal=True)
    assert result.proved and result.verify()
    assert {"C", "S", "Abar", "Xbar", "X", "Z"} <= set(result.variables)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_every_broken_variant_is_not_proved(name: str) -> None:
    result = prove_statement(name)
    assert not result.proved and not result.verify()
    _assert_exact_refutation(result)


def test_t1_lower_bound_needs_no_independence() -> None:
    assert STATEMENTS["t1_lower_bound"].constraints == ()
    assert prove("I(A;Z) >= I(A;Z|C) - H(C|Z)").proved


def test_causal_model_constraints() -> None:
    assert causal_model() == (
        "I(A;C,S,Abar) = 0",
        "H(Xbar|C,S,Abar) = 0",
        "H(X|Xbar,A) = 0",
        "I(Z;C,S,Abar,Xbar,A|X) = 0",
    )
    assert "I(A2;A1) = 0" in causal_model(("A1", "A2"))


# ---------------------------------------------------------------- numbers agree with proofs

Node = tuple  # (name, parents, conditional table with axes parents... + child)


def _joint(nodes: Sequence[Node]) -> tuple[tuple[str, ...], np.ndarray]:
    """Dense joint table of a structural model: each node is p(child | parents)."""
    names: list[str] = []
    table = np.ones(())
    for name, parents, cond in nodes:
        order = sorted(range(len(parents)), key=lambda k: names.index(parents[k]))
        cond = np.transpose(cond, order + [len(parents)])
        shape = [table.shape[i] if n in parents else 1 for i, n in enumerate(names)] + [cond.shape[-1]]
        table = table[..., None] * cond.reshape(shape)
        names.append(name)
    assert abs(table.sum() - 1) < 1e-12
    return tuple(names), table


def _root(rng: np.random.Generator, card: int) -> np.ndarray:
    return rng.dirichlet(np.ones(card))


def _channel(rng: np.random.Generator, parent_cards: Sequence[int], card: int) -> np.ndarray:
    return rng.dirichlet(np.full(card, 0.7), size=tuple(parent_cards))


def _function(values: np.ndarray, card: int) -> np.ndarray:
    """One-hot table of a deterministic map, ``values`` indexed by the parents."""
    return np.eye(card)[values]


def _causal_world(
    seed: int, *, agnostic: bool = False, reveal_a: bool = False, fine: bool = False, multi: bool = False
) -> tuple[tuple[str, ...], np.ndarray]:
    """A random world of the paper's causal model (random tables and functions).

    agnostic: C independent of (S, Abar) and Xbar a function of (S, Abar) only, so Z's
    response to A is class-free (I(Z;C|A) = 0). reveal_a: X encodes A injectively and Z
    keeps it (H(A|Z) = 0). fine: A = g(Afine) with X built from Afine. multi: A1, A2.
    """
    rng = np.random.default_rng(seed)
    nodes: list[Node] = [("C", (), _root(rng, 3))]
    if agnostic:
        nodes += [("S", (), _root(rng, 2)), ("Abar", ("S",), _channel(rng, [2], 2))]
    else:
        nodes += [("S", ("C",), _channel(rng, [3], 2)), ("Abar", ("C", "S"), _channel(rng, [3, 2], 2))]
    if fine:
        nodes += [("Afine", (), _root(rng, 4)), ("A", ("Afine",), _function(rng.integers(0, 2, 4), 2))]
        aug, aug_cards = ("Afine",), [4]
    elif multi:
        nodes += [("A1", (), _root(rng, 2)), ("A2", (), _root(rng, 3))]
        aug, aug_cards = ("A1", "A2"), [2, 3]
    else:
        nodes += [("A", (), _root(rng, 3))]
        aug, aug_cards = ("A",), [3]
    latents, latent_cards = (("S", "Abar"), [2, 2]) if agnostic else (("C", "S", "Abar"), [3, 2, 2])
    nodes += [("Xbar", latents, _function(rng.integers(0, 4, latent_cards), 4))]
    if reveal_a:
        n_a = aug_cards[0]
        x_of = np.arange(4 * n_a).reshape(4, n_a)  # injective in (Xbar, A)
        keep = rng.integers(0, 2, 4 * n_a)
        nodes += [
            ("X", ("Xbar", *aug), _function(x_of, 4 * n_a)),
            ("Z", ("X",), _function(np.arange(4 * n_a) % n_a + n_a * keep, 2 * n_a)),
        ]
    else:
        nodes += [
            ("X", ("Xbar", *aug), _function(rng.integers(0, 5, [4, *aug_cards]), 5)),
            ("Z", ("X",), _channel(rng, [5], 3)),
        ]
    return _joint(nodes)


def _entropy_of(names: tuple[str, ...], table: np.ndarray) -> Callable[[frozenset[str]], float]:
    cache: dict[frozenset[str], float] = {}

    def entropy_of(subset: frozenset[str]) -> float:
        if subset not in cache:
            other = tuple(i for i, n in enumerate(names) if n not in subset)
            p = table.sum(axis=other).ravel()
            p = p[p > 0]
            cache[subset] = float(-(p * np.log2(p)).sum())
        return cache[subset]

    return entropy_of


def _world_for(name: str, seed: int) -> tuple[tuple[str, ...], np.ndarray]:
    spec = STATEMENTS[name]
    text = " ".join((spec.statement, *spec.causal_model))
    return _causal_world(
        seed,
        agnostic="I(Z;C|A) = 0" in spec.causal_model,
        reveal_a="H(A|Z) = 0" in spec.causal_model,
        fine="Afine" in text,
        multi="A1" in text,
    )


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_proved_statements_hold_on_random_worlds(name: str) -> None:
    spec = STATEMENTS[name]
    assert prove_statement(name).proved
    for seed in range(4):
        names, table = _world_for(name, seed)
        entropy_of = _entropy_of(names, table)
        for constraint in (*spec.constraints, *spec.causal_model):
            assert parse_relation(constraint).holds_on(entropy_of), (constraint, seed)
        assert parse_relation(spec.statement).holds_on(entropy_of), (spec.statement, seed)


def test_random_worlds_show_explaining_away() -> None:
    # Guards against vacuous numeric checks: the collider term is really positive.
    terms = [parse_expression("I(A;C|Z)").evaluate(_entropy_of(*_causal_world(seed))) for seed in range(4)]
    assert max(terms) > 1e-3


def _bits(values: dict[tuple[int, ...], float], names: tuple[str, ...]) -> tuple[tuple[str, ...], np.ndarray]:
    table = np.zeros((2,) * len(names))
    for index, p in values.items():
        table[index] = p
    return names, table


VIOLATIONS = {
    # A = C = Z, one fair bit: I(A;Z) = 1 but I(A;Z|C) = I(A;C|Z) = 0.
    "t1_identity_without_independence": _bits({(0, 0, 0): 0.5, (1, 1, 1): 0.5}, ("A", "C", "Z")),
    "t1_upper_bound_without_independence": _bits({(0, 0, 0): 0.5, (1, 1, 1): 0.5}, ("A", "C", "Z")),
    # A, C independent fair bits, Z = A xor C: I(A;Z) = 0 < I(A;Z|C) = 1 (explaining-away).
    "t1_upper_bound_reversed": _bits({(a, c, a ^ c): 0.25 for a in (0, 1) for c in (0, 1)}, ("A", "C", "Z")),
    # A = C, Z constant: I(A;C|Z) = 1 > I(Z;C|A) = 0.
    "principle2_bound_without_independence": _bits({(0, 0, 0): 0.5, (1, 1, 0): 0.5}, ("A", "C", "Z")),
}


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_broken_variants_are_violated_by_a_concrete_distribution(name: str) -> None:
    names, table = VIOLATIONS[name]
    entropy_of = _entropy_of(names, table)
    spec = BROKEN[name]
    for constraint in spec.constraints:
        assert parse_relation(constraint).holds_on(entropy_of)
    relation = parse_relation(spec.statement)
    assert not relation.holds_on(entropy_of)
    assert abs(relation.slack(entropy_of)) >= 1 - 1e-9  # off by a full bit


def test_t1_violation_comes_from_dependence_of_a_and_c() -> None:
    names, table = VIOLATIONS["t1_identity_without_independence"]
    entropy_of = _entropy_of(names, table)
    assert parse_expression("I(A;C)").evaluate(entropy_of) == pytest.approx(1)
    relation = parse_relation(BROKEN["t1_identity_without_independence"].statement)
    # The identity is off by exactly I(A;C).
    assert relation.slack(entropy_of) == pytest.approx(parse_expression("I(A;C)").evaluate(entropy_of))


def test_docstring_examples() -> None:
    flags = doctest.NORMALIZE_WHITESPACE
    assert doctest.testmod(prover_module, optionflags=flags).failed == 0
    assert doctest.testmod(statements_module, optionflags=flags).failed == 0


def test_verified_is_a_deprecated_name_for_proved():
    for statement in ("I(A;B) >= 0", "I(A;B) <= 0"):
        result = prove(statement)
        with pytest.warns(DeprecationWarning, match="use .proved"):
            assert result.verified == result.proved
