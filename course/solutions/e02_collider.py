# Solutions of exercise 2 (kept apart from the student file; see course/README.md).

# %% solution="2.1"
def six_nine_table():
    """p(c, a, x) of the six/nine world under a rotation by 0 or 180 degrees."""
    p = np.zeros((2, 2, 2))
    for c in range(2):
        for a in range(2):
            p[c, a, c ^ a] = 0.25  # a 180-degree turn swaps how the glyph looks
    return p


# %% solution="2.2"
def collider_terms(J):
    """The four information terms of a collider joint J over ("C", "A", "X")."""
    from theory import mutual_information as mi

    return {
        "I_A_C": mi(J, "A", "C"),
        "I_A_C_given_X": mi(J, "A", "C", given="X"),
        "I_A_X": mi(J, "A", "X"),
        "I_A_X_given_C": mi(J, "A", "X", given="C"),
    }


# %% solution="2.3"
def bayes_accuracy(J, target, given):
    """Accuracy of the Bayes predictor of ``target`` from the variables ``given``."""
    if not given:
        return float(J.marginal(target).probabilities.max())
    t = J.marginal(*given, target).probabilities
    return float(t.reshape(-1, t.shape[-1]).max(axis=1).sum())
