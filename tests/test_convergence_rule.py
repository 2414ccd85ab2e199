"""The convergence rule of trained claims: an arm that did not converge can neither lose nor
win a verdict (essl_testbed.report.statistics.certified), and each claim declares the arms of
its primary with their certificates."""

import pytest

from essl_testbed.report import CLAIMS, ClaimContext, Verdict
from essl_testbed.report.claims import Finding
from essl_testbed.report.reproduce import decide_primaries, primary_family
from essl_testbed.report.statistics import PLATEAU_DROP, ArmCertificate, certified
from essl_testbed.report.trained_claims import plateau_drop

SEEDS = tuple(range(6))
EFFECT = {s: 0.1 + 0.001 * s for s in SEEDS}  # supported for a directional claim


@pytest.mark.parametrize("verdict", [Verdict.SUPPORTED, Verdict.CONTRADICTED])
def test_a_decisive_verdict_needs_every_arm_converged(verdict):
    good, bad = ArmCertificate("a", {0: 0.01, 1: 0.03}), ArmCertificate("b", {0: 0.2, 1: 0.0})
    assert certified(verdict, [good, good], 0.05) is verdict
    assert certified(verdict, [good, bad], 0.05) is Verdict.UNCONVERGED
    assert certified(Verdict.INCONCLUSIVE, [bad], 0.05) is Verdict.INCONCLUSIVE


def test_an_arm_without_numbers_is_not_converged():
    assert not ArmCertificate("a", {}).converged(0.05)
    assert certified(Verdict.SUPPORTED, [ArmCertificate("a", {})], 0.05) is Verdict.UNCONVERGED


def test_the_plateau_rule_reads_the_training_loss():
    flat = [{"epoch": e, "loss": 1.0} for e in range(1, 21)]
    falling = [{"epoch": e, "loss": 1.0 / e} for e in range(1, 21)]
    assert plateau_drop(flat) == 0.0 and plateau_drop(falling) > PLATEAU_DROP
    assert ArmCertificate("flat", {0: plateau_drop(flat)}, "plateau").converged(0.05)
    assert not ArmCertificate("falling", {0: plateau_drop(falling)}, "plateau").converged(0.05)
    assert plateau_drop([{"epoch": 1, "loss": 1.0}]) == float("inf")  # one epoch tells nothing


def test_decide_primaries_applies_the_rule_with_the_claims_epsilon():
    eps = CLAIMS["fine_multi_trained"].contrast.converged_bits
    arms = (ArmCertificate("d4", dict.fromkeys(SEEDS, eps / 2)), ArmCertificate("rot2", dict.fromkeys(SEEDS, 0.0)))
    converged = Finding(None, "", primary=EFFECT, arms=arms)
    assert decide_primaries({"fine_multi_trained": converged})["fine_multi_trained"][2] is Verdict.SUPPORTED
    late = (arms[0], ArmCertificate("rot2", dict.fromkeys(SEEDS, 2 * eps)))
    stalled = Finding(None, "", primary=EFFECT, arms=late)
    assert decide_primaries({"fine_multi_trained": stalled})["fine_multi_trained"][2] is Verdict.UNCONVERGED


def test_a_primary_with_fewer_than_two_seeds_is_inconclusive():
    one = Finding(None, "", primary={0: 0.5})
    result, p, verdict = decide_primaries({"information_plane": one})["information_plane"]
    assert result is None and p == 1.0 and verdict is Verdict.INCONCLUSIVE


class _Runs:
    """Canned runs: probe accuracy rises with the condition's index, every arm ends ``gap`` bits
    above its optimum, the information plane's codes pass the class-blind point on even seeds."""

    def __init__(self, gap: float):
        self.gap, self.seen = gap, []

    def many(self, requests):
        return {label: self(**r) for label, r in requests.items()}

    def __call__(self, world, transform, **request):
        self.seen.append((world, transform, request))
        level = 0.01 * len(self.seen)
        runs = [
            {
                "seed": s,
                "probe_acc": 0.5 + level,
                "probe_gain": level,
                "probe_gain_carrier": level,
                "probe_gain_marker": 0.0,
                "pretext_ce_train_bits": 1.0 + level,
                "pretext_gap_train_bits": self.gap,
                # a planted gap also leaves the loss still falling: plateau arms unconverged too
                "history": [{"epoch": e, "loss": 1.0 / e if self.gap else 1.0} for e in range(1, 11)],
                "I_A_Z": 2.0 if s % 2 == 0 else 0.0,
                "information_plane": [{"I_A_Z": 0.0, "I_C_Z": 0.0}, {"I_A_Z": 2.0, "I_C_Z": 0.1 + 0.01 * s}],
            }
            for s in SEEDS
        ]
        return {"runs": runs, "summary": {}}


@pytest.mark.parametrize("key", primary_family())
def test_every_trained_claim_certifies_the_arms_of_its_primary(key, tmp_path):
    """Each claim hands its arms' certificates to the verdict: planted gaps far above ε (and a
    training loss still falling) make every arm unconverged."""
    if key == "modes":
        pytest.skip("the class-blind limits need the real world's splits: tests/test_slow_claims.py")
    eps = CLAIMS[key].contrast.converged_bits
    for gap, converged in ((0.0, True), (10 * eps, False)):
        finding = CLAIMS[key].evaluate(ClaimContext(_Runs(gap), tmp_path, primary_only=True))  # type: ignore[arg-type]
        assert finding.arms, f"{key} declares no arms"
        assert all(a.converged(eps) is converged for a in finding.arms)


def test_the_information_plane_counts_only_seeds_past_the_class_blind_point(tmp_path):
    finding = CLAIMS["information_plane"].evaluate(ClaimContext(_Runs(0.0), tmp_path, primary_only=True))  # type: ignore[arg-type]
    assert sorted(finding.primary) == [s for s in SEEDS if s % 2 == 0]


def test_an_eliminate_code_that_is_not_class_blind_misses_its_objective():
    """Below the certified class-blind bound the code provably carries the class; above it, a
    class probe beyond chance + margin says the same. Either leaves the arm unconverged."""
    from essl_testbed.report.class_need_claims import BLIND_PROBE_MARGIN, _not_blind

    chance = 1 / 6
    gaps = {0: -0.03, 1: 0.01, 2: 0.02}
    probe = {0: chance, 1: 0.76, 2: chance + BLIND_PROBE_MARGIN / 2}
    violations = _not_blind(gaps, probe, chance)
    assert sorted(violations) == [0, 1]
    assert "below the class-blind bound" in violations[0] and "class probe 0.760" in violations[1]
    assert not ArmCertificate("eliminate", gaps, "class-blind limit", violations).converged(0.05)
    assert ArmCertificate("eliminate", {2: 0.02}, "class-blind limit", _not_blind({2: 0.02}, probe, chance)).converged(
        0.05
    )
