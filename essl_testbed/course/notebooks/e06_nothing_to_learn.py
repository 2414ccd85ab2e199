# %% [markdown]
# # Exercise 6: A world where rotation teaches nothing
#
# **Goal.** Design a world where predicting the rotation cannot teach anything about the
# class, prove it exactly, and confirm it with a trained network, judged the way the
# testbed judges "no effect": with an equivalence margin declared before the run.
#
# **Reading.** If the image X shows nothing about the rotation, I(A;X) = 0, then no
# representation Z computed from X can carry information about A: the pretext objective is
# stuck at 0 for every encoder, and its gradient has nothing about the class to give. A
# glyph that a quarter turn leaves unchanged (an O, a plus) at positions that form a
# rotation-symmetric set makes such a world.
#
# "No effect" is a claim too, and it needs evidence: the testbed declares a margin δ
# *before* training and calls "no effect" *supported* only when two one-sided tests reject
# both an effect of +δ or more and one of -δ or less: in the bootstrap, fewer than 5% of the resampled
# means lie at or beyond +δ, and fewer than 5% at or below -δ (so the 90% interval lies
# inside ±δ). *Contradicted* when the whole 95% interval lies beyond ±δ; *inconclusive*
# otherwise. An interval that merely contains 0 is not "no effect".

# %%
import contextlib

from essl_testbed.course import check
from essl_testbed.experiments.run import run_one
from essl_testbed.experiments.spec import Experiment
from proofs_check.prover import prove
from synthetic.config import TrainConfig
from synthetic.worlds import glyphs, presets
from synthetic.worlds.glyph_world import GlyphWorld

natural = presets.get("natural", n_positions=5, n_colours=2)
family = glyphs.symmetric(size=8)  # O, X, plus, H, Z, pinwheel, T, E, corner
print("natural's styles:", {k: len(v) for k, v in natural.knob_values.items()})

# %% [markdown]
# ## Task 6.1: design the world
#
# Return a `GlyphWorld(glyphs, canvas=..., positions=..., colours=..., strokes=...)` whose
# classes are glyphs of `family` that a quarter turn leaves unchanged, drawn in `natural`'s
# styles (`natural.canvas`, `natural.knob_values["position"]`, `["colour"]`, `["stroke"]`).
# Check the symmetry of a glyph g with `(numpy.rot90(g) == g).all()`.


# %% answer="6.1"
def round_world():
    """A glyph world whose rot4 rotation is invisible and whose classes are visible."""
    raise NotImplementedError("task 6.1: your code here")


# %%
check("6.1", round_world)

# %% [markdown]
# Your world under the four rotations: every column should look like a possible raw image.

# %%
import tempfile

import matplotlib.pyplot as plt

from synthetic.worlds.pictures import save_grid

path = save_grid(round_world(), "rot4", f"{tempfile.mkdtemp()}/round.png", n_rows=3)
plt.figure(figsize=(6, 3))
plt.imshow(plt.imread(path))
plt.axis("off")
plt.show()

# %% [markdown]
# ## Task 6.2: prove that no encoder learns about A
#
# State it for every encoder at once: prove I(A;Z) = 0 from what the world gives you
# (A invisible in X) and how Z is made (computed from X alone: the chain A -> X -> Z).
# Return the `prove(...)` result.


# %% answer="6.2"
def nothing_to_learn_proof():
    """The ProofResult of I(A;Z) = 0 from the world's and the encoder's assumptions."""
    raise NotImplementedError("task 6.2: your code here")


# %%
check("6.2", nothing_to_learn_proof)

# %% [markdown]
# ## Task 6.3: the equivalence rule
#
# Write `equivalence_verdict(differences, margin)`: `differences` is {seed: trained minus
# baseline}; return "supported", "contradicted" or "inconclusive" by the rule above (a
# percentile bootstrap of the mean difference over the seeds). The testbed's own rule is in
# `essl_testbed.report.statistics` (`Contrast(..., direction=0, margin=...)`,
# `paired_contrast`, `decide`); use it, or write the bootstrap yourself and compare.


# %% answer="6.3"
def equivalence_verdict(differences, margin):
    """'supported', 'contradicted' or 'inconclusive' for "no effect" within ±margin."""
    raise NotImplementedError("task 6.3: your code here")


# %%
check("6.3", equivalence_verdict)

# %% [markdown]
# ## Declare, then train
#
# The margin is declared here, before any network trains: a probe-accuracy change smaller
# than 0.1 is called "no effect". Then rotation prediction on your world, 6 seeds, 200
# steps (about a minute on a laptop CPU), and each seed's probe gain (trained encoder minus
# the same encoder at initialisation).

# %%
MARGIN = 0.1

with contextlib.suppress(Exception):
    presets.unregister("exercise-6")
presets.preset("exercise-6", "exercise 6: rotation-invariant glyphs in natural styles")(lambda: round_world())
runs = [run_one(Experiment("exercise-6", "rot4", TrainConfig(steps=200)), seed=seed) for seed in range(6)]
gains = {r["seed"]: r["probe_gain"] for r in runs}
print("pretext accuracy:", [round(r["pretext_acc"], 2) for r in runs], "(chance 0.25)")
print("probe gain per seed:", {s: round(g, 3) for s, g in gains.items()})
print(f"'no effect within ±{MARGIN}':", equivalence_verdict(gains, MARGIN))

# %% [markdown]
# **Read it off.** The pretext accuracy stays at chance, as the proof says it must. The probe
# gain is not exactly 0: the encoder still moves under noisy gradients, and a 40-image test
# set is coarse. Is your verdict *supported* or *inconclusive*? With 6 seeds, how wide is
# the interval, and how many seeds would a margin of 0.05 need?
