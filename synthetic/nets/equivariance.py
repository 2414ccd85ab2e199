"""Numerical check that a network commutes with 90-degree rotations.

``check_equivariance(f, x)`` compares ``f(g x)`` with ``g f(x)`` for the three non-trivial
rotations g of C4, where g acts on

* images ``(N, C, H, W)`` by ``torch.rot90`` on the last two axes,
* C4 maps ``(N, C, 4, H, W)`` by rotating space and rolling the orientation axis,
* features ``(N, D)`` by ``f.rotate_features(z, k)`` when ``f`` defines it (the C4 encoder).

In float64 the C4 layers agree to ~1e-14; a plain convolution misses by O(1). In float32
on the CPU the C4 encoder agrees to ~2e-7; on CUDA, cuDNN's default TF32 convolutions
raise that to ~1e-4 (set ``torch.backends.cudnn.allow_tf32 = False``, or check in float64).

>>> import torch
>>> from synthetic.nets.c4 import LiftingConv
>>> report = check_equivariance(LiftingConv(1, 4).double(), torch.rand(2, 1, 8, 8, dtype=torch.float64))
>>> report.holds, report.max_abs_error < 1e-12
(True, True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

from ..errors import InputShapeError, NetworkConfigError
from .c4 import ORDER, rotate_group_map, rotate_images

__all__ = ["EquivarianceReport", "check_equivariance"]

Action = Callable[[torch.Tensor, int], torch.Tensor]


@dataclass(frozen=True)
class EquivarianceReport:
    """``errors[k - 1]`` = max |f(rot_k x) - rot_k f(x)|; ``holds`` iff all are <= ``atol``.

    ``output_scale`` (max |f(x)|) says whether a small error is small relative to the output.
    """

    errors: tuple[float, ...]
    atol: float
    output_scale: float

    @property
    def max_abs_error(self) -> float:
        return max(self.errors)

    @property
    def holds(self) -> bool:
        return self.max_abs_error <= self.atol

    def __str__(self) -> str:
        verdict = "holds" if self.holds else "FAILS"
        return (
            f"C4 equivariance {verdict}: max abs error {self.max_abs_error:.3g} (atol {self.atol:g}, "
            f"output scale {self.output_scale:.3g}; per rotation {', '.join(f'{e:.3g}' for e in self.errors)})"
        )


def _action_for(t: torch.Tensor, what: str) -> Action:
    if t.dim() == 5 and t.shape[2] == ORDER:
        return rotate_group_map
    if t.dim() == 4:
        return rotate_images
    raise InputShapeError(
        f"no rotation action for {what} of shape {tuple(t.shape)}: expected (N, C, H, W), "
        f"(N, C, {ORDER}, H, W), or features with a rotate_features method / output_action"
    )


def check_equivariance(
    module: Callable[[torch.Tensor], torch.Tensor],
    x: torch.Tensor,
    *,
    atol: float = 1e-5,
    output_action: Action | None = None,
) -> EquivarianceReport:
    """Check ``module(g x) == g module(x)`` for every rotation g != identity, to ``atol``.

    ``module`` is any callable (a layer, an encoder, ``encoder.feature_map``); ``x`` must be
    square. The input action is chosen from ``x``'s shape; the output action from the
    output's shape, or ``module.rotate_features`` for ``(N, D)`` features, or ``output_action``.
    """
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        raise InputShapeError(f"x must be a floating-point tensor, got {type(x).__name__}")
    if x.dim() < 2 or x.shape[-1] != x.shape[-2]:
        raise InputShapeError(f"x must have square spatial axes, got shape {tuple(x.shape)}")
    if not atol >= 0:
        raise NetworkConfigError(f"atol must be >= 0, got {atol!r}")
    act_in = _action_for(x, "the input")
    with torch.no_grad():
        y = module(x)
        if output_action is not None:
            act_out = output_action
        elif y.dim() == 2 and callable(getattr(module, "rotate_features", None)):
            act_out = module.rotate_features  # type: ignore[attr-defined]
        else:
            act_out = _action_for(y, "the output")
        errors = tuple(float((module(act_in(x, k)) - act_out(y, k)).abs().max()) for k in range(1, ORDER))
    return EquivarianceReport(errors=errors, atol=float(atol), output_scale=float(y.abs().max()))
