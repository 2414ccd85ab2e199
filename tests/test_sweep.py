"""Sweeps: the TOML grid, the executors (in-process, a local pool, Ray), resuming, and faults
as a user meets them (a killed worker, a truncated cached run, a corrupted results table)."""

from __future__ import annotations

import csv
import json
import warnings

import pytest
import sweep_faults

from essl_testbed.cli import main
from essl_testbed.errors import ExperimentError
from essl_testbed.experiments import InProcess, LocalPool, RayCluster, SweepSpec, make_executor, run_sweep
from essl_testbed.experiments.cache import RunCache

SPEC = """
[grid]
world = ["six-nine"]
transform = ["rot2", "rot4"]
model = ["mlp"]
seed = [0, 1]

[train]
epochs = 1
batch-size = 8
"""


def sweep(out, executor=None, resume=False, text=SPEC, log=None):
    """``run_sweep`` of ``text`` into ``out``, quietly."""
    return run_sweep(
        SweepSpec.from_toml(text),
        out,
        executor or InProcess(),
        resume=resume,
        progress=False,
        spec_text=text,
        log=log or (lambda _: None),
    )


def table(path) -> list[dict]:
    """The results table without the wall-time column (the only one allowed to differ)."""
    with open(path) as fh:
        return [{k: v for k, v in row.items() if k != "seconds"} for row in csv.DictReader(fh)]


def test_the_spec_expands_the_grid_in_order():
    spec = SweepSpec.from_toml(SPEC)
    tasks = spec.tasks()
    assert [(e.transform, s) for e, s in tasks] == [("rot2", 0), ("rot2", 1), ("rot4", 0), ("rot4", 1)]
    assert {e.train.batch_size for e, _ in tasks} == {8} and {e.train.model for e, _ in tasks} == {"mlp"}


def test_a_steps_budget_reaches_every_configuration():
    spec = SweepSpec.from_toml(SPEC.replace("epochs = 1", "steps = 40"))
    assert {e.train.steps for e, _ in spec.tasks()} == {40}


@pytest.mark.parametrize(
    "text, message",
    [
        (SPEC + "\n[extra]\nx = 1\n", "unknown table"),
        (SPEC.replace("model =", "modle ="), "unknown setting 'modle'"),
        (SPEC.replace("epochs = 1", "epochs = [1, 2]"), "is a list; put axes in [grid]"),
        (SPEC.replace('"six-nine"', '"seven"'), "unknown world 'seven'"),
        (SPEC.replace('"rot4"', '"rot5"'), "unknown transformation 'rot5'"),
        (SPEC.replace("epochs = 1", "epochs = 1\nsteps = 3"), "'steps' or as 'epochs', not both"),
        (SPEC.replace("seed = [0, 1]", "seed = [-1]"), "non-negative"),
        (SPEC.replace('["mlp"]', '["mlp"'), "not valid TOML"),
        ("[train]\nepochs = 1\n", "no world or transform"),
    ],
)
def test_bad_specs_are_named_errors(text, message):
    with pytest.raises(ExperimentError, match=message.replace("[", "\\[").replace("(", "\\(")):
        SweepSpec.from_toml(text)


@pytest.fixture(scope="module")
def in_process_table(tmp_path_factory):
    out = tmp_path_factory.mktemp("in-process")
    sweep(out)
    return table(out / "results.csv")


def test_a_sweep_writes_one_tidy_row_per_configuration_and_seed(in_process_table):
    rows = in_process_table
    assert [(r["transform"], r["seed"]) for r in rows] == [("rot2", "0"), ("rot2", "1"), ("rot4", "0"), ("rot4", "1")]
    for column in (
        "key",
        "world",
        "model",
        "epochs",
        "batch_size",
        "pretext_acc",
        "probe_acc",
        "probe_acc_random_init",
        "bayes_acc_A_given_X",
        "I_A_X",
    ):
        assert all(row[column] != "" for row in rows), column
    assert len({r["key"] for r in rows}) == 2


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
def test_the_local_pool_gives_the_same_table_as_in_process(in_process_table, tmp_path):
    sweep(tmp_path, LocalPool(workers=2))
    assert table(tmp_path / "results.csv") == in_process_table
    row = in_process_table[0]
    assert row["provenance_device"] == "cpu" and row["provenance_threads"] == "1" and row["provenance_commit"]


