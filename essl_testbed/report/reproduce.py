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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ExperimentError, UnknownClaim
from ..experiments.budget import FULL, Budget, K, Runner
from ..experiments.provenance import provenance
from ..experiments.records import SeedsResult
from ..experiments.spec import Experiment
from ..experiments.sweep import run_experiments, train_missing
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


class _Missing(Exception):
    """A claim asked for runs that are not in the cache yet."""

    def __init__(self, tasks: list[tuple[Experiment, int]]):
        super().__init__(f"{len(tasks)} runs to train")
        self.tasks = tasks


class _CacheOnly(Runner):
    """A runner that answers from the cache alone and raises :class:`_Missing` with every run
    a request lacks; it remembers the runs it returned (to count dead runs per claim)."""

    def __init__(self, base: Runner, budget: Budget, ceilings: bool = True, runs: list[dict] | None = None):
        super().__init__(budget, base.cache, base.device, base.log, base.executor, ceilings)
        self.runs: list[dict] = [] if runs is None else runs

    def under(self, budget: Budget, ceilings: bool = True) -> Runner:
        return _CacheOnly(self, budget, ceilings, self.runs)

    def _seeds(self, experiments: list[Experiment]) -> list[SeedsResult]:
        from ..experiments.cache import RunCache

        cache = RunCache(self.cache)
        missing = [(e, s) for e in experiments for s in self.budget.seeds if not cache.path(e.key(), s).exists()]
        if missing:
            raise _Missing(missing)
        return run_experiments(experiments, self.budget.seeds, self.cache, show_progress=False)

    def many(self, requests: Mapping[K, Mapping[str, Any]]) -> dict[K, dict]:
        results = super().many(requests)
        for result in results.values():
            self.runs += result["runs"]
        return results


@dataclass(frozen=True)
class _Job:
    """One claim under one budget: the main profile's, or a sensitivity setting's."""

    key: str
    budget: Budget
    out: Path
    primary_only: bool = False

    def measure(self, runner: Runner) -> tuple[Finding, tuple[int, int]]:
        """The claim's finding and its (dead, all) runs, from the cache alone (else :class:`_Missing`).
        ``primary_only``: the sensitivity settings, which need neither the supervised ceilings
        nor the secondary contrasts' conditions."""
        cached = _CacheOnly(runner, self.budget, ceilings=not self.primary_only)
        finding = CLAIMS[self.key].evaluate(ClaimContext(cached, self.out, self.primary_only))
        return finding, (sum(bool(r.get("dead")) for r in cached.runs), len(cached.runs))


def plan_jobs(keys: Sequence[str], budget: Budget, out: Path, sensitivity: bool) -> list[_Job]:
    """Every claim of ``keys`` under ``budget`` and, with ``sensitivity``, every trained one
    under each setting of :meth:`Budget.sensitivity` (its figures in its own folder)."""
    jobs = [_Job(k, budget, out) for k in keys]
    trained = [k for k in keys if CLAIMS[k].trained]
    for setting in budget.sensitivity() if sensitivity and trained else ():
        folder = out / "sensitivity" / setting.describe().replace(", ", "_").replace(" ", "")
        folder.mkdir(parents=True, exist_ok=True)
        jobs += [_Job(k, setting, folder, primary_only=True) for k in trained]
    return jobs


def _measure_all(
    jobs: Sequence[_Job],
    runner: Runner,
    on_done: Callable[[_Job, tuple[Finding, tuple[int, int]]], None],
) -> None:
    """Measure every job in rounds: each round evaluates the unfinished claims from the cache,
    collects every run they asked for and lacked, and trains all of those at once (the whole
    profile, sensitivity settings included, is one queue for the workers; a claim that asks
    again after seeing results waits one more round). ``on_done`` gets each finished job."""
    pending, trained = list(jobs), set()
    while pending:
        wanted: dict[tuple[str, int], tuple[Experiment, int]] = {}
        waiting = []
        for job in pending:
            try:
                measured = job.measure(runner)
            except _Missing as missing:
                wanted.update({(e.key(), s): (e, s) for e, s in missing.tasks})
                waiting.append(job)
                continue
            on_done(job, measured)
        if wanted.keys() & trained:  # stored, yet still missing: the cache does not keep what it is given
            raise ExperimentError(
                f"runs trained but not found in the cache {runner.cache}: {sorted(wanted.keys() & trained)}"
            )
        trained |= wanted.keys()
        if waiting:
            t0 = time.perf_counter()
            train_missing(list(wanted.values()), runner.cache, True, runner.executor, f"{len(wanted)} runs")
            runner.log(f"  trained {len(wanted)} runs for {len(waiting)} claims in {time.perf_counter() - t0:.0f} s")
        pending = waiting


def reproduce(
    out: str | Path,
    budget: Budget = FULL,
    device: str = "cpu",
    only: Sequence[str] | None = None,
    log: Callable[[str], None] = print,
    executor: Any = None,
    sensitivity: bool = False,
) -> list[Claim]:
    """Run every claim (or those whose key starts with one of ``only``) and write the report.

    Training is scheduled across claims (:func:`_measure_all`): the claims' runs, and with
    ``sensitivity`` those of every setting, go to the executor together."""
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
        for key in keys:
            if key not in measured:
                continue
            finding, dead = measured[key]
            if CLAIMS[key].trained:
                result, p_adj, verdict = decided[key]
                done.append(Claim(CLAIMS[key], finding, verdict, result, p_adj, settings[key], dead))
            else:
                assert finding.verdict is not None
                done.append(Claim(CLAIMS[key], finding, finding.verdict))
        return done

    trained = [k for k in keys if CLAIMS[k].trained]
    jobs = plan_jobs(keys, budget, out, sensitivity)
    again: dict[Budget, dict[str, tuple[Finding, tuple[int, int]]]] = {j.budget: {} for j in jobs if j.primary_only}

    def done(job: _Job, result: tuple[Finding, tuple[int, int]]) -> None:
        if not job.primary_only:
            measured[job.key] = result
            log(f"[{len(measured)}/{len(keys)}] {job.key}")
            write_report(claims(), out, header, time.perf_counter() - t0)
            return
        again[job.budget][job.key] = result
        if len(again[job.budget]) < len(trained):
            return
        log(f"sensitivity: {job.budget.describe()}, seeds {', '.join(map(str, job.budget.seeds))}")
        found = {k: f.primary for k, (f, _) in again[job.budget].items()}
        for key, (result_, p_adj, verdict) in decide_primaries(found).items():
            dead, n = again[job.budget][key][1]
            settings[key][job.budget.describe()] = {
                "verdict": verdict.value,
                "difference": result_.describe(),
                "p_adjusted": p_adj,
                "dead_runs": dead,
                "runs": n,
            }
        write_report(claims(), out, header, time.perf_counter() - t0)

    _measure_all(jobs, runner, done)
    final = claims()
    write_report(final, out, header, time.perf_counter() - t0)
    for c in final:
        log(f"  {c.key}: {c.verdict}")
    return final
