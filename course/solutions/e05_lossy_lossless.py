# Solutions of exercise 5 (kept apart from the student file; see course/README.md).

# %% solution="5.1"
def cue_numbers(world):
    """(I(A;X), I(A;corners), class-relevant bits) of ``world`` under rot4."""
    a = world.analyze("rot4", class_blind=False)
    return a["I_A_X"], a["I_A_corners"], a["class_relevant_bits"]


# %% solution="5.2"
def paired_differences(runs_a, runs_b, key):
    """{seed: runs_a's key minus runs_b's key}, paired by seed."""
    a = {r["seed"]: r[key] for r in runs_a}
    b = {r["seed"]: r[key] for r in runs_b}
    if set(a) != set(b):
        raise ValueError(f"seeds without a partner: {sorted(set(a) ^ set(b))}")
    return {seed: a[seed] - b[seed] for seed in sorted(a)}
