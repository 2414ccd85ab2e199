"""The probe's logistic regression against scikit-learn's (StandardScaler + lbfgs), the
reference it reimplements for speed."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from synthetic.logistic import fit_logistic


def _problem(seed: int, n: int, d: int, k: int):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, d))
    labels = np.arange(n) % k
    Z = centres[labels] + rng.normal(scale=1.5, size=(n, d))
    Z[:, 0] = 3.0  # a constant feature: left unscaled
    weights = rng.uniform(0.1, 1.0, size=n)
    return Z, labels, weights


@pytest.mark.parametrize("k", [2, 3, 8])
@pytest.mark.parametrize("C", [0.01, 1.0, 10.0])
def test_matches_scikit_learn(k, C):
    Z, labels, weights = _problem(k, 120, 6, k)
    reference = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=1000))
    reference.fit(Z, labels, logisticregression__sample_weight=weights)
    model = fit_logistic(Z, labels, weights, C)
    ours, theirs = model.predict_proba(Z), reference.predict_proba(Z)
    assert np.abs(ours - theirs).max() < 1e-4
    assert (ours.argmax(1) == theirs.argmax(1)).mean() > 0.99


def test_the_penalty_scales_with_the_weights_total():
    """Doubling every weight halves the penalty's share: the same as doubling C."""
    Z, labels, weights = _problem(0, 60, 4, 3)
    a = fit_logistic(Z, labels, 2 * weights, 0.1).predict_proba(Z)
    b = fit_logistic(Z, labels, weights, 0.2).predict_proba(Z)
    assert np.abs(a - b).max() < 1e-5


def test_separable_data_stays_finite():
    Z = np.array([[0.0], [0.1], [1.0], [1.1]])
    model = fit_logistic(Z, np.array([0, 0, 1, 1]), np.ones(4), C=1e6)
    assert np.isfinite(model.coef).all() and model.predict_proba(Z)[0, 0] > 0.99
