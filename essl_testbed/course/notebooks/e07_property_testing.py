# %% [markdown]
# # Exercise 7: Property-based testing of the theory
#
# **Goal.** State a prediction of the theory as a property that must hold on every causal
# model, test it on models that hypothesis draws, and watch hypothesis shrink a
# counterexample when an assumption is removed.
#
# **Reading.** `proofs_check.strategies.essl_models()` draws small E-SSL causal models as
# joints over ("C", "S", "Abar", "A", "X", "Z"): class, style and pose from a random table, A
# uniform and independent of them, X a function of the scene and A, Z from a random encoder.
# `joints(names)` draws arbitrary joints. Both *shrink*: when a property fails, hypothesis
# simplifies the failing joint until nothing simpler fails, so the example it reports is as
# small as it gets.

# %%
from hypothesis import find, given, settings

from essl_testbed.course import check
from proofs_check.prover.counterexamples import relation_slack
from proofs_check.strategies import essl_models, joints
from theory import mutual_information

# %% [markdown]
# ## Task 7.1: the residual of Theorem 1
#
# Return I(A;Z) - (I(A;Z|C) - I(A;C|Z)) on a joint J (use `mutual_information(J, "A", "Z",
# given="C")` and friends). It is 0 when A is independent of C; what is it otherwise?


# %% answer="7.1"
def t1_residual(J):
    """I(A;Z) - (I(A;Z|C) - I(A;C|Z)) on J, in bits."""
    raise NotImplementedError("task 7.1: your code here")


# %%
check("7.1", t1_residual)

# %% [markdown]
# ## Task 7.2: Theorem 1 as a property test
#
# Write a test that draws models with `@given(essl_models())` and asserts (`assert ...`) that
# the residual is 0 up to float rounding (say 1e-9). A test that cannot fail is worthless:
# the check also runs your test's body on other models where Theorem 1 holds (it must pass)
# and on joints where A depends on C (it must fail there).


# %% answer="7.2"
@settings(max_examples=30, deadline=None)
@given(essl_models())
def test_t1(J):
    raise NotImplementedError("task 7.2: your code here")


# %%
check("7.2", test_t1)

# %% [markdown]
# ## Task 7.3: remove the assumption, let hypothesis shrink
#
# The upper bound I(A;Z) <= I(A;Z|C) needs A independent of C. Over arbitrary joints
# `joints(("A", "C", "Z"))` it fails. Use `hypothesis.find(strategy, condition)` to find a
# joint where it fails (`relation_slack("I(A;Z) <= I(A;Z|C)", J)` is negative there) and
# return it: find shrinks it to the simplest such joint. Give it room and a fixed seed:
# `settings=settings(database=None, max_examples=2000, derandomize=True)`.


# %% answer="7.3"
def shrunk_counterexample():
    """The joint over ("A", "C", "Z") that hypothesis finds and shrinks."""
    raise NotImplementedError("task 7.3: your code here")


# %%
check("7.3", shrunk_counterexample)

# %% [markdown]
# Print it: which variables are copies of which? Compare with exercise 3's counterexample.
