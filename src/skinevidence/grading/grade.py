"""GRADE-style certainty for one intervention x outcome x route, derived only from coded study features.

The method, its thresholds and its sources are written out in ``docs/method.md``; the numbers are in
``grading.thresholds``, the domains in ``grading.domains``, the units a body is rated from in ``grading.units`` and
effect sizes in words in ``grading.effects``. Nothing here knows any intervention by name: every judgement follows
from the records.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from skinevidence.evidence.catalog import Catalog, per_catalog
from skinevidence.evidence.models import Design, Direction, Outcome, Route, Status
from skinevidence.grading.domains import (
    JUDGED_BY_REVIEW,
    Reason,
    body_direction,
    ids,
    imprecision,
    inconsistency,
    indirectness,
    industry,
    plural,
    publication_bias,
    risk_of_bias,
    stated_certainty,
    upgrades,
)
from skinevidence.grading.effects import Effect, effect_of
from skinevidence.grading.statements import Certainty, statement
from skinevidence.grading.units import Unit, build_units, counted_participants, counted_trials, is_human, weights

NOT_GRADED = (Design.NARRATIVE_REVIEW, Design.GUIDELINE)

__all__ = [
    "FollowUp",
    "Grade",
    "Reason",
    "TimeToResults",
    "cells",
    "grade",
    "grade_intervention",
    "grade_outcome",
    "is_human",
]


class TimeToResults(BaseModel):
    """The first assessed timepoint at which the rating studies reported a difference. Where a study states no
    first difference but reports its result at a single timepoint (or only at the end of follow-up), that
    assessment is the first one to show the difference, so its time is an upper bound ("by then") and
    ``upper_bound`` is true. The length of follow-up is kept apart (``FollowUp``)."""

    median_weeks: float
    min_weeks: float
    max_weeks: float
    studies: list[str]
    upper_bound: bool = False


class FollowUp(BaseModel):
    """How long the rating studies followed people: the last assessment of each, shortest and longest."""

    min_weeks: float
    max_weeks: float
    studies: list[str]


class Grade(BaseModel):
    intervention: str
    outcome: str
    route: Route | None
    certainty: Certainty
    direction: Direction | None
    statement: str
    harm_outcome: bool = False
    ocebm_level: int | None
    start: Certainty | None
    participants: int
    studies: list[str]
    rating_studies: list[str]
    studies_by_design: dict[str, int]
    time_to_results: TimeToResults | None
    reasons: list[Reason]
    preclinical_studies: list[str] = []
    registered_trials: list[str] = []
    context_studies: list[str] = []
    #: rating studies whose participant count for this outcome is not reported (``participants`` is then a
    #: lower bound, or unknown when it is 0)
    participants_missing: list[str] = []
    #: the participant count in words: "472", "at least 40", "not reported"
    participants_text: str = "0"
    trials: int | None = None
    #: reviews in this cell whose result was not read: listed, never rated
    unread_reviews: list[str] = []
    #: interventions (the class, or sibling members) whose evidence this grade was rated from, one level down
    borrowed_from: list[str] = []
    #: rating studies funded by, or with authors tied to, the maker
    industry_linked: list[str] = []
    #: effect sizes the rating studies report, in numbers and words; ``effect`` is the main one (the largest
    #: study's or review's)
    effects: list[Effect] = []
    effect: str | None = None
    follow_up: FollowUp | None = None


@per_catalog
def grade(catalog: Catalog, intervention: str, outcome: str, route: Route | None) -> Grade:
    """Grade the body of evidence on ``intervention`` (and its descendants) for ``outcome`` (and its descendants)
    by ``route``. Where no study of the intervention itself rates the cell, evidence on its class or a sibling
    member rates it one level down (only for members with ``inherits: true``). ``route=None`` grades nothing human
    and reports what exists in cells and animals only.

    Grades are computed once per catalog (a catalog never changes once built)."""
    direct = _assess(catalog, intervention, outcome, route, catalog.family(intervention))
    borrowable = _borrowable(catalog, intervention)
    if route is None or not borrowable:
        return direct
    if any(r.domain == "stated certainty" for r in direct.reasons):
        return direct  # a review has rated this intervention's own evidence: its siblings do not overrule it
    borrowed = _assess(catalog, intervention, outcome, route, borrowable, borrowed=True)
    if borrowed.certainty.rank <= direct.certainty.rank or not borrowed.certainty.is_human:
        return direct
    reasons = list(borrowed.reasons)
    if direct.certainty.is_human:
        reasons.insert(1, Reason(domain="direct evidence", change=0, studies=direct.rating_studies, text=(
            f"The studies of this intervention itself rate only {direct.certainty.value} here; the evidence on its "
            "class or siblings rates higher even one level down, so it is used.")))
    own = {"preclinical_studies": direct.preclinical_studies, "registered_trials": direct.registered_trials,
               "context_studies": direct.context_studies, "reasons": reasons}
    return borrowed.model_copy(update=own)


@per_catalog
def _borrowable(catalog: Catalog, intervention: str) -> frozenset[str]:
    """The class and the sibling members (with their own members) whose evidence informs ``intervention``: none
    when it is graded apart (``inherits: false``) or has no class; siblings graded apart never lend theirs, and a
    sibling lends only to members of its own kind (a prescription drug's trials do not speak for a cosmetic
    ingredient of the same class, nor the reverse)."""
    record = catalog.interventions[intervention]
    if record.parent is None or not record.inherits:
        return frozenset()
    kind = catalog.kinds[intervention]
    siblings = [i.id for i in catalog.interventions.values()
                if i.parent == record.parent and i.id != intervention and i.inherits and catalog.kinds[i.id] == kind]
    return frozenset({record.parent}.union(*(catalog.family(s) for s in siblings)))


@per_catalog
def _apart(catalog: Catalog, intervention: str) -> frozenset[str]:
    """Descendants of ``intervention`` that are graded apart from it (a member with ``inherits: false``, and its
    own members): their evidence counts for the class, as indirect evidence."""
    apart: set[str] = set()
    for member in catalog.family(intervention) - {intervention}:
        lineage = catalog.lineage(member)
        below = lineage[:lineage.index(intervention)]
        if any(not catalog.interventions[m].inherits for m in below):
            apart.add(member)
    return frozenset(apart)


def _assess(catalog: Catalog, intervention: str, outcome: str, route: Route | None, members: frozenset[str],
            borrowed: bool = False) -> Grade:
    outcomes = catalog.outcome_family(outcome)
    pairs = [(s, f) for member in sorted(members) for s, f in catalog.findings_by_intervention.get(member, [])
             if f.outcome in outcomes]
    human = [(s, f) for s, f in pairs if is_human(s, f, catalog)]
    preclinical = _ids(s for s, f in pairs if not is_human(s, f, catalog) and s.status is Status.PUBLISHED)
    registered = _ids(s for s, f in human if s.status is Status.REGISTERED and (route is None or f.route is route))
    in_route = [(s, f) for s, f in human if route is not None and f.route is route]
    published = [(s, f) for s, f in in_route if s.status is Status.PUBLISHED]
    context = _ids(s for s, f in published if s.design in NOT_GRADED)
    reasons: list[Reason] = []
    retracted = _ids(s for s, _ in in_route if s.status is Status.RETRACTED)
    if retracted:
        reasons.append(Reason(domain="retracted", change=0, studies=retracted,
                              text=f"{len(retracted)} retracted publication(s) left out of the grade."))
    graded = [(s, f) for s, f in published if s.design not in NOT_GRADED and f.direction is not Direction.NOT_REPORTED]
    rated = {s.id for s, _ in graded}
    unread = _ids(s for s, f in published if s.design.is_review and s.id not in rated)
    if unread:
        reasons.append(Reason(domain="unread", change=0, studies=unread, text=(
            f"{plural(len(unread), 'review', 'reviews')} in this cell listed but not rated: the pooled result was "
            "not read on the pages coded, so it can neither raise nor lower the grade.")))
    units = build_units(graded, catalog, _apart(catalog, intervention))
    record, target = catalog.interventions[intervention], catalog.outcomes[outcome]
    wording: dict[str, Any] = {"route": route, "harm_outcome": target.harm, "plural": record.plural}
    common: dict[str, Any] = {
        "intervention": intervention, "outcome": outcome, "route": route, "harm_outcome": target.harm,
        "preclinical_studies": preclinical, "registered_trials": registered, "context_studies": context,
        "unread_reviews": unread}

    if not units:
        certainty = Certainty.PRECLINICAL_ONLY if preclinical else Certainty.NO_EVIDENCE
        if preclinical:
            reasons.append(Reason(domain="preclinical", change=0, studies=preclinical, text=(
                f"No human study for this route; {plural(len(preclinical), 'cell or animal study', 'cell or animal studies')}"
                " only. Preclinical work never raises a human grade.")))
        return Grade(**common, certainty=certainty, direction=None, ocebm_level=5 if preclinical else None,
                     start=None, participants=0, participants_text="0", studies=[], rating_studies=[],
                     studies_by_design={}, time_to_results=None, reasons=reasons,
                     statement=statement(certainty, None, record.name, target.name, **wording))

    lenders = sorted({f.intervention for u in units for f in u.findings}) if borrowed else []
    context_of_rating = (target, route, [catalog.interventions[i].name for i in lenders])
    start = max(u.start for u in units)
    best = _rate([u for u in units if u.start == start], units, *context_of_rating)
    reviews = [u for u in units if u.is_review]
    if reviews and any(u.start < start for u in reviews):
        alternative = _rate(reviews, units, *context_of_rating, reviews_only=True)
        if (alternative.level, _volume(alternative.support)) > (best.level, _volume(best.support)):
            best = alternative
    rating, support, direction, rank = best.rating, best.support, best.direction, best.rank
    reasons.extend(best.reasons)
    certainty = Certainty.from_rank(rank)
    if target.harm and direction is not Direction.HARM:
        reported = [u.study.id for u in units if u.direction in (Direction.HARM, Direction.MIXED)]
        if reported:
            direction = Direction.MIXED
            reasons.append(Reason(domain="harms", change=0, studies=reported, text=(
                "Rare or serious harms show up in case reports and series before trials are large enough to see "
                f"them (OCEBM harms): {plural(len(reported), 'study', 'studies')} reporting harm keep this from "
                "reading as 'no difference'.")))
    participants = counted_participants(support)
    missing = [u.study.id for u in support if not u.participants]
    effects = [e for u in support for f in u.findings if (e := effect_of(u.study, f, target.harm))]
    return Grade(
        **common, certainty=certainty, direction=direction,
        statement=statement(certainty, direction, record.name, target.name, **wording),
        ocebm_level=min(u.ocebm for u in rating), start=Certainty.from_rank(max(u.start for u in rating)),
        participants=participants,
        participants_missing=missing, participants_text=_participants_text(participants, missing),
        trials=counted_trials(support) or None, studies=ids(units), rating_studies=ids(rating),
        studies_by_design=dict(Counter(u.study.design.short for u in units).most_common()),
        time_to_results=_time_to_results(support), follow_up=_follow_up(support), reasons=reasons,
        borrowed_from=lenders, industry_linked=[u.study.id for u in support if u.study.industry_linked],
        effects=effects, effect=_main_effect(support, effects),
    )


@dataclass
class _Rating:
    rating: list[Unit]
    support: list[Unit]
    direction: Direction
    rank: int
    reasons: list[Reason]

    @property
    def level(self) -> int:
        return Certainty.from_rank(self.rank).rank


def _volume(units: list[Unit]) -> int:
    """How many studies stand behind a body, to choose between two bodies of the same certainty: a review counts its
    pooled trials, or else the studies it includes; overlapping reviews count once (the largest)."""
    reviews = [u.trials or u.study.studies_included or 1 for u in units if u.is_review]
    return max(reviews, default=0) + sum(1 for u in units if not u.is_review)


def _rate(rating: list[Unit], units: list[Unit], target: Outcome, route: Route | None, lenders: list[str],
          reviews_only: bool = False) -> _Rating:
    """Rate one body: its direction, then the domains (on the part of it that supports that direction)."""
    start = max(u.start for u in rating)
    direction = body_direction(rating)
    support = rating if direction is Direction.MIXED else [u for u in rating if u.direction is direction]
    reasons = [_start_reason(start, rating, units, reviews_only)]
    stated, notes = stated_certainty(support, start)
    judged = [*notes, *risk_of_bias(support), *inconsistency(rating, support), *imprecision(support, direction),
              *publication_bias(support)]
    if stated is not None:
        judged = [stated, *(r.model_copy(update={"change": 0, "text": r.text + " (Not applied: the review's own "
                                                    "certainty stands for this domain.)"})
                            for r in judged if r.change and r.domain in JUDGED_BY_REVIEW)]
    downs = [*judged, *indirectness(support, target.surrogate, route, target.disease, lenders)]
    reasons.extend(downs)
    reasons.extend(industry(support))
    if start == 2 and stated is None and all(r.change >= 0 for r in downs):
        reasons.extend(upgrades(rating))
    rank = start + sum(r.change for r in reasons)
    if rank < 1:
        reasons.append(Reason(domain="floor", change=0, text="Certainty cannot go below very low."))
    elif rank > 4:
        reasons.append(Reason(domain="ceiling", change=0, text="Certainty cannot go above high."))
    return _Rating(rating, support, direction, rank, reasons)


def _ids(studies) -> list[str]:
    return list(dict.fromkeys(s.id for s in studies))


def _participants_text(participants: int, missing: list[str]) -> str:
    if not participants:
        return "not reported"
    return f"at least {participants}" if missing else str(participants)


def _start_reason(start: int, rating: list[Unit], units: list[Unit], reviews_only: bool = False) -> Reason:
    label = Certainty.from_rank(start).value
    designs = Counter(u.study.design.label for u in rating)
    described = ", ".join(f"{n} {d}" for d, n in designs.items())
    why = {4: "randomised evidence starts high", 2: "controlled non-randomised evidence starts low",
           1: "uncontrolled studies and case reports start very low"}[start]
    text = f"Started at {label}: {why} ({described})."
    if reviews_only:
        text += (" The systematic reviews of this cell rate it: rated on their own they reach at least the certainty "
                 "of the better-designed primary studies, with more studies behind them.")
    others = len(units) - len(rating)
    if others:
        text += f" {plural(others, 'other study', 'other studies')} listed but not used to rate."
    folded = [s.id for u in rating for s in u.folded]
    if folded:
        text += f" {len(folded)} included primary stud{'y is' if len(folded) == 1 else 'ies are'} counted " \
                "inside their review, not twice."
    return Reason(domain="start", change=0, text=text, studies=ids(rating))


def _main_effect(support: list[Unit], effects: list[Effect]) -> str | None:
    """The effect of the largest unit that reports one (a review's pooled estimate before a small trial's)."""
    if not effects:
        return None
    size = {u.study.id: (u.is_review, w) for u, w in zip(support, weights(support))}
    main = max(effects, key=lambda e: size.get(e.study, (False, 0.0)))
    return main.text


def _time_to_results(support: list[Unit]) -> TimeToResults | None:
    firsts, bounded = {}, False
    for unit in support:
        benefit = [f for f in unit.findings if f.direction is Direction.BENEFIT]
        stated = [f.first_difference_weeks for f in benefit if f.first_difference_weeks is not None]
        if stated:
            firsts[unit.study.id] = min(stated)
            continue
        ends = [f.timepoints_weeks[0] for f in benefit if len(f.timepoints_weeks) == 1]
        if not ends and benefit and not any(f.timepoints_weeks for f in benefit) and unit.study.duration_weeks:
            ends = [unit.study.duration_weeks]
        if ends:
            firsts[unit.study.id], bounded = min(ends), True
    if not firsts:
        return None
    values = list(firsts.values())
    return TimeToResults(median_weeks=statistics.median(values), min_weeks=min(values), max_weeks=max(values),
                         studies=list(firsts), upper_bound=bounded)


def _follow_up(support: list[Unit]) -> FollowUp | None:
    lasts = {}
    for unit in support:
        points = [t for f in unit.findings for t in f.timepoints_weeks]
        last = max(points) if points else unit.study.duration_weeks
        if last:
            lasts[unit.study.id] = last
    if not lasts:
        return None
    return FollowUp(min_weeks=min(lasts.values()), max_weeks=max(lasts.values()), studies=list(lasts))


@per_catalog
def cells(catalog: Catalog, intervention: str) -> list[tuple[str, Route | None]]:
    """Every outcome x route with human evidence (as coded, on the intervention or, for a member that inherits, on
    its class or siblings), then outcomes with preclinical evidence only."""
    human: dict[tuple[str, Route], None] = {}
    lab: dict[str, None] = {}
    for study, finding in catalog.findings(intervention):
        if is_human(study, finding, catalog):
            human[(finding.outcome, finding.route)] = None
        else:
            lab[finding.outcome] = None
    for member in sorted(_borrowable(catalog, intervention)):
        for study, finding in catalog.findings_by_intervention.get(member, []):
            if is_human(study, finding, catalog):
                human[(finding.outcome, finding.route)] = None
    with_human = {o for o, _ in human}
    return [*sorted(human, key=lambda c: (c[0], c[1].value)), *((o, None) for o in lab if o not in with_human)]


def grade_intervention(catalog: Catalog, intervention: str) -> list[Grade]:
    return [grade(catalog, intervention, outcome, route) for outcome, route in cells(catalog, intervention)]


def grade_outcome(catalog: Catalog, intervention: str, outcome: str) -> list[Grade]:
    """Every route with human evidence on ``outcome`` (or its child outcomes) for the intervention; the
    preclinical-only grade when there is none."""
    family = catalog.outcome_family(outcome)
    routes = sorted({r for o, r in cells(catalog, intervention) if r is not None and o in family},
                    key=lambda r: r.value)
    return [grade(catalog, intervention, outcome, r) for r in routes] or [grade(catalog, intervention, outcome, None)]
