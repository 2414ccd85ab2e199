"""Speed of the information engine against the plain-numpy floor and dit (>= 2.3).

Prints one table; ratios are against the floor measured in the same run. Targets (2 cores):
conditional MI on 10^6 cells within 1.5x of the numpy floor and at least 5x faster than dit;
a fresh ``import theory`` under 0.3 s without torch, sympy, matplotlib or hypothesis.

    python benchmarks/bench_theory.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import numpy as np

from theory import Joint, PushforwardJoint, entropy, explaining_away, mutual_information


def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def h_floor(q: np.ndarray) -> float:
    q = q[q > 0]
    return float(-np.sum(q * np.log2(q)))


def cmi_floor(p: np.ndarray) -> float:
    """I(A;B|C) on an (A, B, C) table: the plain numpy one-liner."""
    return h_floor(p.sum(1)) + h_floor(p.sum(0)) - h_floor(p) - h_floor(p.sum((0, 1)))


def dit_time(p: np.ndarray, repeats: int, measure: str) -> tuple[float, float]:
    import dit
    from dit.multivariate import coinformation
    from dit.multivariate import entropy as dit_entropy

    names = ["A", "B", "C"]
    alphabets = [list(range(k)) for k in p.shape]

    def run():
        d = dit.Distribution.from_array(p, names, alphabets)
        return dit_entropy(d, names) if measure == "H" else coinformation(d, [["A"], ["B"]], ["C"])

    value = run()
    return best_of(run, max(1, repeats // 2)), value


def fresh(J: Joint) -> Joint:
    J._cache.clear()  # time the computation, not the per-joint entropy cache
    return J


def dense_rows(sizes: dict[int, tuple[int, int, int]], repeats: int, rng) -> list[tuple]:
    rows = []
    for cells, shape in sizes.items():
        p = rng.random(shape)
        p[p < 0.1] = 0.0
        p /= p.sum()
        J = Joint(p, names=("A", "B", "C"))
        construct = best_of(lambda: Joint(p, names=("A", "B", "C")), repeats)
        for measure, ours, floor in [
            ("H(A,B,C)", lambda: entropy(fresh(J), ("A", "B", "C")), lambda: h_floor(p)),
            ("I(A;B|C)", lambda: mutual_information(fresh(J), "A", "B", given="C"), lambda: cmi_floor(p)),
        ]:
            assert abs(ours() - floor()) < 1e-9
            t_ours, t_floor = best_of(ours, repeats), best_of(floor, repeats)
            t_dit, v_dit = dit_time(p, repeats, "H" if measure.startswith("H") else "I")
            assert abs(v_dit - floor()) < 1e-8
            rows.append((f"dense {cells:.0e}", measure, t_ours, t_ours + construct, t_floor, t_dit))
    return rows


def pushforward_rows(repeats: int, rng) -> list[tuple]:
    """10^6 latent rows (C=10, S=25000, A=4); X an id with collisions across latents."""
    shape = (10, 25_000, 4)
    p = rng.random(shape)
    p /= p.sum()
    x = rng.integers(0, 200_000, size=shape)
    K = PushforwardJoint(Joint(p, names=("C", "S", "A")), {"X": x})

    def floor():
        ax = np.broadcast_to(np.arange(4), shape) * 200_000 + x
        cax = np.broadcast_to(np.arange(10)[:, None, None], shape) * 800_000 + ax
        _, inv = np.unique(cax, return_inverse=True)
        cx = np.broadcast_to(np.arange(10)[:, None, None], shape) * 200_000 + x
        h = lambda key: h_floor(np.bincount(key.ravel(), weights=p.ravel()))  # noqa: E731
        return h(ax) + h(cx) - h(inv) - h(x)

    def ours():
        K._cache.clear()
        return explaining_away(K, a="A", c="C", x="X")

    assert abs(ours() - floor()) < 1e-9
    t_ours, t_floor = best_of(ours, repeats), best_of(floor, repeats)
    return [("pushforward 1e+06", "I(A;C|X)", t_ours, float("nan"), t_floor, float("nan"))]


def import_time() -> tuple[float, list[str]]:
    code = (
        "import time, sys; t = time.perf_counter(); import theory; dt = time.perf_counter() - t; "
        "print(dt); print(','.join(m for m in ('torch', 'sympy', 'matplotlib', 'hypothesis', 'scipy') "
        "if m in sys.modules))"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
        for _ in range(5)
    ]
    return min(float(r[0]) for r in runs), [m for m in runs[0][1].split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    sizes = {10**4: (20, 20, 25), 10**5: (40, 50, 50), 10**6: (100, 100, 100)}
    rows = dense_rows(sizes, args.repeats, rng) + pushforward_rows(args.repeats, rng)
    print(
        f"{'table':<18} {'measure':<9} {'ours ms':>8} {'+build ms':>9} {'numpy ms':>9} {'dit ms':>9} "
        f"{'ours/numpy':>10} {'dit/ours':>9}"
    )
    for table, measure, ours, built, floor, dit_t in rows:
        print(
            f"{table:<18} {measure:<9} {ours * 1e3:8.2f} {built * 1e3:9.2f} {floor * 1e3:9.2f} {dit_t * 1e3:9.1f} "
            f"{ours / floor:10.2f} {dit_t / ours:9.1f}"
        )
    seconds, heavy = import_time()
    print(
        f"\nfresh `import theory`: {seconds * 1e3:.0f} ms (target < 300 ms); "
        f"heavy modules imported: {', '.join(heavy) or 'none'}"
    )


if __name__ == "__main__":
    main()
