"""The GRADE domains, each a function from the units of a body of evidence to the reasons that move (or explain not
moving) its certainty (docs/method.md, sections 4 and 5). The thresholds are in ``grading.thresholds``.

``rating`` is every unit at the best starting level; ``support`` is the part of it that points the way the body
points (all of it when the body is mixed). Risk of bias, indirectness, imprecision and publication bias are judged on
the support, so that a small study pointing the other way can add a concern (inconsistency) but never lift one.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from pydantic import BaseModel

from skinevidence.evidence.models import Blinding, Comparator, Direction, EffectMetric, Finding, Route, Study
from skinevidence.grading.thresholds import (
    APPRECIABLE_RATIO_HIGH,
    APPRECIABLE_RATIO_LOW,
    ATTRITION_LIMIT,
    I_SQUARED_LIMIT,
    IMPRECISION_SERIOUS,
    IMPRECISION_VERY_SERIOUS,
    LARGE_EFFECT,
    LOWER_BOUND_TRIALS,
    MAJORITY_DIRECTION,
    MAX_INDIRECTNESS,
    PUBLICATION_BIAS_MAX_STUDIES,
    SERIOUS_SHARE,
    VERY_LARGE_EFFECT,
)
from skinevidence.grading.units import (
    STATED_RANKS,
    UNCONTROLLED,
    Unit,
    counted_participants,
    counted_trials,
    sizes,
    weights,
)

BLINDED = (Blinding.DOUBLE, Blinding.ASSESSOR, Blinding.SINGLE)
#: Domains the review authors judged on their full data when they state their own certainty.
JUDGED_BY_REVIEW = ("risk of bias", "inconsistency", "imprecision", "publication bias")


class Reason(BaseModel):
    """One move of the grade (or a note that explains a non-move), with the studies behind it."""

    domain: str
    change: int
    text: str
    studies: list[str] = []


def ids(units: list[Unit]) -> list[str]:
    return list(dict.fromkeys(u.study.id for u in units))


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def most(part: list[Unit], whole: list[Unit]) -> bool:
    """More than half of the evidence, weighed by participants: the share that makes a concern serious."""
    weight = dict(zip((id(u) for u in whole), weights(whole)))
    return sum(weight[id(u)] for u in part) > SERIOUS_SHARE * sum(weight.values())


# direction -------------------------------------------------------------------------------------------------------

def agreement(units: list[Unit]) -> tuple[Direction, float]:
    """The direction most of the (participant-weighted) evidence takes, and the share that takes it."""
    shares: defaultdict[Direction, float] = defaultdict(float)
    for unit, weight in zip(units, weights(units)):
        shares[unit.direction] += weight
    direction, share = max(shares.items(), key=lambda item: item[1])  # the first of equals, as Counter.most_common
    return direction, share / sum(shares.values())


def body_direction(units: list[Unit]) -> Direction:
    direction, share = agreement(units)
    return direction if share >= MAJORITY_DIRECTION else Direction.MIXED


# risk of bias ----------------------------------------------------------------------------------------------------

def concerns(study: Study, findings: list[Finding]) -> list[str]:
    """Risk-of-bias concerns derived from coded features of one study (docs/method.md, "Risk of bias")."""
    found: list[str] = []
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


def risk_of_bias(support: list[Unit]) -> list[Reason]:
    primaries = [Unit(u.study, u.findings) for u in support if not u.is_review]
    primaries += [Unit(s, u.findings) for u in support for s in u.folded]
    if not primaries:
        return [Reason(domain="risk of bias", change=0, studies=ids(support), text=(
            "Risk of bias of the trials inside the review(s) is not coded here and the review states no certainty "
            "of its own for this outcome; not downgraded."))]
    flagged = {id(u): concerns(u.study, u.findings) for u in primaries}
    serious = [u for u in primaries if flagged[id(u)]]
    very = [u for u in primaries if len(flagged[id(u)]) >= 2]
    detail = "; ".join(f"{u.study.id}: {', '.join(flagged[id(u)])}" for u in serious)
    if most(very, primaries):
        return [Reason(domain="risk of bias", change=-2, studies=ids(very), text=(
            f"Very serious risk of bias: most of the evidence (by participants) comes from studies with two or more "
            f"concerns ({detail})."))]
    if most(serious, primaries):
        return [Reason(domain="risk of bias", change=-1, studies=ids(serious), text=(
            f"Serious risk of bias: most of the evidence (by participants) comes from studies with a concern "
            f"({detail})."))]
    if serious:
        return [Reason(domain="risk of bias", change=0, studies=ids(serious), text=(
            f"Not downgraded: only a minority of the evidence comes from studies with concerns ({detail})."))]
    return []


# inconsistency ---------------------------------------------------------------------------------------------------

def inconsistency(rating: list[Unit], support: list[Unit]) -> list[Reason]:
    """Studies pointing different ways (the largest share by participants below 75%), or heterogeneity (I² at or
    above 50%) in a pooled analysis behind the body: either is serious inconsistency, and I² is checked whatever
    the directions."""
    directions = Counter(u.direction for u in rating)
    split = ", ".join(f"{n} {d.value}" for d, n in directions.items())
    direction, share = agreement(rating)
    heterogeneous = [u for u in support if u.i_squared is not None and u.i_squared >= I_SQUARED_LIMIT]
    i2 = ", ".join(f"{u.study.id}: I² {u.i_squared:g}%" for u in heterogeneous)
    if len(directions) > 1 and share < MAJORITY_DIRECTION:
        text = (f"Serious inconsistency: the studies point in different directions ({split}); the largest share, "
                f"{share:.0%} by participants, is below {MAJORITY_DIRECTION:.0%}.")
        return [Reason(domain="inconsistency", change=-1, studies=ids(rating),
                       text=text + (f" Heterogeneity too ({i2})." if heterogeneous else ""))]
    if heterogeneous:
        return [Reason(domain="inconsistency", change=-1, studies=ids(heterogeneous), text=(
            f"Serious inconsistency: heterogeneity at or above I² {I_SQUARED_LIMIT}% in the pooled analysis "
            f"({i2})."))]
    if len(directions) > 1:
        minority = ids([u for u in rating if u.direction is not direction])
        return [Reason(domain="inconsistency", change=0, studies=minority, text=(
            f"Not downgraded: {share:.0%} of the evidence (by participants) points the same way ({split})."))]
    return []


# indirectness ----------------------------------------------------------------------------------------------------

def indirectness(support: list[Unit], surrogate: bool, route: Route | None, disease: bool,
                 borrowed: list[str]) -> list[Reason]:
    """Every way the evidence answers a question other than the one asked; together they move the grade two
    levels at most."""
    found: list[Reason] = []
    notes: list[Reason] = []

    def add(studies: list[str], text: str) -> None:
        found.append(Reason(domain="indirectness", change=-1, studies=studies, text=text))

    every = ids(support)
    if borrowed:
        add(every, f"Indirect: no study of this intervention itself rates this cell; the evidence is on "
                   f"{', '.join(borrowed)} (its class or a sibling member), one level down.")
    if route in (Route.MIXED, Route.NOT_REPORTED):
        why = "results pooled over several routes" if route is Route.MIXED else "how it was given is not reported"
        add(every, f"Indirect: {why}, so they speak to no particular way of using it.")
    if surrogate:
        add(every, "Indirect: a surrogate outcome (a tissue or laboratory measure), not what a person sees.")
    apart = [u for u in support if u.apart]
    if apart:
        members = sorted({f.intervention for u in apart for f in u.findings})
        notes.append(Reason(domain="indirectness", change=0, studies=ids(apart), text=(
            f"Not downgraded, but read with care: {plural(len(apart), 'study is', 'studies are')} on members of the "
            f"class graded apart ({', '.join(members)}): they differ in what they are, each has its own grade, and "
            "the class grade pools them.")))
    induced = [u for u in support if u.study.induced_model or (disease and u.study.healthy_volunteers)]
    if most(induced, support):
        models = sorted({u.study.induced_model for u in induced if u.study.induced_model})
        how = f"under an induced model ({', '.join(models)})" if models else "without the condition"
        add(ids(induced), f"Indirect: most studies tested healthy volunteers {how}, not people with the problem.")
    active = [u for u in support if u.only_active_comparisons]
    if most(active, support):
        add(ids(active), "Indirect: most studies compared it with another active treatment, not with placebo or "
                         "nothing; 'no different from an active treatment' is read as a benefit.")
    confounded = [u for u in support
                  if any(f.co_interventions and f.co_interventions_controlled is not True for f in u.findings)]
    if most(confounded, support):
        add(ids(confounded), "Indirect: in most studies co-interventions were not given to a comparison group, so "
                             "the effect cannot be separated from them.")
    if len(found) > MAX_INDIRECTNESS:
        for reason in found[MAX_INDIRECTNESS:]:
            reason.change = 0
            reason.text += f" (Not moved again: indirectness moves the grade {MAX_INDIRECTNESS} levels at most.)"
    return [*found, *notes]


# imprecision -----------------------------------------------------------------------------------------------------

def imprecision(support: list[Unit], direction: Direction) -> list[Reason]:
    """Too few participants (GRADE's rule of thumb), or a main effect whose confidence interval is too wide; the
    more serious of the two moves the grade."""
    by_count = _imprecision_by_count(support)
    by_interval = _imprecision_by_interval(support, direction)
    if by_interval and (not by_count or by_interval[0].change < by_count[0].change):
        return by_interval
    return by_count


def _imprecision_by_interval(support: list[Unit], direction: Direction) -> list[Reason]:
    """The 95% CI of the main effect (the unit that carries most of the evidence, by participants) includes no
    effect, or reaches from an appreciable effect (a ratio beyond 0.75 or 1.25) to a trivial one; for a body that
    shows no difference, an interval that still includes an appreciable effect."""
    weight = dict(zip((id(u) for u in support), weights(support)))
    total = sum(weight.values())
    for unit in sorted(support, key=lambda u: -weight[id(u)]):
        sizes = [f.effect_size for f in unit.findings if f.effect_size is not None
                 and f.effect_size.ci_low is not None and f.effect_size.ci_high is not None]
        if not sizes:
            continue
        if weight[id(unit)] <= SERIOUS_SHARE * total:
            return []
        size = sizes[0]
        low, high = size.ci_low, size.ci_high
        assert low is not None and high is not None  # sizes keeps only intervals with both ends
        ci = f"95% CI {low:g} to {high:g}"
        if size.metric.ratio:
            reaches = {value for value in (APPRECIABLE_RATIO_LOW, APPRECIABLE_RATIO_HIGH) if low < value < high}
            crosses_null = low < 1 < high
        elif size.metric in (EffectMetric.MEAN_DIFFERENCE, EffectMetric.STANDARDISED_MEAN_DIFFERENCE):
            reaches, crosses_null = set(), low < 0 < high
        else:
            return []
        if direction is Direction.NO_DIFFERENCE:
            wide = low < APPRECIABLE_RATIO_LOW or high > APPRECIABLE_RATIO_HIGH if size.metric.ratio else False
            why = "still includes an appreciable effect"
        elif direction in (Direction.BENEFIT, Direction.HARM):
            wide = crosses_null or bool(reaches)
            why = "includes no effect" if crosses_null else "reaches from an appreciable effect to a trivial one"
        else:
            return []
        if wide:
            return [Reason(domain="imprecision", change=-1, studies=[unit.study.id], text=(
                f"Serious imprecision: the main effect's confidence interval ({ci}) {why}."))]
        return []
    return []


def _imprecision_by_count(support: list[Unit]) -> list[Reason]:
    total = counted_participants(support)
    trials = counted_trials(support)
    every = ids(support)
    unknown = [u.study.id for u in support if not u.participants]
    note = f" ({plural(len(unknown), 'study', 'studies')} without a participant count)" if unknown else ""
    reviews = sum(1 for u in support if u.is_review)
    overlap = " Reviews of the same question share trials, so only the largest review is counted." \
        if reviews > 1 else ""
    if unknown and trials >= LOWER_BOUND_TRIALS and total < IMPRECISION_SERIOUS:
        return [Reason(domain="imprecision", change=-1, studies=every, text=(
            f"Serious imprecision: at least {total} participants{note}; with {trials} trials behind the evidence "
            f"the total is a lower bound, so the downgrade is kept to one level.{overlap}"))]
    if total < IMPRECISION_VERY_SERIOUS:
        counted = f"{total} participants" if total else "no participant count"
        return [Reason(domain="imprecision", change=-2, studies=every, text=(
            f"Very serious imprecision: {counted} in total, fewer than {IMPRECISION_VERY_SERIOUS}{note}.{overlap}"))]
    if total < IMPRECISION_SERIOUS:
        return [Reason(domain="imprecision", change=-1, studies=every, text=(
            f"Serious imprecision: {total} participants in total, fewer than {IMPRECISION_SERIOUS}{note}."
            f"{overlap}"))]
    return []


# publication bias and industry -------------------------------------------------------------------------------------

def publication_bias(support: list[Unit]) -> list[Reason]:
    """A few small studies, all tied to the maker: publication bias suspected (GRADE's small-study pattern)."""
    linked = [u.study.id for u in support if u.study.industry_linked]
    small = counted_participants(support) < IMPRECISION_SERIOUS
    if small and len(support) <= PUBLICATION_BIAS_MAX_STUDIES and len(linked) == len(support):
        return [Reason(domain="publication bias", change=-1, studies=linked, text=(
            f"Publication bias suspected: only {plural(len(support), 'small study', 'small studies')}, all funded by "
            "or tied to the product's maker."))]
    return []


def industry(support: list[Unit]) -> list[Reason]:
    """Funding is shown, never a downgrade by itself (GRADE); a body that comes entirely from makers is flagged."""
    linked = [u.study.id for u in support if u.study.industry_linked]
    if not linked:
        return []
    if len(linked) == len(support):
        text = (f"All the rating evidence ({plural(len(linked), 'study', 'studies')}) was funded by, or has authors "
                "tied to, the makers of the products tested. GRADE does not downgrade for funding alone, but no "
                "independent study confirms it.")
    else:
        text = (f"{len(linked)} of {len(support)} rating studies were funded by, or have authors tied to, the maker "
                "of the product tested (shown, not downgraded).")
    return [Reason(domain="industry", change=0, studies=linked, text=text)]


# a review's own certainty ----------------------------------------------------------------------------------------

def stated_certainty(support: list[Unit], start: int) -> tuple[Reason | None, list[Reason]]:
    """When the main review behind the body (the largest, then the most recent) states its own GRADE certainty for
    this outcome and covers most of the body, its assessors judged risk of bias, inconsistency, imprecision and
    publication bias on the full data: that certainty takes the place of those four domains here (indirectness to
    this question is still rated). Returns that reason, or None with a note when only a smaller review states a
    certainty (the domains are then rated here)."""
    reviews = [u for u in support if u.is_review]
    if not reviews:
        return None, []
    size = dict(zip((id(u) for u in support), sizes(support)))
    main = max(reviews, key=lambda u: (size[id(u)], u.study.year or 0, STATED_RANKS.get(u.stated or "", 0)))
    if main.stated is not None and size[id(main)] <= SERIOUS_SHARE * sum(size.values()):
        rated = f"{main.study.id} rated its evidence {main.stated.replace('-', ' ')}"
        return None, [Reason(domain="superseded review", change=0, studies=[main.study.id], text=(
            f"{rated}, but it covers only part of the evidence rating this cell: the domains are rated here on all "
            "of it."))]
    if main.stated is None:
        others = [u for u in reviews if u.stated]
        if not others:
            return None, []
        rated = "; ".join(f"{u.study.id} rated its evidence {(u.stated or '').replace('-', ' ')}" for u in others)
        return None, [Reason(domain="superseded review", change=0, studies=ids(others), text=(
            f"{rated}, but the main review of this cell ({main.study.id}, the largest) states no certainty: the "
            "domains are rated here."))]
    words = main.stated.replace("-", " ")
    return Reason(domain="stated certainty", change=STATED_RANKS[main.stated] - start, studies=[main.study.id],
                  text=(f"The main review of this cell rates its own evidence for this outcome as {words} certainty "
                        "(GRADE); its assessors judged risk of bias, inconsistency, imprecision and publication bias "
                        "on the full data, so those are taken from it rather than rated again here.")), []


# moving up -------------------------------------------------------------------------------------------------------

def upgrades(rating: list[Unit]) -> list[Reason]:
    reasons = []
    effects = [(u.study.id, max(ratio, 1 / ratio)) for u in rating for f in u.findings
               for ratio in _ratios(f)]
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


def _ratios(finding: Finding) -> list[float]:
    ratios = [finding.relative_effect] if finding.relative_effect else []
    size = finding.effect_size
    if size is not None and size.metric.ratio and size.value:
        ratios.append(size.value)
    return ratios
