"""The claim registry: each claim of the paper declared once, with one signature and a fixed
vocabulary of verdicts.

A claim is a function ``evaluate(ctx) -> Finding`` registered with :func:`claim` under a key
(written once), a title, what the paper says and its ``kind``: a *test* of the theory (its
outcome was not known when the world was built: every trained claim), or an engine and
construction check (a *theorem* evaluated on a world, or a property the world was built to
have). ``ctx`` is a :class:`ClaimContext`: the budgeted training runner and the output folder
for figures.

A trained claim declares its primary :class:`~essl_testbed.report.statistics.Contrast` at
registration, before any number exists; its evaluation returns the per-seed paired
differences of that contrast (``Finding.primary``) and the reproduction decides the verdict
(supported, contradicted or inconclusive) from all primary contrasts together. Exact claims
hold or fail. Verdicts are computed from the numbers, never asserted.

>>> CLAIMS["modes"].trained, CLAIMS["modes"].contrast.direction
(True, 1)
>>> Verdict("holds") is Verdict.HOLDS
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import TestbedError
from ..experiments.budget import Runner
from .statistics import ArmCertificate, Contrast, PairedResult, Verdict

__all__ = ["CLAIMS", "Claim", "ClaimContext", "ClaimSpec", "Finding", "Verdict", "claim"]


@dataclass(frozen=True)
class Finding:
    """What a claim's evaluation returns: the verdict (None for a trained claim, whose verdict
    the reproduction decides), a sentence with the numbers, a table, a figure file name (in the
    output folder), the numbers for ``results.json``, and for a trained claim the per-seed
    differences of its primary contrast and of its secondary contrasts (reported, not voted),
    and the convergence certificate of each arm the primary compares."""

    verdict: Verdict | None
    text: str
    table: str = ""
    figure: str | None = None
    numbers: dict = field(default_factory=dict)
    primary: dict[int, float] = field(default_factory=dict)
    secondary: dict[str, dict[int, float]] = field(default_factory=dict)
    arms: tuple[ArmCertificate, ...] = ()


@dataclass(frozen=True)
class ClaimContext:
    """What a claim may use: the budgeted training runner and the folder for its figures.
    With ``primary_only`` (the sensitivity settings) a claim may skip the conditions that only
    its secondary contrasts use."""

    run: Runner
    out: Path
    primary_only: bool = False


@dataclass(frozen=True)
class ClaimSpec:
    """A registered claim."""

    key: str
    title: str
    paper: str
    evaluate: Callable[[ClaimContext], Finding]
    kind: str
    contrast: Contrast | None = None

    @property
    def trained(self) -> bool:
        return self.contrast is not None


@dataclass(frozen=True)
class Claim:
    """A claim and what the testbed found; for a trained claim also the statistics of its
    primary contrast (None when it had fewer than 2 seeds), in the full profile the verdicts
    under each sensitivity setting, and the tuning study of each arm it trained."""

    spec: ClaimSpec
    finding: Finding
    verdict: Verdict
    result: PairedResult | None = None
    p_adjusted: float | None = None
    sensitivity: dict[str, dict] = field(default_factory=dict)
    dead_runs: tuple[int, int] = (0, 0)
    studies: dict[str, dict] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def title(self) -> str:
        return self.spec.title


CLAIMS: dict[str, ClaimSpec] = {}
"""Claim key -> spec, in report order; ``reproduce(only=...)`` selects by key prefix."""


KINDS = ("test", "theorem", "construction")


def claim(
    key: str, title: str, paper: str, kind: str = "test", contrast: Contrast | None = None
) -> Callable[[Callable[[ClaimContext], Finding]], Callable[[ClaimContext], Finding]]:
    """Decorator: register ``evaluate(ctx) -> Finding`` as the claim ``key``; a trained claim
    passes its primary ``contrast``."""
    if kind not in KINDS:
        raise TestbedError(f"claim {key!r}: kind must be one of {KINDS}, got {kind!r}")
    if contrast is not None and kind != "test":
        raise TestbedError(f"claim {key!r}: a trained claim is a test of the theory, not a {kind}")

    def add(evaluate: Callable[[ClaimContext], Finding]) -> Callable[[ClaimContext], Finding]:
        if key in CLAIMS:
            raise TestbedError(f"a claim with key {key!r} is already registered")
        CLAIMS[key] = ClaimSpec(key, title, paper, evaluate, kind, contrast)
        return evaluate

    return add
