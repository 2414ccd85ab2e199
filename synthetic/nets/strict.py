"""Strict equivariance: an encoder trained so that f(g·x) = ρ(g) f(x) for a fixed ρ.

CARE (Gupta et al., 2023) asks the representation of a transformed input to be a fixed
orthogonal transformation of the representation of the input. Here ρ is a permutation
representation of the transformation's group (:func:`feature_representation`): the
encoder's own action on its features where it has one (the C4 CNN under rot4 or rot2, where
the error is 0 by construction), else the regular representation on blocks of |G| features.

The loss of a row x = a·x₀ pairs it with its un-augmented view x₀ = a⁻¹·x (so every pair is
in the world's support) and reads

    25 · ‖f(x) − ρ(a) f(x₀)‖² / D  +  25 · variance  +  covariance

with VICReg's variance (hinge on each feature's batch standard deviation below 1) and
covariance (squared off-diagonal batch covariances / D) terms and VICReg's weights. Without
them f = 0 satisfies equivariance. A variance/covariance term rather than a contrastive one:
a contrastive term would add instance discrimination, which the testbed trains as a separate
objective, and the comparison with cross-entropy would no longer isolate equivariance.

The augmentation is read off the pair: the action g whose ρ(g) f(x₀) lies nearest f(x)
(:meth:`StrictModel.relative_predictions`).

>>> import torch
>>> from synthetic.nets.encoders import MLPEncoder
>>> model = StrictModel(MLPEncoder(1, 4, feature_dim=8), "rot4")
>>> loss, predicted = model.pretext_loss(torch.rand(6, 1, 4, 4), torch.arange(6) % 4, torch.zeros(6))
>>> loss.shape, predicted.shape, model.rho.shape
(torch.Size([]), torch.Size([6]), torch.Size([4, 8, 8]))
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .. import transforms
from ..errors import TrainConfigError
from .pretext_model import feature_dim_of, weighted_mean

__all__ = ["StrictModel", "feature_representation", "pair_statistics", "regular_representation", "vicreg_terms"]

EQUIVARIANCE_WEIGHT, VARIANCE_WEIGHT, COVARIANCE_WEIGHT = 25.0, 25.0, 1.0
"""VICReg's weights (invariance 25, variance 25, covariance 1), the equivariance term in the
place of the invariance term."""


def regular_representation(transform: str) -> np.ndarray:
    """(n, n, n) permutation matrices P[g] of the regular representation: a row vector v
    indexed by the group's actions maps to v @ P[g], moving entry h to g∘h (h, then g).

    >>> P = regular_representation("rot4")
    >>> bool((P[1] @ P[1] == P[2]).all()), bool((P[1] @ P[3] == P[0]).all())
    (True, True)
    """
    t = transforms.get(transform)
    table = t.cayley_table()  # table[h, g]: h, then g
    n = t.n_actions
    P = np.zeros((n, n, n))
    for g in range(n):
        P[g, np.arange(n), table[:, g]] = 1.0
    return P


def feature_representation(encoder: nn.Module, transform: str) -> torch.Tensor:
    """ρ for ``encoder``'s features under ``transform``: (n, D, D), z ↦ z @ ρ[g].

    The encoder's own ``rotate_features`` for rotations when it has one (the C4 CNN), else
    the regular representation repeated on D / n blocks of n consecutive features.
    """
    t = transforms.get(transform)
    dim, n = feature_dim_of(encoder), t.n_actions
    rotate = getattr(encoder, "rotate_features", None)
    if callable(rotate) and isinstance(t, transforms.Rotation):
        eye = torch.eye(dim, dtype=torch.float64)
        with torch.no_grad():
            return torch.stack([rotate(eye, a * (4 // n)) for a in range(n)]).float()
    if dim % n:
        raise TrainConfigError(
            f"the regular representation of {t.name!r} acts on blocks of {n} features; feature_dim {dim} is not a "
            f"multiple of {n}"
        )
    P = regular_representation(t.name)
    return torch.as_tensor(np.stack([np.kron(np.eye(dim // n), P[g]) for g in range(n)]), dtype=torch.float32)


def vicreg_terms(z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(variance, covariance) terms of VICReg for a batch of features (N, D)."""
    z = z - z.mean(0)
    std = torch.sqrt(z.var(0) + 1e-4)
    cov = (z.T @ z) / max(1, len(z) - 1)
    off = cov - torch.diag(torch.diag(cov))
    return torch.relu(1 - std).mean(), (off**2).sum() / z.shape[1]


