"""The reproduction report: the claim registry, the claims, figures and the markdown writer.

=======================================  =======================================================
module                                   holds
=======================================  =======================================================
``proofs_check.report.claims``           :func:`claim` (the registry), :class:`Verdict`, :class:`Finding`
``proofs_check.report.exact_claims``     claims checked on exact joints and by the prover
``proofs_check.report.trained_claims``   claims that rest on trained networks, one declared contrast each
``proofs_check.report.statistics``       :class:`Contrast`, paired bootstrap intervals, Holm, verdicts
``proofs_check.report.figures``          the figures
``proofs_check.report.writer``           ``report.md`` and ``results.json``
``proofs_check.report.reproduce``        :func:`reproduce`: every claim, one report
=======================================  =======================================================
"""

from .claims import CLAIMS, Claim, ClaimContext, ClaimSpec, Finding, Verdict, claim
from .reproduce import reproduce, select

__all__ = ["CLAIMS", "Claim", "ClaimContext", "ClaimSpec", "Finding", "Verdict", "claim", "reproduce", "select"]
