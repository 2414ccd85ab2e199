"""Class-blind limits: how well A can be predicted from X by a code that carries nothing about C.

A code Z ~ q(z|x) is *class-blind* when p(z|c) is the same for every class c (I(C;Z) = 0).
For a fixed joint p(x, a, c) these constraints are linear in q, so the class-blind codes form a
polytope:

* :func:`class_blind_accuracy`: the best accuracy of a predictor of A whose output
  distribution is the same for every class (Z = the predicted action): one linear program.
* :func:`class_blind_code`: a class-blind code with the smallest H(A|Z) found. H(A|Z) is
  concave in q, so its minimum over the polytope lies at a vertex; the search walks from
  vertex to vertex by successive linear programs (each step minimises the linearised H(A|Z),
  which never increases it), from several seeded starts. The result is an *achievable* point,
  an upper bound on the class-blind minimum; the independence holds to the LP's tolerance,
  not through a penalty, and the code's I(C;Z) is reported.
* :func:`class_blind_limit`: the class-blind minimum of H(A|Z) over codes with any number of
  values, bracketed by a certified lower bound and an achievable value (equal when exact).

The exact minimum is a linear program over the vertices of one polytope (Rassouli and
Gündüz's treatment of perfect privacy): a class-blind code is a mixture of posteriors
p(g|z), each in S = {r in the simplex : sum_g r_g p(c|g) = p(c) for every c}, whose mixture
is p(g). H(A|Z=z) is concave in p(g|z), so every p(g|z) can be moved to vertices of S, and
the best weights of the vertices are a linear program. S's vertices are enumerated from its
bases, affordable on small worlds. Asking independence of only two classes at a time gives a
larger polytope and so a lower bound (the *pairwise relaxation*); it is exact when the
relaxed optimum happens to be class-blind for every class.

Values of X with equal posteriors p(A|x) and p(C|x) are merged first: averaging q over such
a group changes neither p(a, z) nor p(c, z), so nothing is lost. scipy is imported lazily.

>>> from theory import Joint
>>> J = Joint.from_weights([[[1, 0], [0, 1]], [[0, 1], [1, 0]]], names=("C", "A", "X"))  # six/nine
>>> class_blind_accuracy(J)                  # a class-blind guess of A from X: chance
0.5
>>> round(class_blind_code(J).h_a_given_z, 6)  # and it leaves all of H(A) = 1 bit
1.0
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ._errors import InvalidDistribution

__all__ = ["ClassBlindCode", "ClassBlindLimit", "class_blind_accuracy", "class_blind_code", "class_blind_limit"]

_DECIMALS = 9  # posteriors equal to 1e-9 are merged (float sums of a few products agree to ~1e-15)
_MIX = 1e-6  # gradients are taken at (1 - _MIX) q + _MIX / m, so unused codes get a finite slope
_MAX_STEPS = 100
MAX_BASES = 1_000_000
"""Bases of S enumerated at most for the exact minimum (about 10 s on 2 cores); beyond, the pairwise relaxation."""
_CHUNK = 200_000


@dataclass(frozen=True)
class ClassBlindCode:
    """A class-blind code and its exact numbers (bits): ``code`` is q(z|x) over the values of X."""

    h_a_given_z: float
    i_c_z: float
    code: np.ndarray
    starts: int


class _Groups:
    """The joint read as p(g, a) and p(g, c) over groups g of X values with equal posteriors."""

    def __init__(self, joint, a: str, c: str, x: str):
        for role, name in (("a", a), ("c", c), ("x", x)):
            if not isinstance(name, str):
                raise InvalidDistribution(f"{role} must be one variable name (a str), got {name!r}")
        if len({a, c, x}) < 3:
            raise InvalidDistribution(f"a, c and x must be three different variables, got {a!r}, {c!r}, {x!r}")
        p_xa = np.asarray(joint.marginal(x, a).probabilities, dtype=np.float64)
        p_xc = np.asarray(joint.marginal(x, c).probabilities, dtype=np.float64)
        p_x = p_xa.sum(axis=1)
        seen = p_x > 0
        post = np.hstack([p_xa[seen] / p_x[seen, None], p_xc[seen] / p_x[seen, None]])
        _, group = np.unique(np.round(post, _DECIMALS), axis=0, return_inverse=True)
        group = group.ravel()
        n_g = int(group.max()) + 1
        self.p_ga = np.zeros((n_g, p_xa.shape[1]))
        self.p_gc = np.zeros((n_g, p_xc.shape[1]))
        np.add.at(self.p_ga, group, p_xa[seen])
        np.add.at(self.p_gc, group, p_xc[seen])
        self.group_of_x = np.full(len(p_x), -1)
        self.group_of_x[seen] = group
        self.n_x = len(p_x)

    @property
    def n_groups(self) -> int:
        return self.p_ga.shape[0]

    def constraints(self, m: int) -> tuple[np.ndarray, np.ndarray]:
        """(A_eq, b_eq) over q (n_groups x m, row-major): rows sum to 1, p(z|c) = p(z|c0) for all c."""
        n_g = self.n_groups
        p_c = self.p_gc.sum(axis=0)
        classes = np.flatnonzero(p_c > 0)
        p_g_given_c = self.p_gc[:, classes] / p_c[classes]
        rows = [np.kron(np.eye(n_g), np.ones((1, m)))]
        for k in range(1, len(classes)):
            rows.append(np.kron((p_g_given_c[:, k] - p_g_given_c[:, 0])[None, :], np.eye(m)))
        A = np.vstack(rows)
        return A, np.concatenate([np.ones(n_g), np.zeros(A.shape[0] - n_g)])

    def expand(self, q: np.ndarray) -> np.ndarray:
        """q over groups -> q over every value of X (values of probability 0 get the first row)."""
        return q[np.maximum(self.group_of_x, 0)]


def _linprog(cost: np.ndarray, A: np.ndarray, b: np.ndarray) -> np.ndarray:
    from scipy.optimize import linprog

    result = linprog(cost, A_eq=A, b_eq=b, bounds=(0, None), method="highs")
    if result.status != 0:
        raise InvalidDistribution(f"the class-blind linear program failed: {result.message}")
    return np.clip(result.x, 0, None)


def class_blind_accuracy(joint, a: str = "A", c: str = "C", x: str = "X") -> float:
    """The best accuracy of a predictor q(â|x) of A whose output distribution p(â|c) is the
    same for every class (a float, also for exact joints).

    >>> from theory import Joint
    >>> J = Joint.from_weights([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], names=("C", "A", "X"))  # X = A
    >>> class_blind_accuracy(J)
    1.0
    """
    groups = _Groups(joint, a, c, x)
    m = groups.p_ga.shape[1]
    A, b = groups.constraints(m)
    q = _linprog(-groups.p_ga.ravel(), A, b)
    return float(min(1.0, (groups.p_ga.ravel() @ q)))


def _h_a_given_z(p_ga: np.ndarray, q: np.ndarray) -> float:
    """H(A|Z) in nats for the code q over groups."""
    p_az = p_ga.T @ q
    p_z = p_az.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p_az > 0, p_az * np.log(p_az / p_z), 0.0)
    return float(-terms.sum())


def _gradient(p_ga: np.ndarray, q: np.ndarray) -> np.ndarray:
    """d H(A|Z) / d q(z|g) in nats, taken at q mixed with a little of the uniform code."""
    m = q.shape[1]
    mixed = (1 - _MIX) * q + _MIX / m
    p_az = p_ga.T @ mixed
    p_z = p_az.sum(axis=0)
    return -p_ga @ np.log(p_az) + p_ga.sum(axis=1, keepdims=True) * np.log(p_z)[None, :]


def _i_c_z_bits(p_gc: np.ndarray, q: np.ndarray) -> float:
    p_cz = p_gc.T @ q
    outer = p_cz.sum(axis=1, keepdims=True) * p_cz.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p_cz > 0, p_cz * np.log(p_cz / outer), 0.0)
    return max(0.0, float(terms.sum()) / math.log(2))


def class_blind_code(
    joint,
    a: str = "A",
    c: str = "C",
    x: str = "X",
    *,
    n_codes: int | None = None,
    starts: int | None = None,
    seed: int = 0,
) -> ClassBlindCode:
    """The class-blind code with the smallest H(A|Z) found by vertex search (see the module).

    ``n_codes`` defaults to the number of merged X groups, capped at 64 and, on large
    problems, at max(|A|, 4096 / groups): more codes enlarge the polytope (on ``occluded``
    under rot4, 58 groups, 16 starts: 0.402 bits with 8 codes, 0.381 with 16, 0.352 with 64)
    and the linear programs. ``starts`` defaults to 16, or 4 when the LP has more than
    4,096 variables (natural under jigsaw: 704 groups). Same seed, same code.

    >>> from theory import Joint
    >>> J = Joint.from_weights([[[1, 0], [0, 1]], [[1, 0], [0, 1]]], names=("C", "A", "X"))  # X = A
    >>> class_blind_code(J).h_a_given_z     # Z = A is class-blind here
    0.0
    """
    groups = _Groups(joint, a, c, x)
    n_a = groups.p_ga.shape[1]
    m = min(groups.n_groups, 64, max(n_a, 4096 // groups.n_groups)) if n_codes is None else n_codes
    if isinstance(m, bool) or not isinstance(m, int) or m < 1:
        raise InvalidDistribution(f"n_codes must be a positive int, got {n_codes!r}")
    if starts is None:
        starts = 16 if groups.n_groups * m <= 4096 else 4
    if isinstance(starts, bool) or not isinstance(starts, int) or starts < 1:
        raise InvalidDistribution(f"starts must be a positive int, got {starts!r}")
    A, b = groups.constraints(m)
    rng = np.random.default_rng(seed)
    best: tuple[float, np.ndarray] | None = None
    shape = (groups.n_groups, m)
    for _ in range(starts):
        # the first vertex minimises the slope at a random (not class-blind) code
        q = _linprog(_gradient(groups.p_ga, rng.dirichlet(np.ones(m), size=shape[0])).ravel(), A, b).reshape(shape)
        value = _h_a_given_z(groups.p_ga, q)
        for _step in range(_MAX_STEPS):
            vertex = _linprog(_gradient(groups.p_ga, q).ravel(), A, b).reshape(shape)
            new = _h_a_given_z(groups.p_ga, vertex)
            if new > value - 1e-12:
                break
            q, value = vertex, new
        if best is None or value < best[0]:
            best = (value, q)
    assert best is not None
    value, q = best
    return ClassBlindCode(
        h_a_given_z=max(0.0, value / math.log(2)),
        i_c_z=_i_c_z_bits(groups.p_gc, q),
        code=groups.expand(q / q.sum(axis=1, keepdims=True)),
        starts=starts,
    )


@dataclass(frozen=True)
class ClassBlindLimit:
    """The smallest H(A|Z) (bits) of a class-blind code, bracketed: ``lower`` is certified (no
    class-blind code goes below it), ``upper`` achieved by a class-blind code; ``method``
    says how the lower bound was obtained: "vertex enumeration" and "meets H(A|X)" are exact,
    "pairwise relaxation" is exact only where ``exact`` says so."""

    lower: float
    upper: float
    method: str

    @property
    def exact(self) -> bool:
        return self.upper - self.lower <= 1e-9


def _independent_rows(B: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The system B r = b restricted to a basis of its row space (the rows of p(c|g) sum to the ones row)."""
    u, s, _ = np.linalg.svd(B, full_matrices=False)
    rank = int((s > 1e-10 * s[0]).sum())
    return u[:, :rank].T @ B, u[:, :rank].T @ b


