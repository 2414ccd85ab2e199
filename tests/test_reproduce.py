"""The reproduction: report files, verdict rules on canned per-seed results, unknown claims,
resumable training."""

from __future__ import annotations

import csv
import json
import zlib
from pathlib import Path

import pytest
from cases import slow_cases

from essl_testbed.errors import UnknownClaim
from essl_testbed.experiments import Budget
from essl_testbed.report import CLAIMS, ClaimContext, Verdict, reproduce
from essl_testbed.report.claims import Finding
from essl_testbed.report.reproduce import decide_primaries, primary_family

PRIMARY_FAMILY = primary_family()

SEEDS = tuple(range(10))


def test_exact_claims_write_a_report(tmp_path):
    claims = reproduce(tmp_path, only=["proofs", "explaining_away"], log=lambda _: None)
    assert [c.key for c in claims] == ["proofs", "explaining_away"]
    assert [c.verdict for c in claims] == [Verdict.HOLDS, Verdict.HOLDS]
    report = (tmp_path / "report.md").read_text()
    assert "# Engine and construction checks" in report and "# Tests of the theory" not in report
    assert "**Theorem check: holds.**" in report and "**Construction check: holds.**" in report
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["claims"]["explaining_away"]["numbers"]["six-nine/rot2"] == pytest.approx(
        0.918295834, abs=1e-9
    )  # H(1/3)
    assert results["claims"]["proofs"]["kind"] == "theorem"
    assert set(results["provenance"]) >= {"commit", "torch", "numpy", "matplotlib", "threads", "device"}
    assert results["provenance"]["threads"] == 1  # the runs' threads (in-process), not the driver's


def test_a_run_of_some_claims_keeps_the_others(tmp_path):
    reproduce(tmp_path, only=["proofs"], log=lambda _: None)
    first = json.loads((tmp_path / "results.json").read_text())
    reproduce(tmp_path, only=["explaining_away"], log=lambda _: None)
    results = json.loads((tmp_path / "results.json").read_text())
    assert list(results["claims"]) == ["proofs", "explaining_away"]
    assert results["claims"]["proofs"] == first["claims"]["proofs"]
    assert [r["claims"] for r in results["runs"]] == [["proofs"], ["explaining_away"]]
    assert "proofs" not in results["missing"] and "essl_figure1" in results["missing"]
    report = (tmp_path / "report.md").read_text()
    assert "measured in 2 runs" in report and "## " + CLAIMS["proofs"].title in report
    assert "`essl_figure1`" in report.split("# Not measured yet")[1]


def test_a_record_of_another_claim_is_refused(tmp_path):
    from essl_testbed.errors import ExperimentError
    from essl_testbed.report.folder import assemble

    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "proofs.json").write_text(json.dumps({"key": "modes"}))
    with pytest.raises(ExperimentError, match="does not hold the claim 'proofs'"):
        assemble(tmp_path)


def test_the_findings_name_each_check_that_does_not_hold():
    from essl_testbed.report.folder import findings_table

    run = {"id": 1, "provenance": {"commit": "abc"}}
    claims = {
        "proofs": {"kind": "theorem", "title": "Proofs", "verdict": "holds", "run": 1},
        "forecast": {"kind": "test", "title": "Forecast", "verdict": "inconclusive", "run": 1},
    }
    text = findings_table({"claims": claims, "runs": [run], "missing": ["modes"]})
    assert "1 of 2 exact checks and correlation tests hold or are supported; not: Forecast (**inconclusive**)." in text
    assert text.endswith("Not measured yet: `modes`.")


def test_unknown_claim_is_rejected(tmp_path):
    with pytest.raises(UnknownClaim, match="no claim matches \\['nonsense'\\]"):
        reproduce(tmp_path, only=["nonsense"])


# ------------------------------------------------------------------ verdict rules on canned inputs


def _effect(key: str, request: dict) -> float:
    """+1 on the condition each claim's primary contrast predicts to be larger (or, for the
    cross-entropy of modes, the condition predicted to cost more), 0 elsewhere."""
    transform, model = request["transform"], request.get("model", "cnn")
    if key.startswith("seven_trained"):
        relevant = {"rot4", "vflip"} | ({"hflip"} if request["world"] == "digits" else set())
        return 1.0 if transform in relevant else 0.0
    if key == "modes":
        return 1.0 if request.get("mode") == "eliminate" and request.get("model", "cnn") == "cnn" else 0.0
    if key == "base_aug":
        return 1.0 if request.get("base_aug") == "simclr-like" and request["world"] == "shortcut" else 0.0
    if key == "equivariant_model":
        return 1.0 if model == "c4cnn" else 0.0
    if key == "fine_multi_trained":
        return 1.0 if transform == "d4" else 0.0
    if key == "two_labels":
        return 1.0 if transform == "rot4" else 0.0
    if key == "strict_equivariance":
        return 1.0 if request.get("objective") == "vicreg-equivariance" and model == "cnn" else 0.0
    if key == "instance_discrimination":
        return 1.0 if request.get("objective") == "instance" else 0.0
    if key == "essl_figure1":
        relevant = transform in {"rot4", "vflip"} and request.get("weight") != 0.0
        return 1.0 if request.get("objective") == "essl" and relevant else 0.0
    if key == "care_table3":
        return 1.0 if request.get("objective") == "care" else 0.0
    if key == "hidden_task":
        return 0.0 if request.get("target") == "null" else 1.0
    return 1.0  # information_plane (rise of I(C;Z))


