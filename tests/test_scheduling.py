"""Runs go to the executor together: Runner.many and run_experiments hand every seed of every
request (and of the supervised ceilings they share) over at once, costliest model first, and
give the same runs as one request after another."""

from __future__ import annotations

import importlib

import pytest

from essl_testbed.experiments import Budget, Runner
from essl_testbed.experiments.executors import InProcess
from essl_testbed.experiments.sweep import run_experiments

BUDGET = Budget(steps=2, seeds=(0, 1))
VOLATILE = ("seconds", "phase_seconds", "provenance")


class Recording(InProcess):
    """Runs in this process and records each batch of tasks it was handed."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[list] = []

    def run(self, fn, tasks):
        self.batches.append(list(tasks))
        yield from super().run(fn, tasks)


def stable(result: dict) -> list[dict]:
    return [{k: v for k, v in run.items() if k not in VOLATILE} for run in result["runs"]]


def test_many_hands_every_run_over_at_once_costliest_first(tmp_path):
    executor = Recording()
    runner = Runner(BUDGET, tmp_path, executor=executor, log=lambda _: None, ceilings=False)
    requests = {
        "mlp": {"world": "six-nine", "transform": "rot2", "model": "mlp"},
        "cnn": {"world": "six-nine", "transform": "rot2", "model": "cnn"},
    }
    results = runner.many(requests)
    assert len(executor.batches) == 1
    models = [experiment.train.model for experiment, _ in executor.batches[0]]
    assert models == ["cnn", "cnn", "mlp", "mlp"]  # two tasks x two seeds
    assert set(results) == {"mlp", "cnn"} and all(len(r["runs"]) == 2 for r in results.values())


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
def test_many_gives_the_runs_of_one_call_each(tmp_path):
    together = Runner(BUDGET, tmp_path / "a", log=lambda _: None).many(
        {t: {"world": "six-nine", "transform": t, "model": "mlp"} for t in ("rot2", "rot4")}
    )
    alone = Runner(BUDGET, tmp_path / "b", log=lambda _: None)
    for t in ("rot2", "rot4"):
        assert stable(together[t]) == stable(alone("six-nine", t, model="mlp"))


def test_a_ceiling_shared_by_two_requests_is_trained_once(tmp_path):
    executor = Recording()
    runner = Runner(BUDGET, tmp_path, executor=executor, log=lambda _: None)
    runner.many({t: {"world": "six-nine", "transform": t, "model": "mlp"} for t in ("rot2", "rot4")})
    targets = [experiment.target for experiment, _ in executor.batches[0]]
    assert targets.count("C") == 2  # one ceiling, two seeds
    results = runner.many({t: {"world": "six-nine", "transform": t, "model": "mlp"} for t in ("rot2", "rot4")})
    assert all("normalised_gain" in run for r in results.values() for run in r["runs"])
    assert len(runner.plan({t: {"world": "six-nine", "transform": t, "model": "mlp"} for t in ("rot2", "rot4")})) == 3


def test_run_experiments_returns_each_experiment_in_the_order_given(tmp_path):
    runner = Runner(BUDGET, tmp_path, log=lambda _: None)
    experiments = [runner.experiment("six-nine", "rot2", model=m) for m in ("mlp", "c4cnn")]
    results = run_experiments(experiments, BUDGET.seeds, show_progress=False)
    assert [r["config"]["key"] for r in results] == [e.key() for e in experiments]
    assert [r["seed"] for r in results[0]["runs"]] == [0, 1]


def test_no_requests_train_nothing(tmp_path):
    assert Runner(BUDGET, tmp_path, log=lambda _: None).many({}) == {}


# ----------------------------------------------------------- a reproduction's claims share one queue


def _fake_run(task):
    """A run record with what the runner and the claims below read, in no time."""
    experiment, seed = task
    return {"seed": seed, "probe_acc": 0.5 + 0.1 * seed, "probe_acc_random_init": 0.4, "dead": False}


def _fake_claims(monkeypatch):
    from essl_testbed.report import claims as registry
    from essl_testbed.report.claims import ClaimSpec, Finding
    from essl_testbed.report.statistics import Contrast

    def gain(result):
        return {r["seed"]: r["probe_acc"] - r["probe_acc_random_init"] for r in result["runs"]}

    def one_request(ctx):
        return Finding(None, "one request", primary=gain(ctx.run("six-nine", "rot2", model="mlp")))

    def two_requests(ctx):  # the second request depends on the first one's results
        first = ctx.run("six-nine", "rot4", model="mlp")
        second = ctx.run("six-nine", "vflip" if gain(first) else "hflip", model="mlp")
        return Finding(None, "two requests", primary=gain(second))

    contrast = Contrast("probe gain", "accuracy")
    fakes = {
        key: ClaimSpec(key, key, "a fake claim", evaluate, "test", contrast)
        for key, evaluate in (("one", one_request), ("two", two_requests))
    }
    monkeypatch.setattr(registry, "CLAIMS", fakes)
    monkeypatch.setattr(importlib.import_module("essl_testbed.report.reproduce"), "CLAIMS", fakes)
    monkeypatch.setattr("essl_testbed.experiments.sweep.execute", _fake_run)


def test_reproduce_hands_every_claims_first_requests_over_at_once(tmp_path, monkeypatch):
    from essl_testbed.report import reproduce

    _fake_claims(monkeypatch)
    executor = Recording()
    claims = reproduce(tmp_path, BUDGET, executor=executor, log=lambda _: None)
    batches = [sorted({(e.transform, e.target) for e, _ in batch}) for batch in executor.batches]
    # both claims' first requests and their shared ceiling, then the request made after results
    assert batches == [[("rot2", "A"), ("rot4", "A"), ("rot4", "C")], [("vflip", "A")]]
    assert [c.key for c in claims] == ["one", "two"] and all(c.result.n == 2 for c in claims)


def test_sensitivity_settings_join_the_same_queue(tmp_path, monkeypatch):
    from essl_testbed.report import reproduce

    _fake_claims(monkeypatch)
    executor = Recording()
    claims = reproduce(tmp_path, BUDGET, executor=executor, log=lambda _: None, sensitivity=True)
    steps = {e.train.steps for e, _ in executor.batches[0]}
    assert len(executor.batches) == 2 and steps == {1, 2, 4}  # the budget's, half and twice
    assert all(len(c.sensitivity) == 4 for c in claims)


def _fake_tune(task):
    experiment, tuning, *_ = task
    best = {"lr": 0.002, "steps": 3}
    return {"arm": experiment.label(), "best": best, "best_score": 0.0, "trials": [best], "curve": [0.0], "on_edge": []}


def test_a_tuned_profile_tunes_every_arm_first_then_trains_at_the_chosen_settings(tmp_path, monkeypatch):
    from dataclasses import replace

    from essl_testbed.experiments.tuning import Tuning
    from essl_testbed.report import reproduce

    _fake_claims(monkeypatch)
    monkeypatch.setattr("essl_testbed.experiments.tuning.tune_task", _fake_tune)
    tuned = replace(BUDGET, tuning=Tuning(n_trials=1, seeds=(100,)))
    executor = Recording()
    claims = reproduce(tmp_path, tuned, executor=executor, log=lambda _: None)
    arms = [sorted(e.transform for e, *_ in batch) for batch in executor.batches if isinstance(batch[0][1], Tuning)]
    assert arms == [["rot2", "rot4"], ["vflip"]]  # the first requests' arms together, then the later one
    trained = [e for batch in executor.batches for e, seed, *_ in batch if isinstance(seed, int) and e.target == "A"]
    assert trained and {(e.train.steps, e.train.lr) for e in trained} == {(3, 0.002)}
    assert [len(c.studies) for c in claims] == [1, 2]  # claim two trained rot4, then vflip
    again = Recording()
    reproduce(tmp_path, tuned, executor=again, log=lambda _: None)
    assert again.batches == []  # studies and runs both come back from the cache
