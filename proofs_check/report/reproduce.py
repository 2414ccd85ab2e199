"""One command reproduces every claim: exact checks, proofs and trained networks, as a report.

``essl-testbed reproduce --out report`` writes ``report/report.md`` (one section per claim:
what the paper says, what this testbed measured, and a verdict computed from the numbers),
``report/results.json`` and figures. Every training number is a mean and standard deviation
over the seeds (3 by default). Finished training runs are cached under ``report/cache`` and
written atomically, so an interrupted reproduction resumes where it stopped.

Verdicts are computed, never asserted: a claim the testbed does not reproduce is reported
as such, with the numbers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import UnknownClaim
from ..experiments.budget import Budget, Runner
from . import exact_claims, trained_claims  # noqa: F401  (they register the claims, in report order)
from .claims import CLAIMS, Claim, ClaimContext
from .writer import write_report

__all__ = ["reproduce", "select"]


def select(only: Sequence[str] | None) -> list[str]:
    """The claim keys that start with one of ``only`` (every key when ``only`` is empty), in report order."""
    unknown = [o for o in only or () if not any(key.startswith(o) for key in CLAIMS)]
    if unknown:
        raise UnknownClaim(f"no claim matches {unknown}; claims: {', '.join(CLAIMS)}")
    return [key for key in CLAIMS if not only or any(key.startswith(o) for o in only)]


def reproduce(
    out: str | Path,
    budget: Budget = Budget(),
    device: str = "cpu",
    only: Sequence[str] | None = None,
    log: Callable[[str], None] = print,
    executor: Any = None,
) -> list[Claim]:
    """Run every claim (or those whose key starts with one of ``only``) and write the report."""
    keys = select(only)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ctx = ClaimContext(Runner(budget, out / "cache", device, log, executor), out)
    t0 = time.perf_counter()
    claims = []
    for key in keys:
        log(f"[{len(claims) + 1}] {key}")
        spec = CLAIMS[key]
        claims.append(Claim(spec, spec.evaluate(ctx)))
        log(f"    verdict: {claims[-1].verdict}")
        write_report(claims, out, budget, time.perf_counter() - t0)
    return claims
