"""One command reproduces every claim: exact checks, proofs and trained networks, as a report.

``essl-testbed reproduce --out report`` writes ``report/report.md`` (a summary table first,
then the tests of the theory and the engine and construction checks), ``report/results.json``
and figures. Each trained claim declares its primary contrast in code; its verdict comes
from the paired per-seed differences of that contrast, Holm-adjusted over the fixed list
:func:`primary_family` (:mod:`essl_testbed.report.statistics`). With ``sensitivity`` every
trained claim is measured again under each setting of :meth:`Budget.sensitivity` (learning
rate and steps, each varied alone) and the report counts the verdicts.

Finished training runs are cached under ``report/cache`` and written atomically, so an
interrupted reproduction resumes where it stopped. Verdicts are computed, never asserted: a
claim the networks do not support is reported as such, with the numbers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import UnknownClaim
from ..experiments.budget import FULL, Budget, K, Runner
from ..experiments.provenance import provenance
from . import class_need_claims, exact_claims, forecast_claims, objective_claims, trained_claims  # noqa: F401  (they register the claims, in report order)
from .claims import CLAIMS, Claim, ClaimContext, Finding, Verdict
from .statistics import PairedResult, decide, holm, paired_contrast
from .writer import write_report

__all__ = ["decide_primaries", "primary_family", "reproduce", "select"]


def primary_family() -> tuple[str, ...]:
    """The primary contrasts Holm adjusts over: one per registered trained claim, fixed in code.
    A claim left out of a run counts with p = 1, so a verdict does not depend on which claims
    were selected."""
    return tuple(key for key, spec in CLAIMS.items() if spec.trained)


def select(only: Sequence[str] | None) -> list[str]:
    """The claim keys that start with one of ``only`` (every key when ``only`` is empty), in
    report order; an entry that is a whole key selects that key alone (``seven_trained_natural``
    is not also ``seven_trained_natural10``).

    >>> select(["seven_trained_natural"]), select(["seven_trained_n"])
    (['seven_trained_natural'], ['seven_trained_natural', 'seven_trained_natural10'])
    """
    unknown = [o for o in only or () if not any(key.startswith(o) for key in CLAIMS)]
    if unknown:
        raise UnknownClaim(f"no claim matches {unknown}; claims: {', '.join(CLAIMS)}")

    def chosen(key: str, entry: str) -> bool:
        return key == entry if entry in CLAIMS else key.startswith(entry)

    return [key for key in CLAIMS if not only or any(chosen(key, o) for o in only)]


def decide_primaries(primaries: Mapping[str, Mapping[int, float]]) -> dict[str, tuple[PairedResult, float, Verdict]]:
    """(result, Holm-adjusted p, verdict) of each trained claim's per-seed primary differences."""
    results = {key: paired_contrast(CLAIMS[key].contrast, diffs) for key, diffs in primaries.items()}  # type: ignore[arg-type]
    family = primary_family()
    adjusted = holm([results[k].p if k in results else 1.0 for k in family])
    p_adj = dict(zip(family, adjusted))
    return {k: (r, p_adj[k], decide(CLAIMS[k].contrast, r, p_adj[k])) for k, r in results.items()}  # type: ignore[arg-type]


class _Recording(Runner):
    """A runner that remembers the runs it returned (to count dead runs per claim)."""

    def __init__(self, base: Runner, budget: Budget, ceilings: bool = True):
        super().__init__(budget, base.cache, base.device, base.log, base.executor, ceilings)
        self.runs: list[dict] = []

    def many(self, requests: Mapping[K, Mapping[str, Any]]) -> dict[K, dict]:
        results = super().many(requests)
        for result in results.values():
            self.runs += result["runs"]
        return results


def _measure(
    key: str, runner: Runner, budget: Budget, out: Path, primary_only: bool = False
) -> tuple[Finding, tuple[int, int]]:
    """The claim's finding and its (dead, all) runs. ``primary_only``: the sensitivity settings,
    which need neither the supervised ceilings nor the secondary contrasts' conditions."""
    recording = _Recording(runner, budget, ceilings=not primary_only)
    finding = CLAIMS[key].evaluate(ClaimContext(recording, out, primary_only))
    return finding, (sum(bool(r.get("dead")) for r in recording.runs), len(recording.runs))


def reproduce(
    out: str | Path,
    budget: Budget = FULL,
    device: str = "cpu",
    only: Sequence[str] | None = None,
    log: Callable[[str], None] = print,
    executor: Any = None,
    sensitivity: bool = False,
) -> list[Claim]:
    """Run every claim (or those whose key starts with one of ``only``) and write the report."""
    keys = select(only)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    runner = Runner(budget, out / "cache", device, log, executor)
    # the runs use the executor's thread count (in-process: 1), not this driver's
    prov = {**provenance(device), "threads": getattr(executor, "threads", 1)}
    header = {"provenance": prov, "budget": budget, "sensitivity": sensitivity}
    t0 = time.perf_counter()
    measured: dict[str, tuple[Finding, tuple[int, int]]] = {}
    settings: dict[str, dict[str, dict]] = {key: {} for key in keys}

    def claims() -> list[Claim]:
        decided = decide_primaries({k: f.primary for k, (f, _) in measured.items() if CLAIMS[k].trained})
        done = []
        for key, (finding, dead) in measured.items():
            if CLAIMS[key].trained:
                result, p_adj, verdict = decided[key]
                done.append(Claim(CLAIMS[key], finding, verdict, result, p_adj, settings[key], dead))
            else:
                assert finding.verdict is not None
                done.append(Claim(CLAIMS[key], finding, finding.verdict))
        return done

    for i, key in enumerate(keys, 1):
        log(f"[{i}/{len(keys)}] {key}")
        measured[key] = _measure(key, runner, budget, out)
        write_report(claims(), out, header, time.perf_counter() - t0)
    trained = [k for k in keys if CLAIMS[k].trained]
    if sensitivity and trained:
        for setting in budget.sensitivity():
            log(f"sensitivity: {setting.describe()}, seeds {', '.join(map(str, setting.seeds))}")
            folder = out / "sensitivity" / setting.describe().replace(", ", "_").replace(" ", "")
            folder.mkdir(parents=True, exist_ok=True)
            again = {k: _measure(k, runner, setting, folder, primary_only=True) for k in trained}
            for key, (result, p_adj, verdict) in decide_primaries(
                {k: f.primary for k, (f, _) in again.items()}
            ).items():
                dead, n = again[key][1]
                settings[key][setting.describe()] = {
                    "verdict": verdict.value,
                    "difference": result.describe(),
                    "p_adjusted": p_adj,
                    "dead_runs": dead,
                    "runs": n,
                }
            write_report(claims(), out, header, time.perf_counter() - t0)
    final = claims()
    write_report(final, out, header, time.perf_counter() - t0)
    for c in final:
        log(f"  {c.key}: {c.verdict}")
    return final
