"""GRADE-style certainty for intervention x outcome x route (grade) and the informative statements that say it in
words (statements). The method is written out in ``docs/method.md``.

Layer 2: may import the base modules and ``evidence``.
"""
