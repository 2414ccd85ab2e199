"""Random glyph worlds: a documented distribution, deterministic rendering, exact analysis, and a
hypothesis strategy that shrinks toward small worlds."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings

from essl_testbed.cli import main
from proofs_check.strategies import worlds
from synthetic.errors import WorldError
from synthetic.worlds import presets
from synthetic.worlds.glyphs import symmetry_group
from synthetic.worlds.random_worlds import POSES, SYMMETRIES, _d4, draw, random_worlds
from theory import class_blind_code, entropy, mutual_information, with_posterior

SAMPLE = random_worlds(40, seed=0)


def test_a_seed_gives_the_same_world_and_the_same_pixels():
    spec = draw(11)
    assert spec == draw(11) and spec.fingerprint() == draw(11).fingerprint()
    assert np.array_equal(spec.build().raw_images(), draw(11).build().raw_images())
    assert np.array_equal(presets.get("random", seed=11).raw_images(), spec.build().raw_images())
    assert draw(12).fingerprint() != spec.fingerprint()
    assert [s.seed for s in random_worlds(3, seed=5)] == [s.seed for s in random_worlds(8, seed=5)][:3]


def test_bad_seeds_and_counts_are_named():
    with pytest.raises(WorldError, match="seed must be a non-negative int"):
        draw(-1)
    with pytest.raises(WorldError, match="number of worlds"):
        random_worlds(-2)


def test_glyphs_have_what_the_spec_says():
    for spec in SAMPLE:
        masks = list(spec.masks().values())
        assert all(m.any() for m in masks)
        assert len({m.tobytes() for m in masks}) == len(masks)
        for mask, how in zip(masks, spec.symmetries):
            if how.startswith("pair:"):
                _, k, element = how.split(":")
                assert np.array_equal(mask, _d4(masks[int(k)], int(element)))
            else:
                assert set(SYMMETRIES[how]) <= symmetry_group(mask)


def test_the_sample_covers_the_distribution():
    kinds = {how.split(":")[0] for s in SAMPLE for how in s.symmetries}
    assert kinds == set(SYMMETRIES) | {"pair"}
    assert {p for s in SAMPLE for p in s.poses} == set(POSES)
    for flag in ("corners", "occlusion", "cue"):
        assert {getattr(s, flag) for s in SAMPLE} == {True, False}
    assert {s.channels for s in SAMPLE} == {1, 3} and {s.n_classes for s in SAMPLE} == {3, 4, 5, 6}


def test_the_candidates_are_zero_in_some_worlds_and_large_in_others():
    rows = [s.build().analyze("rot4", class_blind=False) for s in SAMPLE[:16]]
    for key, large in (("I_C_T", 0.5), ("I_A_C_given_X", 0.05), ("H_A_given_X", 0.5)):
        values = np.array([float(r[key]) for r in rows])
        assert (values < 1e-9).any() and (values > large).any(), (key, values.round(3))


@settings(max_examples=12, deadline=None)
@given(worlds())
def test_a_class_blind_code_reaches_i_a_x_exactly_when_no_class_bits_are_forced(spec):
    joint = spec.build().joint("rot4")
    i_c_t = float(mutual_information(with_posterior(joint, "A", "X"), "C", "T"))
    h_a_given_x = float(entropy(joint, "A", given="X"))
    blind = class_blind_code(joint).h_a_given_z
    assert blind >= h_a_given_x - 1e-9
    if i_c_t < 1e-12:
        assert blind == pytest.approx(h_a_given_x, abs=1e-9)
    assert i_c_t <= float(mutual_information(joint, "C", "X")) + 1e-9


def test_the_cli_draws_and_describes(capsys):
    assert main(["worlds", "--random", "2", "--seed", "4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [s.name for s in random_worlds(2, seed=4)]
    assert main(["worlds", "--random", "1", "--seed", "4", "--json"]) == 0
    (world,) = json.loads(capsys.readouterr().out)
    assert world["seed"] == random_worlds(1, seed=4)[0].seed and len(world["glyphs"]) == len(world["poses"])
