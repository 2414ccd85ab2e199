"""The world commands of the command line: worlds, analyze, show, check."""

from __future__ import annotations

import json

from pictures import decoded, panels

from essl_testbed.cli import main


def test_worlds_lists_the_presets(capsys):
    assert main(["worlds"]) == 0
    out = capsys.readouterr().out
    for name in ("natural", "six-nine", "symmetric", "shortcut", "occluded", "digits"):
        assert name in out


def test_analyze_table_and_json(capsys):
    assert main(["analyze", "--world", "six-nine", "--transform", "rot2"]) == 0
    assert "I_A_C_given_X" in capsys.readouterr().out
    assert main(["analyze", "--world", "six-nine", "--transform", "rot2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["I_A_C_given_X"]["value"] == 1.0 and data["H_A_given_X"]["value"] == 1.0
    # explaining away without any class to learn: no class bits are needed, and a class-blind
    # predictor does as well as any (chance, 1 bit left)
    assert data["I_C_T"] == {"value": 0, "exact": None, "description": data["I_C_T"]["description"]}
    assert data["bayes_acc_A_class_blind"]["value"] == 0.5 and data["H_A_given_Z_class_blind"]["value"] == 1.0


def test_analyze_json_reports_the_class_blind_limits_where_the_class_is_needed(capsys):
    assert main(["analyze", "--world", "symmetric", "--transform", "rot4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["I_C_T"]["value"] > 1.5 and data["I_A_C_given_X"]["value"] < 1e-9
    assert data["H_A_given_Z_class_blind"]["value"] > data["H_A_given_X"]["value"] + 0.5


def test_analyze_digits_is_a_clear_error(capsys):
    assert main(["analyze", "--world", "digits", "--transform", "rot4"]) == 2
    assert "exact analysis needs every latent" in capsys.readouterr().err


def test_unknown_transform_is_a_clear_error(capsys):
    assert main(["analyze", "--world", "natural", "--transform", "rot5"]) == 2
    assert "unknown transformation 'rot5'" in capsys.readouterr().err


def test_show_writes_a_png(tmp_path, capsys):
    out = tmp_path / "grid.png"
    assert main(["show", "--world", "six-nine", "--transform", "rot4", "--out", str(out)]) == 0
    image = decoded(out)
    # one row per class (six, nine), one column per rotation; the figure's size follows at 110 dpi
    assert image.shape[:2] == (round((1.3 * 2 + 1.0) * 110), round((1.15 * 4 + 1.9) * 110))
    assert panels(image) == 2 * 4 and image[0, 0, :3].tolist() == [1.0, 1.0, 1.0]


def test_check_runs_the_statements_on_a_world(capsys):
    assert main(["check", "--world", "occluded", "--transform", "rot4"]) == 0
    out = capsys.readouterr().out
    assert "T1 explaining-away identity: holds" in out and "Principle III (shortcut pruning): holds" in out
