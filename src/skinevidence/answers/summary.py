"""The one-screen answer at the top of a report: a bottom line chosen by a written rule, what the intervention is used
for and what studies in people show for that (at-home use first, procedures apart), what rests on cells or animals
only, safety and regulation where the reader lives, the better-proven alternatives, and the main pitfalls.

Every sentence is built from the grades and the sourced records and cites them (``refs``: record ids). The rule
for the bottom line and how each part is chosen are written out in ``docs/answers.md``; nothing here knows an
intervention by name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from skinevidence.answers.options import Option, one_per_family, options_for
from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.models import (
    Advice,
    Direction,
    InterventionKind,
    RegulatoryFact,
    Route,
    SafetyKind,
    SafetySignal,
)
from skinevidence.grading.grade import Grade, grade_intervention
from skinevidence.grading.statements import Certainty, short_statement, statement
from skinevidence.grading.strongest import strongest
from skinevidence.text.sentences import split_sentences

#: Interventions a person uses themselves: their usual use is at home (on the skin, or by mouth).
HOME_ROUTES = (Route.TOPICAL, Route.ORAL)
PROCEDURE_KINDS = (InterventionKind.PROCEDURE, InterventionKind.DEVICE)
MAIN_USES = 4          # outcomes shown under "what it is used for" (and with better-proven alternatives)
FEWEST_USES = 2        # ... down to this many when the summary would not fit one screen
WORD_BUDGET = 870      # words of the rendered summary (estimated, references and footer included): under 900
REFERENCE_WORDS = 17   # what one short reference costs in words, on average
FRAME_WORDS = 90       # headings, the footer and the version line
OPTIONS_PER_USE = 2    # alternatives named per outcome, each cited
PITFALLS = 3
REGULATION_FACTS = 2
LAB_NAMES = 3          # outcomes named under "only in cells or animals"
BOTTOM_LINE_USES = 3   # uses whose better options the bottom line names
SENTENCE_WORDS = 18    # a record's first sentence is cut at this many words in the summary
MODERATE = Certainty.MODERATE.rank
#: Regulatory kinds in the order a reader needs them: what is forbidden or approved before how it is advertised.
REGULATION_ORDER = ("prohibition", "warning", "enforcement", "approval-status", "restriction", "prescription-only",
                    "otc-monograph", "device-clearance", "cosmetic-ingredient", "classification", "drug-claim-rule",
                    "advertising-rule", "no-statement-found")
HARM_WORDS = {Direction.HARM: "more side effects than the comparison",
              Direction.NO_DIFFERENCE: "no more than the comparison",
              Direction.MIXED: "none beyond the comparison in the trials used, but other studies or case reports "
                               "describe harms",
              Direction.BENEFIT: "fewer than the comparison",
              Direction.NOT_REPORTED: "not reported"}
ADVICE_WORDS = {Advice.AVOID: "avoid", Advice.CAUTION: "use only with caution",
                Advice.COMPATIBLE: "considered compatible", Advice.NO_INFORMATION_FOUND: "no information found"}


class Decision(StrEnum):
    """The bottom line's label (docs/answers.md, "The bottom line")."""

    RECOMMENDED = "recommended"
    AN_OPTION = "an option"
    NOT_RECOMMENDED = "not recommended"
    UNPROVEN = "unproven"


class Point(BaseModel):
    text: str
    refs: list[str] = []


class BottomLine(BaseModel):
    decision: Decision
    rule: str  # which part of the rule decided, in words
    text: str
    refs: list[str] = []


class Summary(BaseModel):
    """The one-screen answer. ``refs`` are record ids, numbered against the report's references."""

    jurisdiction: str
    bottom_line: BottomLine
    uses: list[Point]
    lab_only: list[Point]
    safety: list[Point]
    regulation: list[Point]
    alternatives: list[Point]
    pitfalls: list[Point]


def home_use(catalog: Catalog, intervention: str) -> tuple[Route, ...] | None:
    """The routes of an intervention's usual use: at home for what a person applies or takes; every route (None) for
    a procedure or device, which is done in a clinic by definition."""
    return None if catalog.kinds[intervention] in PROCEDURE_KINDS else HOME_ROUTES