METRICS = (
    "pretext_acc",
    "pretext_ce_bits",
    "pretext_ce_train_bits",
    "probe_acc",
    "probe_acc_carrier",
    "probe_acc_marker",
    "normalised_gain",
)


def _class_blind_at_its_bound(world: str, transform: str, request: dict, seed: int) -> dict:
    """An eliminate run that met its objective: a class probe at chance, its cross-entropy on
    the certified class-blind bound of its training styles."""
    from essl_testbed.experiments.limits import training_style_limits
    from essl_testbed.experiments.spec import Experiment

    overrides = request.get("overrides", {})
    limits = training_style_limits(Experiment(world, transform, world_overrides=dict(overrides)), seed)
    return {
        "probe_acc": 1 / overrides.get("n_classes", 2),
        "pretext_gap_train_bits": limits["H_A_given_Z_class_blind_lower"] - limits["H_A_given_X"],
    }


BASE_GAIN = 0.2
"""probe over random init of the canned contrastive base."""


class CannedRunner:
    """Stands in for the training runner: every metric of a condition is ``0.5 + size * effect
    ± spread``, the sign alternating over the seeds in a phase set by the condition, so a
    scenario fixes the sign and the noise of every contrast (the noise averages to 0)."""

    def __init__(self, key: str, size: float, spread: float, seeds: tuple[int, ...] = SEEDS):
        self.key, self.size, self.spread, self.seeds = key, size, spread, seeds

    def many(self, requests: dict) -> dict:
        return {label: self(**request) for label, request in requests.items()}

    def __call__(self, world: str, transform: str, **request) -> dict:
        condition = {"world": world, "transform": transform, **request}
        effect = self.size * _effect(self.key, condition)
        phase = zlib.crc32(repr(sorted(condition.items())).encode()) % 2
        runs = []
        for seed in self.seeds:
            # a control (the null control, a baseline) is noise-free, so that its contrast keeps the noise
            noise = 0.0 if request.get("target") == "null" else self.spread * (-1) ** (seed + phase)
            value = 0.5 + effect + noise
            # the contrastive base beats random init in every scenario (its gate is tested on its own)
            base_gain = BASE_GAIN if request.get("objective") == "essl" and request.get("weight") == 0.0 else 0.0
            run = {
                "seed": seed,
                "dead": False,
                **dict.fromkeys(METRICS, value),
                "probe_acc_random_init": 0.5,
                "probe_gain": value - 0.5 + base_gain,
                # two labels of one run: the carrier's gain carries the effect, the marker's none
                "probe_gain_carrier": value - 0.5,
                "probe_gain_marker": 0.0,
                **dict.fromkeys(("probe_acc_carrier_random_init", "probe_acc_marker_random_init"), 0.5),
                "pretext_gap_train_bits": 0.0,
                "history": [{"epoch": e, "loss": 1.0} for e in range(1, 11)],
                "I_A_Z": 2.0,  # past every class-blind point
                "I_C_Z": value,
                "t1_residual": 0.0,
                "information_plane": [
                    {"epoch": 0, "I_A_Z": 0.0, "I_C_Z": 0.5},
                    {"epoch": 1, "I_A_Z": 2.0, "I_C_Z": value},
                ],
            }
            if request.get("mode") == "eliminate":
                run.update(_class_blind_at_its_bound(world, transform, request, seed))
            runs.append(run)
        summary = {k: {"mean": 0.5 + effect, "std": self.spread, "n": len(self.seeds)} for k in runs[0] if k != "seed"}
        return {"runs": runs, "summary": summary}


SCENARIOS = {
    # (effect size, seed spread) per expected verdict, for a directional and an equivalence claim
    "directional": {
        Verdict.SUPPORTED: (0.1, 0.01),
        Verdict.CONTRADICTED: (-0.1, 0.01),
        Verdict.INCONCLUSIVE: (0.0, 0.1),
    },
    "equivalence": {  # margin 0.05
        Verdict.SUPPORTED: (0.0, 0.005),
        Verdict.CONTRADICTED: (0.2, 0.01),
        Verdict.INCONCLUSIVE: (0.04, 0.05),
    },
}


def _canned_verdict(key: str, size: float, spread: float, tmp_path: Path) -> Verdict:
    spec = CLAIMS[key]
    finding = spec.evaluate(ClaimContext(CannedRunner(key, size, spread), tmp_path, primary_only=True))  # type: ignore[arg-type]
    return decide_primaries({key: finding})[key][2]


