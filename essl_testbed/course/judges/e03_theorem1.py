"""Checkers of exercise 3: Theorem 1 from the chain rule, with the prover, and without A ⊥ C."""

from __future__ import annotations

import re

from proofs_check.prover import ExpressionSyntaxError, prove
from proofs_check.prover.counterexamples import relation_slack
from proofs_check.prover.shannon import is_identity

from ..checking import Wrong, judge
from ._common import call, proof_of

T1 = "I(A;Z) = I(A;Z|C) - I(A;C|Z)"
T1_GOAL = "I(A;Z) - I(A;Z|C) + I(A;C|Z)"
_A_AND_Z = re.compile(r"I\(\s*(A\s*;\s*Z|Z\s*;\s*A)\s*[|)]")
HYPOTHESIS = "I(A;C) = 0"
UPPER = "I(A;Z) <= I(A;Z|C)"


@judge("3.1")
def t1_difference(answer) -> str:
    text = call(answer)
    if not isinstance(text, str):
        raise Wrong(f"return the expression as a string such as 'H(A) - I(A;C)', got a {type(text).__name__}")
    if _A_AND_Z.search(text):
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
    for term, name in (
        ("I(A;C)", "one that vanishes only when A and C are independent"),
        ("I(A;C|Z)", "the explaining-away term, given Z"),
    ):
        if is_identity(target, f"({text}) + {term}") or is_identity(target, f"({text}) - {term}"):
            raise Wrong(f"a term is missing: {name}")
        if is_identity(target, f"({text}) + 2*{term}") or is_identity(target, f"({text}) - 2*{term}"):
            raise Wrong(f"a term has the wrong sign: {name}")
    raise Wrong("not equal to I(A;Z) - I(A;Z|C) for every distribution: expand both with the chain rule")


@judge("3.2")
def prove_t1(answer) -> str:
    result = proof_of(answer)
    goal, kind = result.statement.normalized()
    if kind != "=" or not (is_identity(goal, T1_GOAL) or is_identity(goal, f"-({T1_GOAL})")):
        raise Wrong(f"the statement proved is {result.statement}, not Theorem 1's identity (an equality)")
    if not result.proved:
        raise Wrong("the prover did not prove it: which assumption does Theorem 1 make about A and C?")
    if not result.verify():
        raise Wrong("the certificates do not verify")
    extra = [str(c) for c in result.constraints if not prove(str(c), [HYPOTHESIS], find_counterexample=False).proved]
    if extra:
        raise Wrong(f"proved with more assumptions than Theorem 1 makes: {'; '.join(extra)}")
    return "proved from A independent of C alone, with exact certificates"


@judge("3.3")
def directions_using_hypothesis(answer) -> str:
    cases = (
        (prove(T1, [HYPOTHESIS]), "Theorem 1's identity"),
        (prove("I(A;Z|C) - I(A;C|Z) = I(A;Z)", [HYPOTHESIS]), "Theorem 1's identity, sides swapped"),
        (prove("I(A;Z) = I(A;Z|C)", [HYPOTHESIS, "I(A;C|Z) = 0"]), "an identity that needs two assumptions"),
        (prove(UPPER, [HYPOTHESIS]), "the upper bound I(A;Z) <= I(A;Z|C)"),
        (prove("I(A;Z) >= I(A;Z|C) - H(C|Z)"), "the lower bound, proved without assumptions"),
    )
    for result, name in cases:
        got = call(answer, result)
        try:
            numbers = sorted(int(d) for d in got)
        except (TypeError, ValueError):
            raise Wrong(f"return a list of direction numbers (1, 2, ...), got {got!r}") from None
        if numbers != sorted(got):
            raise Wrong(f"direction numbers are whole numbers, got {got!r}")
        got = numbers
        expected = [
            i + 1
            for i, c in enumerate(result.certificates)
            if any(ineq.source == "constraint" and m != 0 for m, ineq in c.terms)
        ]
        if got != expected:
            raise Wrong(
                f"on {name}: not the directions whose certificate uses the hypothesis (read each term's source)"
            )
    return "right on five proofs: only one direction of Theorem 1 needs A independent of C"


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