def main_uses(catalog: Catalog, human: list[Grade]) -> list[str]:
    """The outcomes it is most studied for in people, most studies first (then participants, then the vocabulary's
    order): research follows what a product is sold for. Harms are safety, not a use; a surrogate outcome counts for
    the outcomes it stands for; an outcome whose studies are all those of a more specific one is that one."""
    studies: dict[str, set[str]] = defaultdict(set)
    participants: dict[str, int] = defaultdict(int)
    for g in human:
        outcome = catalog.outcomes[g.outcome]
        if outcome.harm:
            continue
        for target in outcome.stands_for or [g.outcome]:
            studies[target] |= set(g.studies)
            participants[target] += g.participants
    merged = {o for o in studies for child in studies if child != o
              and child in catalog.outcome_family(o) and studies[child] == studies[o]}
    order = list(catalog.outcomes)
    ranked = sorted((o for o in studies if o not in merged),
                    key=lambda o: (-len(studies[o]), -participants[o], order.index(o)))
    return ranked


def _subject(catalog: Catalog, intervention: str) -> str:
    return "they" if catalog.interventions[intervention].plural else "it"


def _says(catalog: Catalog, intervention: str, g: Grade) -> str:
    """The grade's statement with "it" for the intervention: "it may improve hair loss (low certainty)"."""
    words = statement(g.certainty, g.direction, _subject(catalog, intervention), catalog.outcomes[g.outcome].name,
                      harm_outcome=g.harm_outcome, plural=catalog.interventions[intervention].plural)
    words = words.rstrip(".")
    return f"{words[:1].lower()}{words[1:]} ({g.certainty.value} certainty)"


def key_refs(catalog: Catalog, ids: Iterable[str], n: int = 2) -> list[str]:
    """The ``n`` records that carry most weight: reviews, then randomised trials, then the rest; larger first."""
    def weight(record: str) -> tuple:
        study = catalog.studies.get(record)
        if study is None:
            return (0, 0, 0)
        return (study.design.is_review, study.design.is_randomised, study.participants or 0)
    return sorted(dict.fromkeys(ids), key=weight, reverse=True)[:n]


def _grade_refs(catalog: Catalog, g: Grade) -> list[str]:
    return key_refs(catalog, g.rating_studies or g.studies or g.preclinical_studies, 1)


def _uses(catalog: Catalog, intervention: str, human: list[Grade], uses: list[str]) -> list[Point]:
    home = home_use(catalog, intervention)
    points = []
    for outcome in uses:
        family = catalog.outcome_family(outcome)
        cells = [g for g in human if g.outcome in family or outcome in catalog.outcomes[g.outcome].stands_for]
        count = len({s for g in cells for s in g.studies})
        parts, refs = [], []
        at_home = strongest(g for g in cells if home is None or g.route in home)
        if at_home is not None:
            where = "" if home is None else "at home: "
            parts.append(f"{where}{short_statement(at_home.certainty, at_home.direction)}")
            refs += _grade_refs(catalog, at_home)
        elif home is not None:
            parts.append("at home: not tested in people")
        elsewhere = strongest(g for g in cells if home is not None and g.route not in home)
        if elsewhere is not None and elsewhere.route is not None:
            parts.append(f"{elsewhere.route.label}: {short_statement(elsewhere.certainty, elsewhere.direction)}")
            refs += _grade_refs(catalog, elsewhere)
        name = short_name(catalog.outcomes[outcome].name)
        points.append(Point(text=f"{name} ({count} stud{'y' if count == 1 else 'ies'}): {'; '.join(parts)}.",
                            refs=key_refs(catalog, refs, 1)))
    return points


def members_graded_apart(catalog: Catalog, intervention: str) -> list[Point]:
    """For a class whose members differ in what they are (``inherits: false``: human-cell vesicles, conditioned
    media, plant vesicles), the best human evidence of each member side by side: the class's pooled grades mix
    them, and the evidence on one does not carry over to another (docs/method.md, classes and members)."""
    members = [m for m in catalog.interventions.values() if m.parent == intervention and not m.inherits]
    if not members:
        return []
    parts, refs = [], []
    for member in members:
        graded = grade_intervention(catalog, member.id)
        best = strongest(g for g in graded if g.route is not None and g.certainty.is_human)
        if best is not None:
            assert best.route is not None  # strongest picked among graded cells with a route
            parts.append(f"{short_name(member.name)}: {best.certainty.value} "
                         f"({short_name(catalog.outcomes[best.outcome].name).lower()}, {best.route.label})")
            refs += _grade_refs(catalog, best)
        elif graded:
            parts.append(f"{short_name(member.name)}: cells or animals only")
        else:
            parts.append(f"{short_name(member.name)}: no studies")
    return [Point(text=("Its kinds are graded apart, because evidence on one does not carry over to another. The "
                        "best certainty of each: " + "; ".join(parts) + "."), refs=key_refs(catalog, refs, 2))]


