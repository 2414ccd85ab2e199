"""The reproduction: report files, computed verdicts, unknown claims, resumable training."""

from __future__ import annotations

import json

import pytest

from proofs_check.errors import UnknownClaim
from proofs_check.experiments import Budget
from proofs_check.report import Verdict, reproduce, trained_claims


def test_exact_claims_write_a_report(tmp_path):
    claims = reproduce(tmp_path, only=["proofs", "explaining_away"], log=lambda _: None)
    assert [c.key for c in claims] == ["proofs", "explaining_away"]
    assert claims[0].verdict == "holds"
    report = (tmp_path / "report.md").read_text()
    assert "| The statements are Shannon-type consequences of the causal model | holds |" in report
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["explaining_away"]["numbers"]["six-nine/rot2"] > 0


def test_unknown_claim_is_rejected(tmp_path):
    with pytest.raises(UnknownClaim, match="no claim matches \\['nonsense'\\]"):
        reproduce(tmp_path, only=["nonsense"])


def test_noise_qualifies_a_verdict():
    a = {"x": {"mean": 0.60, "std": 0.05}}
    b = {"x": {"mean": 0.50, "std": 0.02}}
    c = {"x": {"mean": 0.58, "std": 0.04}}
    note, separated = trained_claims._noise([("a vs b", a, b)], "x")
    assert separated and "exceeds" in note
    note, separated = trained_claims._noise([("a vs b", a, b), ("a vs c", a, c)], "x")
    assert not separated and "a vs c (+0.020 vs std 0.050)" in note
    assert trained_claims._qualified(Verdict.REPRODUCED, False) is Verdict.WITHIN_NOISE
    assert trained_claims._qualified(Verdict.NOT_REPRODUCED, False) is Verdict.NOT_REPRODUCED


def test_training_claim_runs_and_resumes_from_its_cache(tmp_path, monkeypatch):
    budget = Budget(steps=4, seeds=(0, 1))
    first = reproduce(tmp_path, budget, only=["equivariant_model"], log=lambda _: None)
    assert first[0].verdict in {"reproduced", "reproduced in the means, within seed noise", "not reproduced"}
    assert len(list((tmp_path / "cache").rglob("seed*.json"))) == 4

    def no_training(*args, **kwargs):
        raise AssertionError("a cached run was retrained")

    monkeypatch.setattr("proofs_check.experiments.sweep.run_one", no_training)
    again = reproduce(tmp_path, budget, only=["equivariant_model"], log=lambda _: None)
    assert again[0].finding == first[0].finding
