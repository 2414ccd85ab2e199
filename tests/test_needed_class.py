"""I(C;T) with T = p(A|X), and the class-blind limits, against brute force on small models.

The brute forces are built here from the dense table p(c, a, x), independently of the
engine: every deterministic code of X (a set partition) for I(C;T), and every vertex of the
class-blind polytope (all bases of its equality constraints) for the class-blind accuracy and
log-loss.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proofs_check.strategies import essl_models
from synthetic.worlds import presets
from theory import (
    InvalidDistribution,
    Joint,
    PushforwardJoint,
    class_blind_accuracy,
    class_blind_code,
    class_blind_limit,
    entropy,
    mutual_information,
    posterior_ids,
    with_posterior,
)
from theory.essl import needed_class_information

SMALL = dict(n_styles=1, n_poses=st.integers(1, 2), n_actions=2, n_inputs=st.integers(2, 4), n_codes=1)


def _cax(model: Joint) -> np.ndarray:
    """p(c, a, x) as floats from a drawn model."""
    return np.asarray(model.marginal("C", "A", "X").probabilities, dtype=np.float64)


def _partitions(items: list[int]):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _partitions(rest):
        for i in range(len(part)):
            yield part[:i] + [[first, *part[i]]] + part[i + 1 :]
        yield [[first], *part]


def _with_code(model: Joint, code_of_x: np.ndarray) -> PushforwardJoint:
    cax = model.marginal("C", "A", "X")
    z = np.broadcast_to(code_of_x[None, None, :], cax.shape)
    return PushforwardJoint(cax, {"Z": z})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(essl_models(**SMALL, collide=True))
def test_i_c_t_is_the_least_class_information_of_any_optimal_deterministic_code(model):
    n_x = model.shape[model.names.index("X")]
    i_ax = mutual_information(model, "A", "X")
    least = math.inf
    for part in _partitions(list(range(n_x))):
        code = np.empty(n_x, dtype=np.int64)
        for k, block in enumerate(part):
            code[block] = k
        J = _with_code(model, code)
        if abs(mutual_information(J, "A", "Z") - i_ax) < 1e-9:
            least = min(least, mutual_information(J, "C", "Z"))
    assert mutual_information(with_posterior(model), "C", "T") == pytest.approx(least, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(essl_models(exact=True), st.data())
def test_needed_class_information_on_optimal_codes(model, data):
    """Z = (T, any function of X) keeps I(A;X); the statement holds, with equality at Z = T."""
    t_of_x, _ = posterior_ids(model, "A", "X")
    n_x = len(t_of_x)
    extra = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n_x, max_size=n_x)))
    J = _with_code(model, t_of_x * 3 + extra)
    report = needed_class_information(J)
    assert report.holds, str(report)
    tight = needed_class_information(_with_code(model, t_of_x))
    assert tight.holds and tight.slack == 0


@settings(max_examples=60, deadline=None)
@given(essl_models())
def test_needed_class_information_on_any_code_keeps_its_unconditional_relations(model):
    """The drawn stochastic encoder Z: the relations on T always hold; the bound is only claimed
    when Z is optimal, and a code that is not optimal is reported as such, never as holding."""
    report = needed_class_information(model)
    assert report.relations[1].holds and report.relations[2].holds
    optimal = abs(mutual_information(model, "A", "Z") - mutual_information(model, "A", "X")) <= 1e-9
    assert ("optimal" not in " ".join(report.failed_preconditions)) == optimal
    if optimal:
        assert report.relations[0].holds


def test_needed_class_information_flags_a_code_that_reads_the_class():
    # Z = C is not a code of X in the six/nine world (it reads the class directly)
    J = Joint.from_weights([[[1, 0], [0, 1]], [[0, 1], [1, 0]]], names=("C", "A", "X"))
    with_z = PushforwardJoint(J, {"Z": np.broadcast_to(np.arange(2)[:, None, None], (2, 2, 2))})
    report = needed_class_information(with_z)
    assert any("is a code of X" in p for p in report.failed_preconditions)


# ------------------------------------------------------------------ the class-blind polytope


def _polytope(cax: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(A_eq, b, the X values kept) of {q(z|x) >= 0: rows sum to 1, p(z|c) the same for all c}."""
    p_cx = cax.sum(axis=1)
    xs = np.flatnonzero(p_cx.sum(axis=0) > 0)
    cs = np.flatnonzero(p_cx.sum(axis=1) > 0)
    n = len(xs) * m
    rows, rhs = [], []
    for i in range(len(xs)):
        row = np.zeros(n)
        row[i * m : (i + 1) * m] = 1
        rows.append(row)
        rhs.append(1.0)
    p_x_given_c = p_cx[np.ix_(cs, xs)] / p_cx[cs].sum(axis=1, keepdims=True)
    for k in range(1, len(cs)):
        for z in range(m):
            row = np.zeros(n)
            for i in range(len(xs)):
                row[i * m + z] = p_x_given_c[k, i] - p_x_given_c[0, i]
            rows.append(row)
            rhs.append(0.0)
    return np.array(rows), np.array(rhs), xs


