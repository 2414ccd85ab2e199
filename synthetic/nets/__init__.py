"""The torch side of :mod:`synthetic`: encoders, the C4 group CNN, pretext heads, the
categorical bottleneck, gradient reversal, the equivariance check, device and seeding.

==================================  ===========================================================
module                              holds
==================================  ===========================================================
``synthetic.nets.interface``        :class:`PretextNetwork`: the Protocol every network meets
``synthetic.nets.encoders``         :class:`CNNEncoder`, :class:`MLPEncoder`, shape checks
``synthetic.nets.c4``               :class:`C4Encoder` (lifting + group convolutions on C4)
``synthetic.nets.matched``          :func:`matched_pair`: a CNN and a C4 CNN of equal size
``synthetic.nets.equivariance``     :func:`check_equivariance` (exact, on rotated inputs)
``synthetic.nets.pretext_model``    :class:`PretextModel`: encoder + action head (+ class head)
``synthetic.nets.gradient_reversal``  :class:`GradientReversal` for the ``eliminate`` mode
``synthetic.nets.bottleneck``       :class:`CategoricalBottleneck` q(z|x) and its exact joint
``synthetic.nets.free_code``        :func:`~synthetic.nets.free_code.fit_free_code`: the ideal learner of a code (a free table)
``synthetic.nets.runtime``          :func:`resolve_device`, :func:`seeded`
==================================  ===========================================================

Every pretext network here meets one Protocol, :class:`PretextNetwork`, used by
:mod:`synthetic.training`: ``pretext_loss(x, actions, classes, weights) -> (loss, action
predictions)`` and ``predict(x) -> (features, action probabilities)``.

>>> import torch
>>> from synthetic.nets import MLPEncoder, PretextModel
>>> model = PretextModel(MLPEncoder(1, 8, feature_dim=4), n_actions=2)
>>> features, probs = model.predict(torch.zeros(3, 1, 8, 8))
>>> features.shape, probs.shape
(torch.Size([3, 4]), torch.Size([3, 2]))
"""

from .bottleneck import CategoricalBottleneck, joint_with_codes, joint_with_codes_from_ids
from .c4 import C4Encoder
from .encoders import CNNEncoder, MLPEncoder, count_parameters
from .equivariance import EquivarianceReport, check_equivariance
from .gradient_reversal import GradientReversal, reverse_gradient
from .interface import PretextNetwork
from .matched import MatchedPair, matched_pair
from .pretext_model import PretextModel, PretextOutput
from .runtime import resolve_device, seed_everything, seeded

__all__ = [
    "C4Encoder",
    "CNNEncoder",
    "CategoricalBottleneck",
    "EquivarianceReport",
    "GradientReversal",
    "MLPEncoder",
    "MatchedPair",
    "PretextModel",
    "PretextNetwork",
    "PretextOutput",
    "check_equivariance",
    "count_parameters",
    "joint_with_codes",
    "joint_with_codes_from_ids",
    "matched_pair",
    "resolve_device",
    "reverse_gradient",
    "seed_everything",
    "seeded",
]
