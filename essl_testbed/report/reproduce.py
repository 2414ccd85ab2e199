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
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import ExperimentError, UnknownClaim
from ..experiments.budget import FULL, Budget, K, Runner
from ..experiments.provenance import provenance
from ..experiments.records import SeedsResult
from ..experiments.spec import Experiment
from ..experiments.sweep import results_rows, run_experiments, train_missing
from . import (  # noqa: F401  (they register the claims, in report order)
    class_need_claims,
    exact_claims,
    explaining_away_claims,
    forecast_claims,
    objective_claims,
    published_claims,
    trained_claims,
)
from .claims import CLAIMS, Claim, ClaimContext, Finding, Verdict
from .folder import write_report
from .statistics import PairedResult, certified, decide, holm, paired_contrast

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


def decide_primaries(findings: Mapping[str, Finding]) -> dict[str, tuple[PairedResult | None, float, Verdict]]:
    """(result, Holm-adjusted p, verdict) of each trained claim's primary, from its per-seed
    differences and its arms' convergence certificates (:func:`certified`); a primary with
    fewer than 2 seeds has no result and is inconclusive (p = 1 in the Holm family)."""
    results = {
        key: paired_contrast(CLAIMS[key].contrast, f.primary) if len(f.primary) >= 2 else None  # type: ignore[arg-type]
        for key, f in findings.items()
    }
    family = primary_family()
    adjusted = holm([r.p if (r := results.get(k)) is not None else 1.0 for k in family])
    p_adj = dict(zip(family, adjusted))
    out: dict[str, tuple[PairedResult | None, float, Verdict]] = {}
    for k, r in results.items():
        contrast = CLAIMS[k].contrast
        assert contrast is not None
        verdict = Verdict.INCONCLUSIVE if r is None else decide(contrast, r, p_adj[k])
        out[k] = (r, p_adj[k], certified(verdict, findings[k].arms, contrast.converged_bits))
    return out


class _Missing(Exception):
    """A claim asked for runs that are not in the cache yet, or for arms not tuned yet."""

    def __init__(self, tasks: list[tuple[Experiment, int]], arms: list[Experiment] | None = None):
        super().__init__(f"{len(tasks)} runs to train, {len(arms or [])} arms to tune")
        self.tasks, self.arms = tasks, arms or []


class _CacheOnly(Runner):
    """A runner that answers from the cache alone and raises :class:`_Missing` with every run
    a request lacks; it remembers the runs it returned (to count dead runs per claim) and
    their sweep-style rows (for ``runs.csv``)."""

    def __init__(
        self,
        base: Runner,
        budget: Budget,
        ceilings: bool = True,
        runs: list[dict] | None = None,
        rows: list[dict] | None = None,
    ):
        super().__init__(budget, base.cache, base.device, base.log, base.executor, ceilings)
        self.runs: list[dict] = [] if runs is None else runs
        self.rows: list[dict] = [] if rows is None else rows

    def under(self, budget: Budget, ceilings: bool = True) -> Runner:
        return _CacheOnly(self, budget, ceilings, self.runs, self.rows)

    def tune(self, arms: list[Experiment]) -> dict[str, dict]:
        from ..experiments.tuning import chosen_settings

        assert self.budget.tuning is not None
        studies = chosen_settings(self.cache, arms, self.budget.tuning)
        missing = [e for e in arms if e.key() not in studies]
        if missing:
            raise _Missing([], missing)
        return studies

    def _seeds(self, experiments: list[Experiment]) -> list[SeedsResult]:
        from ..experiments.cache import RunCache

        cache = RunCache(self.cache)
        missing = [(e, s) for e in experiments for s in self.budget.seeds if not cache.path(e.key(), s).exists()]
        if missing:
            raise _Missing(missing)
        results = run_experiments(experiments, self.budget.seeds, self.cache, show_progress=False)
        for experiment, result in zip(experiments, results):
            tasks = [(experiment, int(run["seed"])) for run in result["runs"]]
            self.rows += results_rows(tasks, dict(enumerate(result["runs"])))
        return results

    def many(self, requests: Mapping[K, Mapping[str, Any]]) -> dict[K, dict]:
        results = super().many(requests)
        for result in results.values():
            self.runs += result["runs"]
        return results


@dataclass(frozen=True)
class _Measured:
    """A job's finding, its (dead, all) runs, the tuning study of each arm it trained and the
    sweep-style rows of the runs it read."""

    finding: Finding
    dead: tuple[int, int]
    studies: dict[str, dict]
    rows: list[dict]