@pytest.mark.parametrize("key", slow_cases(PRIMARY_FAMILY, {"information_plane", "modes", "seven_trained_natural10"}))
def test_each_trained_claim_writes_its_whole_finding(key, tmp_path):
    """The full evaluation (secondary conditions, tables, exact limits, figures) on canned runs."""
    runner = CannedRunner(key, 0.1, 0.01, seeds=(0, 1, 2))
    finding = CLAIMS[key].evaluate(ClaimContext(runner, tmp_path))  # type: ignore[arg-type]
    assert finding.table and finding.primary
    assert finding.figure is None or (tmp_path / finding.figure).exists()
    full = decide_primaries({key: finding})[key][0].mean
    again = CLAIMS[key].evaluate(ClaimContext(runner, tmp_path, primary_only=True))  # type: ignore[arg-type]
    assert decide_primaries({key: again})[key][0].mean == full


@pytest.mark.parametrize("key", PRIMARY_FAMILY)
@pytest.mark.parametrize("expected", [Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.INCONCLUSIVE])
def test_each_trained_claims_rule_gives_each_verdict(key, expected, tmp_path):
    kind = "equivalence" if CLAIMS[key].contrast.direction == 0 else "directional"
    size, spread = SCENARIOS[kind][expected]
    if CLAIMS[key].contrast.direction < 0:
        size = -size
    assert _canned_verdict(key, size, spread, tmp_path) is expected


class SeedTrendRunner(CannedRunner):
    """Every metric grows with the seed (0.01 per seed), the same in every condition: paired
    differences cancel the trend exactly; unpaired ones do not."""

    def __call__(self, world: str, transform: str, **request) -> dict:
        result = super().__call__(world, transform, **request)
        for run in result["runs"]:
            for key in (*METRICS, "probe_gain", "probe_gain_carrier", "probe_gain_marker"):
                run[key] += 0.01 * run["seed"]
            run["information_plane"][-1]["I_C_Z"] += 0.01 * run["seed"]
        return result


BETWEEN_CONDITIONS = [k for k in PRIMARY_FAMILY if k != "information_plane"]  # within-run


@pytest.mark.parametrize("key", BETWEEN_CONDITIONS)
def test_primary_differences_are_paired_by_seed(key, tmp_path):
    finding = CLAIMS[key].evaluate(ClaimContext(SeedTrendRunner(key, 0.1, 0.0), tmp_path, primary_only=True))  # type: ignore[arg-type]
    assert finding.primary == pytest.approx(dict.fromkeys(SEEDS, 0.1), abs=1e-12)


def test_the_family_holds_one_equivalence_claim_and_adjusts_over_all():
    assert [k for k in PRIMARY_FAMILY if CLAIMS[k].contrast.direction == 0] == ["hidden_task"]
    weak = {"equivariant_model": Finding(None, "", primary={s: 0.01 + 0.02 * (s % 2) for s in range(5)})}  # p near 0.06
    decided = decide_primaries(weak)["equivariant_model"]
    assert decided[1] == pytest.approx(min(1.0, len(PRIMARY_FAMILY) * decided[0].p))


# ------------------------------------------------------------------ the real path, resumed from its cache


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
def test_training_claim_runs_and_resumes_from_its_cache(tmp_path, monkeypatch):
    budget = Budget(steps=4, seeds=(0, 1))
    first = reproduce(tmp_path, budget, only=["hidden_task"], log=lambda _: None, sensitivity=True)
    assert first[0].verdict in {Verdict.SUPPORTED, Verdict.CONTRADICTED, Verdict.INCONCLUSIVE}
    # hflip, its null control and the supervised ceiling, then hflip and the null control under
    # each of the four sensitivity settings; two seeds each
    assert len(list((tmp_path / "cache").rglob("seed*.json"))) == (3 + 4 * 2) * 2
    assert list(first[0].sensitivity) == [
        "lr 0.0003, 4 steps",
        "lr 0.003, 4 steps",
        "lr 0.001, 2 steps",
        "lr 0.001, 8 steps",
    ]
    report = (tmp_path / "report.md").read_text()
    assert report.index("**Declared before the run:**") < report.index("**Verdict:")
    assert "Sensitivity (each setting varied alone):" in report
    results = json.loads((tmp_path / "results.json").read_text())["claims"]["hidden_task"]
    with open(tmp_path / "runs.csv") as table:
        rows = list(csv.DictReader(table))
    assert len(rows) == len(list((tmp_path / "cache").rglob("seed*.json"))) - 4 * 2 * 2  # not the sensitivity runs
    assert {(r["transform"], r["seed"], r["claims"]) for r in rows} >= {("hflip", "0", "hidden_task")}
    assert results["primary"]["per_seed"] == {"0": first[0].result.differences[0], "1": first[0].result.differences[1]}

    def no_training(*args, **kwargs):
        raise AssertionError("a cached run was retrained")

    monkeypatch.setattr("essl_testbed.experiments.sweep.run_one", no_training)
    again = reproduce(tmp_path, budget, only=["hidden_task"], log=lambda _: None, sensitivity=True)
    assert again[0].finding == first[0].finding and again[0].result == first[0].result
    assert again[0].sensitivity == first[0].sensitivity
