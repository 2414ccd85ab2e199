"""The reproduction report: the claim registry, the claims, figures and the markdown writer.

=======================================  =======================================================
module                                   holds
=======================================  =======================================================
``essl_testbed.report.claims``           :func:`claim` (the registry), :class:`Verdict`, :class:`Finding`
``essl_testbed.report.exact_claims``     claims checked on exact joints and by the prover
``essl_testbed.report.trained_claims``   claims that rest on trained networks, one declared contrast each
``essl_testbed.report.statistics``       :class:`~essl_testbed.report.statistics.Contrast`, paired bootstrap intervals, Holm, verdicts
``essl_testbed.report.figures``          the figures
``essl_testbed.report.writer``           each claim's markdown section, summary row and ``results.json`` entry
``essl_testbed.report.folder``           a report folder: one record per claim; ``report.md``, ``results.json``, ``runs.csv``
``essl_testbed.report.reproduce``        :func:`reproduce`: every claim, one report
=======================================  =======================================================
"""

from .claims import CLAIMS, Claim, ClaimContext, ClaimSpec, Finding, Verdict, claim
from .reproduce import reproduce, select

__all__ = ["CLAIMS", "Claim", "ClaimContext", "ClaimSpec", "Finding", "Verdict", "claim", "reproduce", "select"]