@dataclass(frozen=True)
class _Job:
    """One claim under one budget: the main profile's, or a sensitivity setting's."""

    key: str
    budget: Budget
    out: Path
    primary_only: bool = False

    def measure(self, runner: Runner) -> _Measured:
        """The claim's finding, its (dead, all) runs and its arms' tuning studies, from the cache
        alone (else :class:`_Missing`).
        ``primary_only``: the sensitivity settings, which need neither the supervised ceilings
        nor the secondary contrasts' conditions."""
        cached = _CacheOnly(runner, self.budget, ceilings=not self.primary_only)
        finding = CLAIMS[self.key].evaluate(ClaimContext(cached, self.out, self.primary_only))
        dead = (sum(bool(r.get("dead")) for r in cached.runs), len(cached.runs))
        return _Measured(finding, dead, cached.studies, cached.rows)


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
    on_done: Callable[[_Job, _Measured], None],
) -> None:
    """Measure every job in rounds: each round evaluates the unfinished claims from the cache,
    collects every arm they asked for untuned and every run they lacked, tunes those arms or
    else trains all of those runs at once (the whole profile, sensitivity settings included, is
    one queue for the workers; a claim that asks again after seeing results waits one more
    round). ``on_done`` gets each finished job."""
    pending, trained = list(jobs), set()
    while pending:
        wanted: dict[tuple[str, int], tuple[Experiment, int]] = {}
        untuned: dict[Budget, dict[str, Experiment]] = {}
        waiting = []
        for job in pending:
            try:
                measured = job.measure(runner)
            except _Missing as missing:
                wanted.update({(e.key(), s): (e, s) for e, s in missing.tasks})
                untuned.setdefault(job.budget, {}).update({e.key(): e for e in missing.arms})
                waiting.append(job)
                continue
            on_done(job, measured)
        if any(untuned.values()):
            for budget, arms in untuned.items():
                t0 = time.perf_counter()
                runner.under(budget).tune(list(arms.values()))
                runner.log(f"  tuned {len(arms)} arms in {time.perf_counter() - t0:.0f} s")
            pending = waiting
            continue
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
    started = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    header = {"provenance": prov, "budget": budget, "sensitivity": sensitivity, "started": started}
    t0 = time.perf_counter()
    measured: dict[str, _Measured] = {}
    settings: dict[str, dict[str, dict]] = {key: {} for key in keys}

    def claims() -> list[Claim]:
        decided = decide_primaries({k: m.finding for k, m in measured.items() if CLAIMS[k].trained})
        done = []
        for key in keys:
            if key not in measured:
                continue
            m = measured[key]
            if CLAIMS[key].trained:
                result, p_adj, verdict = decided[key]
                done.append(Claim(CLAIMS[key], m.finding, verdict, result, p_adj, settings[key], m.dead, m.studies))
            else:
                assert m.finding.verdict is not None
                done.append(Claim(CLAIMS[key], m.finding, m.finding.verdict))
        return done

    def rows() -> dict[str, list[dict]]:
        return {key: m.rows for key, m in measured.items()}

    trained = [k for k in keys if CLAIMS[k].trained]
    jobs = plan_jobs(keys, budget, out, sensitivity)
    again: dict[Budget, dict[str, _Measured]] = {j.budget: {} for j in jobs if j.primary_only}

    def done(job: _Job, result: _Measured) -> None:
        if not job.primary_only:
            measured[job.key] = result
            log(f"[{len(measured)}/{len(keys)}] {job.key}")
            write_report(claims(), out, header, time.perf_counter() - t0, rows())
            return
        again[job.budget][job.key] = result
        if len(again[job.budget]) < len(trained):
            return
        log(f"sensitivity: {job.budget.describe()}, seeds {', '.join(map(str, job.budget.seeds))}")
        for key, (result_, p_adj, verdict) in decide_primaries(
            {k: m.finding for k, m in again[job.budget].items()}
        ).items():
            dead, n = again[job.budget][key].dead
            settings[key][job.budget.describe()] = {
                "verdict": verdict.value,
                "difference": result_.describe() if result_ is not None else "fewer than 2 seeds",
                "p_adjusted": p_adj,
                "dead_runs": dead,
                "runs": n,
            }
        write_report(claims(), out, header, time.perf_counter() - t0, rows())

    _measure_all(jobs, runner, done)
    final = claims()
    write_report(final, out, header, time.perf_counter() - t0, rows())
    for c in final:
        log(f"  {c.key}: {c.verdict}")
    return final
