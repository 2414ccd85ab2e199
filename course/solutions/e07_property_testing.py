# Solutions of exercise 7 (kept apart from the student file; see course/README.md).

# %% solution="7.1"
def t1_residual(J):
    """I(A;Z) - (I(A;Z|C) - I(A;C|Z)) on J, in bits."""
    mi = lambda *args, **kw: float(mutual_information(J, *args, **kw))  # noqa: E731
    return mi("A", "Z") - (mi("A", "Z", given="C") - mi("A", "C", given="Z"))


# %% solution="7.2"
@settings(max_examples=30, deadline=None)
@given(essl_models())
def test_t1(J):
    assert abs(t1_residual(J)) < 1e-9


# %% solution="7.3"
def shrunk_counterexample():
    """The joint over ("A", "C", "Z") that hypothesis finds and shrinks."""
    return find(
        joints(("A", "C", "Z")),
        lambda J: float(relation_slack("I(A;Z) <= I(A;Z|C)", J)) < -1e-9,
        settings=settings(database=None, max_examples=2000, derandomize=True),
    )
