"""The thresholds of the grading method, in one place (docs/method.md, "Thresholds").

Every number here is tested at its boundary (tests/test_grading_boundaries.py): moving any of them by one unit makes
a test fail.
"""

ATTRITION_LIMIT = 0.20            # more than 20% of participants lost: a risk-of-bias concern
SERIOUS_SHARE = 0.5               # more than half of the rating studies with a concern: serious
IMPRECISION_VERY_SERIOUS = 100    # fewer participants in total: -2
IMPRECISION_SERIOUS = 400         # fewer participants in total: -1 (GRADE's rule of thumb for continuous outcomes)
LOWER_BOUND_TRIALS = 3            # with this many trials behind the rating evidence, missing counts make the total a
                                  # lower bound: imprecision moves one level at most
PUBLICATION_BIAS_MAX_STUDIES = 3  # this many or fewer small studies, all tied to the maker: publication bias suspected
I_SQUARED_LIMIT = 50              # a pooled analysis with I² at or above this: inconsistency
MAJORITY_DIRECTION = 0.75         # participant-weighted share that must agree for the body to have one direction
MAX_INDIRECTNESS = 2              # indirectness of every kind together moves the grade two levels at most
LARGE_EFFECT = 2.0                # relative effect of 2 (or 0.5): +1 for non-randomised evidence
VERY_LARGE_EFFECT = 5.0           # relative effect of 5 (or 0.2): +2
SMD_SMALL = 0.2                   # standardised mean differences described as small from here,
SMD_MODERATE = 0.5                # moderate from here,
SMD_LARGE = 0.8                   # and large from here (the usual rule of thumb)
APPRECIABLE_RATIO_LOW = 0.75      # a ratio below this (a 25% relative reduction) is an appreciable effect, and
APPRECIABLE_RATIO_HIGH = 1.25     # above this (a 25% relative increase): a main effect whose 95% CI reaches from an
                                  # appreciable effect to a trivial one, or crosses no effect, is imprecise (GRADE)
