"""The dose-response claim: learned codes past the certified class-blind point carry the class."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from hypothesis import given, settings

from essl_testbed.experiments.budget import Budget
from essl_testbed.report import reproduce
from essl_testbed.report.explaining_away_claims import IN_REGIME_CLASS_BITS, _rows, regime_verdict
from essl_testbed.report.statistics import Verdict
from proofs_check.strategies import essl_models
from synthetic.nets.free_code import fit_free_code
from theory import Joint, class_blind_limit, entropy, mutual_information, posterior_ids, with_posterior


@pytest.mark.parametrize(
    "in_regime, expected",
    [
        ([0.3, 0.1], Verdict.SUPPORTED),
        ([0.3], Verdict.INCONCLUSIVE),
        ([], Verdict.INCONCLUSIVE),
        ([0.3, 0.1, 0.0], Verdict.CONTRADICTED),
        ([0.3, IN_REGIME_CLASS_BITS / 2], Verdict.CONTRADICTED),
        ([0.0], Verdict.CONTRADICTED),
    ],
)
def test_the_restated_claim_needs_two_seeds_in_the_regime_and_class_information_on_each(in_regime, expected):
    assert regime_verdict(in_regime) is expected


def test_a_code_between_the_found_and_the_certified_point_is_not_in_the_regime():
    """Only the certified point is a bound: a code right of the found point (which some
    class-blind code reaches) but left of the certified one need not carry the class."""
    seed = {"I_C_T": 0.3, "I_A_X": 1.9, "certified_point": 1.7, "found_point": 1.6, "I_C_Z": 0.0, "H_Z_given_X": 0}
    seeds = [{**seed, "seed": 0, "I_A_Z": 1.65, "path": []}, {**seed, "seed": 1, "I_A_Z": 1.75, "path": []}]
    rows = _rows("w", "ideal", seeds)
    assert [r["in_regime"] for r in rows] == [False, True]
    assert rows[1]["past_certified_point"] == pytest.approx(0.05)


@settings(max_examples=25, deadline=None)
@given(essl_models(n_styles=1, n_actions=3, n_inputs=5, n_codes=1))
def test_the_ideal_learner_passes_the_exact_point_exactly_when_the_class_explains_a(model):
    """Where the class-blind limit is exact: a polished code with enough codes is optimal, so
    it lies past the point iff I(C;T) > 0, and then carries at least I(C;T) (T is a function
    of any optimal code)."""
    J = model.marginal("C", "A", "X")
    limit = class_blind_limit(J)
    if not limit.exact:
        return
    fit = fit_free_code(np.asarray(J.probabilities, dtype=np.float64), posterior_ids(J, "A", "X")[1], steps=30)
    point = float(entropy(J, "A")) - limit.lower
    i_c_t = float(mutual_information(with_posterior(J), "C", "T"))
    assert (fit.i_a_z > point + 1e-9) == (i_c_t > 1e-9)
    if i_c_t > 1e-9:
        assert fit.i_c_z >= i_c_t - 1e-9 > 0


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
def test_the_claim_writes_its_table_figure_and_csv_and_resumes(tmp_path, monkeypatch):
    from essl_testbed.report import explaining_away_claims

    monkeypatch.setattr(
        explaining_away_claims,
        "DOSE_WORLDS",
        {"random 1": ("random", {"seed": 1}), "random 0": ("random", {"seed": 0})},
    )
    budget = Budget(steps=30, seeds=(0, 1))
    first = reproduce(tmp_path, budget, only=["dose_response"], log=lambda _: None, sensitivity=False)[0]
    with open(tmp_path / "explaining_away.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2 * 2 * 2  # worlds x learners x seeds
    ideal_random1 = [r for r in rows if r["learner"] == "ideal" and r["world"] == "random 1"]
    # the ideal learner reaches I(A;X) and the regime on a world whose class explains A
    assert all(r["in_regime"] == "True" and float(r["I_C_Z"]) >= float(r["I_C_T"]) - 1e-6 for r in ideal_random1)
    assert (tmp_path / "explaining_away.png").stat().st_size > 0
    numbers = json.loads((tmp_path / "results.json").read_text())["claims"]["dose_response"]
    assert numbers["verdict"] == str(first.verdict)
    assert first.verdict in {Verdict.SUPPORTED, Verdict.INCONCLUSIVE}
    assert "| random 1 |" in (tmp_path / "report.md").read_text()

    def no_fit(*args, **kwargs):
        raise AssertionError("a cached ideal fit was refit")

    monkeypatch.setattr("synthetic.nets.free_code.fit_free_code", no_fit)
    monkeypatch.setattr("essl_testbed.experiments.sweep.run_one", no_fit)
    again = reproduce(tmp_path, budget, only=["dose_response"], log=lambda _: None, sensitivity=False)[0]
    assert again.finding.numbers == first.finding.numbers


def test_a_learned_code_with_no_class_information_is_never_past_the_point():
    """The theorem the claim rests on, on the issue's example: X = (C, A xor N); Z = A xor N is
    class-blind and stays left of the certified point, while Z = X passes it."""
    p = np.zeros((2, 2, 4))
    for c, noise in ((0, 0.4), (1, 0.3)):
        for a in (0, 1):
            p[c, a, 2 * c + a] += 0.25 * (1 - noise)
            p[c, a, 2 * c + (1 - a)] += 0.25 * noise
    J = Joint(p, names=("C", "A", "X"))
    point = 1.0 - class_blind_limit(J).lower
    blind = Joint(np.stack([p[:, :, 0] + p[:, :, 2], p[:, :, 1] + p[:, :, 3]], axis=2), names=("C", "A", "Z"))
    assert float(mutual_information(blind, "C", "Z")) < 1e-12
    assert float(mutual_information(blind, "A", "Z")) <= point + 1e-12
    assert float(mutual_information(J, "A", "X")) > point + 1e-4


def test_the_whole_world_point_is_the_certified_bound_not_the_found_code(monkeypatch):
    """The CNN's code is judged against H(A) minus the certified lower end of the bracket."""
    from essl_testbed.report import explaining_away_claims
    from theory import ClassBlindLimit

    monkeypatch.setattr("theory.class_blind_limit", lambda J: ClassBlindLimit(0.25, 0.5, "pairwise relaxation"))
    explaining_away_claims._points_cached.cache_clear()
    try:
        points = explaining_away_claims._world_points("symmetric", {})
    finally:
        explaining_away_claims._points_cached.cache_clear()
    assert points["certified_point"] - points["found_point"] == pytest.approx(0.25)
