"""Learned quantities checked against their exact information-theoretic limits.

On a world's exact enumerated distribution (every latent cell with its probability):

* pretext accuracy <= Bayes accuracy of A given X; H(A) - CE_A <= I(A;X) (Barber-Agakov);
* probe: H(C) - CE_probe (usable information) <= I(C;X); probe accuracy <= Bayes accuracy;
* bottleneck: the exact joint of the latents with the learned code Z; T1's identity on it
  to 1e-9.

A violated inequality is a bug and raises :class:`BoundViolation` (an ``AssertionError``,
never an input error).

>>> check_bound("accuracy", 0.5, 0.75)
{'value': 0.5, 'limit': 0.75}
>>> check_bound("accuracy", 0.8, 0.75)
Traceback (most recent call last):
...
essl_testbed.experiments.checks.BoundViolation: accuracy: learned 0.8 exceeds its exact limit 0.75 by 0.05
"""

from __future__ import annotations

from typing import Any

import numpy as np

from synthetic.worlds.interface import ExactWorld

__all__ = ["BOUND_TOL", "BoundViolation", "bottleneck_information", "check_bound", "code_table"]

BOUND_TOL = 1e-6  # float32 networks: probabilities sum to 1 within ~1e-7


class BoundViolation(AssertionError):
    """A learned quantity beat its exact information-theoretic limit: a bug somewhere."""


def check_bound(name: str, value: float, limit: float, tol: float = BOUND_TOL) -> dict:
    """``{"value", "limit"}`` when ``value <= limit + tol``; raises :class:`BoundViolation` otherwise."""
    if value > limit + tol:
        raise BoundViolation(f"{name}: learned {value:.9g} exceeds its exact limit {limit:.9g} by {value - limit:.3g}")
    return {"value": value, "limit": limit}


def code_table(world: ExactWorld, transform: str, dataset: Any, model: Any) -> np.ndarray:
    """q(z|x) of a categorical bottleneck for every image id of the world under ``transform``
    (rows indexed like ``world.x_ids(transform)``; ids of zero-probability cells get code 0)."""
    import torch

    ids = dataset.latents["X"]
    unique, first = np.unique(ids, return_index=True)
    x = torch.as_tensor(dataset.x[first], device=next(model.parameters()).device)
    # chunks: one batch of thousands of images is ~2.5x slower on CPU (cache thrashing)
    q_rows = np.concatenate([model.code_table(part) for part in x.split(512)])
    x_ids = world.x_ids(transform)[0]
    q = np.zeros((int(x_ids.max()) + 1, q_rows.shape[1]))
    q[:, 0] = 1.0  # ids of zero-probability cells only; their rows never carry mass
    q[unique] = q_rows
    return q


def bottleneck_information(world: ExactWorld, transform: str, dataset: Any, model: Any) -> dict:
    """Exact information of the learned categorical code Z with the world's latents."""
    from synthetic.nets.bottleneck import joint_with_codes_from_ids
    from theory import Joint, entropy, mutual_information
    from theory.essl import explaining_away_identity

    q = code_table(world, transform, dataset, model)
    table = joint_with_codes_from_ids(world.latent_table(transform).astype(np.float64), world.x_ids(transform)[0], q)
    J = Joint(table, names=("C", "S", "Abar", "A", "Z"))
    report = explaining_away_identity(J, a="A", c="C", z="Z", tol=1e-9)
    if not report.holds:
        raise BoundViolation(f"T1 fails on the learned code:\n{report}")
    return {
        "I_A_Z": mutual_information(J, "A", "Z"),
        "I_C_Z": mutual_information(J, "C", "Z"),
        "I_A_Z_given_C": mutual_information(J, "A", "Z", given="C"),
        "I_A_C_given_Z": mutual_information(J, "A", "C", given="Z"),
        "H_C_given_Z": entropy(J, "C", given="Z"),
        # the code's sharpness: X is a function of the latents and Z reads only X, so
        # H(Z | latents) = H(Z | X); 0 for a deterministic code
        "H_Z_given_X": entropy(J, "Z", given=("C", "S", "Abar", "A")),
        "t1_residual": float(report.slack),
    }
