"""The evidence report for one intervention: every section computed from the graded evidence and sourced facts.

Each statement that rests on records names them (``refs``: study or fact ids); renderers number them against
the report's reference list.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from pydantic import BaseModel

from skinevidence.answers.options import options_for
from skinevidence.answers.summary import BottomLine, Point, Summary, build_summary
from skinevidence.evidence.catalog import Catalog, per_catalog
from skinevidence.evidence.models import (
    Comparator,
    Design,
    Direction,
    EvPreparation,
    EvSource,
    RegulatoryFact,
    Route,
    SafetySignal,
    Status,
    Study,
)
from skinevidence.evidence.references import Reference, references_for_ids
from skinevidence.grading.grade import Grade, grade_intervention, is_human
from skinevidence.grading.statements import MEANING, Certainty
from skinevidence.grading.strongest import strongest

DISCLAIMER = ("This is a summary of published evidence, not medical advice. It cannot tell you what is right for "
              "your skin.")
SEE_A_DERMATOLOGIST = ("See a dermatologist (or your doctor) before an injection or procedure, for any skin "
                       "condition that is painful, spreading, bleeding or not improving, and straight away after a "
                       "reaction to a product or treatment: swelling, lumps, blistering, spreading redness or signs "
                       "of infection.")


class Alternative(BaseModel):
    intervention: str
    name: str
    route: Route | None
    certainty: Certainty
    direction: Direction | None
    participants: int
    participants_text: str = ""
    statement: str
    refs: list[str]
    recommendation: str | None = None  # a guideline's recommendation for this outcome (first-line, recommended)


class DuplicateCell(BaseModel):
    """A graded cell whose studies are exactly those of a more specific outcome's cell by the same route: readers
    see the specific one only (JSON keeps both)."""

    outcome: str
    route: Route | None
    same_as: str


class AlternativesForOutcome(BaseModel):
    outcome: str
    outcome_name: str
    this_certainty: Certainty
    options: list[Alternative]


class RegulatoryPoint(BaseModel):
    id: str
    jurisdiction: str
    intervention: str | None
    authority: str | None
    date: str | None
    kind: str
    status: str | None
    routes: list[Route]
    statement: str


class Report(BaseModel):
    intervention: str
    name: str
    aliases: list[str]
    verdict: str
    bottom_line: str
    grades: list[Grade]
    preclinical_only: list[Grade]
    human_outcomes: list[str]
    preclinical_only_outcomes: list[str]
    limitations: list[Point]
    regulation: dict[str, list[RegulatoryPoint]]
    safety: list[Point]
    adverse_event_reporting: list[Point]
    alternatives: list[AlternativesForOutcome]
    protocols: list[Point]
    pitfalls: list[Point]
    registered_trials: list[Point]
    certainty_meanings: dict[str, str]
    names: dict[str, str]
    disclaimer: str = DISCLAIMER
    see_a_dermatologist: str = SEE_A_DERMATOLOGIST
    references: list[Reference]
    jurisdiction: str = "US"
    summary: Summary | None = None  # the one-screen answer (docs/answers.md); None only while it is built
    duplicates: list[DuplicateCell] = []
    summary_references: int = 0  # references 1..n are the ones the summary cites
    evidence_date: str | None = None  # the latest date a record of the evidence base was read on
    retracted: list[Point] = []       # retracted publications: shown, never graded
    updated: str | None = None        # "Evidence updated on <date> with N new studies" (this intervention)


def build_report(catalog: Catalog, name: str, jurisdiction: str = "US") -> Report:
    """The full evidence report for an intervention given by id, alias, INCI name or a near miss, with its
    one-screen summary for a reader in ``jurisdiction`` (US, EU, UK, KR, CN, TW, JP, AU, CA)."""
    intervention_id = catalog.resolve_intervention(name)
    intervention = catalog.interventions[intervention_id]
    graded = grade_intervention(catalog, intervention_id)
    human = [g for g in graded if g.route is not None and g.certainty.is_human]
    lab = [g for g in graded if g.route is None]
    studies = _human_studies(catalog, intervention_id)
    facts = _regulatory_facts(catalog, intervention_id)
    alternatives = _alternatives(catalog, intervention_id, graded)
    pitfalls = _pitfalls(catalog, studies, human, lab, facts)
    summary = build_summary(catalog, intervention_id, human, lab, facts, pitfalls, jurisdiction)
    report = Report(
        intervention=intervention_id, name=intervention.name, aliases=intervention.aliases,
        verdict=_verdict(intervention.name, human, lab),
        bottom_line=summary.bottom_line.text, jurisdiction=jurisdiction, summary=summary,
        duplicates=_duplicates(catalog, human), evidence_date=evidence_date(catalog),
        grades=human, preclinical_only=lab,
        human_outcomes=list(dict.fromkeys(g.outcome for g in human)),
        preclinical_only_outcomes=[g.outcome for g in lab],
        limitations=_limitations(catalog, studies, human, lab),
        regulation=_by_jurisdiction(facts),
        safety=_safety(catalog, intervention_id, graded),
        adverse_event_reporting=[Point(text=f"{f.jurisdiction}: {f.statement}", refs=[f.id]) for f in facts
                                 if f.kind == "adverse-event-reporting"],
        alternatives=alternatives, protocols=_protocols(catalog, human),
        pitfalls=pitfalls,
        registered_trials=_registered(catalog, intervention_id),
        retracted=_retracted(catalog, intervention_id),
        updated=_updated(catalog, intervention_id),
        certainty_meanings={c.value: m for c, m in MEANING.items()},
        names={**{i.id: i.name for i in catalog.interventions.values()},
               **{o.id: o.name for o in catalog.outcomes.values()}},
        references=[],
    )
    report.references = references_for(catalog, report)
    report.summary_references = len(summary_ids(summary))
    return report


@per_catalog
def evidence_date(catalog: Catalog) -> str | None:
    """The latest date on which a record of the evidence base was read: the date of the evidence base."""
    records: list[Study | RegulatoryFact | SafetySignal] = [
        *catalog.evidence.studies, *catalog.evidence.regulation, *catalog.evidence.safety]
    dates = [r.provenance.read_on for r in records]
    return max(dates).isoformat() if dates else None


# --- the body of human evidence ---------------------------------------------------------------------------------

def _human_studies(catalog: Catalog, intervention_id: str) -> list[Study]:
    seen: dict[str, Study] = {}
    for study, _ in catalog.findings(intervention_id):
        if is_human(study) and study.status is Status.PUBLISHED and study.design not in (
                Design.NARRATIVE_REVIEW, Design.GUIDELINE):
            seen.setdefault(study.id, study)
    return list(seen.values())


def _best(grades: list[Grade]) -> Grade:
    """The strongest efficacy grade (harms are reported under Safety, not as the headline); a harm grade only
    when nothing else was studied. ``grades`` is never empty here."""
    best = strongest(grades) or strongest(grades, harms=True)
    assert best is not None
    return best


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _outcome_names(catalog: Catalog, grades: list[Grade]) -> str:
    names = list(dict.fromkeys(catalog.outcomes[g.outcome].name.lower() for g in grades))
    return ", ".join(names[:-1]) + (f" and {names[-1]}" if len(names) > 1 else names[0]) if names else ""


def _verdict(name: str, human: list[Grade], lab: list[Grade]) -> str:
    if not human:
        if lab:
            return (f"No study in people: every claimed effect of {name.lower()} in the evidence base rests on "
                    f"cell or animal work only ({len(lab)} outcome{'s' if len(lab) != 1 else ''}).")
        return f"The evidence base holds no studies of {name.lower()}."
    best = _best(human)
    spread = Counter(g.certainty.value for g in human)
    spread_text = ", ".join(f"{n} {c}" for c, n in sorted(spread.items(), key=lambda kv: -Certainty(kv[0]).rank))
    text = (f"Best human evidence: {best.certainty.value} certainty. {best.statement} "
            f"Across {len(human)} outcome-by-route combination{'s' if len(human) != 1 else ''} studied in people, "
            f"certainty is {spread_text}.")
    topical = [g for g in human if g.route is Route.TOPICAL]
    if any(g.route is not Route.TOPICAL for g in human):
        if topical:
            text += f" For at-home topical use the best is {_best(topical).certainty.value}: {_best(topical).statement}"
        else:
            text += " No study in people tested it as an at-home topical product."
    if lab:
        text += f" {len(lab)} further claimed effect{'s rest' if len(lab) != 1 else ' rests'} on cell or animal work only."
    return text


def _limitations(catalog: Catalog, studies: list[Study], human: list[Grade], lab: list[Grade]) -> list[Point]:
    points: list[Point] = []
    ids = [s.id for s in studies]
    if not studies:
        return [Point(text="No published study in people is coded in the evidence base.")]
    designs = Counter(s.design.label for s in studies)
    total = sum(s.participants or 0 for s in studies if not s.design.is_review)
    largest = max((s for s in studies if not s.design.is_review), key=lambda s: s.participants or 0, default=None)
    text = (f"Human evidence: {len(studies)} stud{'y' if len(studies) == 1 else 'ies'} "
            f"({', '.join(f'{n} {d}' for d, n in designs.most_common())}), {total} participants in primary studies")
    if largest and largest.participants:
        text += f"; the largest had {largest.participants}"
    points.append(Point(text=text + ".", refs=ids))
    randomised = [s.id for s in studies if s.design.is_randomised]
    if len(randomised) < len(studies):
        points.append(Point(text=f"Only {len(randomised)} of {len(studies)} human studies were randomised.",
                            refs=randomised))
    routes = defaultdict(set)
    for study in studies:
        for finding in study.findings:
            routes[finding.route].add(study.id)
    topical = routes.get(Route.TOPICAL, set())
    elsewhere = {sid for route, group in routes.items() if route is not Route.TOPICAL for sid in group} - topical
    if elsewhere:
        points.append(Point(text=(
            f"{len(elsewhere)} of {len(studies)} human studies used it after a procedure, by injection or as a "
            f"procedure, not as an at-home product; {len(topical)} tested at-home topical use."), refs=sorted(elsewhere)))
    controlled_topical = [s.id for s in studies if s.design.is_randomised and any(
        f.route is Route.TOPICAL and f.comparator in (Comparator.VEHICLE, Comparator.PLACEBO) for f in s.findings)]
    if not controlled_topical:
        points.append(Point(text="No randomised vehicle- or placebo-controlled trial of at-home topical use."))
    linked = [s.id for s in studies if s.industry_linked]
    unknown = [s.id for s in studies if s.industry_linked is None]
    if linked or unknown:
        points.append(Point(text=(
            f"{len(linked)} of {len(studies)} human studies were funded by or tied to a manufacturer; "
            f"{len(unknown)} did not report funding or ties clearly."), refs=linked))
    ev_findings = [(s, f) for s in studies for f in s.findings if f.ev_source or f.ev_preparation]
    if ev_findings:
        undisclosed = sorted({s.id for s, f in ev_findings if f.ev_source in (None, EvSource.NOT_REPORTED)})
        crude = sorted({s.id for s, f in ev_findings if f.ev_preparation in (
            EvPreparation.CONDITIONED_MEDIUM, EvPreparation.LYSATE)})
        unstated = sorted({s.id for s, f in ev_findings if f.ev_preparation in (None, EvPreparation.NOT_REPORTED)})
        if undisclosed:
            points.append(Point(text=f"The vesicles' cell source is not reported in {plural(len(undisclosed), 'study', 'studies')}.",
                                refs=undisclosed))
        if crude or unstated:
            points.append(Point(text=(
                f"{plural(len(crude), 'study', 'studies')} used conditioned medium or lysate rather than purified "
                f"vesicles and {len(unstated)} did not say: any effect cannot be attributed to the vesicles themselves "
                "(MISEV standards ask for separation and characterisation)."), refs=crude + unstated))
    confounded = sorted({s.id for s in studies for f in s.findings
                         if f.co_interventions and f.co_interventions_controlled is not True})
    if confounded:
        points.append(Point(text=(f"{plural(len(confounded), 'study', 'studies')} gave it together with other treatments and no "
                                  "comparison group got those treatments alone."), refs=confounded))
    durations = [s.duration_weeks for s in studies if s.duration_weeks]
    if durations and max(durations) < 52:
        points.append(Point(text=f"No study followed people for more than {max(durations):g} weeks: long-term "
                                 "benefit and safety are unknown."))
    surrogate = [g for g in human if catalog.outcomes[g.outcome].surrogate]
    if surrogate:
        points.append(Point(text=(f"Some human results are surrogate measures ({_outcome_names(catalog, surrogate)}), "
                                  "not visible changes."), refs=[s for g in surrogate for s in g.studies]))
    if lab:
        points.append(Point(text=(f"{_outcome_names(catalog, lab).capitalize()}: cell or animal studies only."),
                            refs=[s for g in lab for s in g.preclinical_studies]))
    return points


def _regulatory_facts(catalog: Catalog, intervention_id: str) -> list[RegulatoryFact]:
    related = catalog.related(intervention_id)
    return [f for f in catalog.evidence.regulation if f.intervention is None or f.intervention in related]


def _by_jurisdiction(facts: list[RegulatoryFact]) -> dict[str, list[RegulatoryPoint]]:
    grouped: dict[str, list[RegulatoryPoint]] = defaultdict(list)
    for fact in sorted(facts, key=lambda f: (f.jurisdiction, str(f.date or ""), f.id)):
        if fact.kind == "adverse-event-reporting":
            continue
        grouped[fact.jurisdiction].append(RegulatoryPoint(
            id=fact.id, jurisdiction=fact.jurisdiction, intervention=fact.intervention, authority=fact.authority,
            date=fact.date.isoformat() if fact.date else None, kind=fact.kind, status=fact.status,
            routes=fact.routes, statement=fact.statement))
    return dict(grouped)


def _safety(catalog: Catalog, intervention_id: str, graded: list[Grade]) -> list[Point]:
    related = catalog.related(intervention_id)
    points = [Point(text=(f"{s.event} ({s.seriousness.replace('-', ' ')}"
                          f"{', ' + s.route.label if s.route else ''}"
                          f"{', ' + s.frequency if s.frequency else ''}): {s.statement}"), refs=[s.id, *s.studies])
              for s in catalog.evidence.safety if s.intervention in related]
    points += [Point(text=f"{g.statement} ({g.certainty.value} certainty)", refs=g.studies)
               for g in graded if g.harm_outcome and g.route is not None and g.certainty.is_human]
    return points


def _alternatives(catalog: Catalog, intervention_id: str, graded: list[Grade]) -> list[AlternativesForOutcome]:
    """For each outcome this intervention is studied for (a surrogate stands for its outcomes), the other
    interventions with human evidence of benefit or a guideline's recommendation: first-line first, then by the one
    strongest-grade rule (``summary.options_for``)."""
    mine: dict[str, Certainty] = {}
    for g in graded:
        for outcome in catalog.outcomes[g.outcome].stands_for or [g.outcome]:
            if catalog.outcomes[outcome].harm:
                continue
            current = mine.get(outcome, Certainty.NO_EVIDENCE)
            mine[outcome] = g.certainty if g.certainty.rank > current.rank else current
    groups = []
    for outcome, this in mine.items():
        options = []
        for option in options_for(catalog, intervention_id, outcome)[:6]:
            cell = option.grade
            options.append(Alternative(
                intervention=option.intervention, name=option.name, route=cell.route if cell else None,
                certainty=cell.certainty if cell else Certainty.NO_EVIDENCE,
                direction=cell.direction if cell else None,
                participants=cell.participants if cell else 0,
                participants_text=cell.participants_text if cell else "",
                statement=cell.statement if cell else "",
                refs=[*option.recommendation_refs, *(cell.rating_studies if cell else [])],
                recommendation=option.recommendation))
        if options:
            groups.append(AlternativesForOutcome(outcome=outcome, outcome_name=catalog.outcomes[outcome].name,
                                                 this_certainty=this, options=options))
    return groups


def _duplicates(catalog: Catalog, human: list[Grade]) -> list[DuplicateCell]:
    """Cells that repeat a more specific outcome's cell: same route, the same studies."""
    found = []
    for g in human:
        for other in human:
            if other is not g and other.route is g.route and other.outcome != g.outcome \
                    and other.outcome in catalog.outcome_family(g.outcome) and set(other.studies) == set(g.studies):
                found.append(DuplicateCell(outcome=g.outcome, route=g.route, same_as=other.outcome))
                break
    return found


