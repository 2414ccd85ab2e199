"""A stochastic categorical bottleneck q(z|x) over m codes, decoded by a table p(a|z).

A deterministic network on a finite input set is injective almost surely, so the Shannon
information of raw features is uninformative. A categorical code Z ~ q(z|x) is not: joined
with a world's exact p(latents, x) it gives the exact table p(latents, z)
(:func:`joint_with_codes`), from which I(A;Z), I(C;Z), I(A;C|Z), ... are finite sums.

Two training objectives (``objective=``), both computed exactly (no sampling):

* ``"mixture"`` (default): the cross-entropy of the mixture predictor
  p(a|x) = sum_z q(z|x) p(a|z), i.e. -log sum_z q(z|x) p(a|z). H(A) - loss bounds I(A;X).
* ``"expected"``: E_{z ~ q(z|x)}[-log p(a|z)]. Averaged over the data it is >= H(A|Z), so
  H(A) - loss is a Barber-Agakov lower bound on I(A;Z) of the code itself.

The mixture is the default because it trains: on the natural world under rot4 (seed 0, 8
epochs) it reached I(A;Z) = 0.93 bits where the expected loss stayed near 0.1 bits, its
gradient at a near-uniform code being a ratio rather than a difference of near-equal logs.
Either way I(A;Z) itself is computed exactly from the code, not bounded.

With ``n_classes`` the model trains in the ``eliminate`` mode: a class adversary reads the
code probabilities q(z|x) through a linear map (on a one-hot code, a table p(c|z)) behind a
gradient-reversal layer, so the code is pushed to drop what tells the classes apart; the
exact I(C;Z) of the trained code says how far it got.

>>> import numpy as np, torch
>>> from synthetic.nets.runtime import seeded
>>> with seeded(0):
...     model = CategoricalBottleneck(6, n_codes=3, n_actions=4)   # X given as ids 0..5
>>> q = model.code_table(torch.arange(6))                            # (6, 3), float64
>>> p_ax = np.full((4, 6), 1 / 24)                                   # p(a, x)
>>> joint_with_codes(p_ax, q).shape, round(float(joint_with_codes(p_ax, q).sum()), 12)
((4, 3), 1.0)
"""

from __future__ import annotations

import math
from typing import Any, cast

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from theory import InvalidDistribution

from .encoders import InputShapeError, NetworkConfigError, count_parameters, positive_int
from .pretext_model import feature_dim_of, weighted_mean

__all__ = ["CategoricalBottleneck", "joint_with_codes", "joint_with_codes_from_ids"]

PROBABILITY_TOLERANCE = 1e-9  # the tolerance theory.Joint uses for "sums to 1"


