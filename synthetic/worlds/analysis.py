"""Exact information analysis of a world under a transformation, and its table/JSON forms.

``analyze(world, transform)`` returns a dict (keys in :data:`ANALYSIS_KEYS` order, each
documented there in one line). Information keys are in bits: floats for float worlds, exact
sympy values for exact worlds (Fraction probabilities). Bayes accuracies are always floats
(exact sums of float probabilities; an exact world's are rounded to float64). Counts are
ints.

The class-erased view ``Xerased`` renders the same scene (style, pose, augmentation) with
every class's glyph replaced by one class-agnostic glyph (``erase="box"``: the filled
bounding box of all classes' ink; ``"union"``; ``"mean"``). ``g`` is the tuple of cheap
statistics of X in :mod:`synthetic.worlds.views`.

>>> from fractions import Fraction as F
>>> from synthetic.worlds import presets
>>> r = analyze(presets.get("six-nine", class_prior=(F(1, 3), F(2, 3))), "rot2")
>>> r["I_A_C"], r["I_A_X_given_C"], r["I_C_X"]
(0, 1, 0)
>>> print(format_analysis(r, keys=("H_A_given_X",)).splitlines()[2])
H_A_given_X  0.9183  -2/3 + log(3)/log(2)  H(A|X): augmentation left ambiguous by the input
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import SupportsFloat, cast

import numpy as np

from .. import transforms
from ..errors import ExactAnalysisUnavailable, WorldError
from .interface import ExactWorld, ImageSetWorld

__all__ = ["ANALYSIS_KEYS", "CLASS_BLIND_KEYS", "analysis_json", "analyze", "format_analysis", "format_comparison"]

ANALYSIS_KEYS: dict[str, str] = {
    "n_latent_cells": "cells of the latent grid p(c, s, ā, a), zero-probability cells included",
    "n_distinct_X": "distinct rendered images X of positive probability",
    "n_posteriors_A": "distinct posteriors p(A|x) of positive probability: the codes Z = T needs",
    "H_A": "H(A): entropy of the augmentation",
    "H_C": "H(C): entropy of the class",
    "I_A_C": "I(A;C): 0, A is drawn independently of the class",
    "I_A_X": "I(A;X): the E-SSL objective of an unconstrained encoder",
    "H_A_given_X": "H(A|X): augmentation left ambiguous by the input",
    "I_A_X_given_C": "I(A;X|C): what X tells about A once the class is known",
    "I_A_C_given_X": "I(A;C|X): explaining-away term; I(A;X) = I(A;X|C) - I(A;C|X)",
    "I_C_T": "I(C;T), T = p(A|X): class bits that every code predicting A optimally in log-loss carries",
    "bayes_acc_A_class_blind": "best accuracy of a predictor of A whose output distribution is the same for every class",
    "H_A_given_Z_class_blind": "H(A|Z) of the best class-blind code found (I(C;Z) = 0; an achievable upper bound; Z = T gives H(A|X), a constant H(A))",
    "I_A_X_given_C_S": "I(A;X|C,S): what X tells about A once class and style are known",
    "I_A_C_S_given_X": "I(A;C,S|X): explaining-away by class and style together (Principle III)",
    "H_C_given_X": "H(C|X): class left ambiguous by the input",
    "I_C_X": "I(C;X): class information in the input",
    "bayes_acc_A_given_X": "accuracy of the Bayes predictor of A from X",
    "bayes_acc_A_given_X_C": "accuracy of the Bayes predictor of A from X and the class",
    "bayes_acc_C_given_X": "accuracy of the Bayes predictor of C from X",
    "I_A_Xerased": "I(A;Xerased): A revealed by the class-erased scene (no class needed)",
    "H_A_given_Xerased": "H(A|Xerased): A left ambiguous by the class-erased scene",
    "bayes_acc_A_given_Xerased": "accuracy of the Bayes predictor of A from the class-erased scene",
    "class_relevant_bits": "H(A|Xerased) - H(A|X): bits of A the input reveals but the class-erased scene does not (< 0 when the erased box shows moves of blank glyph parts)",
    "I_A_mean_colour": "I(A;mean colour): A revealed by the per-channel mean",
    "I_A_is_grey": "I(A;is grey): A revealed by whether R = G = B everywhere",
    "I_A_corners": "I(A;corner pixels): A revealed by the four corner pixels (background, cues)",
    "I_A_pooled": "I(A;2x2 pooled image): A revealed by the ink/colour per image quarter",
    "I_A_g": "I(A;g): A revealed by g = (mean colour, is grey, corners, pooled)",
    "H_A_given_g": "H(A|g): augmentation left ambiguous by the cheap statistics g",
    "H_C_given_g": "H(C|g): class left ambiguous by g (caps I(A;C|g))",
    "I_A_C_given_g": "I(A;C|g): explaining-away term given the cheap statistics (Principle II)",
    "bayes_acc_A_given_g": "accuracy of the Bayes predictor of A from g",
}
"""Every key of :func:`analyze`, with a one-line description (bits unless a count/accuracy)."""


def _bayes_accuracy(p: np.ndarray, given: np.ndarray, target: np.ndarray, n_target: int) -> float:
    """sum over values v of ``given`` of max_t p(v, t): accuracy of the Bayes predictor."""
    from theory import dense_ids

    g, n_g = dense_ids(np.broadcast_to(given, p.shape))
    t = np.broadcast_to(target, p.shape)
    table = np.bincount((g * n_target + t).ravel(), weights=p.ravel(), minlength=n_g * n_target)
    return float(table.reshape(n_g, n_target).max(axis=1).sum())


CLASS_BLIND_KEYS = ("bayes_acc_A_class_blind", "H_A_given_Z_class_blind")
"""The keys that cost linear programs (:func:`theory.class_blind_code` searches vertices)."""


def analyze(
    world: ExactWorld, transform: str | transforms.Transform, erase: str = "box", class_blind: bool = True
) -> dict:
    """The exact analysis of ``world`` under ``transform``: a dict, keys :data:`ANALYSIS_KEYS`.

    ``class_blind=False`` leaves out :data:`CLASS_BLIND_KEYS` (on jigsaw's hundreds of
    posterior groups their search takes tens of seconds). Where I(C;T) = 0 they need no
    search: Z = T is then class-blind, so they equal H(A|X) and the Bayes accuracy.
    Worlds without known latents (:class:`synthetic.worlds.digits.DigitsWorld`) raise
    :class:`synthetic.errors.ExactAnalysisUnavailable`.
    """
    from theory import (
        class_blind_accuracy,
        class_blind_code,
        entropy,
        mutual_information,
        posterior_ids,
        with_posterior,
    )

    if not isinstance(world, ExactWorld):
        what = (
            "a labelled image set, with no latents other than the class"
            if isinstance(world, ImageSetWorld)
            else "not a world with a latent grid"
        )
        raise ExactAnalysisUnavailable(f"analyze needs an ExactWorld; {type(world).__name__} is {what}")
    t = transforms.get(transform)
    views = ("Xerased", "mean_colour", "is_grey", "corners", "pooled", "g")
    J = world.joint(t, views=views, erase=erase)
    p = J.latent.probabilities
    p = p.astype(np.float64) if J.is_exact else p
    n_c, n_s, n_abar, n_a = p.shape
    fn = J.functions
    a_idx = np.arange(n_a).reshape(1, 1, 1, -1)
    c_idx = np.arange(n_c).reshape(-1, 1, 1, 1)
    x = fn["X"]
    mi, h = mutual_information, entropy

    out: dict = {}
    out["n_latent_cells"] = int(p.size)
    out["n_distinct_X"] = int((np.bincount(x.ravel(), weights=p.ravel()) > 0).sum())
    t_ids, _ = posterior_ids(J, "A", "X")
    out["n_posteriors_A"] = int(
        (np.bincount(t_ids, weights=J.marginal("X").probabilities.astype(np.float64)) > 0).sum()
    )
    out["H_A"] = h(J, "A")
    out["H_C"] = h(J, "C")
    out["I_A_C"] = mi(J, "A", "C")
    out["I_A_X"] = mi(J, "A", "X")
    out["H_A_given_X"] = h(J, "A", given="X")
    out["I_A_X_given_C"] = mi(J, "A", "X", given="C")
    out["I_A_C_given_X"] = mi(J, "A", "C", given="X")
    bayes_a = _bayes_accuracy(p, x, a_idx, n_a)
    out["I_C_T"] = mi(with_posterior(J, "A", "X"), "C", "T")
    if class_blind and float(out["I_C_T"]) <= 1e-12:
        out["bayes_acc_A_class_blind"] = bayes_a
        out["H_A_given_Z_class_blind"] = float(out["H_A_given_X"])
    elif class_blind:
        out["bayes_acc_A_class_blind"] = class_blind_accuracy(J)
        out["H_A_given_Z_class_blind"] = class_blind_code(J).h_a_given_z
    out["I_A_X_given_C_S"] = mi(J, "A", "X", given=("C", "S"))
    out["I_A_C_S_given_X"] = mi(J, "A", ("C", "S"), given="X")
    out["H_C_given_X"] = h(J, "C", given="X")
    out["I_C_X"] = mi(J, "C", "X")
    out["bayes_acc_A_given_X"] = bayes_a
    out["bayes_acc_A_given_X_C"] = _bayes_accuracy(p, x * n_c + c_idx, a_idx, n_a)
    out["bayes_acc_C_given_X"] = _bayes_accuracy(p, x, c_idx, n_c)
    out["I_A_Xerased"] = mi(J, "A", "Xerased")
    out["H_A_given_Xerased"] = h(J, "A", given="Xerased")
    out["bayes_acc_A_given_Xerased"] = _bayes_accuracy(p, fn["Xerased"], a_idx, n_a)
    out["class_relevant_bits"] = out["H_A_given_Xerased"] - out["H_A_given_X"]
    for view in ("mean_colour", "is_grey", "corners", "pooled"):
        out[f"I_A_{view}"] = mi(J, "A", view)
    out["I_A_g"] = mi(J, "A", "g")
    out["H_A_given_g"] = h(J, "A", given="g")
    out["H_C_given_g"] = h(J, "C", given="g")
    out["I_A_C_given_g"] = mi(J, "A", "C", given="g")
    out["bayes_acc_A_given_g"] = _bayes_accuracy(p, fn["g"], a_idx, n_a)
    assert tuple(out) == tuple(k for k in ANALYSIS_KEYS if class_blind or k not in CLASS_BLIND_KEYS)
    return out


# ---------------------------------------------------------------------------- formatting


def _is_sympy(value: object) -> bool:
    return type(value).__module__.startswith("sympy")


def _as_float(value: object) -> float | int:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    return float(cast(SupportsFloat, value))  # sympy values evaluate here


def _exact_string(value: object) -> str | None:
    """The exact form of a sympy value that is not a plain integer, else None."""
    if not _is_sympy(value) or getattr(value, "is_Integer", False):
        return None
    return str(value)


def analysis_json(analysis: Mapping[str, object]) -> dict[str, dict]:
    """JSON-ready records: key -> {"value": float or int, "exact": str or None, "description"}.

    >>> analysis_json({"H_A": 1.0})["H_A"]["value"]
    1.0
    """
    out = {}
    for key, value in analysis.items():
        out[key] = {"value": _as_float(value), "exact": _exact_string(value), "description": ANALYSIS_KEYS.get(key, "")}
    return out


def _clean(value: float | int) -> float | int:
    """Float round-off around an exact zero (|x| < 1e-12) shown as 0, never as -0.0000."""
    return 0.0 if isinstance(value, float) and abs(value) < 1e-12 else value


def _number(value: float | int) -> str:
    value = _clean(value)
    return str(value) if isinstance(value, int) else f"{value:.4f}"


def format_analysis(analysis: Mapping[str, object], keys: Sequence[str] | None = None, title: str | None = None) -> str:
    """A plain-text table: key, value, exact form (exact worlds), description."""
    keys = tuple(analysis) if keys is None else tuple(keys)
    missing = [k for k in keys if k not in analysis]
    if missing:
        raise WorldError(f"keys not in the analysis: {', '.join(missing)}")
    rows = [
        (k, _number(_as_float(analysis[k])), _exact_string(analysis[k]) or "", ANALYSIS_KEYS.get(k, "")) for k in keys
    ]
    has_exact = any(r[2] for r in rows)
    header = ("key", "value", "exact", "description") if has_exact else ("key", "value", "description")
    body = [r if has_exact else (r[0], r[1], r[3]) for r in rows]
    widths = [max(len(str(x[i])) for x in [header, *body]) for i in range(len(header) - 1)]
    lines = [title] if title else []
    for i, row in enumerate([header, *body]):
        cells = [str(c).ljust(w) for c, w in zip(row[:-1], widths)] + [str(row[-1])]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * len(header[-1]))
    return "\n".join(lines)


def format_comparison(
    analyses: Mapping[str, Mapping[str, object]], keys: Sequence[str] | None = None, digits: int = 3
) -> str:
    """Side-by-side table: one row per key, one column per analysis (e.g. per transformation)."""
    if not analyses:
        raise WorldError("format_comparison needs at least one analysis")
    names = list(analyses)
    keys = tuple(next(iter(analyses.values()))) if keys is None else tuple(keys)

    def cell(v: object) -> str:
        f = _clean(_as_float(v))
        return str(f) if isinstance(f, int) else f"{f:.{digits}f}"

    rows = [[k] + [cell(analyses[n][k]) for n in names] for k in keys]
    header = ["key"] + names
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths)))]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    return "\n".join(lines)
