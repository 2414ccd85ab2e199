"""The published results (``docs/results/``): they hold registered claims only and are what
their records assemble to, their commits are in this history, and the README shows their
findings table on its first screen. A result older than its claim's code, or a claim with no
published result, is warned about, not failed: results take hours of CPU to refresh."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from essl_testbed.errors import ExperimentError
from essl_testbed.report import CLAIMS
from essl_testbed.report.folder import assemble, claim_source, stale_claims

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "docs" / "results"
sys.path.insert(0, str(ROOT / "tools"))
from readme_findings import END, START, findings_block, readme_block  # noqa: E402

FIRST_SCREEN = 50
"""Lines of the README a reader sees before scrolling."""


def _results() -> dict:
    return json.loads((RESULTS / "results.json").read_text())


def _history() -> None:
    """Skip unless ROOT is a git checkout with its whole history."""
    probe = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--is-shallow-repository"], capture_output=True, text=True
    )
    if probe.returncode != 0 or probe.stdout.strip() != "false":
        pytest.skip("needs a git checkout with its whole history")


def test_published_results_hold_registered_claims_and_are_their_records(tmp_path):
    results = _results()
    assert results["claims"], "docs/results holds no claim"
    assert not results["unregistered"] and set(results["claims"]) <= set(CLAIMS)
    assert results["missing"] == [k for k in CLAIMS if k not in results["claims"]]
    copy = tmp_path / "results"
    shutil.copytree(RESULTS / "claims", copy / "claims")
    assemble(copy)
    for name in ("results.json", "report.md", "runs.csv"):
        assert (copy / name).read_text() == (RESULTS / name).read_text(), f"{name} is not what its records assemble to"
    trained = {k for k, spec in CLAIMS.items() if spec.trained}
    for run in results["runs"]:  # the README calls them the full profile's
        assert not trained & set(run["claims"]) or "Every arm tuned first" in run["profile"], run["profile"]
        assert "Seeds 0, 1, 2, 3, 4, 5, 6, 7, 8, 9;" in run["profile"], run["profile"]
    for line in (RESULTS / "report.md").read_text().splitlines():
        if line.startswith("!["):
            assert (RESULTS / line.split("](", 1)[1].rstrip(")")).is_file(), line


def test_published_results_were_measured_on_this_history():
    _history()
    results = _results()
    for key, why in stale_claims(results, ROOT).items():
        warnings.warn(f"published result of {key!r} may be stale: {why}", stacklevel=1)
    for key in results["missing"]:
        warnings.warn(f"claim {key!r} has no published result yet", stacklevel=1)


def test_a_result_is_stale_once_its_claims_code_changes_and_refused_off_this_history():
    _history()
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    root = subprocess.run(
        ["git", "-C", str(ROOT), "rev-list", "--max-parents=0", "HEAD"], capture_output=True, text=True
    ).stdout.split()[0]

    def results(commit: str) -> dict:
        return {"runs": [{"id": 1, "provenance": {"commit": commit}}], "claims": {"modes": {"run": 1}}}

    assert stale_claims(results(head), ROOT) == {}
    assert f"{claim_source('modes', ROOT)} changed since" in stale_claims(results(root), ROOT)["modes"]
    assert "uncommitted" in stale_claims(results(head + "+dirty"), ROOT)["modes"]
    with pytest.raises(ExperimentError, match="not an ancestor of HEAD"):
        stale_claims(results("0" * 40), ROOT)


def test_the_readme_opens_with_the_published_findings():
    readme = (ROOT / "README.md").read_text()
    assert readme_block(readme) == findings_block(RESULTS), "run python tools/readme_findings.py"
    lines = readme.splitlines()
    assert lines.index(END) < FIRST_SCREEN and lines.index(START) < FIRST_SCREEN
