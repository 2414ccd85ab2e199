# %% [markdown]
# # Exercise 5: Lossy versus lossless: shortcuts and their pruning
#
# **Goal.** Watch a shortcut cue make the pretext task trivial and the class probe fall,
# then prune the cue with a base augmentation: first exactly, then with trained networks.
#
# **Reading.** The paper's Principle I: a pretext task teaches class features only while
# the augmentation is *lossy* for a class-blind reader, i.e. while A cannot be read off the
# image without understanding it. The `shortcut` world is `natural` plus one lit pixel in
# the top-left corner, drawn *before* the rotation: it moves with A, so the four corners
# reveal A for any class, and a network can solve rotation prediction by looking at one
# pixel. A *base augmentation* (random shifts and flips applied before A, as crop-and-flip
# pipelines do) moves the cue around so that the corners give A away far less: the cue is
# *pruned* (Principle III), here not completely.

# %%
import tempfile

import matplotlib.pyplot as plt

from essl_testbed.course import check
from essl_testbed.experiments.run import run_one
from essl_testbed.experiments.spec import Experiment
from synthetic.config import TrainConfig
from synthetic.worlds import presets
from synthetic.worlds.pictures import save_grid

# %% [markdown]
# The cue: the lit top-left pixel turns with the glyph (columns: the four rotations).

# %%
path = save_grid(presets.get("shortcut"), "rot4", f"{tempfile.mkdtemp()}/shortcut.png", n_rows=2)
plt.figure(figsize=(6, 3))
plt.imshow(plt.imread(path))
plt.axis("off")
plt.show()

# %% [markdown]
# ## Task 5.1: the cue, exactly
#
# For a world, return the triple (I(A;X), I(A;corners), class-relevant bits) under `rot4`
# (`world.analyze("rot4", class_blind=False)`; the keys are `"I_A_X"`, `"I_A_corners"` and
# `"class_relevant_bits"`). Then compare `presets.get("natural", n_positions=5)`,
# `presets.get("shortcut")` and `presets.get("shortcut", base="crop-flip")`.


# %% answer="5.1"
def cue_numbers(world):
    """(I(A;X), I(A;corners), class-relevant bits) of ``world`` under rot4."""
    raise NotImplementedError("task 5.1: your code here")


# %%
check("5.1", cue_numbers)
for name, kwargs in (("natural", {"n_positions": 5}), ("shortcut", {}), ("shortcut", {"base": "crop-flip"})):
    print(name, kwargs, [round(float(v), 3) for v in cue_numbers(presets.get(name, **kwargs))])

# %% [markdown]
# ## Task 5.2: compare runs the honest way
#
# Trained numbers vary from seed to seed. The testbed compares two conditions by *pairing*
# runs that share a seed (same initialisation, same batches) and looking at the per-seed
# differences. Write `paired_differences(runs_a, runs_b, key)`: each run is a dict with a
# `"seed"` and the metric `key`; return {seed: a's value minus b's}. Runs can come in any
# order, and a seed without a partner is an error (raise `ValueError`): dropping it silently
# would change the comparison without saying so.


# %% answer="5.2"
def paired_differences(runs_a, runs_b, key):
    """{seed: runs_a's key minus runs_b's key}, paired by seed."""
    raise NotImplementedError("task 5.2: your code here")


# %%
check("5.2", paired_differences)

# %% [markdown]
# ## Train and compare
#
# Rotation prediction on the three worlds (two colours, to keep them small), 3 seeds each,
# 200 optimiser steps (under a minute on a laptop CPU). `probe_gain` is the linear probe's class accuracy on held-out styles
# with the trained encoder minus the same probe on the randomly initialised encoder.

# %%
conditions = {
    "natural": ("natural", {"n_positions": 5, "n_colours": 2}),
    "shortcut": ("shortcut", {"n_colours": 2}),
    "shortcut + crop-flip": ("shortcut", {"base": "crop-flip", "n_colours": 2}),
}
runs = {
    label: [
        run_one(Experiment(world, "rot4", TrainConfig(steps=200), world_overrides=kwargs), seed=seed)
        for seed in range(3)
    ]
    for label, (world, kwargs) in conditions.items()
}
for label, rs in runs.items():
    print(
        f"{label:22} pretext accuracy {[round(r['pretext_acc'], 2) for r in rs]}  probe gain {[round(r['probe_gain'], 3) for r in rs]}"
    )
print(
    "crop-flip minus plain shortcut, per seed:",
    paired_differences(runs["shortcut + crop-flip"], runs["shortcut"], "probe_gain"),
)

# %% [markdown]
# **Read it off.** Does the pretext accuracy on `shortcut` reach 1 while the probe gain
# falls below `natural`'s? Does crop-flip bring the gain back? Three seeds and 200 steps are
# a classroom budget: the report's `base_aug` claim runs a similar comparison (with the
# stronger SimCLR-like base augmentation, against the world without the cue) on 10 seeds
# with a bootstrap interval. If your numbers disagree with the exact forecast, say so: that
# is a finding, not a failure.
