"""A report folder: one record per claim, and the report assembled from all of them.

``reproduce`` stores each claim it measured as ``claims/<key>.json`` (its ``results.json``
entry, its markdown section, its summary row, the run it came from and the rows of the
training runs it read, see :func:`~essl_testbed.report.writer.claim_record`), then
:func:`assemble` rebuilds ``report.md``, ``results.json`` and ``runs.csv`` from every record in
the folder. So ``reproduce --only KEY --out results`` replaces KEY's result and keeps the
others, each with the provenance of the run that measured it; the repository's published
results (``docs/results/``) grow this way, one claim (or several) at a time.

>>> import tempfile
>>> out = Path(tempfile.mkdtemp())
>>> run = {"provenance": {"commit": "abc"}, "started": "2026-01-01T00:00:00Z", "minutes": 1.0, "profile": "p"}
>>> _ = store_record(out, {"key": "proofs", "kind": "theorem", "entry": {"title": "t", "verdict": "holds"},
...                        "section": "## t", "summary": None, "run": run, "rows": []})
>>> _ = assemble(out)
>>> results = json.loads((out / "results.json").read_text())
>>> list(results["claims"]), results["claims"]["proofs"]["run"], "essl_figure1" in results["missing"]
(['proofs'], 1, True)
"""

from __future__ import annotations

import inspect
import json
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import ExperimentError
from ..experiments.cache import atomic_write_json, atomic_write_text
from ..experiments.sweep import csv_text
from ..experiments.tables import markdown_table
from .claims import CLAIMS, Claim
from .statistics import ArmCertificate
from .writer import PROTOCOL, SUMMARY_HEADER, claim_record, profile_text

__all__ = [
    "assemble",
    "claim_source",
    "findings_table",
    "load_records",
    "stale_claims",
    "store_record",
    "write_report",
]

RECORDS = "claims"
"""The folder of a report folder that holds one record per claim."""


def store_record(out: Path, record: Mapping[str, Any]) -> Path:
    """Write ``record`` (see :func:`~essl_testbed.report.writer.claim_record`) atomically as
    ``out/claims/<key>.json``."""
    path = out / RECORDS / f"{record['key']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_json(path, dict(record))
    return path


def load_records(out: Path) -> dict[str, dict]:
    """Claim key -> record, for every record in ``out/claims/``, in file-name order."""
    records = {}
    for path in sorted((out / RECORDS).glob("*.json")):
        try:
            record = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError) as err:
            raise ExperimentError(f"claim record {path} cannot be read: {err}") from err
        if not isinstance(record, dict) or record.get("key") != path.stem:
            raise ExperimentError(f"claim record {path} does not hold the claim {path.stem!r}")
        records[path.stem] = record
    return records


def _runs(records: Mapping[str, dict]) -> list[dict]:
    """The distinct runs behind ``records``, oldest first, each with the claims it measured."""
    runs: dict[tuple[str, str], dict] = {}
    for key, record in records.items():
        run = record["run"]
        ident = (run["started"], str(run["provenance"].get("commit")))
        runs.setdefault(ident, {**run, "claims": []})["claims"].append(key)
    ordered = [runs[k] for k in sorted(runs)]
    for i, run in enumerate(ordered, 1):
        run["id"] = i
    return ordered


def _run_line(run: dict, rows: Sequence[dict]) -> str:
    """The run in a line: where it ran, its claims, its profile, and the training runs its
    claims read (cached runs may come from an earlier commit: each row names its own)."""
    prov = run["provenance"]
    where = ", ".join(f"{k} {v}" for k, v in prov.items() if k != "commit")
    line = (
        f"- **Run {run['id']}**, started {run['started']} at commit {prov.get('commit', 'unknown')} ({where}): "
        f"{', '.join(run['claims'])}. {run['profile']}"
    )
    read = [r for r in rows if set(r["claims"].split()) & set(run["claims"])]
    if read:
        commits = sorted({str(r.get("provenance_commit", "unknown")) for r in read})
        minutes = sum(float(r.get("seconds", 0)) for r in read) / 60
        line += (
            f" Its claims read {len(read)} training runs ({minutes:.0f} minutes of training in all, "
            f"trained at commit {', '.join(commits)})."
        )
    return line