def _vertices(A: np.ndarray, b: np.ndarray):
    rank = np.linalg.matrix_rank(A)
    for basis in itertools.combinations(range(A.shape[1]), rank):
        sub = A[:, basis]
        if np.linalg.matrix_rank(sub) < rank:
            continue
        solution, *_ = np.linalg.lstsq(sub, b, rcond=None)
        if np.abs(sub @ solution - b).max() > 1e-9 or solution.min() < -1e-9:
            continue
        q = np.zeros(A.shape[1])
        q[list(basis)] = np.clip(solution, 0, None)
        yield q


def _h_a_given_z_bits(p_ax: np.ndarray, q: np.ndarray) -> float:
    p_az = p_ax @ q
    p_z = p_az.sum(axis=0)
    mask = p_az > 0
    return float(-(p_az[mask] * np.log2(p_az[mask] / np.broadcast_to(p_z, p_az.shape)[mask])).sum())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(essl_models(**SMALL))
def test_class_blind_accuracy_is_the_best_vertex(model):
    cax = _cax(model)
    n_a = cax.shape[1]
    A, b, xs = _polytope(cax, n_a)
    p_xa = cax.sum(axis=0).T[xs]
    best = max(float(p_xa.ravel() @ q) for q in _vertices(A, b))
    assert class_blind_accuracy(model) == pytest.approx(best, abs=1e-9)


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(essl_models(**SMALL))
def test_class_blind_code_reaches_the_best_vertex_and_is_class_blind(model):
    cax = _cax(model)
    A, b, xs = _polytope(cax, 2)
    p_ax = cax.sum(axis=0)[:, xs]
    best = min(_h_a_given_z_bits(p_ax, q.reshape(len(xs), 2)) for q in _vertices(A, b))
    found = class_blind_code(model, n_codes=2)
    assert found.h_a_given_z == pytest.approx(best, abs=1e-7)
    assert found.i_c_z < 1e-9
    z = Joint(np.einsum("cax,xz->caz", cax, found.code), names=("C", "A", "Z"))
    assert float(mutual_information(z, "C", "Z")) < 1e-9
    assert float(mutual_information(z, "A", "Z")) == pytest.approx(
        float(mutual_information(z, "A", "A")) - found.h_a_given_z, abs=1e-7
    )


def test_the_search_slope_is_the_gradient_of_h_a_given_z():
    from theory._class_blind import _gradient, _h_a_given_z

    rng = np.random.default_rng(0)
    p_ga = rng.dirichlet(np.ones(12)).reshape(4, 3)
    q = rng.dirichlet(np.ones(5), size=4)
    slope = _gradient(p_ga, q)
    step = 1e-6
    for g, z in itertools.product(range(4), range(5)):
        up, down = q.copy(), q.copy()
        up[g, z] += step
        down[g, z] -= step
        numeric = (_h_a_given_z(p_ga, up) - _h_a_given_z(p_ga, down)) / (2 * step)
        assert slope[g, z] == pytest.approx(numeric, rel=1e-3, abs=1e-6)


