"""L2-penalised logistic regression on standardised features, solved by L-BFGS-B.

The same problem, start and stopping rule as scikit-learn's ``StandardScaler`` followed by
``LogisticRegression(solver="lbfgs")``: features centred and scaled by their (unweighted)
mean and standard deviation, constant features left unscaled; binary labels through one
weight vector (the binomial loss), more labels through one per class (the multinomial loss);
the objective ``mean_w(loss) + ||W||^2 / (2 C sum(w))`` from zero weights, with ``gtol`` 1e-4
and ``ftol`` 64 eps. Solutions agree with scikit-learn's to the solver's tolerance
(``tests/test_logistic.py``), at a fraction of its per-call cost: the probes of a run fit
this dozens of times on small problems, where scikit-learn's validation and bookkeeping
cost more than the arithmetic.

>>> import numpy as np
>>> X = np.array([[0.0], [0.1], [1.0], [1.1]]); y = np.array([0, 0, 1, 1])
>>> model = fit_logistic(X, y, np.ones(4), C=1.0)
>>> model.predict_proba(X).argmax(1).tolist()
[0, 0, 1, 1]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

__all__ = ["LogisticModel", "fit_logistic"]

_EPS = np.finfo(np.float64).eps


@dataclass(frozen=True)
class LogisticModel:
    """Fitted weights ``(k, d)`` and intercepts ``(k,)`` on standardised features (``k`` = 1
    for two classes), with the standardisation's ``mean`` and ``scale``."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    n_iter: int

    def predict_proba(self, Z: np.ndarray) -> np.ndarray:
        """Class probabilities ``(n, n_classes)``, columns in the order of the sorted labels."""
        raw = ((Z - self.mean) / self.scale) @ self.coef.T + self.intercept
        if self.coef.shape[0] == 1:
            p = _logistic(raw[:, 0])
            return np.column_stack([1 - p, p])
        exp = np.exp(raw - raw.max(1, keepdims=True))
        return exp / exp.sum(1, keepdims=True)


def _logistic(raw: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-raw), without overflow."""
    return 0.5 + 0.5 * np.tanh(0.5 * raw)


def _standardise(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and scale as scikit-learn's StandardScaler: a feature whose variance is within
    rounding of zero keeps scale 1."""
    n = len(Z)
    mean = Z.mean(0)
    var = Z.var(0)
    constant = var <= n * _EPS * var + (n * mean * _EPS) ** 2
    scale = np.sqrt(var)
    scale[constant | (scale < 10 * _EPS)] = 1.0
    return mean, scale


def _binomial(params: np.ndarray, X: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float) -> tuple[float, np.ndarray]:
    coef, intercept = params[:-1], params[-1]
    raw = X @ coef + intercept
    loss = float(w @ (np.logaddexp(0.0, raw) - y * raw))
    residual = w * (_logistic(raw) - y)
    grad = np.empty_like(params)
    grad[:-1] = X.T @ residual + l2 * coef
    grad[-1] = residual.sum()
    return loss + 0.5 * l2 * float(coef @ coef), grad


def _multinomial(
    params: np.ndarray, X: np.ndarray, Y: np.ndarray, w: np.ndarray, l2: float
) -> tuple[float, np.ndarray]:
    k = Y.shape[1]
    W = params.reshape(k, -1)
    coef, intercept = W[:, :-1], W[:, -1]
    shifted = X @ coef.T + intercept
    shifted -= shifted.max(1, keepdims=True)
    exp = np.exp(shifted)  # plain numpy: scipy's softmax costs more than the data here
    total = exp.sum(1)
    loss = float(w @ (np.log(total) - (shifted * Y).sum(1)))
    residual = w[:, None] * (exp / total[:, None] - Y)
    grad = np.empty_like(W)
    grad[:, :-1] = residual.T @ X + l2 * coef
    grad[:, -1] = residual.sum(0)
    return loss + 0.5 * l2 * float((coef * coef).sum()), grad.ravel()


def fit_logistic(
    Z: np.ndarray, labels: np.ndarray, weights: np.ndarray, C: float, max_iter: int = 1000
) -> LogisticModel:
    """The penalised maximum-likelihood fit of labels ``0 .. k-1`` (every one present, k >= 2)
    on features ``Z`` under positive sample ``weights`` (any scale) and inverse penalty ``C``."""
    mean, scale = _standardise(Z)
    X = (Z - mean) / scale
    k = int(labels.max()) + 1
    w = weights / weights.sum()  # the weighted mean of the loss
    l2 = 1.0 / (C * float(weights.sum()))
    binary = k == 2
    result = optimize.minimize(
        _binomial if binary else _multinomial,
        np.zeros((1 if binary else k) * (X.shape[1] + 1)),
        args=(X, labels.astype(np.float64) if binary else np.eye(k)[labels], w, l2),
        method="L-BFGS-B",
        jac=True,
        options={"maxiter": max_iter, "maxls": 50, "gtol": 1e-4, "ftol": 64 * _EPS},
    )
    W = result.x.reshape(1 if binary else k, -1)
    return LogisticModel(mean, scale, W[:, :-1], W[:, -1], int(result.nit))
