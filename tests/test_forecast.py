"""The forecast: written before training, scored by rank correlation over worlds."""

from __future__ import annotations

import json

import numpy as np
import pytest

from essl_testbed.cli import main
from essl_testbed.errors import ExperimentError
from essl_testbed.experiments.budget import Budget
from essl_testbed.experiments.forecast import (
    BASELINE,
    CANDIDATES,
    PRIMARY,
    ForecastSample,
    run_forecast,
    score,
    verdict,
    write_forecast,
)

WORLDS = [f"w{i}" for i in range(12)]
TASKS = ("rot4", "vflip", "hflip")


def _rows(primary, baseline=None) -> list[dict]:
    rng = np.random.default_rng(1)
    rows = []
    for w in WORLDS:
        for t in TASKS:
            rows.append(
                {
                    "world": w,
                    "task": t,
                    **{k: float(rng.random()) for k in CANDIDATES},
                    PRIMARY: primary(w, t),
                    BASELINE: 1.0 if baseline is None else baseline(w, t),
                }
            )
    return rows


def _gain(w: str, t: str) -> float:
    return int(w[1:]) / 10 + TASKS.index(t) / 5


def _measured(gain=_gain) -> dict:
    return {
        (w, t): {"mean": gain(w, t), "std": 0.0, "per_seed": {0: gain(w, t)}, "dead": 0} for w in WORLDS for t in TASKS
    }


def test_a_forecast_that_is_the_gain_is_scored_perfectly_and_supported():
    scores = score(_rows(_gain), _measured(), n_boot=300)
    best = scores[PRIMARY]
    assert best.rho == pytest.approx(1.0) and best.top1 == 1.0 and best.within_world == pytest.approx(1.0)
    assert best.interval[0] > 0.9 and best.advantage[1] > 0  # the baseline is constant: no rank at all
    assert scores[BASELINE].constant_worlds == len(WORLDS)
    assert verdict(scores) == "supported"


def test_a_reversed_forecast_is_contradicted_and_a_blind_one_inconclusive():
    reversed_ = score(_rows(lambda w, t: -_gain(w, t)), _measured(), n_boot=300)
    assert reversed_[PRIMARY].rho == pytest.approx(-1.0) and verdict(reversed_) == "contradicted"
    rng = np.random.default_rng(7)
    noise = {(w, t): float(rng.random()) for w in WORLDS for t in TASKS}
    blind = score(_rows(lambda w, t: noise[(w, t)], _gain), _measured(), n_boot=300)
    assert verdict(blind) in ("inconclusive", "contradicted") and blind[PRIMARY].advantage[0] < 0


def test_ties_share_the_top1_credit():
    scores = score(_rows(lambda w, t: 0.0), _measured(), n_boot=50)
    assert scores[PRIMARY].top1 == pytest.approx(1 / 3) and scores[PRIMARY].constant_worlds == len(WORLDS)


def test_the_forecast_is_stored_with_its_hash_and_never_replaced(tmp_path):
    rows = _rows(_gain)
    digest = write_forecast(rows, tmp_path, ForecastSample(n_random=1))
    saved = json.loads((tmp_path / "forecast.json").read_text())
    assert saved["sha256"] == digest and saved["primary"] == PRIMARY and len(saved["rows"]) == len(rows)
    assert digest in (tmp_path / "forecast.sha256").read_text()
    assert write_forecast(rows, tmp_path, ForecastSample(n_random=1)) == digest
    with pytest.raises(ExperimentError, match="holds another forecast"):
        write_forecast(rows[:-1], tmp_path, ForecastSample(n_random=1))


class _Runner:
    """Stands in for the training runner; records that the forecast existed before any training."""

    budget = Budget(steps=1, seeds=(0, 1))

    def __init__(self, out):
        self.out, self.calls = out, 0

    def many(self, requests):
        return {label: self(**request) for label, request in requests.items()}

    def __call__(self, world, transform, **request):
        assert (self.out / "forecast.json").exists(), "trained before the forecast was written"
        self.calls += 1
        signal = 0.0 if request.get("target") == "null" else float(transform == "rot4")
        runs = [
            {
                "seed": s,
                "normalised_gain": 0.1 * s + signal,
                "probe_acc": 0.5 + 0.1 * s + 0.4 * signal,
                "probe_acc_random_init": 0.5,
                "probe_acc_supervised": 0.9,
                "pretext_gap_train_bits": 0.01 if transform != "blur4" else 1.0,  # blur4 does not converge
                "dead": False,
            }
            for s in (0, 1)
        ]
        return {"runs": runs}


def test_run_forecast_writes_the_table_before_training(tmp_path):
    sample = ForecastSample(n_random=2, seed=3, fonts=False, presets=(), tasks=("rot4", "hflip", "blur4"))
    runner = _Runner(tmp_path)
    result = run_forecast(tmp_path, sample, runner, log=lambda _: None, n_boot=100)  # type: ignore[arg-type]
    assert runner.calls == 2 * len(result["rows"]) == 12  # every point and its null control
    assert (tmp_path / "forecast.md").exists() and (tmp_path / "forecast.png").exists()
    assert json.loads((tmp_path / "forecast_results.json").read_text())["sha256"] == result["sha256"]
    measured = result["measured_obj"]
    assert [m["over_null"] for (w, t), m in measured.items() if t == "rot4"] == pytest.approx([1.0, 1.0])
    assert result["certified_points"] == [4, 6]  # blur4's two points left out


def test_the_other_scorings_read_the_gain_over_the_null_control():
    rows = _rows(_gain)
    measured = {k: {**m, "over_null": -m["mean"]} for k, m in _measured().items()}
    assert score(rows, measured, n_boot=50)[PRIMARY].rho == pytest.approx(1.0)
    assert score(rows, measured, n_boot=50, gain_key="over_null")[PRIMARY].rho == pytest.approx(-1.0)


def test_the_cli_needs_two_seeds(capsys):
    assert main(["forecast", "--out", "/tmp/unused-forecast", "--seeds", "0"]) == 2
    assert "at least 2" in capsys.readouterr().err


def test_the_rank_correlation_is_spearmans_with_ties():
    from scipy.stats import spearmanr

    from essl_testbed.experiments.forecast import _spearman

    rng = np.random.default_rng(0)
    for _ in range(20):
        x, y = rng.integers(0, 4, 25).astype(float), rng.random(25)
        assert _spearman(x, y) == pytest.approx(float(spearmanr(x, y).statistic), abs=1e-12)
    assert _spearman(np.ones(5), np.arange(5.0)) == 0.0