def _lab_only(catalog: Catalog, lab: list[Grade]) -> list[Point]:
    if not lab:
        return []
    names = list(dict.fromkeys(short_name(catalog.outcomes[g.outcome].name).lower() for g in lab))
    more = len(names) - LAB_NAMES
    names = names[:LAB_NAMES] + ([f"{more} more"] if more > 0 else [])
    listed = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    refs = key_refs(catalog, [s for g in lab for s in g.preclinical_studies], 1)
    return [Point(text=(f"Only in cells or animals: {listed}. That is not evidence of a visible effect on human "
                        "skin."), refs=refs)]


def safety_points(catalog: Catalog, intervention: str, records: list[SafetySignal], harms: list[Grade]) -> list[Point]:
    points = []
    serious = [r for r in records if r.kind is SafetyKind.SERIOUS_SIGNAL]
    if serious:
        events = list(dict.fromkeys(short_name(r.event).rstrip(".") for r in serious))[:2]
        routes = sorted({r.route.label for r in serious if r.route})
        where = f" ({', '.join(routes)})" if routes else ""
        points.append(Point(text=f"Serious problems reported{where}: {'; '.join(events)}.",
                            refs=[r.id for r in serious][:1]))
    missing = []
    for kind, label in ((SafetyKind.PREGNANCY, "Pregnancy"), (SafetyKind.LACTATION, "Breastfeeding")):
        found = [r for r in records if r.kind is kind]
        if found:
            advice = _strictest(r.advice for r in found)
            points.append(Point(text=f"{label}: {ADVICE_WORDS[advice]}.",
                                refs=[r.id for r in found if r.advice is advice][:1]))
        else:
            missing.append(label.lower())
    if missing:
        points.append(Point(text=f"{' and '.join(missing).capitalize()}: no record in the evidence base; ask a "
                                 "doctor or pharmacist."))
    common = [r for r in records if r.kind in (SafetyKind.ADVERSE_EFFECTS, SafetyKind.CONTRAINDICATION,
                                               SafetyKind.INTERACTION)]
    for record in common[:2]:
        frequency = f" ({record.frequency})" if record.frequency else ""
        points.append(Point(text=f"{record.event.rstrip('.')}{frequency}.", refs=[record.id]))
    harm = strongest(harms, harms=True)
    if harm is not None:
        points.append(Point(text=f"Side effects in studies ({harm.certainty.value} certainty): "
                                 f"{HARM_WORDS[harm.direction or Direction.MIXED]}.", refs=_grade_refs(catalog, harm)))
    return points


def _strictest(advice: Iterable[Advice | None]) -> Advice:
    order = [Advice.AVOID, Advice.CAUTION, Advice.COMPATIBLE, Advice.NO_INFORMATION_FOUND]
    given = [a for a in advice if a is not None]
    return min(given, key=order.index) if given else Advice.NO_INFORMATION_FOUND


def regulation_points(facts: list[RegulatoryFact], jurisdiction: str) -> list[Point]:
    here = [f for f in facts if f.jurisdiction in (jurisdiction, "INT") and f.kind != "adverse-event-reporting"]
    here.sort(key=lambda f: (f.jurisdiction != jurisdiction, REGULATION_ORDER.index(f.kind)
                             if f.kind in REGULATION_ORDER else len(REGULATION_ORDER), -(f.date.toordinal()
                             if f.date else 0)))
    points = []
    for fact in here[:REGULATION_FACTS]:
        who = " ".join(part for part in (fact.jurisdiction, fact.authority) if part)
        when = f" ({fact.date.year})" if fact.date else ""
        points.append(Point(text=f"{who}{when}: {first_sentence(fact.statement)}", refs=[fact.id]))
    if not any(f.jurisdiction == jurisdiction for f in here):
        points.insert(0, Point(text=f"The evidence base holds no regulator's statement for {jurisdiction}."))
    elsewhere = sorted({f.jurisdiction for f in facts} - {jurisdiction, "INT"})
    if elsewhere:
        points.append(Point(text=f"Also on record for: {', '.join(elsewhere)} (use --jurisdiction, or the full "
                                 "report)."))
    return points


