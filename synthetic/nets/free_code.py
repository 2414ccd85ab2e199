"""The ideal learner of a categorical code: a free table of logits per value of X, fit by
full-batch Adam on the exact distribution p(c, a, x).

It shows what the optimiser reaches without an encoder's limits. Training starts on the
mixture cross-entropy -log sum_z q(z|x) p(a|z), which trains from a near-uniform code, and
moves to the expected one E_q[-log p(a|z)], which is an upper bound on the code's own
H(A|Z): pushing it to H(A|X) forces I(A;Z) up to I(A;X) and the code to become sharp (the
mixture alone is met by soft codes that keep H(Z|X) > 0 and I(A;Z) below I(A;X)).
Gradient descent can end with two distinct posteriors p(A|x) sharing a code while another code
is unused (a local optimum, up to 0.02 bits short on occluded); ``polish`` then hardens the code
and runs coordinate descent on the same loss (each x to the code whose p(A|z) is nearest in
KL, an unused code given to the x that costs most; the sequential information bottleneck's
move), which only lowers it. I(A;Z) and I(C;Z) are exact, from the code's joint with p(c, a, x).

>>> import numpy as np
>>> p = np.zeros((2, 2, 2)); p[0, 0, 0] = p[1, 1, 1] = 0.5      # X = A = C
>>> fit = fit_free_code(p, n_codes=2, steps=300)
>>> round(fit.i_a_z, 2), round(fit.i_c_z, 2), round(fit.h_z_given_x, 2)
(1.0, 1.0, 0.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from theory import InvalidDistribution

from .runtime import seeded

__all__ = ["FreeCode", "code_information", "fit_free_code"]


@dataclass(frozen=True)
class FreeCode:
    """A fitted code q(z|x) ``(n_x, n_codes)`` and its exact numbers (bits); ``path`` holds
    (step, I(A;Z), I(C;Z)) from initialisation to the end."""

    code: np.ndarray
    i_a_z: float
    i_c_z: float
    h_z_given_x: float
    loss_bits: float
    """the expected loss E_q[-log p(a|z)] of the fitted code, an upper bound on its H(A|Z)"""
    path: list[tuple[int, float, float]] = field(default_factory=list)
    polish_gain_bits: float = 0.0
    """I(A;Z) gained by the polishing that follows gradient descent (0 without it)"""


def _polish(p_ax: np.ndarray, assign: np.ndarray, n_codes: int, max_rounds: int = 1000) -> np.ndarray:
    """Coordinate descent of H(A|Z) over hard codes ``assign`` (one code per row of the (X, A)
    table ``p_ax``); every move lowers sum_x p(x) KL(p(A|x) || p(A|z(x)))."""
    p_x = p_ax.sum(axis=1)
    post = p_ax / p_x[:, None]
    for _ in range(max_rounds):
        p_az = np.zeros((n_codes, p_ax.shape[1]))
        np.add.at(p_az, assign, p_ax)
        used = p_az.sum(axis=1) > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            log_dec = np.log2(p_az / p_az.sum(axis=1, keepdims=True))
            cost = -np.where(post[:, None, :] > 0, post[:, None, :] * log_dec[None], 0.0).sum(axis=2)
        cost[:, ~used] = np.inf
        best = cost.argmin(axis=1)
        moved = cost[np.arange(len(assign)), best] < cost[np.arange(len(assign)), assign] - 1e-12
        if moved.any():
            assign = np.where(moved, best, assign)
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            own = -np.where(post > 0, post * np.log2(post), 0.0).sum(axis=1)
        excess = p_x * (cost[np.arange(len(assign)), assign] - own)
        if used.all() or excess.max() <= 1e-12:
            return assign
        assign = assign.copy()
        assign[int(excess.argmax())] = int(np.flatnonzero(~used)[0])
    return assign


def _mi_bits(p_yz: np.ndarray) -> float:
    outer = p_yz.sum(axis=1, keepdims=True) * p_yz.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p_yz > 0, p_yz * np.log2(p_yz / outer), 0.0)
    return max(0.0, float(terms.sum()))


def code_information(p_cax: np.ndarray, code: np.ndarray) -> tuple[float, float, float]:
    """(I(A;Z), I(C;Z), H(Z|X)) in bits of the code q(z|x) on p(c, a, x)."""
    p_caz = np.einsum("cax,xz->caz", p_cax, code)
    p_x = p_cax.sum(axis=(0, 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        h_rows = -np.where(code > 0, code * np.log2(code), 0.0).sum(axis=1)
    return _mi_bits(p_caz.sum(axis=0)), _mi_bits(p_caz.sum(axis=1)), float(p_x @ h_rows)


def fit_free_code(
    p_cax: object,
    n_codes: int,
    *,
    steps: int = 3000,
    lr: float = 0.05,
    switch: float = 0.3,
    seed: int = 0,
    record_every: int = 100,
    polish: bool = True,
) -> FreeCode:
    """Fit q(z|x) and p(a|z) to ``p_cax`` (a (C, A, X) probability table): the mixture loss for
    the first ``switch`` share of the ``steps``, then the expected loss, then (``polish``) the
    hard code's coordinate descent. Same seed, same code."""
    p = np.asarray(p_cax, dtype=np.float64)
    if p.ndim != 3:
        raise InvalidDistribution(f"p_cax must be a (C, A, X) table, got shape {p.shape}")
    if not np.isfinite(p).all() or (p < 0).any():
        raise InvalidDistribution("p_cax has negative or non-finite cells")
    if abs(p.sum() - 1) > 1e-9:
        raise InvalidDistribution(f"p_cax sums to {p.sum():.17g}, not 1; nothing is renormalised")
    if isinstance(n_codes, bool) or not isinstance(n_codes, int) or n_codes < 1:
        raise InvalidDistribution(f"n_codes must be a positive int, got {n_codes!r}")
    if not 0 <= switch <= 1:
        raise InvalidDistribution(f"switch must be a share of the steps in [0, 1], got {switch!r}")
    keep = p.sum(axis=(0, 1)) > 0
    p_ax = torch.tensor(p.sum(axis=0)[:, keep].T)  # (X seen, A)
    with seeded(seed):
        logits = torch.randn(int(keep.sum()), n_codes, dtype=torch.float64).requires_grad_()
        decoder = torch.randn(n_codes, p.shape[1], dtype=torch.float64).requires_grad_()
    optimiser = torch.optim.Adam([logits, decoder], lr=lr)

    def full_code() -> np.ndarray:
        q = np.full((p.shape[2], n_codes), 1.0 / n_codes)
        q[keep] = torch.softmax(logits.detach(), dim=1).numpy()
        return q

    def loss(mixture: bool) -> torch.Tensor:
        log_q = torch.log_softmax(logits, dim=1)
        log_p = torch.log_softmax(decoder, dim=1)
        if mixture:
            per_x = -torch.logsumexp(log_q[:, :, None] + log_p[None], dim=1)  # (X, A)
        else:
            per_x = -(log_q.exp() @ log_p)
        return (p_ax * per_x).sum() / math.log(2)

    path = []
    for step in range(steps):
        if step % record_every == 0:
            path.append((step, *code_information(p, full_code())[:2]))
        value = loss(step < switch * steps)
        optimiser.zero_grad()
        value.backward()
        optimiser.step()
    code = full_code()
    i_a, i_c, h_zx = code_information(p, code)
    path.append((steps, i_a, i_c))
    with torch.no_grad():
        final = float(loss(mixture=False))
    if not polish:
        return FreeCode(code, i_a, i_c, h_zx, final, path)
    assign = _polish(p_ax.numpy(), code[keep].argmax(axis=1), n_codes)
    code[keep] = np.eye(n_codes)[assign]
    hard_a, hard_c, hard_zx = code_information(p, code)
    path.append((steps + 1, hard_a, hard_c))
    p_a = p.sum(axis=(0, 2))
    h_a = float(-(p_a[p_a > 0] * np.log2(p_a[p_a > 0])).sum())
    # a hard code's expected loss, with its best decoder p(a|z), is its H(A|Z)
    return FreeCode(code, hard_a, hard_c, hard_zx, h_a - hard_a, path, hard_a - i_a)
