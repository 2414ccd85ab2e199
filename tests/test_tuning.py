"""Equal tuning per arm on training styles only (essl_testbed.experiments.tuning)."""

import pytest

from essl_testbed.errors import ExperimentError
from essl_testbed.experiments.spec import Experiment
from essl_testbed.experiments.tuning import SearchSpace, tune_arms, validation_score
from synthetic.config import TrainConfig

SPACE = SearchSpace(lr=(1e-3, 1e-2), steps=(2, 5))


def _arm(model: str, transform: str = "rot4") -> Experiment:
    """An arm on a small world with held-out styles (448 rows under rot4)."""
    return Experiment("random", transform, TrainConfig(model=model, batch_size=32))


def test_no_held_out_style_reaches_the_tuner(monkeypatch):
    """Every dataset the tuner trains on or scores holds training styles only."""
    import synthetic.training as training
    from essl_testbed.experiments.downstream import downstream_sets

    seen = []

    def watch(name):
        original = getattr(training, name)

        def wrapped(model, dataset, *args, **kwargs):
            seen.append(dataset)
            return original(model, dataset, *args, **kwargs)

        monkeypatch.setattr(training, name, wrapped)

    watch("train")
    watch("evaluate")
    tune_arms({"mlp": _arm("mlp")}, SPACE, n_trials=2, seeds=(0,))
    split, _ = downstream_sets(_arm("mlp"), 0)
    assert len(seen) == 4  # two trials, each trained once and scored once
    assert all((split.part_of(d) < 2).all() for d in seen)
    assert any((split.part_of(d) == 1).any() for d in seen)  # the validation styles are scored


def test_every_arm_gets_the_same_trials_over_the_same_space(tmp_path):
    arms = {"mlp": _arm("mlp"), "mlp-vflip": _arm("mlp", "vflip")}
    results = tune_arms(arms, SPACE, n_trials=3, seeds=(0,), cache_dir=tmp_path)
    assert [len(r.trials) for r in results.values()] == [3, 3]
    settings = [[(t["lr"], t["steps"]) for t in r.trials] for r in results.values()]
    assert settings[0] == settings[1]  # the seeded sampler draws the same settings for each arm
    for trial in results["mlp"].trials:
        assert SPACE.lr[0] <= trial["lr"] <= SPACE.lr[1] and SPACE.steps[0] <= trial["steps"] <= SPACE.steps[1]
    curve = results["mlp"].curve
    assert curve == sorted(curve, reverse=True) and curve[-1] == results["mlp"].best_score
    assert len(list(tmp_path.rglob("seed0.json"))) == len({s for s in settings[0]}) * 2


def test_a_choice_at_the_end_of_its_range_is_flagged():
    narrow = SearchSpace(lr=(1e-3, 1.1e-3), steps=(2, 3))
    result = tune_arms({"mlp": _arm("mlp")}, narrow, n_trials=2, seeds=(0,))["mlp"]
    assert "steps" in result.on_edge  # 2 or 3: an end of the range either way
    assert SearchSpace().on_edge({"lr": 1e-3, "steps": 600}) == []


def test_the_score_is_the_gap_above_the_validation_optimum():
    scored = validation_score(Experiment("random", "rot4", TrainConfig(model="mlp", steps=3)), 0)
    assert scored["val_gap_bits"] == pytest.approx(scored["val_ce_bits"] - scored["val_optimum_bits"])
    assert scored["val_gap_bits"] >= 0


@pytest.mark.parametrize(
    "call",
    [
        lambda: tune_arms({"mlp": _arm("mlp")}, SPACE, n_trials=0),
        lambda: tune_arms({"mlp": _arm("mlp")}, SearchSpace(extra={"no_such_knob": (0.1, 1.0)}), n_trials=1),
        lambda: SearchSpace(lr=(1e-2, 1e-3)),
        lambda: validation_score(Experiment("random", "rot4", TrainConfig(model="mlp"), target="C"), 0),
        lambda: Experiment("random", "rot4", TrainConfig(model="mlp", objective="essl"), tune_for="pretext"),
        lambda: Experiment("random", "rot4", TrainConfig(model="mlp"), tune_for="accuracy"),
    ],
)
def test_bad_input_is_refused(call):
    with pytest.raises(ExperimentError):
        call()


def test_arms_share_the_ranges_of_the_knobs_they_share():
    arms = {
        "normal": _arm("mlp"),
        "eliminate": Experiment("random", "rot4", TrainConfig(model="mlp", batch_size=32, mode="eliminate")),
    }
    results = tune_arms(arms, SPACE, n_trials=2, seeds=(0,))
    normal, eliminate = results["normal"].ranges, results["eliminate"].ranges
    assert {k: eliminate[k] for k in normal} == normal
    assert set(eliminate) - set(normal) == {"lam", "warmup"}
    assert [len(r.trials) for r in results.values()] == [2, 2]


def test_eliminate_pays_for_the_class_bits_it_keeps():
    arm = Experiment("random", "rot4", TrainConfig(model="mlp", mode="eliminate", lam=0.0, steps=20))
    scored = validation_score(arm, 0)
    assert scored["val_class_bits"] >= 0
    assert scored["val_score_bits"] == pytest.approx(scored["val_gap_bits"] + scored["val_class_bits"])