def _protocols(catalog: Catalog, human: list[Grade]) -> list[Point]:
    points, seen = [], set()
    for g in sorted(human, key=lambda g: -g.certainty.rank):
        for study_id in g.rating_studies:
            study = catalog.studies[study_id]
            for finding in study.findings:
                if finding.protocol and finding.route is g.route and (finding.protocol, study_id) not in seen:
                    seen.add((finding.protocol, study_id))
                    points.append(Point(text=f"{g.route.label}, {catalog.outcomes[finding.outcome].name.lower()}: "
                                             f"{finding.protocol}", refs=[study_id]))
    return points


def _pitfalls(catalog: Catalog, studies: list[Study], human: list[Grade], lab: list[Grade],
              facts: list[RegulatoryFact]) -> list[Point]:
    points = []
    after = [g for g in human if g.route is not None and g.route.after_procedure]
    topical = [g for g in human if g.route is Route.TOPICAL]
    after_studies = {s for g in after for s in g.studies}
    topical_studies = {s for g in topical for s in g.studies}
    if after and (not topical or _best(after).certainty.rank > _best(topical).certainty.rank
                  or len(after_studies) > len(topical_studies)):
        points.append(Point(text=(
            "Do not read results after laser or microneedling as evidence for a product used at home: the "
            "procedure opens the skin and is itself a treatment; those studies tested the combination."),
            refs=_best(after).rating_studies))
    if lab:
        points.append(Point(text=(
            "Results in cells or animals (more collagen in a dish, faster healing in mice) are not visible results "
            "on human skin."), refs=[s for g in lab for s in g.preclinical_studies][:6]))
    linked = [s.id for s in studies if s.industry_linked]
    if studies and len(linked) > len(studies) / 2:
        points.append(Point(text="Most human studies were funded by or tied to manufacturers.", refs=linked))
    ev = [(s, f) for s in studies for f in s.findings if f.ev_source or f.ev_preparation]
    if ev:
        unstated = [s.id for s, f in ev if f.ev_source in (None, EvSource.NOT_REPORTED)
                    or f.ev_preparation in (None, EvPreparation.NOT_REPORTED)]
        points.append(Point(text=(
            "Ask what the source of the vesicles is (human, plant, animal), how they were purified and how much is "
            "in the bottle: labels rarely say, and results from one preparation do not carry over to another."),
            refs=list(dict.fromkeys(unstated))))
    warnings = sorted({f.jurisdiction for f in facts if f.kind in ("warning", "prohibition", "enforcement")})
    if warnings:
        points.append(Point(text=f"Regulators have issued warnings, prohibitions or enforcement in: "
                                 f"{', '.join(warnings)}. Check the status where you live (see Regulation).",
                            refs=[f.id for f in facts if f.kind in ("warning", "prohibition", "enforcement")]))
    points.append(Point(text=(
        "A study of one product does not show that another product with the same headline ingredient works: "
        "concentration, formulation and the other ingredients differ.")))
    return points


