"""The claim registry: each claim of the paper declared once, with one signature and a fixed
vocabulary of verdicts.

A claim is a function ``evaluate(ctx) -> Finding`` registered with :func:`claim` under a key
(written once), a title and what the paper says. ``ctx`` is a :class:`ClaimContext`: the
budgeted training runner and the output folder for figures. Verdicts are computed from the
numbers, never asserted, and are one of :class:`Verdict`.

>>> "modes" in CLAIMS and CLAIMS["modes"].trained
True
>>> Verdict("holds") is Verdict.HOLDS
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from ..errors import ProofsCheckError
from ..experiments.budget import Runner

__all__ = ["CLAIMS", "Claim", "ClaimContext", "ClaimSpec", "Finding", "Verdict", "claim"]


class Verdict(str, Enum):
    """What the testbed found for a claim."""

    REPRODUCED = "reproduced"
    WITHIN_NOISE = "reproduced in the means, within seed noise"
    PARTLY = "partly reproduced"
    NOT_REPRODUCED = "not reproduced"
    HOLDS = "holds"
    FAILS = "fails"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Finding:
    """What a claim's evaluation returns: the verdict, a sentence with the numbers, a table,
    a figure file name (in the output folder) and the numbers for ``results.json``."""

    verdict: Verdict
    text: str
    table: str = ""
    figure: str | None = None
    numbers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ClaimContext:
    """What a claim may use: the budgeted training runner and the folder for its figures."""

    run: Runner
    out: Path


@dataclass(frozen=True)
class ClaimSpec:
    """A registered claim."""

    key: str
    title: str
    paper: str
    evaluate: Callable[[ClaimContext], Finding]
    trained: bool


@dataclass(frozen=True)
class Claim:
    """A claim and what the testbed found."""

    spec: ClaimSpec
    finding: Finding

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def verdict(self) -> Verdict:
        return self.finding.verdict


CLAIMS: dict[str, ClaimSpec] = {}
"""Claim key -> spec, in report order; ``reproduce(only=...)`` selects by key prefix."""


def claim(
    key: str, title: str, paper: str, trained: bool = False
) -> Callable[[Callable[[ClaimContext], Finding]], Callable[[ClaimContext], Finding]]:
    """Decorator: register ``evaluate(ctx) -> Finding`` as the claim ``key``."""

    def add(evaluate: Callable[[ClaimContext], Finding]) -> Callable[[ClaimContext], Finding]:
        if key in CLAIMS:
            raise ProofsCheckError(f"a claim with key {key!r} is already registered")
        CLAIMS[key] = ClaimSpec(key, title, paper, evaluate, trained)
        return evaluate

    return add
