"""The Shannon-inequality prover: expressions, the prover, the paper's statements, counterexamples.

======================================  ========================================================
module                                  holds
======================================  ========================================================
``proofs_check.prover.expressions``     parsing ``I(A;C,S|Z)``-style expressions and relations
``proofs_check.prover.shannon``         :func:`prove`: LP over elemental inequalities, exact certificates
``proofs_check.prover.statements``      the paper's statements and their broken variants
``proofs_check.prover.counterexamples`` concrete tables that violate an unprovable statement
======================================  ========================================================

>>> prove("I(A;Z) >= I(A;Z|C) - H(C|Z)").proved
True
"""

from .expressions import ExpressionSyntaxError, InfoExpression, InfoRelation, parse_expression, parse_relation
from .shannon import ProofResult, ProverInputError, prove
from .statements import BROKEN, STATEMENTS, UnknownStatement, prove_statement

__all__ = [
    "BROKEN",
    "STATEMENTS",
    "ExpressionSyntaxError",
    "InfoExpression",
    "InfoRelation",
    "ProofResult",
    "ProverInputError",
    "UnknownStatement",
    "parse_expression",
    "parse_relation",
    "prove",
    "prove_statement",
]