def _rows(records: Mapping[str, dict]) -> list[dict]:
    """Every training run the records read, once per (experiment, seed), with the claims that
    read it."""
    rows: dict[tuple[str, int], dict] = {}
    for key, record in records.items():
        for row in record.get("rows", ()):
            kept = rows.setdefault((row["key"], int(row["seed"])), {"claims": "", **row})
            kept["claims"] = " ".join(filter(None, [kept["claims"], key]))
    return list(rows.values())


def assemble(out: Path) -> Path:
    """``out/report.md``, ``out/results.json`` and ``out/runs.csv`` from every claim record in
    ``out/claims/``, in the registry's order; registered claims without a record are listed as
    missing, records of claims no longer registered as unregistered (kept, not reported).
    Returns the report's path."""
    found = load_records(out)
    records = {key: found[key] for key in CLAIMS if key in found}
    unregistered = sorted(set(found) - set(CLAIMS))
    missing = [key for key in CLAIMS if key not in found]
    runs, rows = _runs(records), _rows(records)
    run_of = {key: run["id"] for run in runs for key in run["claims"]}
    summary = [[*r["summary"], str(run_of[k])] for k, r in records.items() if r.get("summary")]
    lines = [
        "# essl-testbed reproduction report",
        "",
        f"Assembled from {len(records)} claim records (`{RECORDS}/`), measured in {len(runs)} "
        f"run{'s' if len(runs) != 1 else ''}:",
        "",
        *(_run_line(run, rows) for run in runs),
        "",
        PROTOCOL,
        "",
    ]
    if summary:
        lines += [markdown_table((*SUMMARY_HEADER, "run"), summary), ""]
    tests = [r["section"] for r in records.values() if r["kind"] == "test"]
    checks = [r["section"] for r in records.values() if r["kind"] != "test"]
    if tests:
        lines += ["# Tests of the theory", "", *tests, ""]
    if checks:
        lines += [
            "# Engine and construction checks",
            "",
            "Their outcome was known when the world was built: theorems evaluated on a world, and properties "
            "the worlds were designed to have. They check the build, not the theory.",
            "",
            *checks,
            "",
        ]
    if missing:
        lines += ["# Not measured yet", "", ", ".join(f"`{k}`" for k in missing), ""]
    if unregistered:
        lines += ["Records of claims no longer registered, left out: " + ", ".join(unregistered), ""]
    path = out / "report.md"
    atomic_write_text(path, "\n".join(lines).rstrip("\n") + "\n")
    atomic_write_json(
        out / "results.json",
        {
            "provenance": runs[-1]["provenance"] if runs else {},
            "runs": runs,
            "claims": {k: {**r["entry"], "run": run_of[k]} for k, r in records.items()},
            "missing": missing,
            "unregistered": unregistered,
        },
    )
    atomic_write_text(out / "runs.csv", csv_text(rows))
    return path


def write_report(
    claims: Sequence[Claim], out: Path, header: dict, seconds: float, rows: dict[str, list[dict]] | None = None
) -> Path:
    """Store each claim's record in ``out/claims/`` and assemble ``out/report.md``,
    ``out/results.json`` and ``out/runs.csv`` from every record there, so a run of some claims
    keeps the others' results (:func:`~essl_testbed.report.folder.assemble`); returns the
    report's path.

    ``header`` holds ``provenance`` (see :func:`~essl_testbed.experiments.provenance.provenance`),
    the ``budget``, whether the ``sensitivity`` settings ran and when the run ``started``;
    ``rows``: claim key -> the sweep-style rows of the runs it read."""
    run = {
        "provenance": header["provenance"],
        "started": header["started"],
        "minutes": round(seconds / 60, 1),
        "profile": profile_text(header, seconds),
    }
    for c in claims:
        store_record(out, claim_record(c, run, (rows or {}).get(c.key, ())))
    return assemble(out)


