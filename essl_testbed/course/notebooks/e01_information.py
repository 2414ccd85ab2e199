# %% [markdown]
# # Exercise 1: Entropy and mutual information by hand
#
# **Goal.** Compute entropy, mutual information and conditional mutual information from
# probability tables, in floating point and exactly, and meet the table where two
# independent things become dependent once you condition on a third.
#
# **Reading.** For a distribution p over finitely many outcomes, the entropy is
# H = -sum_i p_i log2 p_i bits (outcomes of probability 0 contribute 0). For a joint table
# p(x, y), the mutual information is I(X;Y) = H(X) + H(Y) - H(X,Y): how many bits one
# variable tells about the other. Conditioning on Z averages the same quantity over the
# values of Z: I(X;Y|Z) = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z). Everything in this course is
# in bits.
#
# Fill in each cell marked `answer`, run it, then run the `check` cell below it. A check
# tells you what is wrong, not what the answer is.

# %%
import numpy as np

from essl_testbed.course import check

# %% [markdown]
# ## Task 1.1: entropy
#
# Write `entropy_bits(p)` for a 1-D array of probabilities. Cells of probability 0 contribute
# 0. A table that is not a distribution (a negative entry, or not summing to 1) is an input
# error: raise `ValueError` rather than return a number.


# %% answer="1.1"
def entropy_bits(p):
    """H(p) in bits for a 1-D array of probabilities."""
    raise NotImplementedError("task 1.1: your code here")


# %%
check("1.1", entropy_bits)

# %% [markdown]
# The binary entropy H(q, 1 - q): one bit at q = 1/2, none at q = 0 or 1.

# %%
import matplotlib.pyplot as plt

q = np.linspace(0.001, 0.999, 200)
plt.plot(q, -(q * np.log2(q) + (1 - q) * np.log2(1 - q)))
plt.xlabel("q")
plt.ylabel("H(q, 1 - q) in bits")
plt.show()

# %% [markdown]
# ## Task 1.2: the same, exactly
#
# Floats round. With sympy you can write the entropy of (1/4, 3/4) exactly: use
# `sympy.Rational(1, 4)` for 1/4 and `sympy.log(x, 2)` for log2 x. Return the expression
# (no floats inside). The library does the same: `theory.entropy` on a table of `Fraction`s.


# %% answer="1.2"
def exact_entropy():
    """H(1/4, 3/4) in bits as an exact sympy expression."""
    raise NotImplementedError("task 1.2: your code here")


# %%
check("1.2", exact_entropy)

# %% [markdown]
# ## Task 1.3: mutual information
#
# Write `mutual_information_bits(table)` for a 2-D joint table p(x, y) (rows are x).
# You may reuse `entropy_bits`.


# %% answer="1.3"
def mutual_information_bits(table):
    """I(X;Y) in bits for a joint table p(x, y)."""
    raise NotImplementedError("task 1.3: your code here")


# %%
check("1.3", mutual_information_bits)

# %% [markdown]
# ## Task 1.4: conditional mutual information
#
# Write `conditional_mi_bits(table)` for a 3-D joint table p(x, y, z): I(X;Y|Z).
# The check includes a table where X is Y xor Z with Y and Z fair independent bits:
# I(X;Y) = 0, yet I(X;Y|Z) = 1. Exercise 2 meets that table again as a six and a nine.


# %% answer="1.4"
def conditional_mi_bits(table):
    """I(X;Y|Z) in bits for a joint table p(x, y, z)."""
    raise NotImplementedError("task 1.4: your code here")


# %%
check("1.4", conditional_mi_bits)

# %% [markdown]
# **Compare with the library.** `theory.mutual_information(Joint(table, names=("X", "Y", "Z")), "X", "Y", given=("Z",))`
# computes the same number; with a table of `Fraction`s it returns an exact value.