def test_class_blind_search_descends():
    """The vertex search, not luck: on occluded under rot4 (58 groups of X) it ends far below the
    constant code's 2 bits (measured 0.36-0.39 bits with 16 starts, seeds 0-2)."""
    assert class_blind_code(presets.get("occluded").joint("rot4"), starts=4).h_a_given_z < 0.5


@pytest.mark.parametrize("exact", [True, False])
def test_values_of_x_with_one_posterior_share_t_whatever_their_mass_and_class(exact):
    # X=0 (class 0) and X=1 (class 1) both have p(A|X) = (1/2, 1/2), with different masses
    weights = np.array([[[2, 2], [0, 0]], [[0, 0], [1, 1]]])
    J = Joint.from_weights(weights if exact else weights / 6.0, names=("C", "X", "A"))
    ids, n = posterior_ids(J, "A", "X")
    assert n == 1 and ids.tolist() == [0, 0]
    assert float(mutual_information(with_posterior(J), "C", "T")) == pytest.approx(0, abs=1e-12)


def test_class_blind_code_is_seeded():
    J = presets.get("occluded").joint("rot4")
    one, two = class_blind_code(J, starts=2, seed=3), class_blind_code(J, starts=2, seed=3)
    assert one.h_a_given_z == two.h_a_given_z and np.array_equal(one.code, two.code)


@pytest.mark.parametrize(
    "name, transform, i_c_t, i_a_c_given_x, acc_gap_zero",
    [
        ("six-nine", "rot2", 0.0, 1.0, True),  # explaining away, but no class to learn
        ("natural", "rot4", 0.0, 0.0, True),  # A is a function of X: Z = A is optimal and blind
        ("symmetric", "rot4", 1.5305, 0.0, True),  # I(A;C|X) = 0 yet over 1.5 bits are needed
    ],
)
def test_worlds_where_explaining_away_and_needed_class_information_part(
    name, transform, i_c_t, i_a_c_given_x, acc_gap_zero
):
    r = presets.get(name).analyze(transform)
    assert float(r["I_C_T"]) == pytest.approx(i_c_t, abs=1e-4)
    assert float(r["I_A_C_given_X"]) == pytest.approx(i_a_c_given_x, abs=1e-9)
    # the class-blind accuracy ceiling is the Bayes accuracy in all three: accuracy cannot see it
    assert (abs(r["bayes_acc_A_class_blind"] - r["bayes_acc_A_given_X"]) < 1e-9) == acc_gap_zero
    ce_gap = r["H_A_given_Z_class_blind"] - float(r["H_A_given_X"])
    assert (ce_gap > 0.1) == (i_c_t > 0)
    assert float(r["H_A_given_X"]) - 1e-9 <= r["H_A_given_Z_class_blind"] <= float(r["H_A"]) + 1e-9


def test_exact_worlds_give_exact_i_c_t():
    from fractions import Fraction as F

    r = presets.get("six-nine", class_prior=(F(1, 3), F(2, 3))).analyze("rot2")
    assert r["I_C_T"] == 0 and type(r["I_C_T"]).__module__.startswith("sympy")


def test_posterior_of_a_zero_probability_value_is_its_own_id():
    J = Joint([[0.5, 0.0], [0.0, 0.0], [0.0, 0.5]], names=("X", "A"))
    ids, n = posterior_ids(J, "A", "X")
    assert n == 3 and len(set(ids.tolist())) == 3


@pytest.mark.parametrize("target, given_", [("A", ("X", "C")), ("A", "A")])
def test_posterior_rejects_what_is_not_one_other_variable(target, given_):
    J = Joint.from_weights(np.ones((2, 2, 2)), names=("A", "C", "X"))
    with pytest.raises(InvalidDistribution, match="variable|itself"):
        posterior_ids(J, target, given_)


def test_class_blind_rejects_bad_arguments():
    J = Joint.from_weights(np.ones((2, 2, 2)), names=("A", "C", "X"))
    with pytest.raises(InvalidDistribution, match="starts"):
        class_blind_code(J, starts=0)
    with pytest.raises(InvalidDistribution, match="n_codes"):
        class_blind_code(J, n_codes=0)
    with pytest.raises(InvalidDistribution, match="different"):
        class_blind_accuracy(J, a="A", c="A", x="X")


