"""The units a body of evidence is rated from: one primary study, or one review with the coded primary studies it
includes folded into it (never counted twice). A unit knows its own count for the cell being graded: a review's is
the count of its pooled analysis for this outcome (``participants`` on its finding), never the review's total, so a
review of many drugs never lends its whole size to one of them.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.models import (
    Comparator,
    Design,
    Direction,
    Finding,
    Population,
    ReviewOf,
    Study,
)

UNCONTROLLED = (Design.SINGLE_ARM, Design.CASE_SERIES, Design.CASE_REPORT)
CONTROLLED_OBSERVATIONAL = (Design.NON_RANDOMISED_CONTROLLED, Design.COHORT)
STATED_RANKS = {"high": 4, "moderate": 3, "low": 2, "very-low": 1}


@dataclass
class Unit:
    """One independent piece of evidence for one cell."""

    study: Study
    findings: list[Finding]
    harm: bool = False  # a harm outcome: results against an active treatment keep their own direction
    folded: list[Study] = field(default_factory=list)
    apart: bool = False  # evidence on a member that is graded apart from the intervention being graded

    @property
    def is_review(self) -> bool:
        return self.study.design.is_review

    @property
    def participants(self) -> int | None:
        """Participants behind this unit for this cell: the finding's own count (a review's pooled analysis, or a
        primary study's count for this outcome); else a primary study's enrolment; else, for a review, the
        coded primary studies folded into it. None when none of these is known."""
        counts = [f.participants for f in self.findings if f.participants]
        if counts:
            return max(counts)
        if not self.is_review:
            return self.study.participants
        folded = [s.participants for s in self.folded if s.participants]
        return sum(folded) or None

    @property
    def trials(self) -> int | None:
        """Trials behind this unit: one for a primary study; for a review, its pooled trials for this outcome or
        the coded trials folded into it."""
        if not self.is_review:
            return 1
        counts = [f.trials for f in self.findings if f.trials]
        return max(counts) if counts else (len(self.folded) or None)

    @property
    def i_squared(self) -> float | None:
        values = [f.i_squared for f in self.findings if f.i_squared is not None]
        return max(values) if values else self.study.i_squared

    @property
    def stated(self) -> str | None:
        """The best certainty this review states for the cell (its own GRADE assessment), if it states one."""
        stated = [f.certainty_stated.value for f in self.findings if f.certainty_stated is not None]
        return max(stated, key=STATED_RANKS.__getitem__) if stated and self.is_review else None

    @property
    def direction(self) -> Direction:
        """The unit's direction for "does it improve the outcome?". A result no different from an active
        treatment is read as benefit (it works about as well as something that works), with an indirectness
        downgrade."""
        directions = {Direction.BENEFIT if not self.harm and against_active(f) else f.direction
                      for f in self.findings}
        return directions.pop() if len(directions) == 1 else Direction.MIXED

    @property
    def only_active_comparisons(self) -> bool:
        return not self.harm and all(f.comparator is Comparator.ACTIVE for f in self.findings)

    @property
    def start(self) -> int:
        return start_rank(self.study)

    @property
    def ocebm(self) -> int:
        design = self.study.design
        if design.is_review:
            return 1 if self.study.review_of is ReviewOf.RCT else 3
        if design.is_randomised:
            return 2
        if design in CONTROLLED_OBSERVATIONAL:
            return 3
        return 4


def against_active(finding: Finding) -> bool:
    """Similar to an active treatment (no difference, or better on some measures and worse on others)."""
    return finding.comparator is Comparator.ACTIVE and finding.direction in (Direction.NO_DIFFERENCE, Direction.MIXED)


def start_rank(study: Study) -> int:
    """GRADE starting level by design: 4 high (randomised), 2 low (controlled observational), 1 very low."""
    design = study.design
    if design.is_review:
        return 4 if study.review_of is ReviewOf.RCT else 2
    if design.is_randomised:
        return 4
    if design in CONTROLLED_OBSERVATIONAL:
        return 2
    return 1


def is_human(study: Study, finding: Finding | None = None, catalog: Catalog | None = None) -> bool:
    """Human evidence: not a cell or animal study, not a review of them, and, for a review that mixes human and
    laboratory work, not a finding on a surrogate (laboratory) outcome."""
    if study.design.is_preclinical or study.review_of is ReviewOf.PRECLINICAL:
        return False
    if study.population is Population.MIXED and finding is not None and catalog is not None \
            and catalog.outcomes[finding.outcome].surrogate:
        return False
    return study.population in (Population.HUMAN, Population.MIXED)


def build_units(graded: list[tuple[Study, Finding]], catalog: Catalog, apart: frozenset[str]) -> list[Unit]:
    """Group findings by study, then fold primary studies into a coded review of this body that includes them.
    ``apart`` holds the interventions whose evidence is on a member graded apart from the one being graded."""
    by_study: dict[str, Unit] = {}
    for study, finding in graded:
        unit = by_study.setdefault(study.id, Unit(study, [], harm=catalog.outcomes[finding.outcome].harm))
        unit.findings.append(finding)
        unit.apart = unit.apart or finding.intervention in apart
    reviews = {sid for sid, unit in by_study.items() if unit.is_review}
    units = []
    for unit in by_study.values():
        host = next((r for r in unit.study.included_in if r in reviews), None)
        if host is None:
            units.append(unit)
        else:
            by_study[host].folded.append(unit.study)
    return units


def weights(units: list[Unit]) -> list[float]:
    """Participants per unit; a unit without a count weighs as many typical trials as it has trials (the median
    participants per trial of the units with a count). A weight for shares only, never reported as a number of
    participants."""
    per_trial = [u.participants / (u.trials or 1) for u in units if u.participants]
    typical = statistics.median(per_trial) if per_trial else 1.0
    return [u.participants or typical * (u.trials or 1) for u in units]


def sizes(units: list[Unit]) -> list[float]:
    """How much of a body each unit is, to tell whether one review covers most of it: its participants; else as
    many typical trials (median participants per trial of the units with a count) as it has trials, or, for a
    review about one intervention only, as many as it includes studies."""
    per_trial = [u.participants / (u.trials or 1) for u in units if u.participants]
    typical = statistics.median(per_trial) if per_trial else 1.0
    return [u.participants or typical * (u.trials or _single_question_studies(u) or 1) for u in units]


def _single_question_studies(unit: Unit) -> int | None:
    """The studies a review includes, when all its findings concern one intervention (never a many-drug review)."""
    if unit.is_review and len({f.intervention for f in unit.study.findings}) == 1:
        return unit.study.studies_included
    return None


def counted_participants(units: list[Unit]) -> int:
    """Participants behind a set of units, counting overlapping reviews once: reviews of the same question share
    most of their trials, so only the largest review's count is added, with the primary studies outside it."""
    reviews = [u.participants or 0 for u in units if u.is_review]
    primaries = [u.participants or 0 for u in units if not u.is_review]
    return max(reviews, default=0) + sum(primaries)


def counted_trials(units: list[Unit]) -> int:
    """Trials behind a set of units, counting overlapping reviews once (the largest), as for participants."""
    reviews = [u.trials or 0 for u in units if u.is_review]
    return max(reviews, default=0) + sum(1 for u in units if not u.is_review)