def first_sentence(text: str) -> str:
    """The first sentence of a record's statement: the summary keeps to one per record."""
    spans = split_sentences(text)
    first = text[spans[0][0]:spans[0][1]] if spans else text
    words = first.split()
    return first if len(words) <= SENTENCE_WORDS else " ".join(words[:SENTENCE_WORDS]).rstrip(",;:") + " …"


def short_name(name: str) -> str:
    """A name without its parenthesis, as a reader says it: 'Tretinoin (all-trans retinoic acid)' -> 'Tretinoin'."""
    return name.split(" (")[0]


def _alternatives(catalog: Catalog, uses: list[str], options: dict[str, list[Option]]) -> list[Point]:
    points = []
    for outcome in uses:
        chosen = one_per_family(catalog, options.get(outcome, []))[:OPTIONS_PER_USE]
        if not chosen:
            continue
        parts = []
        for option in chosen:
            why = []
            if option.recommendation:
                why.append(f"{option.recommendation} in a guideline")
            if option.grade is not None:
                why.append(option.grade.certainty.value)
            parts.append(f"{short_name(option.name)} ({', '.join(why)})")
        refs = [ref for option in chosen for ref in (option.recommendation_refs[:1] or key_refs(
            catalog, option.grade.rating_studies if option.grade else [], 1))]
        points.append(Point(text=f"{short_name(catalog.outcomes[outcome].name)}: {'; '.join(parts)}.", refs=refs))
    return points


def bottom_line(catalog: Catalog, intervention: str, human: list[Grade], uses: list[str],
                options: dict[str, list[Option]], serious: list[SafetySignal],
                facts_here: list[RegulatoryFact]) -> BottomLine:
    """The decision by the rule of docs/answers.md, and the sentence that says it."""
    name = catalog.interventions[intervention].name
    home = home_use(catalog, intervention)
    usual = [g for g in human if not g.harm_outcome and (home is None or g.route in home)]
    best = strongest(usual)
    anywhere = strongest(human)
    where = "" if home is None else " for at-home use"
    better = _better_options(catalog, uses, options, best)
    warned = [f for f in facts_here if f.kind in ("warning", "enforcement")]
    prohibited = [f for f in facts_here if f.kind == "prohibition"]
    risk = ""
    if serious:
        risk = " Serious problems have been reported"
        risk += f" ({', '.join(sorted({s.route.label for s in serious if s.route}))})." if any(
            s.route for s in serious) else "."
    if warned:
        risk += " Regulators where you live have issued warnings or taken action (see Regulation)."
    if prohibited:
        risk += " A regulator where you live prohibits it in some products (see Regulation)."
    refs = [*(_grade_refs(catalog, best) if best else []), *[s.id for s in serious[:1]]][:2]
    alternatives = ""
    if better:
        alternatives = f" Better-proven options exist: {better}."
    if best is not None and best.certainty.rank >= MODERATE and best.direction is Direction.NO_DIFFERENCE:
        return BottomLine(decision=Decision.NOT_RECOMMENDED, rule="moderate or high certainty of no effect", refs=refs,
                          text=f"Not recommended: {_says(catalog, intervention, best)}.{alternatives}{risk}")
    if best is not None and best.certainty.rank >= MODERATE and best.direction is Direction.BENEFIT:
        outcome = catalog.outcomes[best.outcome].name.lower()
        if best.certainty is Certainty.HIGH and not serious and not warned:
            return BottomLine(decision=Decision.RECOMMENDED, rule="high certainty of benefit, no serious signal",
                              refs=refs, text=f"Recommended for {outcome}, used as studied: "
                                              f"{_says(catalog, intervention, best)}.{alternatives}")
        return BottomLine(decision=Decision.AN_OPTION, rule="moderate certainty of benefit, or a serious signal",
                          refs=refs, text=f"An option for {outcome}, used as studied: "
                                          f"{_says(catalog, intervention, best)}.{alternatives}{risk}")
    if anywhere is None:
        reason = f"no study in people shows what {name.lower()} does"
    else:
        reason = f"no use reaches moderate certainty{where}"
        if best is None:
            reason = f"no study in people tested it{where}"
        if anywhere is not best and (best is None or anywhere.certainty.rank > best.certainty.rank):
            reason += (f"; the best result ({anywhere.certainty.value} certainty) comes from use "
                       f"{anywhere.route.label if anywhere.route else 'in another way'}, which tests that too")
    if better or serious or warned:
        return BottomLine(decision=Decision.NOT_RECOMMENDED, refs=refs,
                          rule="below moderate certainty, and better-proven options or a safety concern exist",
                          text=f"Not recommended: {reason}.{alternatives}{risk}")
    return BottomLine(decision=Decision.UNPROVEN, rule="below moderate certainty, no better-proven option on record",
                      refs=refs, text=f"Unproven: {reason}. Nothing better-proven for the same uses is on record yet.")


