# Solutions of exercise 4 (kept apart from the student file; see course/README.md).

# %% solution="4.1"
def my_prediction():
    """The transformations you predict to be class-relevant on natural (a set of names)."""
    return {"rot4", "vflip"}


# %% solution="4.2"
def relevance_table(world):
    """{transformation: (I(A;X), class-relevant bits)} for the seven on ``world``."""
    out = {}
    for t in PAPER_SEVEN:
        analysis = world.analyze(t, class_blind=False)
        out[t] = (analysis["I_A_X"], analysis["class_relevant_bits"])
    return out


# %% solution="4.3"
def class_relevant(table):
    """The names whose class-relevant bits are positive (beyond float noise)."""
    return {t for t, (_, bits) in table.items() if bits > 1e-9}