class CategoricalBottleneck(nn.Module):
    """q(z|x) = softmax(logits(x) / temperature) over ``n_codes``; p(a|z) a learnable table.

    ``source`` is either an encoder (any module with ``feature_dim``; logits are a linear
    map of its features) or an int ``n_inputs``: inputs are then integer ids of X in
    ``0..n_inputs-1`` and the logits a free ``(n_inputs, n_codes)`` table, the unconstrained
    encoder of a finite world.
    """

    def __init__(
        self,
        source: nn.Module | int,
        n_codes: int,
        n_actions: int,
        *,
        temperature: float = 1.0,
        objective: str = "mixture",
        n_classes: int | None = None,
        reversal_lambda: float = 1.0,
    ):
        super().__init__()
        if objective not in ("mixture", "expected"):
            raise NetworkConfigError(f"objective must be 'mixture' or 'expected', got {objective!r}")
        self.objective = objective
        self.n_codes = positive_int(n_codes, "n_codes")
        self.n_actions = positive_int(n_actions, "n_actions")
        self.temperature = temperature
        self.encoder: nn.Module | None
        if isinstance(source, int) and not isinstance(source, bool):
            self.n_inputs: int | None = positive_int(source, "n_inputs")
            self.encoder, self.to_codes = None, None
            self.logit_table: nn.Parameter | None = nn.Parameter(torch.randn(self.n_inputs, n_codes))
        else:
            self.n_inputs, self.logit_table = None, None
            self.encoder = cast(nn.Module, source)  # a bool source is rejected by feature_dim_of just below
            self.to_codes = nn.Linear(feature_dim_of(source), n_codes)
        # Random decoder logits: with a uniform table every code would get the same gradient
        # and the codes would never separate.
        self.decoder_logits = nn.Parameter(torch.randn(n_codes, n_actions))
        self.n_classes = None if n_classes is None else positive_int(n_classes, "n_classes")
        self.adversary: nn.Module | None = None
        if self.n_classes is not None:
            from .gradient_reversal import GradientReversal

            self.adversary = nn.Sequential(GradientReversal(reversal_lambda), nn.Linear(n_codes, self.n_classes))

    def __setattr__(self, name: str, value: object) -> None:
        if name == "temperature" and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0
        ):
            raise NetworkConfigError(f"temperature must be a finite number > 0, got {value!r}")
        super().__setattr__(name, float(value) if name == "temperature" else value)  # type: ignore[arg-type]

    @property
    def n_parameters(self) -> int:
        return count_parameters(self)

    def describe(self) -> str:
        if self.encoder is None:
            src = f"a free logit table over {self.n_inputs} input ids"
        else:
            src = (
                cast(Any, self.encoder).describe() if hasattr(self.encoder, "describe") else type(self.encoder).__name__
            )
        adversary = "" if self.n_classes is None else f", class adversary ({self.n_classes} classes)"
        return (
            f"CategoricalBottleneck({self.n_codes} codes -> {self.n_actions} actions{adversary}, "
            f"temperature={self.temperature:g}; {self.n_parameters:,} parameters) on {src}"
        )

    def code_logits(self, x: torch.Tensor) -> torch.Tensor:
        """Unscaled logits ``(N, n_codes)``."""
        if self.logit_table is None:
            return self.to_codes(self.encoder(x))  # type: ignore[misc]
        if not isinstance(x, torch.Tensor) or x.dim() != 1 or x.dtype != torch.long:
            shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
            raise InputShapeError(f"this bottleneck takes a 1-D LongTensor of X ids, got {shape}")
        n = self.logit_table.shape[0]
        if x.numel() and (int(x.min()) < 0 or int(x.max()) >= n):
            raise InputShapeError(f"X ids must lie in 0..{n - 1}, got {int(x.min())}..{int(x.max())}")
        return self.logit_table[x]

    def code_probs(self, x: torch.Tensor) -> torch.Tensor:
        """q(z|x) ``(N, n_codes)``, differentiable, rows sum to 1."""
        return F.softmax(self.code_logits(x) / self.temperature, dim=1)

    forward = code_probs

    def code_table(self, x: torch.Tensor) -> np.ndarray:
        """q(z|x) as a float64 numpy array (softmax taken in float64), for exact measures."""
        with torch.no_grad():
            logits = self.code_logits(x).double() / self.temperature
            return F.softmax(logits, dim=1).cpu().numpy()

    def decoder_probs(self) -> torch.Tensor:
        """p(a|z) ``(n_codes, n_actions)``."""
        return F.softmax(self.decoder_logits, dim=1)

    def action_probs(self, x: torch.Tensor) -> torch.Tensor:
        """The mixture predictor p(a|x) = sum_z q(z|x) p(a|z), ``(N, n_actions)``."""
        return self.code_probs(x) @ self.decoder_probs()

    def _objective(self, x: torch.Tensor, actions: torch.Tensor, classes: torch.Tensor | None = None) -> torch.Tensor:
        """The ``objective`` of each sample in nats, plus the adversary's CE_C when it has one."""
        log_p = F.log_softmax(self.decoder_logits, dim=1)[:, actions].T  # (N, m): log p(a_i|z)
        log_q = F.log_softmax(self.code_logits(x) / self.temperature, dim=1)
        if self.objective == "mixture":
            loss = -torch.logsumexp(log_q + log_p, dim=1)
        else:
            loss = -(log_q.exp() * log_p).sum(dim=1)
        if self.adversary is not None and classes is not None:
            loss = loss + F.cross_entropy(self.adversary(log_q.exp()), classes, reduction="none")
        return loss

    def loss(self, x: torch.Tensor, actions: torch.Tensor, weights: torch.Tensor | None = None) -> torch.Tensor:
        """The ``objective`` in nats (never the adversary's): the batch mean, or the ``weights``-weighted mean."""
        return weighted_mean(self._objective(x, actions), weights)

    def pretext_loss(
        self, x: torch.Tensor, actions: torch.Tensor, classes: torch.Tensor, weights: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(loss, predicted actions) for a batch; the code never sees the class, only the adversary does."""
        return weighted_mean(self._objective(x, actions, classes), weights), self.action_probs(x).argmax(1)

    def per_sample_loss(
        self, x: torch.Tensor, actions: torch.Tensor, classes: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(per-sample loss, predicted actions), with no checks that read tensor values
        (see :meth:`synthetic.nets.PretextModel.per_sample_loss`)."""
        return self._objective(x, actions, classes), self.action_probs(x).argmax(-1)

    def predict(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(code probabilities q(z|x) as features, action probabilities)."""
        codes = self.code_probs(x)
        return codes, codes @ self.decoder_probs()


def _float64(table: object, name: str) -> np.ndarray:
    if isinstance(table, torch.Tensor):
        table = table.detach().cpu().double().numpy()
    try:
        arr = np.asarray(table, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise InvalidDistribution(f"{name} cannot be read as a float64 array: {err}") from None
    if arr.ndim == 0:
        raise InvalidDistribution(f"{name} must be an array, got a scalar")
    bad = np.argwhere(~np.isfinite(arr) | (arr < 0))
    if len(bad):
        cell = tuple(int(i) for i in bad[0])
        raise InvalidDistribution(
            f"{name} has {len(bad)} negative or non-finite cell(s), first at {cell}: {arr[cell]!r}"
        )
    return arr


def _check_code_probs(code_probs: object, n_x: int) -> np.ndarray:
    q = _float64(code_probs, "code_probs")
    if q.ndim != 2 or q.shape[0] != n_x:
        raise InvalidDistribution(f"code_probs must have shape (n_x={n_x}, n_codes), got {q.shape}")
    off = np.abs(q.sum(axis=1) - 1.0)
    if q.shape[0] and off.max() > PROBABILITY_TOLERANCE:
        row = int(off.argmax())
        raise InvalidDistribution(
            f"code_probs row x={row} sums to {q[row].sum():.17g}, not 1 (off by {off[row]:.1e} > "
            f"{PROBABILITY_TOLERANCE:g}); nothing is renormalised: take q(z|x) in float64, "
            "e.g. CategoricalBottleneck.code_table"
        )
    return q


def _check_total(p: np.ndarray, name: str) -> None:
    total = float(p.sum())
    if abs(total - 1.0) > PROBABILITY_TOLERANCE:
        raise InvalidDistribution(
            f"{name} sums to {total:.17g}, not 1 (off by {abs(total - 1.0):.1e} > {PROBABILITY_TOLERANCE:g}); "
            "nothing is renormalised"
        )


def joint_with_codes(p_latent_x: object, code_probs: object) -> np.ndarray:
    """p(latents..., z) = sum_x p(latents..., x) q(z|x), float64.

    ``p_latent_x`` is a dense probability table with X as its last axis; ``code_probs`` an
    ``(n_x, n_codes)`` matrix of q(z|x). The result has X's axis replaced by Z's.

    >>> joint_with_codes([[0.5, 0.0], [0.0, 0.5]], [[1.0, 0.0], [0.25, 0.75]]).tolist()
    [[0.5, 0.0], [0.125, 0.375]]
    """
    p = _float64(p_latent_x, "p_latent_x")
    _check_total(p, "p_latent_x")
    q = _check_code_probs(code_probs, p.shape[-1])
    return np.tensordot(p, q, axes=([p.ndim - 1], [0]))


def joint_with_codes_from_ids(p_latents: object, x_ids: object, code_probs: object) -> np.ndarray:
    """p(latents..., z) = p(latents) q(z | x(latents)) for X stored as an id per latent cell.

    The world data model keeps p(latents) dense and X as an integer id array of the same
    shape (``theory.PushforwardJoint``); this avoids building the (latents..., X) table.

    >>> joint_with_codes_from_ids([0.5, 0.5], [1, 0], [[1.0, 0.0], [0.25, 0.75]]).tolist()
    [[0.125, 0.375], [0.5, 0.0]]
    """
    p = _float64(p_latents, "p_latents")
    _check_total(p, "p_latents")
    ids = np.asarray(x_ids)
    if ids.shape != p.shape:
        raise InvalidDistribution(f"x_ids has shape {ids.shape}, expected the latent shape {p.shape}")
    if ids.dtype.kind not in "iu":
        raise InvalidDistribution(f"x_ids must hold integer ids, got dtype {ids.dtype}")
    q = _float64(code_probs, "code_probs")
    if ids.size and (ids.min() < 0 or q.ndim != 2 or ids.max() >= q.shape[0]):
        raise InvalidDistribution(
            f"x_ids range {ids.min()}..{ids.max()} does not index the rows of code_probs (shape {q.shape})"
        )
    q = _check_code_probs(q, q.shape[0])
    return p[..., None] * q[ids]