def _registered(catalog: Catalog, intervention_id: str) -> list[Point]:
    seen: dict[str, Point] = {}
    for study, finding in catalog.findings(intervention_id):
        if study.status is Status.REGISTERED and study.id not in seen:
            recruitment = study.registration.recruitment if study.registration else None
            details = "; ".join(part for part in (", ".join(study.registry_ids), recruitment) if part)
            seen[study.id] = Point(text=f"{study.title}{f' ({details})' if details else ''}: no results published "
                                        "yet.", refs=[study.id])
    return list(seen.values())


def _retracted(catalog: Catalog, intervention_id: str) -> list[Point]:
    seen: dict[str, Point] = {}
    for study, _ in catalog.findings(intervention_id):
        if study.status is Status.RETRACTED and study.id not in seen:
            when = f" on {study.retraction.date.isoformat()}" if study.retraction and study.retraction.date else ""
            seen[study.id] = Point(text=f"{study.title} ({study.year or 'year not reported'}): retracted{when}; "
                                        "left out of every grade.", refs=[study.id])
    return list(seen.values())


def _updated(catalog: Catalog, intervention_id: str) -> str | None:
    """When the evidence on this intervention last grew: the latest day a study of it was read, and how many."""
    studies = list({s.id: s for s, _ in catalog.findings(intervention_id)}.values())
    if not studies:
        return None
    latest = max(s.provenance.read_on for s in studies)
    new = [s for s in studies if s.provenance.read_on == latest]
    waiting = sum(1 for s in new if s.provenance.coded_by == "auto")
    note = f" ({waiting} awaiting curation: listed, not yet graded)" if waiting else ""
    if len(new) == len(studies):
        return f"Evidence read on {latest.isoformat()} ({plural(len(new), 'study', 'studies')}){note}."
    return f"Evidence updated on {latest.isoformat()} with {plural(len(new), 'new study', 'new studies')}{note}."


