"""``LinearProbe``: multinomial logistic regression on frozen features, scikit-learn style.

Its cross-entropy gives the probe's *usable information* about the labels,
``H(Y) - CE_probe`` (bits): a lower bound on I(Y; X) when both are computed on the same
distribution, because no predictor q(y|x) beats H(Y|X) in expected log-loss.

>>> import numpy as np
>>> Z = np.array([[0.0], [0.1], [1.0], [1.1]]); y = np.array([0, 0, 1, 1])
>>> probe = LinearProbe().fit(Z, y)
>>> probe.accuracy_, round(probe.usable_bits_, 2)
(1.0, 0.56)
"""

from __future__ import annotations

import math

import numpy as np

from .errors import ProbeInputError


def _check(Z, y, weights):
    Z = np.asarray(Z, dtype=np.float64)
    y = np.asarray(y)
    if Z.ndim != 2:
        raise ProbeInputError(f"features must be 2-D (n_samples, n_features), got shape {Z.shape}")
    if y.shape != (Z.shape[0],):
        raise ProbeInputError(f"labels have shape {y.shape}, expected ({Z.shape[0]},)")
    if len(y) == 0:
        raise ProbeInputError("no samples")
    if not np.isfinite(Z).all():
        raise ProbeInputError("features contain NaN or infinite values")
    if weights is None:
        weights = np.full(len(y), 1.0 / len(y))
    else:
        weights = np.asarray(weights, dtype=np.float64)
        if weights.shape != y.shape or (weights < 0).any() or not weights.sum() > 0:
            raise ProbeInputError("weights must be non-negative, one per sample, with a positive sum")
        weights = weights / weights.sum()
    return Z, y, weights


def entropy_bits(labels: np.ndarray, weights: np.ndarray) -> float:
    """H(Y) of the weighted label distribution, in bits."""
    p = np.bincount(np.searchsorted(np.unique(labels), labels), weights=weights)
    p = p[p > 0]
    return float(-np.dot(p, np.log2(p)))


class LinearProbe:
    """Logistic regression on standardised features (:mod:`synthetic.logistic`).

    Parameters are stored by ``__init__``; ``fit`` returns ``self`` and sets the learned
    state ``classes_``, ``model_``, ``accuracy_``, ``cross_entropy_bits_`` and
    ``usable_bits_`` (on the fitting data, under its weights).
    """

    def __init__(self, C: float = 1.0, max_iter: int = 1000):
        self.C = C
        self.max_iter = max_iter

    def fit(self, Z, y, sample_weight=None) -> LinearProbe:
        from threadpoolctl import threadpool_limits

        from .logistic import fit_logistic

        Z, y, w = _check(Z, y, sample_weight)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ProbeInputError(f"a probe needs at least two classes, got {self.classes_.tolist()}")
        # Weights summing to n keep C's usual meaning (the penalty is scaled by their total). One
        # BLAS thread: the fit is small, and two threads stall it by 100x and more whenever
        # another process holds a core.
        with threadpool_limits(limits=1):
            self.model_ = fit_logistic(Z, np.searchsorted(self.classes_, y), w * len(y), self.C, self.max_iter)
        self.accuracy_ = self.score(Z, y, w)
        self.cross_entropy_bits_ = self.cross_entropy_bits(Z, y, w)
        self.usable_bits_ = entropy_bits(y, w) - self.cross_entropy_bits_
        return self

    def predict_proba(self, Z) -> np.ndarray:
        return self.model_.predict_proba(np.asarray(Z, dtype=np.float64))

    def predict(self, Z) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(Z), axis=1)]

    def score(self, Z, y, sample_weight=None) -> float:
        """Weighted accuracy."""
        Z, y, w = _check(Z, y, sample_weight)
        return float(np.dot(w, self.predict(Z) == y))

    def cross_entropy_bits(self, Z, y, sample_weight=None) -> float:
        """Weighted expected log-loss -E log2 q(y|z); labels unseen in fit cost infinity."""
        Z, y, w = _check(Z, y, sample_weight)
        proba = self.predict_proba(Z)
        index = np.searchsorted(self.classes_, y)
        known = (index < len(self.classes_)) & (self.classes_[np.minimum(index, len(self.classes_) - 1)] == y)
        if not known[w > 0].all():
            return math.inf
        p = proba[np.arange(len(y)), np.minimum(index, len(self.classes_) - 1)]
        return float(-np.dot(w, np.log2(np.maximum(p, np.finfo(float).tiny))))

    def usable_bits(self, Z, y, sample_weight=None) -> float:
        """H(Y) - CE_probe on the given (weighted) data."""
        _, y_, w = _check(Z, y, sample_weight)
        return entropy_bits(y_, w) - self.cross_entropy_bits(Z, y, sample_weight)