def test_the_cli_sweep_and_its_resume(tmp_path, monkeypatch, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    first = table(out / "results.csv")
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet"]) == 2
    assert "--resume" in capsys.readouterr().err

    def must_not_run(*args, **kwargs):
        raise AssertionError("a finished run was trained again")

    monkeypatch.setattr("essl_testbed.experiments.sweep.run_one", must_not_run)
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "1", "--quiet", "--resume"]) == 0
    assert table(out / "results.csv") == first


def test_a_different_spec_in_the_same_folder_is_refused(tmp_path):
    sweep(tmp_path)
    other = SPEC.replace("seed = [0, 1]", "seed = [0]")
    with pytest.raises(ExperimentError, match="holds a different sweep"):
        sweep(tmp_path, resume=True, text=other)


def test_a_failed_run_loses_only_itself_and_is_retried_on_resume(tmp_path, monkeypatch):
    import essl_testbed.experiments.sweep as sweep_module

    real = sweep_module.run_one

    def flaky(experiment, seed, progress=None):
        if experiment.transform == "rot4" and seed == 1:
            raise RuntimeError("a planted failure")
        return real(experiment, seed)

    monkeypatch.setattr(sweep_module, "run_one", flaky)
    logged = []
    result = sweep(tmp_path, log=logged.append)
    assert len(result.runs) == 3 and len(result.failures) == 1
    assert any("a planted failure" in line for line in logged)
    assert len(table(tmp_path / "results.csv")) == 3
    monkeypatch.setattr(sweep_module, "run_one", real)
    again = sweep(tmp_path, resume=True)
    assert again.reused == 3 and len(again.runs) == 4 and not again.failures


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
def test_a_killed_worker_is_retried(tmp_path):
    """Every task kills its worker once: the tasks beside a death are not charged for it."""
    markers = [str(tmp_path / f"marker{i}") for i in range(4)]
    out = dict(LocalPool(workers=2, retries=1).run(sweep_faults.die_once, markers))
    assert out == {i: f"marker{i}" for i in range(4)}


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
def test_a_task_that_always_kills_its_worker_is_given_up_alone():
    out = dict(LocalPool(workers=2, retries=1).run(sweep_faults.die_on_zero, [0, 1, 2, 3]))
    assert out[1] == 1 and out[2] == 2 and out[3] == 3
    assert out[0].error == "its worker process died" and out[0].attempts == 2


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
def test_a_raising_task_is_a_failure_and_the_others_finish():
    out = dict(LocalPool(workers=2).run(sweep_faults.fail_on_three, [1, 2, 3, 4]))
    assert out[1] == 2 and out[3] == 4 and "three is not allowed" in out[2].error


def test_a_truncated_cached_run_is_named_moved_aside_and_recomputed(tmp_path):
    sweep(tmp_path)
    cached = sorted((tmp_path / "cache").rglob("seed0.json"))[0]
    cached.write_text(cached.read_text()[:100])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = sweep(tmp_path, resume=True)
    assert any(str(cached) in str(w.message) for w in caught)
    assert cached.with_name("seed0.json.corrupt").exists() and json.loads(cached.read_text())["seed"] == 0
    assert result.reused == 3 and len(result.runs) == 4


def test_a_corrupted_results_table_is_reported_not_overwritten(tmp_path):
    sweep(tmp_path)
    broken = b"\xff\xfe not a table"
    (tmp_path / "results.csv").write_bytes(broken)
    with pytest.raises(ExperimentError, match="results.csv cannot be read"):
        sweep(tmp_path, resume=True)
    assert (tmp_path / "results.csv").read_bytes() == broken


