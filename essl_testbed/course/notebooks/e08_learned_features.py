# %% [markdown]
# # Exercise 8: Learned features against exact information
#
# **Goal.** Train a network whose representation is a categorical code Z, compute the exact
# information Z carries about the augmentation and the class, and check the theory's bounds
# on it.
#
# **Reading.** A categorical bottleneck maps an image x to a distribution q(z|x) over a
# few codes. In a world with known latents, p(c, s, a-bar, a) is a dense table and each
# latent cell renders one image x(c, s, a-bar, a), stored as an integer *image id*. The joint
# of the latents and the code is then exact:
# p(c, s, a-bar, a, z) = p(c, s, a-bar, a) q(z | x(c, s, a-bar, a)). No sampling, no
# estimator: the numbers below are the network's information, to float precision.
#
# The world is `occluded`: half of each glyph is hidden, so the image can leave the class
# ambiguous, and predicting the rotation optimally needs class information
# (`world.analyze("rot4")["I_C_T"]` bits).

# %%
import numpy as np

from essl_testbed.course import check
from essl_testbed.experiments.checks import bottleneck_information, code_table
from synthetic.config import TrainConfig
from synthetic.training import build_model, train
from synthetic.worlds import presets
from theory import Joint, entropy, mutual_information

# %% [markdown]
# ## Task 8.1: the exact joint of latents and code
#
# `world.latent_table(t)` is p(c, s, a-bar, a) as a dense array; `world.x_ids(t)[0]` is the
# image id of every latent cell (same shape); `q` is an array with one row q(.|x) per image
# id. Return the `theory.Joint` over ("C", "S", "Abar", "A", "Z").


# %% answer="8.1"
def code_joint(world, t, q):
    """The exact joint of the world's latents under transformation t and the code q(z|x)."""
    raise NotImplementedError("task 8.1: your code here")


# %%
check("8.1", code_joint)

# %% [markdown]
# ## Task 8.2: the code's information
#
# Return a dict with I(A;Z), I(C;Z), I(A;Z|C), I(A;C|Z) and H(C|Z) under the keys
# `"I_A_Z"`, `"I_C_Z"`, `"I_A_Z_given_C"`, `"I_A_C_given_Z"`, `"H_C_given_Z"`.


# %% answer="8.2"
def code_information(J):
    """Five information terms of the code Z in the joint J."""
    raise NotImplementedError("task 8.2: your code here")


# %%
check("8.2", code_information)

# %% [markdown]
# ## Task 8.3: the bounds
#
# Given a code's terms `info` (task 8.2's keys) and the world's exact `exact` values
# (`"I_A_X"`, `"I_C_X"`), return a dict of booleans, one per bound (allow 1e-9 of float
# rounding):
#
# - `"data_processing"`: I(A;Z) <= I(A;X) (Z is computed from X);
# - `"class_cap"`: I(C;Z) <= I(C;X);
# - `"t1_identity"`: I(A;Z) = I(A;Z|C) - I(A;C|Z) (Theorem 1; A is independent of C);
# - `"t1_floor"`: I(A;Z) >= I(A;Z|C) - H(C|Z).


# %% answer="8.3"
def bounds(info, exact):
    """{bound name: whether it holds} for a code's terms and the world's exact values."""
    raise NotImplementedError("task 8.3: your code here")


# %%
check("8.3", bounds)

# %% [markdown]
# ## Train a bottleneck and measure it
#
# 16 codes, 600 optimiser steps on the full enumerated world (about half a minute on a
# laptop CPU).

# %%
world = presets.get("occluded")
dataset = world.dataset("rot4")
config = TrainConfig(model="bottleneck", n_codes=16, steps=600)
model = build_model(config, dataset, seed=0)
history = train(model, dataset, config, seed=0)
print(f"final training pretext accuracy {history[-1]['train_pretext_acc']:.3f}")

q = code_table(world, "rot4", dataset, model)
info = code_information(code_joint(world, "rot4", q))
exact = world.analyze("rot4", class_blind=False)
print({k: round(float(v), 3) for k, v in info.items()})
print(
    "exact limits: I(A;X) =",
    round(exact["I_A_X"], 3),
    " I(C;X) =",
    round(exact["I_C_X"], 3),
    " I(C;T) =",
    round(exact["I_C_T"], 3),
)
print(bounds(info, exact))

# %% [markdown]
# The library computes the same terms (`bottleneck_information`); they should agree with
# yours to float precision:

# %%
library = bottleneck_information(world, "rot4", dataset, model)
print({k: round(float(library[k]) - float(info[k]), 12) for k in info})

# %% [markdown]
# **Read it off.** How close is I(A;Z) to I(A;X)? A code that predicted A optimally would
# carry at least I(C;T) bits about the class (the README's section "When is class
# information needed?"): does yours? The bound is for optimal codes; train longer, or with
# more codes, and watch I(A;Z) and I(C;Z).
