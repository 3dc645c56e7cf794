"""The one rule for "the strongest grade" of a set of grades: the report's verdict, ``list``, ``compare``, the claim
checker, the product check and the plots all choose through :func:`strongest`, so they always name the same one.

The rule (docs/method.md, "The strongest grade"): among efficacy grades (harm outcomes are reported under safety,
never as the headline), the highest certainty; at equal certainty, a grade whose evidence points to benefit before
one of no difference, mixed results or harm; then more participants; then more rating studies; then the outcome and
route ids (and the intervention's, across interventions), so that ties never depend on the order the grades came in.
"""

from __future__ import annotations

from collections.abc import Iterable

from skinevidence.evidence.models import Direction
from skinevidence.grading.grade import Grade


def weakness(grade: Grade) -> tuple[int, bool, int, int, str, str, str]:
    """The sort key of the rule, weakest last: sorting by it puts the strongest first."""
    return (-grade.certainty.rank, grade.direction is not Direction.BENEFIT, -grade.participants,
            -len(grade.rating_studies), grade.outcome, grade.route.value if grade.route is not None else "",
            grade.intervention)


def strongest(grades: Iterable[Grade], harms: bool = False) -> Grade | None:
    """The strongest of ``grades`` by the rule; harm outcomes count only when ``harms`` is true (a cell of the
    evidence map, a question about side effects). None when nothing is left to choose from."""
    return min((g for g in grades if harms or not g.harm_outcome), key=weakness, default=None)


def by_strength(grades: Iterable[Grade]) -> list[Grade]:
    """The grades, strongest first, by the same rule."""
    return sorted(grades, key=weakness)