def _vertices(B: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The vertices of {r >= 0 : B r = b} (B of full row rank), one per row, from every basis."""
    k, n = B.shape
    found = []
    bases = itertools.combinations(range(n), k)
    while True:
        cols = np.fromiter(itertools.chain.from_iterable(itertools.islice(bases, _CHUNK)), dtype=np.int64)
        if not cols.size:
            break
        cols = cols.reshape(-1, k)
        M = B[:, cols].transpose(1, 0, 2)
        regular = np.abs(np.linalg.det(M)) > 1e-12
        cols, M = cols[regular], M[regular]
        r = np.linalg.solve(M, np.broadcast_to(b, (len(M), k))[..., None])[..., 0]
        feasible = (r >= -1e-12).all(axis=1)
        E = np.zeros((int(feasible.sum()), n))
        E[np.arange(len(E))[:, None], cols[feasible]] = np.clip(r[feasible], 0, None)
        found.append(E)
    V = np.ascontiguousarray(np.round(np.vstack(found), 12))
    _, first = np.unique(V.view(np.dtype((np.void, V.dtype.itemsize * n))).ravel(), return_index=True)
    return V[np.sort(first)]


def _best_mixture(V: np.ndarray, p_ag: np.ndarray, p_g: np.ndarray) -> tuple[float, np.ndarray]:
    """min sum_k w_k H(A | vertex k) over w >= 0 with sum_k w_k V_k = p(g): (bits, w)."""
    from scipy import sparse
    from scipy.optimize import linprog

    p_a = V @ p_ag
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = -np.where(p_a > 0, p_a * np.log2(p_a), 0.0).sum(axis=1)
    result = linprog(cost, A_eq=sparse.csr_matrix(V.T), b_eq=p_g, bounds=(0, None), method="highs")
    if result.status != 0:
        raise InvalidDistribution(f"the class-blind mixture program failed: {result.message}")
    return max(0.0, float(result.fun)), result.x


def class_blind_limit(
    joint, a: str = "A", c: str = "C", x: str = "X", *, max_bases: int = MAX_BASES
) -> ClassBlindLimit:
    """The class-blind minimum of H(A|Z), exact by vertex enumeration when S has at most
    ``max_bases`` bases, else bracketed by the pairwise relaxation and :func:`class_blind_code`.

    >>> from theory import Joint
    >>> J = Joint.from_weights([[[1, 0], [0, 1]], [[0, 1], [1, 0]]], names=("C", "A", "X"))  # six/nine
    >>> limit = class_blind_limit(J)
    >>> limit.lower, limit.upper, limit.exact   # a class-blind code learns nothing of A here
    (1.0, 1.0, True)
    """
    if isinstance(max_bases, bool) or not isinstance(max_bases, int) or max_bases < 1:
        raise InvalidDistribution(f"max_bases must be a positive int, got {max_bases!r}")
    groups = _Groups(joint, a, c, x)
    p_g = groups.p_ga.sum(axis=1)
    p_ag = groups.p_ga / p_g[:, None]
    p_cg = groups.p_gc / p_g[:, None]
    p_c = groups.p_gc.sum(axis=0)
    classes = np.flatnonzero(p_c > 0)

    def envelope(subset) -> tuple[float, bool]:
        """(min H(A|Z) over codes independent of the classes in subset, whether that code is class-blind)."""
        B, b = _independent_rows(
            np.vstack([np.ones(len(p_g)), p_cg[:, subset].T]), np.concatenate([[1.0], p_c[subset]])
        )
        V = _vertices(B, b)
        value, w = _best_mixture(V, p_ag, p_g)
        used = V[w > 1e-12]
        blind = bool(np.abs(used @ p_cg[:, classes] - p_c[classes]).max() <= 1e-9)
        return value, blind

    rank = np.linalg.matrix_rank(np.vstack([np.ones(len(p_g)), p_cg[:, classes].T]))
    if math.comb(groups.n_groups, int(rank)) <= max_bases:
        value, _ = envelope(classes)
        return ClassBlindLimit(value, value, "vertex enumeration")
    upper = class_blind_code(joint, a, c, x).h_a_given_z
    with np.errstate(divide="ignore", invalid="ignore"):
        h_a_given_x = float(-np.where(p_ag > 0, groups.p_ga * np.log2(p_ag), 0.0).sum())
    if upper - h_a_given_x <= 1e-9:  # no code of X goes below H(A|X)
        return ClassBlindLimit(upper, upper, "meets H(A|X)")
    lower = h_a_given_x
    for pair in itertools.combinations(classes, 2):
        value, blind = envelope(list(pair))
        lower = max(lower, value)
        if blind:
            upper = min(upper, value)
    return ClassBlindLimit(min(lower, upper), upper, "pairwise relaxation")
