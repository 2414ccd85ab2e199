"""Checkers of exercise 5: a shortcut cue, its exact effect, and pairing runs by seed."""

from __future__ import annotations

from functools import lru_cache

from ..checking import Wrong, judge
from ._common import call, diagnose, number, raises

WORLDS = (("natural", {"n_positions": 5}), ("shortcut", {}), ("shortcut", {"base": "crop-flip"}), ("occluded", {}))


@lru_cache(maxsize=4)
def _analysis(index: int) -> dict:
    from synthetic.worlds import presets

    name, kwargs = WORLDS[index]
    return presets.get(name, **kwargs).analyze("rot4", class_blind=False)


@judge("5.1")
def cue_numbers(answer) -> str:
    from synthetic.worlds import presets

    for index, (name, kwargs) in enumerate(WORLDS):
        got = call(answer, presets.get(name, **kwargs))
        try:
            visible, corners, relevant = (number(v, "each of the three numbers") for v in got)
        except (TypeError, ValueError):
            raise Wrong(f"return a triple (I(A;X), I(A;corners), class-relevant bits), got {got!r}") from None
        a = _analysis(index)
        where = f"on {name}{' with base ' + kwargs['base'] if 'base' in kwargs else ''}"
        diagnose(visible, a["I_A_X"], f"I(A;X) {where}")
        diagnose(
            corners,
            a["I_A_corners"],
            f"I(A;corners) {where}",
            {"this is I(A;g), all the cheap statistics together; take the corners only": a["I_A_g"]},
        )
        diagnose(
            relevant,
            a["class_relevant_bits"],
            f"class-relevant bits {where}",
            {"this is H(A|Xerased); subtract H(A|X)": a["H_A_given_Xerased"]},
        )
    return "right on natural, shortcut, shortcut with crop-flip and occluded"


def _runs(seeds, gains):
    return [{"seed": s, "probe_gain": g} for s, g in zip(seeds, gains)]


@judge("5.2")
def paired_differences(answer) -> str:
    a = _runs([0, 1, 2, 3], [0.10, 0.20, 0.30, 0.40])
    b = _runs([2, 0, 3, 1], [0.05, 0.02, 0.10, 0.07])
    got = call(answer, a, b, "probe_gain")
    if not isinstance(got, dict):
        raise Wrong(f"return a dict {{seed: difference}}, got a {type(got).__name__}")
    expected = {0: 0.08, 1: 0.13, 2: 0.25, 3: 0.30}
    if set(got) != set(expected):
        raise Wrong(f"the keys should be the seeds {sorted(expected)}, got {sorted(got)}")
    by_position = {0: 0.05, 1: 0.18, 2: 0.20, 3: 0.33}
    for seed in expected:
        value = number(got[seed], f"the difference at seed {seed}")
        diagnose(
            value,
            expected[seed],
            f"the difference at seed {seed}",
            {"runs were paired by their position in the lists, not by seed": by_position[seed]},
        )
    other = [{"seed": r["seed"], "probe_acc": 1 - r["probe_gain"]} for r in a]
    if call(answer, other, other, "probe_acc") != dict.fromkeys(range(4), 0.0):
        raise Wrong("comparing a condition with itself on the key 'probe_acc' should give 0 at every seed")
    for unmatched in (_runs([0, 1, 5], [0.1, 0.2, 0.3]), _runs([0, 1, 2, 5], [0.1, 0.2, 0.3, 0.4])):
        if not raises(lambda unmatched=unmatched: call(answer, a, unmatched, "probe_gain"), ValueError):
            seeds = sorted(r["seed"] for r in unmatched)
            raise Wrong(
                f"against runs of seeds {seeds}, some seeds have no partner: raise ValueError, do not drop them"
            )
    return "paired by seed (a minus b), and unmatched seeds are an error"
