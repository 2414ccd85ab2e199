"""Exact information theory on discrete joint distributions (floats and exact rationals).

>>> from theory import Joint, mutual_information, explaining_away
>>> J = Joint.from_weights([[[1, 0], [0, 1]], [[0, 1], [1, 0]]], names=("C", "A", "X"))
>>> mutual_information(J, "A", "C"), explaining_away(J, a="A", c="C", x="X")
(0, 1)
"""

from ._class_blind import ClassBlindCode, ClassBlindLimit, class_blind_accuracy, class_blind_code, class_blind_limit
from ._co_information import co_information
from ._entropy import entropy
from ._errors import InvalidDistribution
from ._joint import Joint
from ._kl_divergence import kl_divergence
from ._logs import exact_value
from ._mutual_information import explaining_away, mutual_information
from ._outcome_ids import outcome_ids
from ._posterior import posterior_ids, with_posterior
from ._pushforward import PushforwardJoint, dense_ids, ids_of_outcomes

__all__ = [
    "ClassBlindCode",
    "ClassBlindLimit",
    "InvalidDistribution",
    "Joint",
    "PushforwardJoint",
    "class_blind_accuracy",
    "class_blind_code",
    "class_blind_limit",
    "co_information",
    "dense_ids",
    "entropy",
    "exact_value",
    "explaining_away",
    "ids_of_outcomes",
    "kl_divergence",
    "mutual_information",
    "outcome_ids",
    "posterior_ids",
    "with_posterior",
]
