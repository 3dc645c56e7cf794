"""GRADE-style certainty for one intervention x outcome x route, derived only from coded study features.

The method, its thresholds and its sources are written out in ``docs/method.md``; the constants below are the
same numbers. Nothing here knows any intervention by name: every judgement follows from the records.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from pydantic import BaseModel

from skinevidence.evidence.catalog import Catalog, per_catalog
from skinevidence.evidence.models import (
    Blinding,
    Comparator,
    Design,
    Direction,
    Finding,
    Population,
    ReviewOf,
    Route,
    Status,
    Study,
)
from skinevidence.grading.statements import Certainty, statement

# Thresholds (docs/method.md, "Thresholds").
ATTRITION_LIMIT = 0.20            # more than 20% of participants lost: a risk-of-bias concern
SERIOUS_SHARE = 0.5               # more than half of the rating studies with a concern: serious
IMPRECISION_VERY_SERIOUS = 100    # fewer participants in total: -2
IMPRECISION_SERIOUS = 400         # fewer participants in total: -1 (GRADE's rule of thumb for continuous outcomes)
PUBLICATION_BIAS_MAX_STUDIES = 3  # this many or fewer studies, all industry-linked: publication bias suspected
I_SQUARED_LIMIT = 50              # a meta-analysis with I² at or above this: inconsistency
LARGE_EFFECT = 2.0                # relative effect of 2 (or 0.5): +1 for non-randomised evidence
VERY_LARGE_EFFECT = 5.0           # relative effect of 5 (or 0.2): +2
MAJORITY_DIRECTION = 0.75         # participant-weighted share that must agree for the body to have one direction
LOWER_BOUND_STUDIES = 3           # with this many rating studies, missing counts make the total a lower bound

UNCONTROLLED = (Design.SINGLE_ARM, Design.CASE_SERIES, Design.CASE_REPORT)
CONTROLLED_OBSERVATIONAL = (Design.NON_RANDOMISED_CONTROLLED, Design.COHORT)
NOT_GRADED = (Design.NARRATIVE_REVIEW, Design.GUIDELINE)
BLINDED = (Blinding.DOUBLE, Blinding.ASSESSOR, Blinding.SINGLE)


class Reason(BaseModel):
    """One move of the grade (or a note that explains a non-move), with the studies behind it."""

    domain: str
    change: int
    text: str
    studies: list[str] = []


class TimeToResults(BaseModel):
    """The first timepoint at which the rating studies reported a difference. Where a study states no first
    difference but reports its result at a single timepoint or at the end of follow-up, that time is used as an
    upper bound ("by then") and ``upper_bound`` is true."""

    median_weeks: float
    min_weeks: float
    max_weeks: float
    studies: list[str]
    upper_bound: bool = False


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


@dataclass
class Unit:
    """One independent piece of evidence: a primary study, or a review with the coded primaries it includes."""

    study: Study
    findings: list[Finding]
    harm: bool = False  # a harm outcome: results against an active treatment keep their own direction
    folded: list[Study] = field(default_factory=list)

    @property
    def participants(self) -> int:
        own = self.study.participants or 0
        return max(own, sum(s.participants or 0 for s in self.folded))

    @property
    def participants_known(self) -> bool:
        return self.study.participants is not None or any(s.participants for s in self.folded)

    @property
    def direction(self) -> Direction:
        """The unit's direction for "does it improve the outcome?". A result no different from an active
        treatment is read as benefit (it works about as well as something that works), with an indirectness
        downgrade (see _indirectness)."""
        directions = {Direction.BENEFIT if not self.harm and self.against_active(f) else f.direction
                      for f in self.findings}
        return directions.pop() if len(directions) == 1 else Direction.MIXED

    @staticmethod
    def against_active(finding: Finding) -> bool:
        """Similar to an active treatment (no difference, or better on some measures and worse on others)."""
        return finding.comparator is Comparator.ACTIVE and finding.direction in (Direction.NO_DIFFERENCE,
                                                                                 Direction.MIXED)

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


@per_catalog
def grade(catalog: Catalog, intervention: str, outcome: str, route: Route | None) -> Grade:
    """Grade the body of evidence on ``intervention`` (and its descendants) for ``outcome`` (and its descendants)
    by ``route``. ``route=None`` grades nothing human and reports what exists in cells and animals only.

    Grades are computed once per catalog (a catalog never changes once built)."""
    interventions = catalog.family(intervention)
    outcomes = catalog.outcome_family(outcome)
    pairs = [(s, f) for member in sorted(interventions) for s, f in catalog.findings_by_intervention.get(member, [])
             if f.outcome in outcomes]
    human = [(s, f) for s, f in pairs if is_human(s, f, catalog)]
    preclinical = _ids(s for s, f in pairs if not is_human(s, f, catalog) and s.status is Status.PUBLISHED)
    registered = _ids(s for s, f in human if s.status is Status.REGISTERED and (route is None or f.route is route))
    in_route = [(s, f) for s, f in human if route is not None and f.route is route]
    context = _ids(s for s, f in in_route if s.status is Status.PUBLISHED and s.design in NOT_GRADED)
    reasons: list[Reason] = []
    retracted = _ids(s for s, _ in in_route if s.status is Status.RETRACTED)
    if retracted:
        reasons.append(Reason(domain="retracted", change=0, studies=retracted,
                              text=f"{len(retracted)} retracted publication(s) left out of the grade."))
    graded = [(s, f) for s, f in in_route if s.status is Status.PUBLISHED and s.design not in NOT_GRADED
              and f.direction is not Direction.NOT_REPORTED]
    units = _units(graded, catalog)
    names = (catalog.interventions[intervention].name, catalog.outcomes[outcome].name)
    harm_outcome = catalog.outcomes[outcome].harm
    wording = dict(route=route, harm_outcome=harm_outcome, plural=catalog.interventions[intervention].plural)
    common = dict(intervention=intervention, outcome=outcome, route=route, harm_outcome=harm_outcome,
                  preclinical_studies=preclinical,
                  registered_trials=registered, context_studies=context)

    if not units:
        certainty = Certainty.PRECLINICAL_ONLY if preclinical else Certainty.NO_EVIDENCE
        if preclinical:
            reasons.append(Reason(domain="preclinical", change=0, studies=preclinical, text=(
                f"No human study for this route; {len(preclinical)} cell or animal stud"
                f"{'y' if len(preclinical) == 1 else 'ies'} only. Preclinical work never raises a human grade.")))
        return Grade(**common, certainty=certainty, direction=None, ocebm_level=5 if preclinical else None,
                     start=None, participants=0, studies=[], rating_studies=[], studies_by_design={},
                     time_to_results=None, reasons=reasons,
                     statement=statement(certainty, None, *names, **wording))

    start = max(u.start for u in units)
    rating = [u for u in units if u.start == start]
    reasons.append(_start_reason(start, rating, units))
    surrogate = catalog.outcomes[outcome].surrogate
    downs = [*_risk_of_bias(rating), *_inconsistency(rating), *_indirectness(rating, surrogate, route),
             *_imprecision(rating), *_publication_bias(rating)]
    reasons.extend(downs)
    total_down = sum(r.change for r in downs)
    if start == 2 and total_down == 0:
        reasons.extend(_upgrades(rating))
    rank = start + sum(r.change for r in reasons)
    certainty = Certainty.from_rank(rank)
    if rank < 1:
        reasons.append(Reason(domain="floor", change=0, text="Certainty cannot go below very low."))
    direction = _direction(rating)
    if harm_outcome and direction is not Direction.HARM:
        reported = [u.study.id for u in units if u.direction in (Direction.HARM, Direction.MIXED)]
        if reported:
            direction = Direction.MIXED
            reasons.append(Reason(domain="harms", change=0, studies=reported, text=(
                "Rare or serious harms show up in case reports and series before trials are large enough to see "
                f"them (OCEBM harms): {len(reported)} stud{'y' if len(reported) == 1 else 'ies'} reporting harm "
                "keep this from reading as 'no difference'.")))
    participants = sum(u.participants for u in rating)
    return Grade(
        **common, certainty=certainty, direction=direction,
        statement=statement(certainty, direction, *names, **wording),
        ocebm_level=min(u.ocebm for u in rating), start=Certainty.from_rank(start), participants=participants,
        studies=_ids(u.study for u in units), rating_studies=_ids(u.study for u in rating),
        studies_by_design=dict(Counter(u.study.design.short for u in units).most_common()),
        time_to_results=_time_to_results(rating), reasons=reasons,
    )


def _ids(studies) -> list[str]:
    return list(dict.fromkeys(s.id for s in studies))


def _units(graded: list[tuple[Study, Finding]], catalog: Catalog) -> list[Unit]:
    """Group findings by study, then fold primary studies into a coded review of this body that includes them."""
    by_study: dict[str, Unit] = {}
    for study, finding in graded:
        unit = by_study.setdefault(study.id, Unit(study, [], harm=catalog.outcomes[finding.outcome].harm))
        unit.findings.append(finding)
    reviews = {sid for sid, unit in by_study.items() if unit.study.design.is_review}
    units = []
    for unit in by_study.values():
        host = next((r for r in unit.study.included_in if r in reviews), None)
        if host is None:
            units.append(unit)
        else:
            by_study[host].folded.append(unit.study)
    return units


def _start_reason(start: int, rating: list[Unit], units: list[Unit]) -> Reason:
    label = Certainty.from_rank(start).value
    designs = Counter(u.study.design.label for u in rating)
    described = ", ".join(f"{n} {d}" for d, n in designs.items())
    why = {4: "randomised evidence starts high", 2: "controlled non-randomised evidence starts low",
           1: "uncontrolled studies and case reports start very low"}[start]
    text = f"Started at {label}: {why} ({described})."
    others = len(units) - len(rating)
    if others:
        text += f" {others} weaker stud{'y' if others == 1 else 'ies'} listed but not used to rate."
    folded = [s.id for u in rating for s in u.folded]
    if folded:
        text += f" {len(folded)} included primary stud{'y is' if len(folded) == 1 else 'ies are'} counted " \
                "inside their review, not twice."
    return Reason(domain="start", change=0, text=text, studies=_ids(u.study for u in rating))


def concerns(study: Study, findings: list[Finding]) -> list[str]:
    """Risk-of-bias concerns derived from coded features of one study (docs/method.md, "Risk of bias")."""
    found = []
    if study.design.is_review or study.design in UNCONTROLLED:
        return found
    if study.blinding is None:
        found.append("blinding not reported")
    elif study.blinding not in BLINDED:
        found.append("outcome assessors not blinded")
    if study.attrition is not None and study.attrition > ATTRITION_LIMIT:
        found.append(f"{study.attrition:.0%} of participants lost")
    if all(f.comparator in (Comparator.NONE, Comparator.NOT_REPORTED) for f in findings):
        found.append("no comparator reported")
    return found


def _risk_of_bias(rating: list[Unit]) -> list[Reason]:
    primaries = [(u.study, u.findings) for u in rating if not u.study.design.is_review]
    primaries += [(s, u.findings) for u in rating for s in u.folded]
    if not primaries:
        return [Reason(domain="risk of bias", change=0, studies=_ids(u.study for u in rating), text=(
            "Risk of bias of the trials inside the review(s) is not coded here; the reviews' own assessments "
            "apply."))]
    flagged = {s.id: concerns(s, f) for s, f in primaries}
    serious = [sid for sid, c in flagged.items() if c]
    very = [sid for sid, c in flagged.items() if len(c) >= 2]
    detail = "; ".join(f"{sid}: {', '.join(c)}" for sid, c in flagged.items() if c)
    if len(very) > SERIOUS_SHARE * len(primaries):
        return [Reason(domain="risk of bias", change=-2, studies=very,
                       text=f"Very serious risk of bias: most studies have two or more concerns ({detail}).")]
    if len(serious) > SERIOUS_SHARE * len(primaries):
        return [Reason(domain="risk of bias", change=-1, studies=serious,
                       text=f"Serious risk of bias: most studies have a concern ({detail}).")]
    if serious:
        return [Reason(domain="risk of bias", change=0, studies=serious,
                       text=f"Not downgraded: only a minority of studies have concerns ({detail}).")]
    return []


def _weights(rating: list[Unit]) -> list[float]:
    """Participants per rating study; a study without a count weighs the median of the known counts (a weight for
    agreement only, never reported as a number of participants)."""
    known = [u.participants for u in rating if u.participants_known and u.participants]
    fallback = statistics.median(known) if known else 1.0
    return [u.participants if u.participants_known and u.participants else fallback for u in rating]


def _agreement(rating: list[Unit]) -> tuple[Direction, float]:
    """The direction most of the (weighted) evidence takes, and the share that takes it."""
    shares: Counter = Counter()
    for unit, weight in zip(rating, _weights(rating)):
        shares[unit.direction] += weight
    direction, weight = shares.most_common(1)[0]
    return direction, weight / sum(shares.values())


def _inconsistency(rating: list[Unit]) -> list[Reason]:
    directions = Counter(u.direction for u in rating)
    heterogeneous = [u.study.id for u in rating if u.study.i_squared is not None
                     and u.study.i_squared >= I_SQUARED_LIMIT]
    if len(directions) > 1:
        split = ", ".join(f"{n} {d.value}" for d, n in directions.items())
        majority, share = _agreement(rating)
        if share >= MAJORITY_DIRECTION:
            minority = _ids(u.study for u in rating if u.direction is not majority)
            return [Reason(domain="inconsistency", change=0, studies=minority, text=(
                f"Not downgraded: {share:.0%} of the evidence (by participants) points the same way ({split})."))]
        return [Reason(domain="inconsistency", change=-1, studies=_ids(u.study for u in rating), text=(
            f"Serious inconsistency: the studies point in different directions ({split}); the largest share, "
            f"{share:.0%} by participants, is below {MAJORITY_DIRECTION:.0%}."))]
    if heterogeneous:
        return [Reason(domain="inconsistency", change=-1, studies=heterogeneous,
                       text=f"Serious inconsistency: heterogeneity I² ≥ {I_SQUARED_LIMIT}% in the pooled analysis.")]
    return []


def _indirectness(rating: list[Unit], surrogate: bool, route: Route | None = None) -> list[Reason]:
    reasons = []
    if route in (Route.MIXED, Route.NOT_REPORTED):
        why = "results pooled over several routes" if route is Route.MIXED else "how it was given is not reported"
        reasons.append(Reason(domain="indirectness", change=-1, studies=_ids(u.study for u in rating), text=(
            f"Indirect: {why}, so they speak to no particular way of using it.")))
    if surrogate:
        reasons.append(Reason(domain="indirectness", change=-1, studies=_ids(u.study for u in rating), text=(
            "Indirect: a surrogate outcome (a tissue or laboratory measure), not what a person sees.")))
    active = [u.study.id for u in rating if u.only_active_comparisons]
    if len(active) > SERIOUS_SHARE * len(rating) and not any(r.domain == "indirectness" for r in reasons):
        reasons.append(Reason(domain="indirectness", change=-1, studies=active, text=(
            "Indirect: most studies compared it with another active treatment, not with placebo or nothing; "
            "'no different from an active treatment' is read as a benefit.")))
    confounded = [u.study.id for u in rating
                  if any(f.co_interventions and f.co_interventions_controlled is not True for f in u.findings)]
    if len(confounded) > SERIOUS_SHARE * len(rating):
        reasons.append(Reason(domain="indirectness", change=-1, studies=confounded, text=(
            "Indirect: in most studies co-interventions were not given to a comparison group, so the effect cannot "
            "be separated from them.")))
    return reasons


def _imprecision(rating: list[Unit]) -> list[Reason]:
    total = sum(u.participants for u in rating)
    ids = _ids(u.study for u in rating)
    unknown = [u.study.id for u in rating if not u.participants_known]
    note = f" ({len(unknown)} stud{'y' if len(unknown) == 1 else 'ies'} without a participant count)" if unknown else ""
    if unknown and len(rating) >= LOWER_BOUND_STUDIES and total < IMPRECISION_SERIOUS:
        return [Reason(domain="imprecision", change=-1, studies=ids, text=(
            f"Serious imprecision: at least {total} participants{note}; with {len(rating)} studies the total is a "
            f"lower bound, so the downgrade is kept to one level."))]
    if total < IMPRECISION_VERY_SERIOUS:
        return [Reason(domain="imprecision", change=-2, studies=ids, text=(
            f"Very serious imprecision: {total} participants in total, fewer than {IMPRECISION_VERY_SERIOUS}{note}."))]
    if total < IMPRECISION_SERIOUS:
        return [Reason(domain="imprecision", change=-1, studies=ids, text=(
            f"Serious imprecision: {total} participants in total, fewer than {IMPRECISION_SERIOUS}{note}."))]
    return []


def _publication_bias(rating: list[Unit]) -> list[Reason]:
    linked = [u.study.id for u in rating if u.study.industry_linked]
    if len(rating) <= PUBLICATION_BIAS_MAX_STUDIES and len(linked) == len(rating):
        return [Reason(domain="publication bias", change=-1, studies=linked, text=(
            f"Publication bias suspected: only {len(rating)} small stud{'y' if len(rating) == 1 else 'ies'}, all "
            "funded by or tied to the product's maker."))]
    return []


def _upgrades(rating: list[Unit]) -> list[Reason]:
    reasons = []
    effects = [(u.study.id, max(f.relative_effect, 1 / f.relative_effect)) for u in rating for f in u.findings
               if f.relative_effect]
    if effects:
        sid, size = max(effects, key=lambda pair: pair[1])
        if size >= VERY_LARGE_EFFECT:
            reasons.append(Reason(domain="large effect", change=2, studies=[sid],
                                  text=f"Very large effect (relative effect {size:g}): upgraded two levels."))
        elif size >= LARGE_EFFECT:
            reasons.append(Reason(domain="large effect", change=1, studies=[sid],
                                  text=f"Large effect (relative effect {size:g}): upgraded one level."))
    gradient = [u.study.id for u in rating if any(f.dose_response for f in u.findings)]
    if gradient:
        reasons.append(Reason(domain="dose-response", change=1, studies=gradient,
                              text="A dose-response gradient was reported: upgraded one level."))
    return reasons


def _direction(rating: list[Unit]) -> Direction:
    direction, share = _agreement(rating)
    return direction if share >= MAJORITY_DIRECTION else Direction.MIXED


def _time_to_results(rating: list[Unit]) -> TimeToResults | None:
    firsts, bounded = {}, False
    for unit in rating:
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


def cells(catalog: Catalog, intervention: str) -> list[tuple[str, Route | None]]:
    """Every outcome x route with human evidence (as coded), then outcomes with preclinical evidence only."""
    human: dict[tuple[str, Route], None] = {}
    lab: dict[str, None] = {}
    for study, finding in catalog.findings(intervention):
        if is_human(study, finding, catalog):
            human[(finding.outcome, finding.route)] = None
        else:
            lab[finding.outcome] = None
    with_human = {o for o, _ in human}
    return [*sorted(human, key=lambda c: (c[0], c[1].value)), *((o, None) for o in lab if o not in with_human)]


def grade_intervention(catalog: Catalog, intervention: str) -> list[Grade]:
    return [grade(catalog, intervention, outcome, route) for outcome, route in cells(catalog, intervention)]