def test_written_files_have_ordinary_permissions(tmp_path):
    sweep(tmp_path)
    from essl_testbed.experiments.cache import current_umask

    expected = 0o666 & ~current_umask()
    for path in [tmp_path / "results.csv", *(tmp_path / "cache").rglob("*.json")]:
        assert path.stat().st_mode & 0o777 == expected, path


def test_workers_times_threads_may_not_exceed_the_cores():
    import os

    cores = os.cpu_count() or 1
    with pytest.raises(ExperimentError, match="exceed"):
        make_executor("local", workers=cores, threads=2)
    assert isinstance(make_executor("local", workers=1), InProcess)


@pytest.mark.slow  # starting a local Ray instance: 13 s
def test_ray_gives_the_same_table_as_in_process(in_process_table, tmp_path):
    pytest.importorskip("ray")
    import ray

    try:
        sweep(tmp_path, RayCluster("local"))
    finally:
        ray.shutdown()
    assert table(tmp_path / "results.csv") == in_process_table


def test_cached_runs_are_shared_between_train_and_sweep(tmp_path):
    """The cache key is the experiment's, whoever ran it."""
    spec = SweepSpec.from_toml(SPEC)
    sweep(tmp_path)
    experiment, seed = spec.tasks()[0]
    assert RunCache(tmp_path / "cache").load(experiment.key(), seed)["seed"] == seed


def _processes_in_group(pgid: int) -> list[int]:
    from pathlib import Path

    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
@pytest.mark.skipif(not __import__("pathlib").Path("/proc/self/stat").exists(), reason="needs /proc")
def test_ctrl_c_stops_the_workers_and_says_how_to_resume(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    spec = tmp_path / "spec.toml"
    spec.write_text(
        SPEC.replace('"six-nine"', '"natural"').replace('"mlp"', '"cnn"').replace("epochs = 1", "epochs = 50")
    )
    code = (
        f"from essl_testbed.cli import main; raise SystemExit(main(['sweep', {str(spec)!r}, '--out', "
        f"{str(tmp_path / 'out')!r}, '--workers', '2']))"
    )
    process = subprocess.Popen([sys.executable, "-c", code], start_new_session=True, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(_processes_in_group(process.pid)) < 3 and time.monotonic() < deadline:  # the driver and 2 workers
        time.sleep(0.2)
    time.sleep(1.0)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    lines = [line for line in err.replace("\r", "\n").splitlines() if line.strip() and "sweep out" not in line]
    assert lines == [
        "essl-testbed sweep: interrupted. Finished runs are kept in DIR/cache; run the same command "
        "with --resume to continue."
    ]
    time.sleep(0.5)
    assert _processes_in_group(process.pid) == []


def test_set_threads_pins_blas_already_loaded():
    """A Ray worker has numpy (and its BLAS) loaded before its first task: pinning through the
    environment alone would leave BLAS on all cores, and sums in another order."""
    from threadpoolctl import threadpool_info, threadpool_limits

    from essl_testbed.experiments.executors import set_threads

    threadpool_limits(limits=2)
    set_threads(1)
    blas = [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and set(blas) == {1}


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
def test_a_sweep_runs_the_published_objectives_with_their_weight(tmp_path):
    text = SPEC.replace('model = ["mlp"]', 'objective = ["essl", "care"]').replace(
        'transform = ["rot2", "rot4"]', 'transform = ["rot4"]'
    )
    text = text.replace("seed = [0, 1]", "seed = [0]").replace("epochs = 1", "steps = 4\nweight = 0.3")
    rows = table(sweep(tmp_path, text=text).table)
    assert [(r["objective"], r["weight"]) for r in rows] == [("essl", "0.3"), ("care", "0.3")]
    assert all(r["probe_acc"] != "" and r["pretext_acc"] != "" for r in rows)
    assert rows[0]["pretext_gap_train_bits"] != "" and "pretext_gap_train_bits" not in {
        k for k, v in rows[1].items() if v
    }  # E-SSL has an exact optimum for its head; CARE's InfoNCE is certified by its plateau