def _better_options(catalog: Catalog, uses: list[str], options: dict[str, list[Option]], best: Grade | None) -> str:
    """The first-line or better-graded options for its main uses, as a phrase: "sun protection and tretinoin for
    photoageing"."""
    mine = best.certainty.rank if best is not None else -1
    phrases = []
    for outcome in uses[:BOTTOM_LINE_USES]:
        names = [_lower(short_name(o.name)) for o in one_per_family(catalog, options.get(outcome, []))[:OPTIONS_PER_USE]
                 if o.recommendation == "first-line" or (o.grade is not None and o.grade.certainty.rank > mine
                                                         and o.grade.certainty.rank >= MODERATE)]
        if names:
            joined = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
            phrases.append(f"{joined} for {short_name(catalog.outcomes[outcome].name).lower()}")
    return "; ".join(phrases)


def _lower(name: str) -> str:
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def build_summary(catalog: Catalog, intervention: str, human: list[Grade], lab: list[Grade],
                  facts: list[RegulatoryFact], pitfalls: list[Point], jurisdiction: str) -> Summary:
    """The one-screen answer for the reader's ``jurisdiction``, built from the report's grades and records. Four
    uses are shown, fewer (down to two) when the summary would otherwise pass the word budget."""
    related = catalog.related(intervention)
    records = [s for s in catalog.evidence.safety if s.intervention in related]
    ranked = main_uses(catalog, human)
    facts_here = [f for f in facts if f.jurisdiction in (jurisdiction, "INT")]
    serious = [s for s in records if s.kind is SafetyKind.SERIOUS_SIGNAL]
    harms = [g for g in human if g.harm_outcome]
    members = members_graded_apart(catalog, intervention)
    fixed: dict[str, Any] = {"jurisdiction": jurisdiction, "lab_only": _lab_only(catalog, lab),
             "safety": safety_points(catalog, intervention, records, harms),
             "regulation": regulation_points(facts, jurisdiction),
             "pitfalls": [Point(text=p.text, refs=key_refs(catalog, p.refs, 1)) for p in pitfalls[:PITFALLS]]}
    for count in range(MAIN_USES, FEWEST_USES - 1, -1):
        uses = ranked[:count]
        options = {outcome: options_for(catalog, intervention, outcome) for outcome in uses}
        summary = Summary(bottom_line=bottom_line(catalog, intervention, human, uses, options, serious, facts_here),
                          uses=[*_uses(catalog, intervention, human, uses), *members],
                          alternatives=_alternatives(catalog, uses, options), **fixed)
        if words(summary) <= WORD_BUDGET:
            break
    return summary


def words(summary: Summary) -> int:
    """About how many words the rendered summary takes: its statements, its references and the frame."""
    points: list[Point | BottomLine] = [summary.bottom_line, *summary.uses, *summary.lab_only, *summary.safety,
                                        *summary.regulation, *summary.alternatives, *summary.pitfalls]
    refs = {ref for point in points for ref in point.refs}
    return sum(len(p.text.split()) + 1 for p in points) + REFERENCE_WORDS * len(refs) + FRAME_WORDS
