# Solutions of exercise 1 (kept apart from the student file; see course/README.md).

# %% solution="1.1"
def entropy_bits(p):
    """H(p) in bits for a 1-D array of probabilities."""
    p = np.asarray(p, dtype=float)
    if (p < 0).any() or abs(p.sum() - 1) > 1e-9:
        raise ValueError(f"not a distribution: {p}")
    nz = p[p > 0]
    return float(-(nz * np.log2(nz)).sum())


# %% solution="1.2"
def exact_entropy():
    """H(1/4, 3/4) in bits as an exact sympy expression."""
    from sympy import Rational, log

    q = Rational(1, 4)
    return -(q * log(q, 2) + (1 - q) * log(1 - q, 2))


# %% solution="1.3"
def mutual_information_bits(table):
    """I(X;Y) in bits for a joint table p(x, y)."""
    p = np.asarray(table, dtype=float)
    return entropy_bits(p.sum(axis=1)) + entropy_bits(p.sum(axis=0)) - entropy_bits(p.ravel())


# %% solution="1.4"
def conditional_mi_bits(table):
    """I(X;Y|Z) in bits for a joint table p(x, y, z)."""
    p = np.asarray(table, dtype=float)
    h = lambda t: entropy_bits(np.ravel(t))  # noqa: E731
    return h(p.sum(axis=1)) + h(p.sum(axis=0)) - h(p) - h(p.sum(axis=(0, 1)))
