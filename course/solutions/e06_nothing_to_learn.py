# Solutions of exercise 6 (kept apart from the student file; see course/README.md).

# %% solution="6.1"
def round_world():
    """A glyph world whose rot4 rotation is invisible and whose classes are visible."""
    import numpy

    invariant = {name: g for name, g in family.items() if (numpy.rot90(g) == g).all()}
    return GlyphWorld(
        invariant,
        canvas=natural.canvas,
        positions=natural.knob_values["position"],
        colours=natural.knob_values["colour"],
        strokes=natural.knob_values["stroke"],
        name="round",
    )


# %% solution="6.2"
def nothing_to_learn_proof():
    """The ProofResult of I(A;Z) = 0 from the world's and the encoder's assumptions."""
    return prove("I(A;Z) = 0", ["I(A;X) = 0", "A -> X -> Z"])


# %% solution="6.3"
def equivalence_verdict(differences, margin):
    """'supported', 'contradicted' or 'inconclusive' for "no effect" within ±margin."""
    from essl_testbed.report.statistics import Contrast, decide, paired_contrast

    contrast = Contrast("trained - initial", "accuracy", direction=0, margin=margin)
    result = paired_contrast(contrast, differences)
    return decide(contrast, result, p_adjusted=result.p).value
