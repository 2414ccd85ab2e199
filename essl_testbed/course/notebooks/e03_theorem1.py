# %% [markdown]
# # Exercise 3: Theorem 1 from the chain rule
#
# **Goal.** Derive the paper's Theorem 1 from the chain rule, prove it with the project's
# prover, read its certificate, and see it fail once its assumption is dropped.
#
# **Reading.** Z is a representation of the input, A the augmentation, C the class.
# Theorem 1 says that when A is drawn independently of the class,
# I(A;Z) = I(A;Z|C) - I(A;C|Z): the E-SSL objective I(A;Z) is what Z tells about A within a
# class, minus the explaining-away term. The chain rule, I(A;Z,C) = I(A;C) + I(A;Z|C) =
# I(A;Z) + I(A;C|Z), is all it takes.
#
# The prover (`proofs_check.prover.prove`) decides such statements for *every* distribution,
# by linear programming over the basic (elemental) inequalities of information theory, and
# returns exact certificates you can read.

# %%
from essl_testbed.course import check
from proofs_check.prover import prove
from proofs_check.prover.counterexamples import relation_slack, search_counterexample
from theory import Joint, mutual_information

# %% [markdown]
# ## Task 3.1: the difference, from the chain rule
#
# Write I(A;Z) - I(A;Z|C) in terms that involve A and C (conditioned on Z or not), as a
# string in the prover's notation, e.g. `"H(A) - I(A;C|Z)"`. It must hold for every
# distribution, with no assumption.


# %% answer="3.1"
def t1_difference():
    """I(A;Z) - I(A;Z|C), rewritten; a string."""
    raise NotImplementedError("task 3.1: your code here")


# %%
check("3.1", t1_difference)

# %% [markdown]
# ## Task 3.2: prove Theorem 1
#
# `prove(statement, constraints)` takes a statement such as `"I(A;Z) >= 0"` and a list of
# assumptions such as `["H(A|Z) = 0"]`. Return the result of proving Theorem 1's identity
# (an equality; either side first) under the one assumption it makes, written in any
# equivalent form. Print `result.derivation()` to read the proof.


# %% answer="3.2"
def prove_t1():
    """The ProofResult of Theorem 1's identity under its assumption."""
    raise NotImplementedError("task 3.2: your code here")


# %%
check("3.2", prove_t1)

# %% [markdown]
# ## Task 3.3: read the certificate
#
# An identity is proved in two directions (left >= right, left <= right), one certificate
# each: `result.certificates[k].terms` is a tuple of (multiplier, inequality) pairs, and
# `inequality.source` says whether the inequality is an `"elemental"` one (always true) or a
# `"constraint"` (an assumption). Return the directions (1-based) whose certificate uses an
# assumption with a non-zero multiplier. Which half of Theorem 1 holds for every
# distribution?


# %% answer="3.3"
def directions_using_hypothesis(result):
    """1-based numbers of the certificates of ``result`` that use an assumption."""
    raise NotImplementedError("task 3.3: your code here")


# %%
check("3.3", directions_using_hypothesis)

# %% [markdown]
# ## Task 3.4: drop the assumption
#
# Without A independent of C the upper bound I(A;Z) <= I(A;Z|C) is false. `prove(...)` says
# so; a table makes it tangible. Return a `theory.Joint` over ("A", "C", "Z") on which it
# fails: build one by hand (think of the smallest dependence you can), or take
# `search_counterexample("I(A;Z) <= I(A;Z|C)").joint` and read what it found.


# %% answer="3.4"
def counterexample():
    """A Joint over ("A", "C", "Z") on which I(A;Z) <= I(A;Z|C) fails."""
    raise NotImplementedError("task 3.4: your code here")


# %%
check("3.4", counterexample)
