"""Gradient reversal: identity forward, gradient times ``-lambda_`` backward.

Placed between an encoder and an adversarial class head, it lets the head *minimise* its
class loss while the encoder receives the negated gradient and so *removes* class
information (the "eliminate" setting).

>>> import torch
>>> x = torch.ones(3, requires_grad=True)
>>> GradientReversal(0.5)(x).sum().backward()
>>> x.grad.tolist()
[-0.5, -0.5, -0.5]
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from ..errors import NetworkConfigError

__all__ = ["GradientReversal", "reverse_gradient"]


def _check_lambda(lambda_: object) -> float:
    if isinstance(lambda_, bool) or not isinstance(lambda_, (int, float)) or not math.isfinite(lambda_) or lambda_ < 0:
        raise NetworkConfigError(f"lambda_ must be a finite number >= 0, got {lambda_!r}")
    return float(lambda_)


class _ReverseGradient(torch.autograd.Function):
    generate_vmap_rule = True  # so that seeds trained together (torch.func.vmap) can use it

    @staticmethod
    def forward(x: torch.Tensor, lambda_: float) -> torch.Tensor:
        return x.view_as(x)

    @staticmethod
    def setup_context(ctx, inputs, output) -> None:
        ctx.lambda_ = inputs[1]

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
        return -ctx.lambda_ * grad, None


def reverse_gradient(x: torch.Tensor, lambda_: float = 1.0) -> torch.Tensor:
    """Functional form of :class:`GradientReversal`."""
    return _ReverseGradient.apply(x, _check_lambda(lambda_))


class GradientReversal(nn.Module):
    """Module form; ``lambda_`` may be reassigned between steps (e.g. a warm-up schedule)."""

    def __init__(self, lambda_: float = 1.0):
        super().__init__()
        self.lambda_ = lambda_  # checked by __setattr__

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "lambda_":
            value = _check_lambda(value)
        super().__setattr__(name, value)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _ReverseGradient.apply(x, self.lambda_)

    def extra_repr(self) -> str:
        return f"lambda_={self.lambda_:g}"