def _cell(entry: Mapping[str, Any], run: Mapping[str, Any]) -> list[str]:
    primary = entry.get("primary", {})
    interval = (
        f"{primary['mean']:+.3f} [{primary['interval'][0]:+.3f}, {primary['interval'][1]:+.3f}]"
        if "interval" in primary
        else "–"
    )
    arms = entry.get("arms", [])
    converged = sum(_converged(a, primary["converged_bits"]) for a in arms)
    return [
        entry["title"],
        primary.get("predicted", "–"),
        f"**{entry['verdict']}**",
        interval,
        str(len(primary.get("per_seed", {}))),
        f"{converged}/{len(arms)} arms" if arms else "–",
        str(run["provenance"].get("commit", "unknown")),
    ]


def _converged(arm: Mapping[str, Any], eps: float) -> bool:
    return ArmCertificate(
        arm["arm"],
        {int(s): float(g) for s, g in arm["gaps"].items()},
        arm["kind"],
        {int(s): v for s, v in arm.get("violations", {}).items()},
    ).converged(eps)


def findings_table(results: Mapping[str, Any]) -> str:
    """The README's findings: one row per test of the theory in ``results`` (a report folder's
    ``results.json``): claim, the paper's prediction, verdict, paired difference with its 95 %
    interval, seeds, arms certified converged, and the commit that measured it; then a line
    on the exact checks and correlation tests (naming each that does not hold, with its verdict)
    and one on the claims not measured yet."""
    claims, runs = results["claims"], {r["id"]: r for r in results["runs"]}
    rows = [_cell(e, runs[e["run"]]) for e in claims.values() if e["kind"] == "test" and "primary" in e]
    table = markdown_table(
        ("claim", "predicted", "verdict", "difference [95% CI]", "seeds", "certified", "commit"), rows
    )
    checks = [e for e in claims.values() if e["kind"] != "test" or "primary" not in e]
    others = [e for e in checks if e["verdict"] not in ("holds", "supported")]
    lines = [table]
    if checks:
        line = f"{len(checks) - len(others)} of {len(checks)} exact checks and correlation tests hold or are supported"
        if others:
            line += "; not: " + "; ".join(f"{e['title']} (**{e['verdict']}**)" for e in others)
        lines.append(line + ".")
    if results["missing"]:
        lines.append(f"Not measured yet: {', '.join(f'`{k}`' for k in results['missing'])}.")
    return "\n\n".join(filter(None, lines))


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)


def claim_source(key: str, root: Path) -> Path:
    """The file, relative to ``root``, that defines the claim ``key`` (what a result of it is
    checked against for staleness)."""
    return Path(inspect.getfile(CLAIMS[key].evaluate)).resolve().relative_to(root.resolve())


def stale_claims(results: Mapping[str, Any], root: Path) -> dict[str, str]:
    """Claim key -> why its published result in ``results`` (a report folder's
    ``results.json``) may be out of date in the git checkout ``root``: measured from
    uncommitted code, or the file that defines the claim changed since the commit that
    measured it. Raises :class:`~essl_testbed.errors.ExperimentError` when a result's commit is
    not an ancestor of HEAD (it was measured on code this history does not hold)."""
    runs = {r["id"]: r for r in results["runs"]}
    stale = {}
    for key, entry in results["claims"].items():
        commit = str(runs[entry["run"]]["provenance"].get("commit", "unknown"))
        base = commit.removesuffix("+dirty")
        if _git(root, "merge-base", "--is-ancestor", base, "HEAD").returncode != 0:
            raise ExperimentError(f"the result of {key!r} was measured at commit {commit}, not an ancestor of HEAD")
        source = claim_source(key, root)
        changed = _git(root, "log", "--format=%h", f"{base}..HEAD", "--", str(source)).stdout.split()
        if changed:
            stale[key] = f"{source} changed since {base} (in {', '.join(changed)})"
        elif commit.endswith("+dirty"):
            stale[key] = f"measured from uncommitted changes on {base}"
    return stale
