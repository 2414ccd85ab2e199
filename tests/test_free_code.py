"""The ideal learner: a free table of code logits fit on the exact distribution."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from proofs_check.strategies import essl_models
from synthetic.nets.free_code import code_information, fit_free_code
from theory import InvalidDistribution, Joint, entropy, mutual_information


def _cax(model: Joint) -> np.ndarray:
    return np.asarray(model.marginal("C", "A", "X").probabilities, dtype=np.float64)


@settings(max_examples=20, deadline=None)
@given(essl_models(n_styles=1, n_actions=2, n_inputs=3, n_codes=1))
def test_the_code_information_is_exact_and_the_loss_bounds_h_a_given_z(model):
    p = _cax(model)
    fit = fit_free_code(p, n_codes=3, steps=40, seed=1)
    J = Joint(np.einsum("cax,xz->caz", p, fit.code), names=("C", "A", "Z"))
    assert fit.i_a_z == pytest.approx(float(mutual_information(J, "A", "Z")), abs=1e-9)
    assert fit.i_c_z == pytest.approx(float(mutual_information(J, "C", "Z")), abs=1e-9)
    # the expected cross-entropy of a code is at least its H(A|Z)
    assert fit.loss_bits >= float(entropy(J, "A", given="Z")) - 1e-9
    assert fit.path[0][0] == 0 and fit.path[-1] == (41, fit.i_a_z, fit.i_c_z)


@settings(max_examples=30, deadline=None)
@given(essl_models(n_styles=1, n_actions=3, n_inputs=5, n_codes=1))
def test_polishing_only_lowers_the_loss_and_reaches_the_optimum_with_enough_codes(model):
    """With as many codes as distinct posteriors p(A|x) the polished code is Z = T: its
    I(A;Z) equals I(A;X) and it is deterministic, whatever the gradient phase left."""
    p = _cax(model)
    rough = fit_free_code(p, n_codes=5, steps=5, seed=2, polish=False)
    fit = fit_free_code(p, n_codes=5, steps=5, seed=2)
    i_a_x = float(mutual_information(Joint(p, names=("C", "A", "X")), "A", "X"))
    assert fit.polish_gain_bits == pytest.approx(fit.i_a_z - rough.i_a_z)
    assert fit.loss_bits <= rough.loss_bits + 1e-9
    assert fit.i_a_z == pytest.approx(i_a_x, abs=1e-9) and fit.h_z_given_x == 0.0


def test_polishing_splits_merged_posteriors_into_an_unused_code():
    """Four inputs with four distinct posteriors, all on one code at first: coordinate descent
    alone cannot leave it (the other codes are unused); the unused codes must be handed out."""
    from synthetic.nets.free_code import _polish

    p_ax = np.array([[0.2, 0.05], [0.05, 0.2], [0.15, 0.1], [0.1, 0.15]])
    assign = _polish(p_ax, np.zeros(4, dtype=int), n_codes=4)
    assert sorted(assign) == [0, 1, 2, 3]


def test_the_ideal_learner_reaches_i_a_x_where_the_class_is_needed():
    """X = (C, A xor N), N ~ Bern(0.4) in class 0 and Bern(0.3) in class 1: reaching I(A;X)
    needs the class (the best class-blind code stops 0.008 bits short), so the fit carries it."""
    p = np.zeros((2, 2, 4))
    for c, noise in ((0, 0.4), (1, 0.3)):
        for a in (0, 1):
            p[c, a, 2 * c + a] += 0.25 * (1 - noise)
            p[c, a, 2 * c + (1 - a)] += 0.25 * noise
    fit = fit_free_code(p, n_codes=4, steps=2000, seed=0)
    i_a_x = float(mutual_information(Joint(p, names=("C", "A", "X")), "A", "X"))
    assert fit.i_a_z == pytest.approx(i_a_x, abs=1e-3)
    assert fit.i_c_z > 0.5 and fit.h_z_given_x < 0.05


def test_same_seed_same_code():
    p = np.full((2, 2, 3), 1 / 12)
    one, two = fit_free_code(p, 2, steps=20, seed=4), fit_free_code(p, 2, steps=20, seed=4)
    assert np.array_equal(one.code, two.code) and one.path == two.path


def test_code_information_of_a_constant_code_is_zero():
    p = np.full((2, 2, 3), 1 / 12)
    assert code_information(p, np.ones((3, 1))) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize(
    "p, kwargs, match",
    [
        (np.ones((2, 2)), {}, "shape"),
        (np.full((2, 2, 2), -1 / 8), {}, "negative"),
        (np.full((2, 2, 2), 0.2), {}, "sums to 1.6"),
        (np.full((2, 2, 2), 1 / 8), {"n_codes": 0}, "n_codes"),
        (np.full((2, 2, 2), 1 / 8), {"switch": 1.5}, "switch"),
    ],
)
def test_bad_input_is_named(p, kwargs, match):
    with pytest.raises(InvalidDistribution, match=match):
        fit_free_code(p, **{"n_codes": 2, **kwargs})