def test_studies_are_stored_and_resumed_by_arm(tmp_path, monkeypatch):
    import essl_testbed.experiments.tuning as tuning

    calls = []
    real = tuning.validation_score
    monkeypatch.setattr(tuning, "validation_score", lambda e, s: calls.append(e) or real(e, s))
    budget = tuning.Tuning(n_trials=2, seeds=(100,), space=SPACE)
    first = tuning.tune_missing(tmp_path, [_arm("mlp")], budget, log=lambda _: None)
    assert len(calls) == 2
    again = tuning.tune_missing(tmp_path, [_arm("mlp")], budget, log=lambda _: None)
    assert len(calls) == 2 and again == first  # read back, not tuned again
    wider = tuning.Tuning(n_trials=3, seeds=(100,), space=SPACE)
    tuning.tune_missing(tmp_path, [_arm("mlp")], wider, log=lambda _: None)
    assert len(calls) == 5  # another budget is another study


def test_an_interrupted_study_resumes_by_trial(tmp_path, monkeypatch):
    """The study file is written when an arm finishes; its trials as each one does. With the
    study lost (interrupted mid-arm), the seeded sampler replays the same settings and every
    stored trial is reused: nothing trains again."""
    import essl_testbed.experiments.tuning as tuning

    budget = tuning.Tuning(n_trials=3, seeds=(100,), space=SPACE)
    first = tuning.tune_missing(tmp_path, [_arm("mlp")], budget, log=lambda _: None)
    for study in tmp_path.glob("tuning-*/*.json"):
        study.unlink()
    assert len(list(tmp_path.glob("tuning-*/trials/*/seed100.json"))) == 3

    def no_training(*args):
        raise AssertionError("a stored trial was trained again")

    monkeypatch.setattr(tuning, "validation_score", no_training)
    assert tuning.tune_missing(tmp_path, [_arm("mlp")], budget, log=lambda _: None) == first


def test_the_runner_trains_each_arm_at_its_chosen_setting(tmp_path):
    from essl_testbed.experiments import Budget, Runner
    from essl_testbed.experiments.tuning import Tuning

    budget = Budget(steps=50, batch_size=32, seeds=(0, 1), tuning=Tuning(n_trials=2, seeds=(100,), space=SPACE))
    runner = Runner(budget, tmp_path, log=lambda _: None, ceilings=False)
    result = runner("random", "rot4", model="mlp")
    (study,) = runner.studies.values()
    assert {r["steps"] for r in result["runs"]} == {study["best"]["steps"]}  # not the budget's 50
    assert study["label"] == "random/rot4/mlp/normal" and len(study["trials"]) == 2


def test_a_null_control_trains_at_the_setting_of_the_task_it_controls(tmp_path):
    from essl_testbed.experiments import Budget, Runner
    from essl_testbed.experiments.tuning import Tuning

    budget = Budget(steps=50, batch_size=32, seeds=(0,), tuning=Tuning(n_trials=2, seeds=(100,), space=SPACE))
    runner = Runner(budget, tmp_path, log=lambda _: None, ceilings=False)
    both = runner.many(
        {t: {"world": "random", "transform": "rot4", "model": "mlp", "target": t} for t in ("A", "null")}
    )
    (study,) = runner.studies.values()  # one study: the task's
    assert {both[t]["runs"][0]["steps"] for t in ("A", "null")} == {study["best"]["steps"]}


@pytest.mark.parametrize(
    "config, tune_for",
    [
        (TrainConfig(model="mlp", objective="essl", steps=5), None),
        (TrainConfig(model="mlp", objective="care", steps=5), None),
        (TrainConfig(model="mlp", steps=5), "probe"),
    ],
    ids=["essl", "care", "predict tuned by the probe"],
)
def test_the_probe_score_is_the_class_information_the_probe_misses(config, tune_for):
    """I(C;X) of the validation images, exact, minus what a linear probe reads off them (which
    cannot exceed I(C;X): no predictor beats H(C|X) on the distribution it is scored on)."""
    experiment = Experiment("random", "rot4", config, tune_for=tune_for)
    assert experiment.tuning_score == "probe"
    scored = validation_score(experiment, 0)
    assert scored["val_class_info_bits"] > 0.1  # random world 0: the class is visible
    assert scored["val_score_bits"] == pytest.approx(scored["val_class_info_bits"] - scored["val_class_bits"])
    assert scored["val_class_bits"] <= scored["val_class_info_bits"] + 1e-9 and scored["val_score_bits"] >= -1e-9


def test_each_objective_searches_its_own_knobs_and_the_contrastive_base_no_weight():
    from essl_testbed.experiments.tuning import arm_space

    def knobs(**config):
        return sorted(arm_space(SearchSpace(), Experiment("random", "rot4", TrainConfig(model="mlp", **config))).extra)

    assert knobs(objective="essl") == ["temperature", "weight"]
    assert knobs(objective="essl", weight=0.0) == ["temperature"]
    assert knobs(objective="care") == ["temperature", "weight"]
    assert knobs(objective="contrastive") == ["temperature"]
    assert knobs() == []


def test_tune_for_enters_the_key_only_when_set():
    plain = Experiment("random", "rot4", TrainConfig(model="mlp"))
    assert "tune_for" not in plain.definition
    assert Experiment("random", "rot4", TrainConfig(model="mlp"), tune_for="probe").key() != plain.key()


def test_an_infonce_arm_is_tuned_by_the_probe_with_its_own_knobs():
    arm = Experiment("random", "rot4", TrainConfig(model="mlp", objective="essl", batch_size=32))
    result = tune_arms({"essl": arm}, SearchSpace(lr=(1e-3, 1e-2), steps=(2, 4)), n_trials=2, seeds=(0,))["essl"]
    assert sorted(result.best) == ["lr", "steps", "temperature", "weight"]
    assert len(result.trials) == 2 and all(t["score"] >= -1e-9 for t in result.trials)
