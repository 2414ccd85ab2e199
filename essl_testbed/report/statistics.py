"""Paired statistics for trained claims: a declared contrast, a bootstrap interval, Holm, a verdict.

Every trained claim declares one primary :class:`Contrast` in code, before any number exists:
what is compared, the predicted direction, and for a prediction of *no effect* an
equivalence margin δ with its reason. Its per-seed paired differences get a **percentile
bootstrap** interval of their mean (:data:`RESAMPLES` resamples of the seeds, seeded by the
contrast's name) and a bootstrap p-value; the p-values of one profile's primary contrasts are
Holm-adjusted together (:func:`holm`), and :func:`decide` turns the adjusted value into a
verdict. Intervals are shown unadjusted.

* direction +1 or -1: *supported* when the adjusted two-sided p-value is below
  :data:`ALPHA` and the mean difference has the predicted sign, *contradicted* when it is
  below ALPHA with the other sign, *inconclusive* otherwise;
* direction 0 (equivalence, margin δ): *supported* when the adjusted equivalence p-value
  (the larger of the bootstrap shares at or beyond +δ and at or below -δ) is below ALPHA
  (two one-sided tests: unadjusted, the 90% interval lies inside ±δ); *contradicted* when
  the whole 95% interval lies beyond +δ or below -δ (an effect of at least δ);
  *inconclusive* otherwise.

**Convergence.** A contrast also declares ``converged_bits`` (ε): an arm of its primary
counts as converged when its mean optimality gap over the seeds (cross-entropy on its own
training styles above the exact optimum there, :class:`ArmCertificate`) is at most ε; an arm
without an exact optimum (InfoNCE, strict equivariance) counts as converged when its training
loss has plateaued (:data:`PLATEAU_DROP`). A verdict whose arms are not all converged is
*inconclusive (arm not converged)*: an arm that did not converge can neither lose nor win
(:func:`certified`). A primary measured on fewer than 2 seeds (the information plane counts
only seeds past the class-blind point) is *inconclusive*.

With few seeds a percentile bootstrap is too narrow (it ignores that the seeds' spread is
itself estimated): at 5 seeds read an interval as indicative, and prefer the full profile.

>>> c = Contrast("b - a", "accuracy", direction=+1)
>>> result = paired_contrast(c, {0: 0.10, 1: 0.12, 2: 0.08, 3: 0.11, 4: 0.09, 5: 0.10})
>>> round(result.mean, 3), result.low > 0, result.p < 0.01
(0.1, True, True)
>>> decide(c, result, p_adjusted=result.p)
<Verdict.SUPPORTED: 'supported'>
>>> holm([0.01, 0.04, 0.03])
[0.03, 0.06, 0.06]
>>> arm = ArmCertificate("eliminate", {0: 0.31, 1: 0.02}, "exact optimum")
>>> arm.converged(0.05), certified(Verdict.SUPPORTED, [arm], 0.05)
(False, <Verdict.UNCONVERGED: 'inconclusive (arm not converged)'>)
>>> ArmCertificate("eliminate", {0: 0.01}, violations={0: "class probe 0.76, chance 0.17"}).converged(0.05)
False
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from ..errors import TestbedError
from ..experiments.limits import CONVERGED_BITS

__all__ = [
    "ALPHA",
    "CONVERGED_BITS",
    "PLATEAU_DROP",
    "RESAMPLES",
    "ArmCertificate",
    "Contrast",
    "PairedResult",
    "Verdict",
    "certified",
    "decide",
    "holm",
    "paired_contrast",
]


class Verdict(str, Enum):
    """What the testbed found for a claim."""

    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    INCONCLUSIVE = "inconclusive"
    UNCONVERGED = "inconclusive (arm not converged)"
    HOLDS = "holds"
    FAILS = "fails"

    def __str__(self) -> str:
        return self.value


ALPHA = 0.05
RESAMPLES = 10_000
PLATEAU_DROP = 0.01
"""An arm without an exact optimum has plateaued when its mean training loss over the last
fifth of its steps is less than this share below the mean over the fifth before."""


@dataclass(frozen=True)
class Contrast:
    """A declared comparison: ``name`` says what minus what, ``unit`` its outcome's units,
    ``direction`` the predicted sign (+1, -1, or 0 for no effect), ``margin`` the equivalence
    margin δ (direction 0 only), ``reason`` why that direction or margin, and ``converged_bits``
    ε, the optimality gap under which each arm counts as converged."""

    name: str
    unit: str
    direction: int = 1
    margin: float | None = None
    reason: str = ""
    converged_bits: float = CONVERGED_BITS

    def __post_init__(self) -> None:
        if self.direction not in (-1, 0, 1):
            raise TestbedError(f"contrast {self.name!r}: direction must be -1, 0 or +1, got {self.direction!r}")
        if (self.direction == 0) != (self.margin is not None):
            raise TestbedError(f"contrast {self.name!r}: an equivalence margin goes with direction 0, and only there")
        if self.margin is not None and not self.margin > 0:
            raise TestbedError(f"contrast {self.name!r}: the equivalence margin must be positive, got {self.margin!r}")

    def prediction(self) -> str:
        if self.direction == 0:
            return f"within ±{self.margin:g} {self.unit} of 0"
        return f"{'> 0' if self.direction > 0 else '< 0'} ({self.unit})"


@dataclass(frozen=True)
class PairedResult:
    """Per-seed differences, their mean, the unadjusted 95% percentile-bootstrap interval and
    the bootstrap p-value (two-sided for a direction; the equivalence p-value for direction 0)."""

    differences: dict[int, float]
    mean: float
    low: float
    high: float
    p: float

    @property
    def n(self) -> int:
        return len(self.differences)

    def describe(self, digits: int = 3) -> str:
        return f"{self.mean:+.{digits}f} [{self.low:+.{digits}f}, {self.high:+.{digits}f}] (n = {self.n})"


def _bootstrap_means(values: np.ndarray, name: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")
    rng = np.random.default_rng(seed)
    return values[rng.integers(0, len(values), size=(RESAMPLES, len(values)))].mean(axis=1)


def paired_contrast(contrast: Contrast, differences: Mapping[int, float]) -> PairedResult:
    """Bootstrap the mean of per-seed paired differences (seed -> value)."""
    if len(differences) < 2:
        raise TestbedError(f"contrast {contrast.name!r} needs at least 2 seeds, got {len(differences)}")
    values = np.array([differences[s] for s in sorted(differences)], dtype=float)
    if not np.isfinite(values).all():
        raise TestbedError(f"contrast {contrast.name!r} has non-finite differences: {values.tolist()}")
    means = _bootstrap_means(values, contrast.name)
    low, high = np.quantile(means, [ALPHA / 2, 1 - ALPHA / 2])
    if contrast.direction == 0:
        assert contrast.margin is not None
        p = max(float(np.mean(means >= contrast.margin)), float(np.mean(means <= -contrast.margin)))
    else:
        p = min(1.0, 2 * min(float(np.mean(means <= 0)), float(np.mean(means >= 0))))
    return PairedResult(
        {int(s): float(differences[s]) for s in sorted(differences)}, float(values.mean()), float(low), float(high), p
    )


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm-adjusted p-values, in the input order (step-down, monotone, capped at 1)."""
    order = np.argsort(pvalues, kind="stable")
    m = len(pvalues)
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * float(pvalues[i])))
        adjusted[i] = running
    return [round(float(a), 12) for a in adjusted]