def summary_ids(summary: Summary | None) -> list[str]:
    """The record ids the one-screen summary cites, in reading order."""
    if summary is None:
        return []
    points: list[Point | BottomLine] = [summary.bottom_line, *summary.uses, *summary.lab_only, *summary.safety,
                                        *summary.regulation, *summary.alternatives, *summary.pitfalls]
    return list(dict.fromkeys(ref for point in points for ref in point.refs))


def cited_ids(report: Report) -> list[str]:
    """Every record id the report cites: those of the summary first (so that its references are 1..n), then the
    rest in order of first citation."""
    ids: list[str] = summary_ids(report.summary)
    for g in [*report.grades, *report.preclinical_only]:
        ids += g.studies + g.preclinical_studies + g.registered_trials + g.context_studies
        ids += [s for r in g.reasons for s in r.studies]
    for group in (report.limitations, report.safety, report.adverse_event_reporting, report.protocols,
                  report.pitfalls, report.registered_trials, report.retracted):
        ids += [ref for point in group for ref in point.refs]
    ids += [p.id for points in report.regulation.values() for p in points]
    ids += [ref for group in report.alternatives for option in group.options for ref in option.refs]
    return list(dict.fromkeys(ids))


def references_for(catalog: Catalog, report: Report) -> list[Reference]:
    return references_for_ids(catalog, cited_ids(report))
