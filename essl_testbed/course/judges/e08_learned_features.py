"""Checkers of exercise 8: the exact joint of a learned code, its information, and the bounds."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from theory import Joint, entropy, mutual_information

from ..checking import Wrong, judge
from ._common import call, diagnose, number

NAMES = ("C", "S", "Abar", "A", "Z")
INFO_KEYS = ("I_A_Z", "I_C_Z", "I_A_Z_given_C", "I_A_C_given_Z", "H_C_given_Z")
BOUND_KEYS = ("data_processing", "class_cap", "t1_identity", "t1_floor")


@lru_cache(maxsize=1)
def _world():
    """Six/nine with an uneven class prior and a mirror pose: a latent table that is not uniform."""
    from synthetic.worlds import presets

    return presets.get("six-nine", class_prior=(0.3, 0.7), pose="hflip")


def _codes(n_x: int, n_z: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).dirichlet(np.ones(n_z), size=n_x)


@judge("8.1")
def code_joint(answer) -> str:
    from synthetic.nets.bottleneck import joint_with_codes_from_ids

    world = _world()
    p, ids = world.latent_table("rot2").astype(float), world.x_ids("rot2")[0]
    for seed, n_z in ((0, 3), (1, 2)):
        q = _codes(int(ids.max()) + 1, n_z, seed)
        J = call(answer, world, "rot2", q.copy())
        if not isinstance(J, Joint):
            raise Wrong(f"return a theory.Joint, got a {type(J).__name__}")
        if J.names != NAMES:
            raise Wrong(f"name the axes {NAMES}, got {J.names}")
        reference = joint_with_codes_from_ids(p, ids, q)
        got = np.asarray(J.probabilities, dtype=float)
        if got.shape != reference.shape:
            raise Wrong(
                f"the joint has shape {got.shape}; the latent shape plus one axis of codes is {reference.shape}"
            )
        if not np.allclose(got, reference, atol=1e-12):
            rows = q[np.arange(q.shape[0])[::-1] % q.shape[0]]
            if np.allclose(got, p[..., None] * rows[ids], atol=1e-12):
                raise Wrong("the code rows are matched to the wrong images: index q by each cell's image id")
            raise Wrong(
                "not p(c, s, a-bar, a) q(z | x(c, s, a-bar, a)): each latent cell's probability times its image's code row"
            )
    return "the exact joint of the world's latents and the code, on two drawn encoders"


@judge("8.2")
def code_information(answer) -> str:

    rng = np.random.default_rng(17)
    for shape in ((2, 2, 1, 2, 3), (3, 1, 2, 2, 2)):
        p = rng.dirichlet(np.ones(int(np.prod(shape)))).reshape(shape)
        J = Joint(p, names=NAMES)
        got = call(answer, J)
        if not isinstance(got, dict) or set(got) != set(INFO_KEYS):
            raise Wrong(f"return a dict with the keys {', '.join(INFO_KEYS)}")
        ref = {
            "I_A_Z": mutual_information(J, "A", "Z"),
            "I_C_Z": mutual_information(J, "C", "Z"),
            "I_A_Z_given_C": mutual_information(J, "A", "Z", given="C"),
            "I_A_C_given_Z": mutual_information(J, "A", "C", given="Z"),
            "H_C_given_Z": entropy(J, "C", given="Z"),
        }
        ref = {k: float(v) for k, v in ref.items()}
        for key in INFO_KEYS:
            others = {f"this is {k}: check the variables and the conditioning": v for k, v in ref.items() if k != key}
            diagnose(number(got[key], key), ref[key], key, others)
    return "all five terms right on two drawn joints"


_CONSISTENT = {
    "info": {"I_A_Z": 0.8, "I_C_Z": 0.5, "I_A_Z_given_C": 1.0, "I_A_C_given_Z": 0.2, "H_C_given_Z": 1.5},
    "exact": {"I_A_X": 1.2, "I_C_X": 1.9},
}
_VIOLATIONS = (
    ("data_processing", {"info": {"I_A_Z": 1.3, "I_A_Z_given_C": 1.5}}),
    ("data_processing", {"exact": {"I_A_X": 0.5}}),
    ("class_cap", {"info": {"I_C_Z": 2.1}}),
    ("class_cap", {"exact": {"I_C_X": 0.3}}),
    ("t1_identity", {"info": {"I_A_C_given_Z": 0.05}}),
    ("t1_floor", {"info": {"I_A_Z_given_C": 2.5, "I_A_C_given_Z": 1.7, "H_C_given_Z": 1.2}}),
)
_SMALL = {
    "info": {"I_A_Z": 0.08, "I_C_Z": 0.05, "I_A_Z_given_C": 0.1, "I_A_C_given_Z": 0.02, "H_C_given_Z": 0.15},
    "exact": {"I_A_X": 0.09, "I_C_X": 0.06},
}


def _case(change: dict) -> tuple[dict, dict]:
    info = {**_CONSISTENT["info"], **change.get("info", {})}
    exact = {**_CONSISTENT["exact"], **change.get("exact", {})}
    return info, exact


@judge("8.3")
def bounds(answer) -> str:
    for broken, change in [(None, {}), (None, _SMALL), *_VIOLATIONS]:
        info, exact = _case(change)
        got = call(answer, dict(info), dict(exact))
        if not isinstance(got, dict) or set(got) != set(BOUND_KEYS):
            raise Wrong(f"return a dict with the keys {', '.join(BOUND_KEYS)}")
        for key in BOUND_KEYS:
            expected = key != broken
            if bool(got[key]) != expected:
                where = "on numbers that satisfy every bound" if broken is None else f"on numbers that break {broken}"
                raise Wrong(f"{where}, your {key} says {bool(got[key])}")
    return "each bound is judged right, and each fails on numbers that break it"
