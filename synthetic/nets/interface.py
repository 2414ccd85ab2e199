"""The contract of a pretext network, as a Protocol: what :mod:`synthetic.training`, the
evaluation and the experiment runner call on the network a model builder returns
(:func:`synthetic.models.register`). Every network of :mod:`synthetic.nets` satisfies it.

>>> from synthetic.nets import MLPEncoder, PretextModel
>>> isinstance(PretextModel(MLPEncoder(1, 8, feature_dim=4), n_actions=2), PretextNetwork)
True
>>> isinstance(MLPEncoder(1, 8, feature_dim=4), PretextNetwork)   # an encoder alone has no pretext loss
False
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol, runtime_checkable

import torch

__all__ = ["PretextNetwork"]


@runtime_checkable
class PretextNetwork(Protocol):
    """A torch module with a pretext loss and a prediction.

    ``pretext_loss(x, targets, classes, weights)`` returns the batch's weighted loss and a
    prediction of each row's target (compared with ``targets`` for the training accuracy);
    ``targets`` are the actions, or the instances of the instance objectives.
    ``predict(x)`` returns the features a probe reads and the action probabilities, or None
    for a network without a head that predicts the action from one view.
    """

    def pretext_loss(
        self, x: torch.Tensor, targets: torch.Tensor, classes: torch.Tensor, weights: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]: ...

    def predict(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]: ...

    def parameters(self, recurse: bool = True) -> Iterator[torch.nn.Parameter]: ...

    def train(self, mode: bool = True) -> Any: ...

    def eval(self) -> Any: ...

    def to(self, *args: Any, **kwargs: Any) -> Any: ...
