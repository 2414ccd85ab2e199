"""Checkers of exercise 6: a world whose rotation is invisible, the proof that no encoder learns
from it, and the equivalence rule that judges "no effect"."""

from __future__ import annotations

from proofs_check.prover import prove
from proofs_check.prover.shannon import is_identity

from ..checking import Wrong, judge
from ._common import call, proof_of

PREMISES = ("I(A;X) = 0", "I(A;Z|X) = 0")


@judge("6.1")
def round_world(answer) -> str:
    world = call(answer)
    if not hasattr(world, "analyze") or not hasattr(world, "n_styles"):
        raise Wrong(f"return a glyph world (synthetic.worlds.glyph_world.GlyphWorld), got a {type(world).__name__}")
    if world.n_classes < 2:
        raise Wrong("a world with one class has nothing to probe: use at least two glyphs")
    positions = getattr(world, "knob_values", {}).get("position", ())
    if len(positions) < 5:
        raise Wrong(
            f"{len(positions)} position(s): draw the glyphs at natural's five positions, so that moving matters"
        )
    a = world.analyze("rot4", class_blind=False)
    if a["I_A_X"] > 1e-9:
        raise Wrong(
            f"the rotation is visible: I(A;X) = {a['I_A_X']:.3f} bits; a glyph that changes under a quarter turn, "
            "or positions that are not a rotation-symmetric set around the canvas centre?"
        )
    if a["I_C_X"] < a["H_C"] - 1e-9:
        raise Wrong("some classes look alike (I(C;X) < H(C)): the class should stay visible")
    return f"rotation invisible (I(A;X) = 0) and the class visible, over {world.n_styles} styles"


def _follows_from_one_premise(constraint: str) -> bool:
    return any(prove(constraint, [premise], find_counterexample=False).proved for premise in PREMISES)


@judge("6.2")
def nothing_to_learn_proof(answer) -> str:
    result = proof_of(answer)
    goal, kind = result.statement.normalized()
    says_zero = (kind == "=" and (is_identity(goal, "I(A;Z)") or is_identity(goal, "-I(A;Z)"))) or (
        kind == ">=" and is_identity(goal, "-I(A;Z)")
    )
    if not says_zero:
        raise Wrong(f"the statement proved is {result.statement}; prove that I(A;Z) = 0 (or I(A;Z) <= 0)")
    if not result.proved or not result.verify():
        raise Wrong("the prover did not prove it: say that A is invisible in X, and how Z is computed from X")
    for constraint in result.constraints:
        if not _follows_from_one_premise(str(constraint)):
            raise Wrong(f"the assumption {constraint} says more than the world and the encoder give you")
    return "proved: for every encoder of this world, I(A;Z) = 0"


def _library_verdict(differences: dict[int, float], margin: float) -> str:
    from essl_testbed.report.statistics import Contrast, decide, paired_contrast

    contrast = Contrast("exercise 6", "accuracy", direction=0, margin=margin)
    result = paired_contrast(contrast, differences)
    return decide(contrast, result, p_adjusted=result.p).value


_DATA = {
    "tight around 0": (dict(enumerate([0.01, -0.01, 0.0, 0.02, -0.02, 0.01, 0.0, -0.01])), 0.05),
    "a clear effect": (dict(enumerate([0.20, 0.22, 0.18, 0.25, 0.21, 0.19, 0.23, 0.20])), 0.05),
    "wide around 0": (dict(enumerate([0.15, -0.12, 0.08, -0.10, 0.02, 0.11, -0.09, 0.0])), 0.05),
    "wide around 0, with a wider margin": (dict(enumerate([0.15, -0.12, 0.08, -0.10, 0.02, 0.11, -0.09, 0.0])), 0.2),
    "near 0 with one seed beyond the margin": (
        dict(enumerate([0.07, -0.01, 0.0, 0.01, -0.02, 0.0, 0.01, -0.01])),
        0.05,
    ),
}


@judge("6.3")
def equivalence_verdict(answer) -> str:
    for name, (differences, margin) in _DATA.items():
        got = call(answer, dict(differences), margin)
        if got not in ("supported", "contradicted", "inconclusive"):
            raise Wrong(f"return 'supported', 'contradicted' or 'inconclusive', got {got!r}")
        expected = _library_verdict(differences, margin)
        if got != expected:
            if name == "wide around 0" and got == "supported":
                raise Wrong(
                    "on differences spread wide around 0 you said 'supported': the interval contains 0 but reaches "
                    "beyond the margin; no evidence of an effect is not evidence of no effect"
                )
            raise Wrong(f"on differences {name} (margin {margin}) the rule gives another verdict")
    return "the equivalence rule applied right on three sets of differences"
