"""The CLI's error contract: input errors are one line on stderr and exit 2, an interrupt is
one line and exit 130, a bug keeps its traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from essl_testbed import cli
from essl_testbed.cli import main


def one_line(err: str) -> str:
    """The error line; a syntax error may add the statement with a caret under the fault."""
    lines = err.strip().splitlines()
    assert "Traceback" not in err and (len(lines) == 1 or (len(lines) == 3 and lines[2].strip() == "^")), err
    return lines[0]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["prove", "I(A;B >= 0"], "essl-testbed prove: error:"),
        (["analyze", "--world", "digits", "--transform", "rot4"], "exact analysis needs every latent"),
        (["analyze", "--world", "natural", "--transform", "rot5"], "unknown transformation 'rot5'"),
        (["reproduce", "--only", "nonsense"], "no claim matches ['nonsense']"),
        (
            ["train", "--world", "six-nine", "--transform", "rot2", "--model", "bottleneck", "--mode", "add"],
            "model 'bottleneck' trains in mode(s) normal, eliminate, not 'add'",
        ),
    ],
)
def test_input_errors_are_one_line_and_exit_2(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in one_line(capsys.readouterr().err)


@pytest.mark.parametrize("command", ["show", "reproduce"])
def test_an_unwritable_output_path_is_one_line_naming_it(command, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / "out.png" if command == "show" else blocker / "report"
    argv = {
        "show": ["show", "--world", "six-nine", "--transform", "rot2", "--out", str(out)],
        "reproduce": ["reproduce", "--only", "proofs", "--out", str(out)],
    }[command]
    assert main(argv) == 2
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"essl-testbed {command}: error:") and str(blocker) in line


def test_an_interrupt_is_one_line_and_exit_130(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.COMMANDS["worlds"], "run", interrupted)
    assert main(["worlds"]) == 130
    assert "interrupted" in one_line(capsys.readouterr().err)


def test_a_bug_keeps_its_traceback(monkeypatch):
    def broken(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli.COMMANDS["worlds"], "run", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        main(["worlds"])


def test_an_os_error_on_a_path_the_user_did_not_give_is_a_bug(monkeypatch, tmp_path):
    def reads_elsewhere(args):
        open(tmp_path / "missing-internal-file")

    monkeypatch.setattr(cli.COMMANDS["show"], "run", reads_elsewhere)
    with pytest.raises(FileNotFoundError):
        main(["show", "--world", "six-nine", "--transform", "rot2", "--out", str(tmp_path / "g.png")])


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    from essl_testbed import __version__

    assert capsys.readouterr().out.strip() == f"essl-testbed {__version__}"


TRAINING_COMMANDS = {
    "train": ["train", "--world", "six-nine", "--transform", "rot2"],
    "reproduce": ["reproduce", "--quick"],
    "forecast": ["forecast", "--worlds", "0"],
}


@pytest.mark.parametrize("value", ["0", "-3"])
@pytest.mark.parametrize(
    "command, budget", [("train", "--steps"), ("train", "--epochs"), ("reproduce", "--steps"), ("forecast", "--steps")]
)
def test_a_budget_of_no_steps_is_refused_by_every_command_in_one_line(command, budget, value, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*TRAINING_COMMANDS[command], budget, value])
    assert exit_info.value.code == 2
    line = one_line(capsys.readouterr().err)
    assert line.startswith(
        f"essl-testbed {command}: error: argument {budget}: expected a positive integer, got '{value}'"
    )


@pytest.mark.parametrize("steps", ["0", "-2", "[100, 0]"])
def test_a_sweep_with_no_steps_is_refused_in_one_line(steps, capsys, tmp_path):
    spec = tmp_path / "spec.toml"
    axis = "grid" if steps.startswith("[") else "train"
    spec.write_text(
        f'[{axis}]\nsteps = {steps}\n\n[{"train" if axis == "grid" else "grid"}]\nworld = "six-nine"\ntransform = "rot2"\n'
    )
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out")]) == 2
    assert "steps must be positive integers" in one_line(capsys.readouterr().err)


def test_a_sensitivity_setting_never_has_fewer_than_one_step():
    from essl_testbed.errors import ExperimentError
    from essl_testbed.experiments import Budget

    assert [b.steps for b in Budget(steps=1).sensitivity()] == [1, 1, 1, 2]
    with pytest.raises(ExperimentError, match="steps must be a positive integer, got 0"):
        Budget(steps=0)


@pytest.mark.parametrize("module", ["essl_testbed", "essl_testbed.cli"])
def test_python_dash_m_runs_the_command(module):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("essl-testbed ")


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    from pathlib import Path

    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.slow  # over 2 s: runs with the slow set (README, Testing)
@pytest.mark.skipif(not __import__("os").path.exists("/proc"), reason="reads /proc")
def test_sigterm_stops_the_workers_with_the_command(tmp_path):
    """A killed run leaves no worker processes running on as orphans: SIGTERM is an interrupt."""
    import os
    import signal
    import subprocess
    import sys
    import time

    argv = ["train", "--world", "natural", "--transform", "rot4", "--steps", "100000", "--seeds", "0,1"]
    driver = subprocess.Popen(
        [sys.executable, "-m", "essl_testbed", *argv, "--workers", "2", "--cache", str(tmp_path), "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 120
    workers: list[int] = []
    while time.time() < deadline and len(workers) < 2:
        time.sleep(0.5)
        workers = [p for p in _children(driver.pid) if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text()]
    assert len(workers) >= 2, "the workers never started"
    time.sleep(3)  # the workers are training
    driver.send_signal(signal.SIGTERM)
    assert driver.wait(timeout=60) == 130
    assert "interrupted" in driver.stderr.read()
    time.sleep(1)
    alive = [
        p for p in workers if os.path.exists(f"/proc/{p}") and "Z" not in Path(f"/proc/{p}/stat").read_text().split()[2]
    ]
    assert alive == []
