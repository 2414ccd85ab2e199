"""An encoder with a linear head that predicts the augmentation A, plus an optional class head.

Three settings of the class-information experiment, as formalized in this project:

* ``class_head=None`` ("normal"): loss CE_A.
* ``class_head="add"``: a linear class head on the features; loss CE_A + weight * CE_C
  pushes class information *into* the features.
* ``class_head="eliminate"``: the class head sits behind :class:`GradientReversal`; with the
  same loss the head learns to read the class while the encoder receives the reversed
  gradient and removes class information.

>>> import torch
>>> from synthetic.nets.encoders import MLPEncoder
>>> model = PretextModel(MLPEncoder(1, 8, feature_dim=16), n_actions=4, n_classes=10, class_head="eliminate")
>>> out = model(torch.rand(5, 1, 8, 8))
>>> out.action_logits.shape, out.class_logits.shape
(torch.Size([5, 4]), torch.Size([5, 10]))
>>> loss = model.loss(out, actions=torch.zeros(5, dtype=torch.long), classes=torch.zeros(5, dtype=torch.long))
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple, cast

import torch
import torch.nn.functional as F
from torch import nn

from .encoders import InputShapeError, NetworkConfigError, count_parameters, positive_int
from .gradient_reversal import GradientReversal

__all__ = ["PretextModel", "PretextOutput", "weighted_mean"]

ClassHead = Literal["add", "eliminate"]


class PretextOutput(NamedTuple):
    features: torch.Tensor
    action_logits: torch.Tensor
    class_logits: torch.Tensor | None


def weighted_mean(losses: torch.Tensor, weights: torch.Tensor | None) -> torch.Tensor:
    """Mean of per-sample ``losses``, or sum(w * loss) / sum(w) for non-negative ``weights``
    (an enumerated world grid weighted by its probabilities gives exact expectations)."""
    if weights is None:
        return losses.mean()
    if weights.shape != losses.shape:
        raise InputShapeError(f"weights of shape {tuple(weights.shape)} do not match the batch {tuple(losses.shape)}")
    total = weights.sum()
    if bool((weights < 0).any()) or not bool(total > 0):
        raise InputShapeError(f"weights must be non-negative with a positive sum, got sum {float(total):g}")
    return (weights * losses).sum() / total


def feature_dim_of(encoder: object) -> int:
    """The ``feature_dim`` of an encoder-like module, or a :class:`NetworkConfigError`."""
    if not isinstance(encoder, nn.Module):
        raise NetworkConfigError(f"encoder must be a torch.nn.Module, got {type(encoder).__name__}")
    dim = getattr(encoder, "feature_dim", None)
    if not isinstance(dim, int) or isinstance(dim, bool) or dim < 1:
        raise NetworkConfigError(f"encoder {type(encoder).__name__} needs a positive int feature_dim, got {dim!r}")
    return dim


class PretextModel(nn.Module):
    """``encoder`` -> features -> linear action head (and optionally a class head)."""

    def __init__(
        self,
        encoder: nn.Module,
        n_actions: int,
        *,
        n_classes: int | None = None,
        class_head: ClassHead | None = None,
        reversal_lambda: float = 1.0,
        class_weight: float = 1.0,
    ):
        super().__init__()
        dim = feature_dim_of(encoder)
        self.encoder = encoder
        self.n_actions = positive_int(n_actions, "n_actions")
        if class_head not in (None, "add", "eliminate"):
            raise NetworkConfigError(f"class_head must be None, 'add' or 'eliminate', got {class_head!r}")
        if (class_head is None) != (n_classes is None):
            raise NetworkConfigError(
                f"n_classes and class_head go together, got n_classes={n_classes!r}, class_head={class_head!r}"
            )
        self.class_head_kind = class_head
        self.class_weight = class_weight
        self.n_classes = None if n_classes is None else positive_int(n_classes, "n_classes")
        self.action_head = nn.Linear(dim, self.n_actions)
        self.class_head: nn.Module | None = None
        if class_head is not None:
            linear = nn.Linear(dim, self.n_classes)  # type: ignore[arg-type]
            if class_head == "add":
                self.class_head = linear
            else:
                self.class_head = nn.Sequential(GradientReversal(reversal_lambda), linear)

    @property
    def n_parameters(self) -> int:
        return count_parameters(self)

    def describe(self) -> str:
        enc = cast(Any, self.encoder).describe() if hasattr(self.encoder, "describe") else type(self.encoder).__name__
        head = "" if self.class_head_kind is None else f", {self.class_head_kind} class head ({self.n_classes} classes)"
        return f"PretextModel({self.n_actions} actions{head}; {self.n_parameters:,} parameters) on {enc}"

    def forward(self, x: torch.Tensor) -> PretextOutput:
        z = self.encoder(x)
        class_logits = None if self.class_head is None else self.class_head(z)
        return PretextOutput(z, self.action_head(z), class_logits)

    def loss(
        self,
        output: PretextOutput,
        actions: torch.Tensor,
        classes: torch.Tensor | None = None,
        class_weight: float = 1.0,
        weights: torch.Tensor | None = None,
    ) -> torch.Tensor:
        """CE_A, plus ``class_weight`` * CE_C when the model has a class head (nats; batch
        mean, or the ``weights``-weighted mean)."""
        loss = weighted_mean(F.cross_entropy(output.action_logits, actions, reduction="none"), weights)
        if self.class_head is None:
            if classes is not None:
                raise NetworkConfigError("classes given but this PretextModel has no class head")
            return loss
        if classes is None:
            raise NetworkConfigError(f"this PretextModel has a {self.class_head_kind!r} class head: pass classes")
        class_ce = F.cross_entropy(output.class_logits, classes, reduction="none")  # type: ignore[arg-type]
        return loss + class_weight * weighted_mean(class_ce, weights)

    def pretext_loss(
        self, x: torch.Tensor, actions: torch.Tensor, classes: torch.Tensor, weights: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(loss, predicted actions) for a batch: CE_A, plus ``class_weight`` * CE_C through the class head.

        In ``eliminate`` the reversal layer already scales the encoder's gradient; the head
        itself trains on plain CE_C (``class_weight`` 1) so it stays a competent adversary.
        """
        out = self(x)
        labels = None if self.class_head is None else classes
        return self.loss(
            out, actions, labels, class_weight=self.class_weight, weights=weights
        ), out.action_logits.argmax(1)

    def per_sample_loss(
        self, x: torch.Tensor, actions: torch.Tensor, classes: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """(per-sample loss, predicted actions), with no checks that read tensor values, so
        that :mod:`synthetic.ensemble` can map it over seeds; its weighted mean is
        :meth:`pretext_loss` up to float rounding."""
        out = self(x)
        loss = F.cross_entropy(out.action_logits, actions, reduction="none")
        if out.class_logits is not None:
            loss = loss + self.class_weight * F.cross_entropy(out.class_logits, classes, reduction="none")
        return loss, out.action_logits.argmax(-1)

    def predict(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(features, action probabilities)."""
        out = self(x)
        return out.features, F.softmax(out.action_logits, dim=1)
