# %% [markdown]
# # Exercise 4: The seven transformations
#
# **Goal.** Predict which of the paper's seven transformations need the class to be
# predicted on the `natural` world, then check exactly and in pictures.
#
# **Reading.** The paper's Principle II: a pretext task teaches class features only if
# predicting A needs the class. The testbed measures that need with a *class-erased* view:
# the same scene (position, colour, stroke, pose, augmentation) with every class's glyph
# replaced by one class-agnostic shape, the filled box that covers all glyphs. The
# *class-relevant bits* H(A|Xerased) - H(A|X) count the bits of A that the image shows but
# the class-erased scene does not. In `natural`, glyphs are coloured, upright, facing left or
# right with equal probability (a mirror pose), at several positions, colours and strokes.
#
# The seven: `rot4` (rotation by 0/90/180/270), `vflip` (vertical flip), `hflip`
# (horizontal flip), `invert` (colour inversion), `grayscale`, `jigsaw` (2x2 tiles
# permuted), `blur4` (four blur levels).

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt

from essl_testbed.course import check
from synthetic.transforms import PAPER_SEVEN
from synthetic.worlds import presets
from synthetic.worlds.pictures import save_grid

world = presets.get("natural")

# %% [markdown]
# ## Task 4.1: predict first
#
# Before computing anything: which transformations do you expect to be class-relevant on
# `natural`? Return a set of names. Think about what reveals each one without knowing the
# glyph: the background, the colours, the sharp edges, the glyph's box, the mirror pose.


# %% answer="4.1"
def my_prediction():
    """The transformations you predict to be class-relevant on natural (a set of names)."""
    raise NotImplementedError("task 4.1: your code here")


# %%
check("4.1", my_prediction)

# %% [markdown]
# ## Task 4.2: the exact table
#
# `world.analyze(t, class_blind=False)` returns a dict of exact quantities (keys
# `"I_A_X"`, `"class_relevant_bits"`, ... ; `synthetic.worlds.analysis.ANALYSIS_KEYS`
# describes each). Return {name: (I(A;X), class-relevant bits)} for the seven on `world`.


# %% answer="4.2"
def relevance_table(world):
    """{transformation: (I(A;X), class-relevant bits)} for the seven on ``world``."""
    raise NotImplementedError("task 4.2: your code here")


# %%
check("4.2", relevance_table)

# %% [markdown]
# ## Task 4.3: read it off
#
# From such a table, return the set of class-relevant transformations: positive
# class-relevant bits. Exact analysis in floats leaves noise of order 1e-15: use a
# tolerance. A negative value (jigsaw's) means the class-erased box shows moves of blank
# glyph parts that the image hides; it is not class-relevance.


# %% answer="4.3"
def class_relevant(table):
    """The names whose class-relevant bits are positive (beyond float noise)."""
    raise NotImplementedError("task 4.3: your code here")


# %%
check("4.3", class_relevant)

# %% [markdown]
# How did your prediction do? (Run after tasks 4.1 to 4.3 pass.)

# %%
table = relevance_table(world)
truth = class_relevant(table)
guess = my_prediction()
print(f"predicted {sorted(guess)}; class-relevant {sorted(truth)}; {7 - len(guess ^ truth)} of 7 right")

# %% [markdown]
# **Pictures.** Each row is an example; columns are the actions (A = 0 is the raw image).
# Look at `hflip` (the mirror pose hides it) and `invert` (the background gives it away).

# %%
folder = Path(tempfile.mkdtemp())
for t in ("rot4", "hflip", "invert"):
    path = save_grid(world, t, folder / f"natural_{t}.png", n_rows=3)
    plt.figure(figsize=(6, 3))
    plt.imshow(plt.imread(path))
    plt.axis("off")
    plt.title(t)
    plt.show()

# %% [markdown]
# **Beyond the default.** The verdict depends on the world and on how the class is erased:
# try `presets.get("natural", n_classes=10)` and `world.analyze(t, erase="mean")`.
