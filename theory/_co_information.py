"""Co-information (McGill's interaction information), sign convention I(X;Y) - I(X;Y|Z)."""

from __future__ import annotations

from itertools import combinations

from ._combination import Variables, as_variables, combine, evaluate
from ._errors import InvalidDistribution


def co_information(joint, *variables: Variables, base: object = 2):
    """Co-information of two or more variables: ``-sum_T (-1)^|T| H(T)`` over non-empty subsets.

    For three variables it equals I(X;Y) - I(X;Y|Z) (McGill's sign): positive for
    redundancy, negative for synergy. XOR gives -1.

    >>> from theory import Joint
    >>> xor = Joint.from_weights([[[1, 0], [0, 1]], [[0, 1], [1, 0]]], names=("X", "Y", "Z"))
    >>> co_information(xor, "X", "Y", "Z")
    -1
    """
    if len(variables) < 2:
        raise InvalidDistribution(f"co_information needs at least two variables, got {len(variables)}")
    groups = [as_variables(joint, v, f"variable {i}") for i, v in enumerate(variables)]
    pairs = []
    for k in range(1, len(groups) + 1):
        for chosen in combinations(groups, k):
            pairs.append((-((-1) ** k), frozenset().union(*chosen)))
    return evaluate(joint, combine(*pairs), base)
