"""Checkers of exercise 4: which of the seven transformations need the class on ``natural``."""

from __future__ import annotations

from functools import lru_cache

from synthetic.transforms import PAPER_SEVEN

from ..checking import Wrong, judge
from ._common import call, diagnose, number

TOL = 1e-9


@lru_cache(maxsize=4)
def _analyses(n_classes: int) -> dict[str, dict]:
    from synthetic.worlds import presets

    world = presets.get("natural", n_classes=n_classes)
    return {t: world.analyze(t, class_blind=False) for t in PAPER_SEVEN}


def _names(value, what: str) -> set[str]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise Wrong(f"{what} should be a set of transformation names, got {value!r}")
    names = set(value)
    unknown = names - set(PAPER_SEVEN)
    if unknown:
        raise Wrong(f"unknown transformation name(s) {sorted(unknown)}; the seven are {', '.join(PAPER_SEVEN)}")
    return names


@judge("4.1")
def my_prediction(answer) -> str:
    names = _names(call(answer), "the prediction")
    return f"prediction recorded ({len(names)} of 7 predicted class-relevant); the cell after task 4.3 scores it"


@judge("4.2")
def relevance_table(answer) -> str:
    from synthetic.worlds import presets

    for n_classes in (8, 4):
        got = call(answer, presets.get("natural", n_classes=n_classes))
        if not isinstance(got, dict) or set(got) != set(PAPER_SEVEN):
            raise Wrong(f"return a dict with one entry per transformation: {', '.join(PAPER_SEVEN)}")
        for t, analysis in _analyses(n_classes).items():
            try:
                visible, relevant = got[t]
            except (TypeError, ValueError):
                raise Wrong(
                    f"the entry of {t} should be a pair (I(A;X), class-relevant bits), got {got[t]!r}"
                ) from None
            visible, relevant = number(visible, f"I(A;X) of {t}"), number(relevant, f"class-relevant bits of {t}")
            where = f"{t} on natural with {n_classes} classes"
            diagnose(
                visible,
                analysis["I_A_X"],
                f"I(A;X) of {where}",
                {
                    "this is the class-relevant bits: the pair is (I(A;X), class-relevant bits)": analysis[
                        "class_relevant_bits"
                    ]
                },
            )
            diagnose(
                relevant,
                analysis["class_relevant_bits"],
                f"class-relevant bits of {where}",
                {
                    "a negative value was clipped to 0: report it as computed": max(
                        analysis["class_relevant_bits"], 0.0
                    ),
                    "this is H(A|Xerased): subtract H(A|X)": analysis["H_A_given_Xerased"],
                    "this is I(A;Xerased), what the class-erased view shows: subtract H(A|X) from H(A|Xerased)": analysis[
                        "I_A_Xerased"
                    ],
                    "this is I(A;C|X), the explaining-away term; the class-relevant bits compare X with the class-erased view": analysis[
                        "I_A_C_given_X"
                    ],
                    "this is I(A;X): how much the image shows, not how much of it needs the class": analysis["I_A_X"],
                },
            )
    return "both numbers right for the seven transformations, on natural with 8 and 4 classes"


@judge("4.3")
def class_relevant(answer) -> str:
    table = {t: (a["I_A_X"], a["class_relevant_bits"]) for t, a in _analyses(8).items()}
    expected = {t for t, (_, bits) in table.items() if bits > TOL}
    got = _names(call(answer, table), "the class-relevant set")
    if got != expected:
        if got == {t for t, (_, bits) in table.items() if abs(bits) > TOL}:
            raise Wrong("a negative value is not class-relevant")
        raise Wrong("not the set of transformations whose class-relevant bits are positive on natural")
    noisy = {"rot4": (2.0, 2.0), "vflip": (1.0, 3e-13), "hflip": (0.0, -4e-14), "invert": (1.0, -0.06)}
    noisy.update({t: (1.0, 0.0) for t in PAPER_SEVEN if t not in noisy})
    got = _names(call(answer, noisy), "the class-relevant set")
    if "vflip" in got:
        raise Wrong(
            "on a table where vflip has 3e-13 class-relevant bits you counted it: that is float noise; use a tolerance"
        )
    if "invert" in got:
        raise Wrong("a negative value (-0.06 bits) is not class-relevant")
    if got != {"rot4"}:
        raise Wrong("on a second table (rot4 2 bits, the rest 0 or noise) the set is wrong")
    third = {t: (1.0, 0.0) for t in PAPER_SEVEN} | {"blur4": (2.0, 0.7), "jigsaw": (3.7, 1.2), "rot4": (2.0, 1e-3)}
    if _names(call(answer, third), "the class-relevant set") != {"blur4", "jigsaw", "rot4"}:
        raise Wrong("on a third table (blur4 0.7, jigsaw 1.2 and rot4 0.001 bits, the rest 0) the set is wrong")
    return f"right: {len(expected)} of 7 are class-relevant on natural; compare with your prediction below"
