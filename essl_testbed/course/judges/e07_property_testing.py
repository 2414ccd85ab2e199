"""Checkers of exercise 7: a property of the theory as a hypothesis test, and a shrunk counterexample."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from theory import Joint, mutual_information

from ..checking import Wrong, judge
from ._common import call, diagnose, number

UPPER = "I(A;Z) <= I(A;Z|C)"
NAMES = ("C", "S", "Abar", "A", "X", "Z")


@lru_cache(maxsize=1)
def _models() -> tuple[Joint, ...]:
    """Two E-SSL models (A uniform and independent of C; X renders the scene and A, with a
    six/nine-like collision; Z from a random encoder) and two joints where A depends on C."""
    rng = np.random.default_rng(11)
    out = []
    for nc, na, nx, nz in ((2, 2, 3, 2), (3, 4, 5, 3)):
        render = rng.integers(0, nx, size=(nc, na))
        render[1, 1] = render[0, 0]  # two classes look alike under two different actions
        encoder = rng.dirichlet(np.ones(nz), size=nx)
        p = np.zeros((nc, 1, 1, na, nx, nz))
        for c, a in np.ndindex(nc, na):
            p[c, 0, 0, a, render[c, a]] += encoder[render[c, a]] / (nc * na)
        out.append(Joint(p, names=NAMES))
    for shape in ((2, 1, 1, 2, 2, 2), (3, 2, 1, 2, 3, 2)):
        p = rng.integers(0, 4, size=shape).astype(float) + 0.1
        out.append(Joint(p / p.sum(), names=NAMES))
    return tuple(out)


@lru_cache(maxsize=1)
def _dense_independent() -> Joint:
    """A joint with every cell positive and A independent of C: Theorem 1 holds on it too."""
    rng = np.random.default_rng(13)
    pc, pa = rng.dirichlet(np.ones(2)), rng.dirichlet(np.ones(2))
    rest = rng.dirichlet(np.ones(2 * 3 * 2), size=(2, 2)).reshape(2, 2, 1, 2, 3, 2)  # p(s, x, z | c, a)
    p = pc[:, None, None, None, None, None] * pa[None, None, None, :, None, None] * rest.transpose(0, 2, 3, 1, 4, 5)
    return Joint(p, names=NAMES)


def _residual(J: Joint) -> float:
    mi = lambda *args, **kw: float(mutual_information(J, *args, **kw))  # noqa: E731
    return mi("A", "Z") - (mi("A", "Z", given="C") - mi("A", "C", given="Z"))


@judge("7.1")
def t1_residual(answer) -> str:
    for J in _models():
        value = number(call(answer, J), "t1_residual")
        mi = lambda *args, J=J, **kw: float(mutual_information(J, *args, **kw))  # noqa: E731
        mistakes = {
            "the explaining-away term I(A;C|Z) is missing": mi("A", "Z") - mi("A", "Z", given="C"),
            "the explaining-away term has the wrong sign": mi("A", "Z")
            - mi("A", "Z", given="C")
            - mi("A", "C", given="Z"),
        }
        diagnose(value, _residual(J), f"on a joint of shape {J.shape}", mistakes)
    return "right on four joints; it is I(A;C), so 0 exactly when A is independent of C"


def _inner(test):
    inner = getattr(getattr(test, "hypothesis", None), "inner_test", None)
    if inner is None:
        raise Wrong("decorate the test with @given(essl_models()) from hypothesis")
    return inner


def _fails(test, *args) -> BaseException | None:
    """What the test raised (a failed assert, pytest.fail, ...), or None when it passed."""
    try:
        test(*args)
    except (KeyboardInterrupt, NotImplementedError):
        raise
    except BaseException as err:
        return err
    return None


@judge("7.2")
def test_t1(answer) -> str:
    inner = _inner(answer)
    err = _fails(answer)
    if err is not None:
        raise Wrong(f"your test fails on drawn E-SSL models, where Theorem 1 holds: {type(err).__name__}: {err}")
    for J in (*_models()[:2], _dense_independent()):
        err = _fails(inner, J)
        if err is not None:
            raise Wrong(f"your test fails on an E-SSL model where Theorem 1 holds ({type(err).__name__}: {err})")
    for J in _models()[2:]:
        if _fails(inner, J) is None:
            raise Wrong(
                "your test cannot fail: it passed on a joint where A depends on C, where the identity is off by I(A;C)"
            )
    return "it passes on E-SSL models and fails on joints where A depends on C"


@judge("7.3")
def shrunk_counterexample(answer) -> str:
    from proofs_check.prover.counterexamples import relation_slack

    J = call(answer)
    if not isinstance(J, Joint):
        raise Wrong(f"return the theory.Joint that hypothesis found, got a {type(J).__name__}")
    if not {"A", "C", "Z"} <= set(J.names):
        raise Wrong("the joint needs variables named A, C and Z")
    if float(relation_slack(UPPER, J)) >= -1e-12:
        raise Wrong("the upper bound holds on this joint: the search condition is not the bound's failure")
    cells = int((np.asarray(J.probabilities, dtype=float) > 0).sum())
    if cells > 2:
        raise Wrong(
            f"a violating joint, but with {cells} cells of positive probability: did hypothesis shrink it (find, not draw)?"
        )
    return "a shrunk counterexample with 2 cells: read which variables copy (or negate) which"