# ------------------------------------------------------------------ the class-blind limit, any number of codes


def _brute_force_minimum(model: Joint) -> float:
    cax = _cax(model)
    xs = np.flatnonzero(cax.sum(axis=(0, 1)) > 0)
    m = len(xs)
    A, b, xs = _polytope(cax, m)
    p_ax = cax.sum(axis=0)[:, xs]
    return min(_h_a_given_z_bits(p_ax, q.reshape(len(xs), m)) for q in _vertices(A, b))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(essl_models(**SMALL))
def test_the_exact_limit_is_the_best_class_blind_code_and_the_relaxation_brackets_it(model):
    best = _brute_force_minimum(model)
    exact = class_blind_limit(model)
    assert exact.method == "vertex enumeration" and exact.exact
    assert exact.lower == pytest.approx(best, abs=1e-7)
    relaxed = class_blind_limit(model, max_bases=1)
    assert relaxed.lower <= best + 1e-7 <= relaxed.upper + 2e-7
    assert relaxed.lower >= float(entropy(model, "A", given="X")) - 1e-9


def _near_optimal_but_class_blind() -> Joint:
    """A, C uniform bits; X = (C, A xor N) with N ~ Bern(0.4) in class 0 and Bern(0.3) in class 1."""
    p = np.zeros((2, 2, 4))  # (C, A, X) with X = 2 C + (A xor N)
    for c, noise in ((0, 0.4), (1, 0.3)):
        for a in (0, 1):
            p[c, a, 2 * c + a] += 0.25 * (1 - noise)
            p[c, a, 2 * c + (1 - a)] += 0.25 * noise
    return Joint(p, names=("C", "A", "X"))


def test_a_code_can_be_nearly_optimal_for_a_and_blind_to_the_class():
    J = _near_optimal_but_class_blind()
    i_a_x = 1 - float(entropy(J, "A", given="X"))
    # Z = A xor N is uniform in both classes; across them N ~ Bern(0.35)
    i_a_z = 1 + 0.35 * math.log2(0.35) + 0.65 * math.log2(0.65)
    assert i_a_x == pytest.approx(0.0739, abs=1e-4) and i_a_x - i_a_z == pytest.approx(0.0080, abs=1e-4)
    limit = class_blind_limit(J)
    # the class-blind point lies at or right of that code, and at most at I(A;X)
    assert 1 - limit.upper >= i_a_z - 1e-9 and limit.exact
    assert 1 - limit.lower <= i_a_x + 1e-9


@pytest.mark.slow  # about 30 s: runs with the slow set (README, Testing)
def test_the_pairwise_relaxation_certifies_a_point_well_above_h_a_given_x_on_occluded():
    """Measured: H(A|X) 0.144, relaxation 0.310, search 0.386 bits (occluded, rot4, 58 groups of X)."""
    J = presets.get("occluded").joint("rot4")
    limit = class_blind_limit(J)
    assert limit.method == "pairwise relaxation" and not limit.exact
    assert float(entropy(J, "A", given="X")) + 0.1 < limit.lower < limit.upper
    assert limit.upper <= class_blind_code(J).h_a_given_z + 1e-12


def test_an_exhaustive_limit_meets_the_search_on_symmetric():
    """symmetric under rot4: 20 groups, 9 classes, 167,960 bases; the search found the optimum."""
    J = presets.get("symmetric").joint("rot4")
    limit = class_blind_limit(J)
    assert limit.method == "vertex enumeration"
    assert limit.lower == pytest.approx(class_blind_code(J).h_a_given_z, abs=1e-7)


def test_class_blind_limit_rejects_bad_arguments():
    J = Joint.from_weights(np.ones((2, 2, 2)), names=("A", "C", "X"))
    with pytest.raises(InvalidDistribution, match="max_bases"):
        class_blind_limit(J, max_bases=0)
    with pytest.raises(InvalidDistribution, match="different"):
        class_blind_limit(J, a="A", c="A", x="X")