def _canonical(transform: transforms.Transform, x: torch.Tensor, actions: torch.Tensor) -> torch.Tensor:
    inverse = transform.inverse(actions.detach().cpu().numpy())
    return transform.apply(x, inverse)


@torch.no_grad()
def pair_statistics(
    encoder: nn.Module, rho: torch.Tensor, transform: str, x, actions, weights=None, batch_size: int = 512
) -> tuple[float, float]:
    """Over rows x = a·x₀ (``weights`` their probabilities): the weighted share whose action
    the nearest ρ(g) f(x₀) to f(x) reads off, and the relative equivariance error
    E‖f(x) − ρ(a) f(x₀)‖² / E‖f(x)‖² (0 for an exactly equivariant encoder).
    """
    t = transforms.get(transform)
    x, a = torch.as_tensor(x), torch.as_tensor(actions, dtype=torch.long)
    w = torch.full((len(x),), 1.0 / len(x)) if weights is None else torch.as_tensor(weights, dtype=torch.float64)
    rho = rho.double()
    hits = error = scale = 0.0
    for i in range(0, len(x), batch_size):
        xb, ab, wb = (v[i : i + batch_size].to(rho.device) for v in (x, a, w))
        z, z0 = encoder(xb).double(), encoder(_canonical(t, xb, ab)).double()
        distances = ((z[:, None] - torch.einsum("bd,gde->bge", z0, rho)) ** 2).sum(-1)
        hits += float((wb * (distances.argmin(1) == ab)).sum())
        error += float((wb * distances[torch.arange(len(ab)), ab]).sum())
        scale += float((wb * (z**2).sum(1)).sum())
    return hits / float(w.sum()), error / scale if scale > 0 else error


class StrictModel(nn.Module):
    """An encoder trained for strict equivariance under ``transform`` (a group)."""

    rho: torch.Tensor  # buffer, registered in __init__

    def __init__(self, encoder: nn.Module, transform: str):
        super().__init__()
        t = transforms.get(transform)
        if not t.is_group or t.n_actions < 2:
            raise TrainConfigError(f"strict equivariance needs a group with more than one action, not {t.name!r}")
        self.encoder, self.transform = encoder, t
        self.n_actions = t.n_actions
        self.register_buffer("rho", feature_representation(encoder, t.name))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder(x)

    def _pair(self, x: torch.Tensor, actions: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        z = self.encoder(torch.cat([x, _canonical(self.transform, x, actions)]))
        return z[: len(x)], z[len(x) :]

    def relative_predictions(self, z: torch.Tensor, z0: torch.Tensor) -> torch.Tensor:
        """For each pair, the action g whose ρ(g) f(x₀) lies nearest f(x)."""
        candidates = torch.einsum("bd,gde->bge", z0, self.rho)
        return ((z[:, None] - candidates) ** 2).sum(-1).argmin(1)

    def pretext_loss(
        self, x: torch.Tensor, actions: torch.Tensor, classes: torch.Tensor, weights: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(loss, the action read off each pair) for a batch of rows x = a·x₀."""
        z, z0 = self._pair(x, actions)
        target = torch.einsum("bd,bde->be", z0, self.rho[actions])
        equivariance = weighted_mean(((z - target) ** 2).mean(1), weights)
        variance, covariance = vicreg_terms(torch.cat([z, z0]))
        loss = EQUIVARIANCE_WEIGHT * equivariance + VARIANCE_WEIGHT * variance + COVARIANCE_WEIGHT * covariance
        with torch.no_grad():
            predicted = self.relative_predictions(z, z0)
        return loss, predicted

    def predict(self, x: torch.Tensor) -> tuple[torch.Tensor, None]:
        """(features, None): the model has no head that predicts A from one view."""
        return self.encoder(x), None
