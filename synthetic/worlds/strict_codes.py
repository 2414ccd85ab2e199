"""Strictly equivariant categorical codes on a world: where their information about C and A lies.

A code q(z|x) over n·m codes (z = (orbit b, position h), n = |G|) is strictly equivariant when
q(ρ(g)·z | g·x) = q(z|x), with G acting on the codes by the regular representation
ρ(g)·(b, h) = (b, g∘h). Group averaging makes any code so:

    q̃(z|x) = (1/n) Σ_g q(ρ(g)·z | g·x)          (:func:`symmetrise`)

With X = A·X̄ and A uniform and independent of X̄, the code of X is ρ(A)·Z̄ (Z̄ the code of
X̄), so its orbit O(Z) = b is a function of the scene alone and its position is uniform given
the orbit and the class. Hence, for every strictly equivariant code (:func:`code_information`
checks both exactly):

    I(C;Z) = I(C;O(Z))                       the class information lies in the invariant part
    I(A;Z) = H(A) − H(position of Z̄ | O(Z̄))   A is known as far as scenes sit canonically

A strict code keeps the whole orbit of X: the codes of all g·X are ρ(g)·Z. Nothing in
equivariance ties I(C;Z) to I(C;T): the class bits a cross-entropy code must carry come from
the posterior of A, a strict code's from its invariant part, which only an anti-collapse
term asks to be informative.

>>> import numpy as np
>>> from synthetic.worlds import presets
>>> world = presets.get("six-nine")
>>> rng = np.random.default_rng(0)
>>> q = rng.dirichlet(np.ones(4), size=world.x_ids("rot2")[0].shape)   # a code with 2 orbits
>>> info = code_information(world, "rot2", symmetrise(q, "rot2"))
>>> abs(info["I_C_Z"] - info["I_C_O"]) < 1e-12, abs(info["I_A_Z"] - info["H_A_minus_H_pos_given_O"]) < 1e-12
(True, True)
"""

from __future__ import annotations

import numpy as np

from .. import transforms
from ..errors import WorldError

__all__ = ["code_information", "equivariance_gap", "symmetrise"]


def _shuffle(q: np.ndarray, transform: transforms.Transform) -> tuple[np.ndarray, np.ndarray]:
    """(q of the cell g·x, for every g: (..., A, n_g, m, n); the code permutation table)."""
    n = transform.n_actions
    if q.shape[3] != n or q.shape[-1] % n:
        raise WorldError(f"codes of shape {q.shape}: expected (C, S, Abar, {n}, m·{n})")
    table = transform.cayley_table()  # table[a, g]: a, then g
    blocks = q.reshape(q.shape[:4] + (q.shape[-1] // n, n))
    return blocks[:, :, :, table], table  # (C, S, Abar, A, G, m, n): the code of g·(cell a)


def symmetrise(q: np.ndarray, transform: str) -> np.ndarray:
    """The group average q̃(z|x) = (1/n) Σ_g q(ρ(g)·z | g·x) of codes ``q`` given per latent cell
    (C, S, Abar, A, n·m), codes laid out (orbit, position)."""
    t = transforms.get(transform)
    if not t.is_group:
        raise WorldError(f"{t.name!r} is not a group")
    moved, table = _shuffle(np.asarray(q, dtype=np.float64), t)
    n = t.n_actions
    out = np.zeros(moved.shape[:4] + moved.shape[5:])
    for g in range(n):
        out += moved[:, :, :, :, g][..., table[:, g]]  # position h of the code of g·x at ρ(g)·h
    return out.reshape(q.shape) / n


def equivariance_gap(q: np.ndarray, transform: str) -> float:
    """max |q(ρ(g)·z | g·x) − q(z|x)| over cells, g and z: 0 for a strictly equivariant code."""
    t = transforms.get(transform)
    moved, table = _shuffle(np.asarray(q, dtype=np.float64), t)
    base = np.asarray(q, dtype=np.float64).reshape(moved.shape[:4] + moved.shape[5:])
    return max(float(np.abs(moved[:, :, :, :, g][..., table[:, g]] - base).max()) for g in range(t.n_actions))


def code_information(world, transform: str, q: np.ndarray) -> dict[str, float]:
    """Exact I(C;Z), I(C;O(Z)), I(A;Z) and H(A) − H(position of Z̄ | O(Z̄)) (bits) of codes ``q``
    per latent cell (C, S, Abar, A, n·m) on ``world`` under ``transform``, and the equivariance gap."""
    from theory import Joint, entropy, mutual_information

    t = transforms.get(transform)
    q = np.asarray(q, dtype=np.float64)
    p = world.latent_table(t).astype(np.float64)
    n, m = t.n_actions, q.shape[-1] // t.n_actions
    joint = Joint.from_weights((p[..., None] * q).reshape(p.shape + (m, n)), names=("C", "S", "Abar", "A", "O", "H"))
    scenes = (p[:, :, :, 0, None] * q[:, :, :, 0]).reshape(p.shape[:3] + (m, n))
    at_rest = Joint.from_weights(scenes, names=("C", "S", "Abar", "O", "H"))
    return {
        "I_C_Z": float(mutual_information(joint, "C", ("O", "H"))),
        "I_C_O": float(mutual_information(joint, "C", "O")),
        "I_A_Z": float(mutual_information(joint, "A", ("O", "H"))),
        "H_A_minus_H_pos_given_O": float(entropy(joint, "A")) - float(entropy(at_rest, "H", given="O")),
        "equivariance_gap": equivariance_gap(q, t.name),
    }