def decide(contrast: Contrast, result: PairedResult, p_adjusted: float) -> Verdict:
    """The verdict of a primary contrast from its result and its Holm-adjusted p-value."""
    if contrast.direction == 0:
        assert contrast.margin is not None
        if p_adjusted < ALPHA:
            return Verdict.SUPPORTED
        if result.low >= contrast.margin or result.high <= -contrast.margin:
            return Verdict.CONTRADICTED
        return Verdict.INCONCLUSIVE
    if p_adjusted >= ALPHA or result.mean == 0:
        return Verdict.INCONCLUSIVE
    return Verdict.SUPPORTED if np.sign(result.mean) == contrast.direction else Verdict.CONTRADICTED


@dataclass(frozen=True)
class ArmCertificate:
    """One arm of a primary contrast and its convergence certificate per seed: ``gaps`` are
    bits above the exact optimum (``kind`` "exact optimum"), above a certified lower bound on
    the optimum ("class-blind limit"), or for "plateau" the relative drop of the training loss
    over its last fifth of steps. ``violations`` names the seeds that missed the arm's own
    objective whatever their gap (a code meant to be class-blind that is not), with why; one
    is enough to leave the arm unconverged."""

    arm: str
    gaps: dict[int, float]
    kind: str = "exact optimum"
    violations: dict[int, str] = field(default_factory=dict)

    def converged(self, epsilon: float) -> bool:
        if not self.gaps or self.violations:
            return False
        values = list(self.gaps.values())
        if self.kind == "plateau":
            return all(v <= PLATEAU_DROP for v in values)
        return bool(np.mean(values) <= epsilon)

    def describe(self) -> str:
        values = np.array(list(self.gaps.values()), dtype=float)
        if not len(values):
            return "no certificate"
        unit = "loss drop over the last fifth" if self.kind == "plateau" else "bits"
        spread = f" ± {values.std(ddof=1):.3f}" if len(values) > 1 else ""
        text = f"{values.mean():.3f}{spread} {unit} ({self.kind}, n = {len(values)})"
        if self.violations:
            seeds = ", ".join(str(s) for s in sorted(self.violations))
            first = next(iter(self.violations.values()))
            text += f"; {len(self.violations)} seed(s) missed the objective ({seeds}), e.g. {first}"
        return text


def certified(verdict: Verdict, arms: Sequence[ArmCertificate], epsilon: float) -> Verdict:
    """The verdict, or *inconclusive (arm not converged)* when it is decisive and an arm of the
    primary did not converge (a claim that declares no arms keeps its verdict)."""
    if verdict in (Verdict.SUPPORTED, Verdict.CONTRADICTED) and not all(a.converged(epsilon) for a in arms):
        return Verdict.UNCONVERGED
    return verdict
