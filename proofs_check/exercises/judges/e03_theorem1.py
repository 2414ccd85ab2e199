"""Checkers of exercise 3: Theorem 1 from the chain rule, with the prover, and without A ⊥ C."""

from __future__ import annotations

from proofs_check.prover import ExpressionSyntaxError, ProofResult, prove
from proofs_check.prover.counterexamples import relation_slack
from proofs_check.prover.shannon import is_identity

from ..checking import Wrong, judge
from ._common import call

T1 = "I(A;Z) = I(A;Z|C) - I(A;C|Z)"
HYPOTHESIS = "I(A;C) = 0"
UPPER = "I(A;Z) <= I(A;Z|C)"


@judge("3.1")
def t1_difference(answer) -> str:
    text = call(answer)
    if not isinstance(text, str):
        raise Wrong(f"return the expression as a string such as 'H(A) - I(A;C)', got a {type(text).__name__}")
    if "I(A;Z" in text.replace(" ", ""):
        raise Wrong("write the difference without I(A;Z) or I(A;Z|C): in terms of A and C, given Z or not")
    target = "I(A;Z) - I(A;Z|C)"
    try:
        if is_identity(target, text):
            return "an identity: it holds for every distribution, no assumption needed"
        flipped = is_identity(target, f"-({text})")
    except ExpressionSyntaxError as err:
        raise Wrong(f"the prover cannot parse your expression: {err}") from None
    if flipped:
        raise Wrong("the sign is flipped")
    if is_identity(target, f"({text}) + I(A;C)") or is_identity(target, f"({text}) - I(A;C)"):
        raise Wrong("a term is missing or has the wrong sign: one that vanishes only when A and C are independent")
    if is_identity(target, f"({text}) - I(A;C|Z)") or is_identity(target, f"({text}) + I(A;C|Z)"):
        raise Wrong("a term is missing or has the wrong sign: the explaining-away term, given Z")
    raise Wrong("not equal to I(A;Z) - I(A;Z|C) for every distribution: expand both with the chain rule")


@judge("3.2")
def prove_t1(answer) -> str:
    result = call(answer)
    if not isinstance(result, ProofResult):
        raise Wrong(f"return what proofs_check.prover.prove returns, got a {type(result).__name__}")
    if not is_identity(f"({result.statement.lhs}) - ({result.statement.rhs})", "I(A;Z) - I(A;Z|C) + I(A;C|Z)"):
        raise Wrong(f"the statement proved is {result.statement}, not Theorem 1's identity")
    if not result.proved:
        raise Wrong("the prover did not prove it: which assumption does Theorem 1 make about A and C?")
    if not result.verify():
        raise Wrong("the certificates do not verify")
    extra = [str(c) for c in result.constraints if str(c) != HYPOTHESIS]
    if extra:
        raise Wrong(f"proved with more assumptions than Theorem 1 makes: {'; '.join(extra)}")
    return "proved from A independent of C alone, with exact certificates"


@judge("3.3")
def directions_using_hypothesis(answer) -> str:
    cases = (
        (prove(T1, [HYPOTHESIS]), "Theorem 1's identity"),
        (prove(UPPER, [HYPOTHESIS]), "the upper bound I(A;Z) <= I(A;Z|C)"),
        (prove("I(A;Z) >= I(A;Z|C) - H(C|Z)"), "the lower bound, proved without assumptions"),
    )
    for result, name in cases:
        got = call(answer, result)
        try:
            got = sorted(int(d) for d in got)
        except (TypeError, ValueError):
            raise Wrong(f"return a list of direction numbers (1, 2, ...), got {got!r}") from None
        expected = [
            i + 1
            for i, c in enumerate(result.certificates)
            if any(ineq.source == "constraint" and m != 0 for m, ineq in c.terms)
        ]
        if got != expected:
            raise Wrong(
                f"on {name}: not the directions whose certificate uses the hypothesis (read each term's source)"
            )
    return "right on three proofs: only one direction of Theorem 1 needs A independent of C"


@judge("3.4")
def counterexample(answer) -> str:
    from theory import InvalidDistribution, Joint, mutual_information

    J = call(answer)
    if not isinstance(J, Joint):
        raise Wrong(f"return a theory.Joint, got a {type(J).__name__}")
    missing = {"A", "C", "Z"} - set(J.names)
    if missing:
        raise Wrong(f"the joint needs variables named A, C and Z; missing {sorted(missing)}")
    try:
        slack = float(relation_slack(UPPER, J))
        dependence = float(mutual_information(J, "A", "C"))
    except InvalidDistribution as err:
        raise Wrong(f"not a valid distribution: {err}") from None
    if slack >= -1e-12:
        if dependence <= 1e-12:
            raise Wrong("on your table A and C are independent, and then the bound holds: make them dependent")
        raise Wrong(f"the bound holds on your table (I(A;Z|C) - I(A;Z) = {slack:.4g} >= 0)")
    return f"the upper bound fails on your table by {-slack:.4g} bits"
