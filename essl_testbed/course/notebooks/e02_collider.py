# %% [markdown]
# # Exercise 2: A collider: explaining away on the six/nine world
#
# **Goal.** See two variables that are independent become dependent once you look at their
# common effect, and what that does to predicting the augmentation.
#
# **Reading.** A glyph world has two classes, "6" and "9" (a nine is a six turned by 180
# degrees). The augmentation A rotates the image by 0 or 180 degrees, drawn independently of
# the class C. The image X depends on both: C -> X <- A, a *collider*. Alone, A and C share
# no information. But given the image, knowing the class tells you the rotation: if you see
# a "9"-shaped image and know the glyph is a six, it was rotated. That dependence given X,
# the term I(A;C|X), is what the paper calls *explaining away*, and it is why predicting A
# can teach a network about C.
#
# Index order in this exercise: class 0 = six, 1 = nine; rotation 0 = 0 degrees,
# 1 = 180 degrees; image 0 = looks like a six, 1 = looks like a nine.

# %%
import matplotlib.pyplot as plt
import numpy as np

from essl_testbed.course import check
from synthetic.worlds import presets
from theory import Joint

# %% [markdown]
# The world's four images, one per (class, rotation):

# %%
world = presets.get("six-nine")
ds = world.dataset("rot2")
fig, axes = plt.subplots(1, 4, figsize=(6, 1.8))
for ax, image, c, a in zip(axes, ds.x, ds.c, ds.a):
    ax.imshow(image[0], cmap="gray")
    ax.set_title(f"{world.class_names[c]}, {180 * a} deg", fontsize=8)
    ax.axis("off")
plt.show()

# %% [markdown]
# ## Task 2.1: the joint table
#
# Return the table p(c, a, x) as a (2, 2, 2) array.


# %% answer="2.1"
def six_nine_table():
    """p(c, a, x) of the six/nine world under a rotation by 0 or 180 degrees."""
    raise NotImplementedError("task 2.1: your code here")


# %%
check("2.1", six_nine_table)

# %% [markdown]
# ## Task 2.2: the four terms
#
# For a `theory.Joint` over ("C", "A", "X"), return a dict with I(A;C), I(A;C|X), I(A;X) and
# I(A;X|C) under the keys `"I_A_C"`, `"I_A_C_given_X"`, `"I_A_X"`, `"I_A_X_given_C"`. Use
# `theory.mutual_information(J, "A", "C", given="X")` and friends. Check the identity
# I(A;X) = I(A;X|C) - I(A;C|X) (true when I(A;C) = 0) on your numbers.


# %% answer="2.2"
def collider_terms(J):
    """The four information terms of a collider joint J over ("C", "A", "X")."""
    raise NotImplementedError("task 2.2: your code here")


# %%
check("2.2", collider_terms)

# %% [markdown]
# ## Task 2.3: what the class is worth for predicting A
#
# The accuracy of the Bayes predictor of `target` from the variables `given` is
# sum over values v of `given` of max over t of p(v, t) (with nothing given: max over t of
# p(t)). Write `bayes_accuracy(J, target, given)` (`given` a tuple of names, maybe empty).
# `J.marginal(*names).probabilities` gives the marginal table with axes in the order named.


# %% answer="2.3"
def bayes_accuracy(J, target, given):
    """Accuracy of the Bayes predictor of ``target`` from the variables ``given``."""
    raise NotImplementedError("task 2.3: your code here")


# %%
check("2.3", bayes_accuracy)

# %% [markdown]
# **Read it off.** On the six/nine table, predicting A from the image alone is a coin flip,
# and from the image and the class it is certain. The network that must predict A from X
# does best by working out the class: that is the pressure toward class features.
