"""GRADE-style certainty for intervention x outcome x route (grade), built from the units of a body of evidence
(units) and the GRADE domains (domains) with the method's numbers (thresholds); effect sizes in words (effects); the
one rule for the strongest grade (strongest); and the informative statements that say it in words (statements). The
method is written out in ``docs/method.md``.

Layer 2: may import the base modules and ``evidence``.
"""
