# Solutions of exercise 3 (kept apart from the student file; see course/README.md).

# %% solution="3.1"
def t1_difference():
    """I(A;Z) - I(A;Z|C), rewritten; a string."""
    # I(A;Z) + I(A;C|Z) = I(A;Z,C) = I(A;C) + I(A;Z|C)
    return "I(A;C) - I(A;C|Z)"


# %% solution="3.2"
def prove_t1():
    """The ProofResult of Theorem 1's identity under its assumption."""
    return prove("I(A;Z) = I(A;Z|C) - I(A;C|Z)", ["I(A;C) = 0"])


# %% solution="3.3"
def directions_using_hypothesis(result):
    """1-based numbers of the certificates of ``result`` that use an assumption."""
    return [
        k + 1
        for k, certificate in enumerate(result.certificates)
        if any(inequality.source == "constraint" and m != 0 for m, inequality in certificate.terms)
    ]


# %% solution="3.4"
def counterexample():
    """A Joint over ("A", "C", "Z") on which I(A;Z) <= I(A;Z|C) fails."""
    # A = C = Z, one fair bit: I(A;Z) = 1, I(A;Z|C) = 0.
    return Joint([[[0.5, 0], [0, 0]], [[0, 0], [0, 0.5]]], names=("A", "C", "Z"))
