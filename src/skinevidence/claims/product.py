"""Product checks: a product's name, claims and INCI list read against the evidence.

What a shopper holding a serum wants to know: which listed ingredients have evidence for which outcomes and how
strong; which proven actives could explain the claimed effect instead of the headline ingredient; whether an
exosome or EV ingredient's source and preparation are disclosed (a MISEV-style checklist); every claim checked;
and a short summary.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel

from skinevidence.claims.check import ClaimCheck, check_text
from skinevidence.claims.reading import read_text
from skinevidence.claims.rules import Flag, flag_for, load_rules
from skinevidence.claims.subject import excluded, unknown_names
from skinevidence.errors import InputError
from skinevidence.evidence.catalog import Catalog, normalise
from skinevidence.evidence.models import Direction, Route
from skinevidence.grading.grade import Grade, grade, is_human
from skinevidence.grading.statements import Certainty
from skinevidence.grading.strongest import by_strength, strongest
from skinevidence.text.ingredients import IngredientRole, ingredient_lexicon, read_ingredients, read_label
from skinevidence.text.lexicon import lexicon_file


class IngredientEvidence(BaseModel):
    label_name: str
    intervention: str | None
    name: str | None
    best: list[Grade]          # at-home topical grades showing benefit, best first
    note: str


class Alternative(BaseModel):
    outcome: str
    ingredient: str
    intervention: str
    certainty: Certainty
    headline_certainty: Certainty
    statement: str


class ChecklistItem(BaseModel):
    item: str
    disclosed: bool
    evidence: str | None


class ProductReport(BaseModel):
    name: str
    headline: list[str]
    headline_unknown: str | None = None    # the name the product is sold for, when the evidence base does not know it
    ingredients: list[IngredientEvidence]  # the actives of the evidence base, judged
    unknown_ingredients: list[str]          # listed ingredients that are not actives of the evidence base
    roles: list[IngredientRole]             # every listed ingredient with what it does in the formula
    claimed_outcomes: list[str]
    alternatives: list[Alternative]
    ev_disclosure: dict[str, str | None] | None
    misev_checklist: list[ChecklistItem]
    misev_score: int | None
    ingredient_flags: list[Flag]
    claims: ClaimCheck | None
    summary: list[str]
    names: dict[str, str]


def read_product_json(path) -> tuple[str, str, str | list[str]]:
    """(name, claims, inci) from a JSON file or standard input ('-')."""
    import json

    from skinevidence.text.input import read_source
    text, source = read_source(None, path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:  # json recurses once per level: arrays nested thousands deep
        raise InputError(f"{source} is not a product: its JSON is nested thousands of levels deep") from None
    except ValueError as exc:  # an integer of more than 4,300 digits (Python's limit on converting them)
        raise InputError(f"{source} is not a product: it holds a number too long to read ({exc.args[0][:60]})") from None
    if not isinstance(data, dict):
        raise InputError(f"{source} must hold a JSON object with \"name\", \"claims\" and \"inci\"")
    name, claims, inci = data.get("name", ""), data.get("claims", ""), data.get("inci", "")
    if isinstance(claims, list):
        claims = "\n".join(str(c) for c in claims)
    if not isinstance(name, str) or not isinstance(claims, str) or not isinstance(inci, (str, list)):
        raise InputError(f"{source}: \"name\" and \"claims\" must be text, \"inci\" text or a list of names")
    return name, claims, [str(i) for i in inci] if isinstance(inci, list) else inci


def parse_inci(inci: str | list[str]) -> list[str]:
    """An ingredient list ("Water, Glycerin, Niacinamide (2%)...") split into names as printed; commas inside
    parentheses stay with their ingredient."""
    return [entry.printed for entry in read_label(inci)]


def _topical_benefits(catalog: Catalog, intervention: str) -> list[Grade]:
    outcomes = {f.outcome for s, f in catalog.findings(intervention)
                if is_human(s, f, catalog) and f.route is Route.TOPICAL and not catalog.outcomes[f.outcome].harm}
    grades = [grade(catalog, intervention, o, Route.TOPICAL) for o in sorted(outcomes)]
    return by_strength(g for g in grades if g.certainty.is_human and g.direction is Direction.BENEFIT)


@cache
def _misev() -> dict[str, list[str]]:
    return lexicon_file("audit_cues")["misev"]


def _checklist(text: str) -> list[ChecklistItem]:
    lowered = text.lower()
    labels = {"source": "source cell or species", "separation": "separation / isolation method",
              "quantification": "quantity (particles, protein or lipid)",
              "positive_markers": "EV markers (CD9/CD63/CD81, TSG101...)", "negative_markers": "purity markers",
              "imaging": "single-vesicle imaging (electron microscopy)", "sizing": "single-particle sizing (NTA...)"}
    items = []
    for key, label in labels.items():
        hit = next((cue for cue in _misev()[key] if re.search(rf"\b{re.escape(cue)}\b", lowered)), None)
        items.append(ChecklistItem(item=label, disclosed=hit is not None, evidence=hit))
    return items


def check_product(catalog: Catalog, name: str, claims: str = "", inci: str | list[str] = "") -> ProductReport:
    if not (name.strip() or claims.strip() or inci):
        raise InputError("give the product's name, its claims or its ingredient list")
    roles = read_ingredients(catalog, inci) if inci else []
    labels = [r.label_name for r in roles]
    ingredients, unknown = [], []
    for role in roles:
        label, intervention = role.label_name, role.intervention
        if intervention is None:
            unknown.append(label)
            continue
        best = _topical_benefits(catalog, intervention)
        note = (f"best at-home evidence: {best[0].certainty.value} for {catalog.outcomes[best[0].outcome].name.lower()}"
                if best else "no graded evidence of benefit for at-home use")
        ingredients.append(IngredientEvidence(label_name=label, intervention=intervention,
                                              name=catalog.interventions[intervention].name, best=best, note=note))
    listed = [i.intervention for i in ingredients if i.intervention is not None]  # every one here is known
    headline, unknown_headline = headline_ingredient(catalog, name, claims, labels, listed)
    text = "\n".join(part for part in (name, claims) if part.strip())
    checked = check_text(catalog, text, source=name or "product", subject=headline or None, product_copy=True,
                         unknown_subject=unknown_headline) if text.strip() else None
    claimed = list(dict.fromkeys(o for c in (checked.claims if checked else []) for o in c.outcomes
                                 if not catalog.outcomes[o].harm))
    alternatives = _alternatives(catalog, ingredients, headline, claimed)
    vesicles = [i for i in dict.fromkeys([*headline, *listed]) if catalog.checklist(i) == "misev"]
    ev = bool(vesicles)
    checklist = _checklist(f"{name}\n{claims}\n{', '.join(labels)}") if ev else []
    disclosure = _ev_disclosure(catalog, ingredients, f"{name} {claims}") if ev else None
    report = ProductReport(
        name=name, headline=headline, headline_unknown=unknown_headline, ingredients=ingredients,
        unknown_ingredients=unknown, roles=roles, claimed_outcomes=claimed,
        alternatives=alternatives, ev_disclosure=disclosure, misev_checklist=checklist,
        misev_score=sum(i.disclosed for i in checklist) if ev else None, claims=checked, summary=[],
        ingredient_flags=ingredient_flags(catalog, listed),
        names={**{i.id: i.name for i in catalog.interventions.values()},
               **{o.id: o.name for o in catalog.outcomes.values()}})
    report.summary = _summary(catalog, report)
    return report


def headline_ingredient(catalog: Catalog, name: str, claims: str, labels: list[str],
                        listed: list[str]) -> tuple[list[str], str | None]:
    """The ingredient the product is named and sold for: the first intervention its name names (else its claims),
    not one it is compared with; made specific by the ingredient list (a product named for exosomes that lists
    plant vesicles is judged on plant vesicles, not on human-cell data); else the first listed active. When the name
    names something the evidence base does not know ("PDRN Serum"), that name is the headline, unknown."""
    for part in (name, claims):
        named = [m.id for m in ingredient_lexicon(catalog).find(part) if not excluded(part, m.start, m.end)]
        if named:
            head = named[0]
            specific = next((i for i in listed if i != head and i in catalog.family(head)), None)
            return [specific or head], None
    unknown, _ = unknown_names(catalog, read_text(catalog, f"{name}\n{claims}\n{', '.join(labels)}"))
    in_name = [key for key in unknown if key in name.lower()]
    listed_names = {normalise(label) for label in labels}
    if in_name:   # prefer a name the ingredient list also gives, then the most mentioned, then the first
        return [], max(in_name, key=lambda k: (k in listed_names, unknown[k], -name.lower().find(k)))
    return listed[:1], None


def ingredient_flags(catalog: Catalog, listed: list[str]) -> list[Flag]:
    """Rules about what a product contains (kind prohibited_ingredient with ``interventions``), fired by the
    ingredient list itself."""
    flags = []
    for rule in load_rules():
        if rule.kind == "prohibited_ingredient" and rule.interventions and any(
                i in catalog.family(r) for r in rule.interventions for i in listed):
            flags.append(flag_for(rule))
    return flags


def _alternatives(catalog: Catalog, ingredients: list[IngredientEvidence], headline: list[str],
                  claimed: list[str]) -> list[Alternative]:
    """Other listed ingredients with at-home evidence of benefit for a claimed outcome at least as strong as the
    headline ingredient's: they could explain the effect."""
    found = []
    for outcome in claimed:
        targets = catalog.outcomes[outcome].stands_for or [outcome]
        for target in targets:
            head = max((grade(catalog, h, target, Route.TOPICAL).certainty for h in headline),
                       key=lambda c: c.rank, default=Certainty.NO_EVIDENCE)
            for ingredient in ingredients:
                if ingredient.intervention is None or ingredient.intervention in headline or \
                        ingredient.intervention in {
                        r for h in headline for r in catalog.related(h)}:
                    continue
                g = grade(catalog, ingredient.intervention, target, Route.TOPICAL)
                if g.certainty.is_human and g.direction is Direction.BENEFIT and g.certainty.rank >= max(1, head.rank):
                    found.append(Alternative(outcome=target, ingredient=ingredient.label_name,
                                             intervention=ingredient.intervention, certainty=g.certainty,
                                             headline_certainty=head, statement=g.statement))
    unique = {(a.outcome, a.intervention): a for a in found}
    return sorted(unique.values(), key=lambda a: (-a.certainty.rank, a.outcome))


def _ev_disclosure(catalog: Catalog, ingredients: list[IngredientEvidence], text: str) -> dict[str, str | None]:
    lowered = text.lower()
    vesicles = [(i.label_name, i.intervention) for i in ingredients
                if i.intervention is not None and catalog.checklist(i.intervention) == "misev"]
    labels = [label for label, _ in vesicles]
    children = {c for _, c in vesicles if catalog.interventions[c].parent}
    origin: list[str] | str | None = sorted(catalog.interventions[c].name for c in children) or None
    if origin is None:
        origin = next((cue for cue in _misev()["source"] if re.search(rf"\b{re.escape(cue)}\b", lowered)), None)
    preparation = next((p for p in ("conditioned medium", "conditioned media", "secretome", "lysate", "purified",
                                    "isolated") if p in lowered), None)
    return {"label_names": ", ".join(labels) or None,
            "source": ", ".join(origin) if isinstance(origin, list) else origin,
            "preparation": preparation}


def _summary(catalog: Catalog, report: ProductReport) -> list[str]:
    lines = []
    if report.headline_unknown:
        lines.append(f"The product is sold for {report.headline_unknown}, which is not in the evidence base: its "
                     "claims cannot be graded, and no other ingredient's evidence is used in its place.")
    for h in report.headline:
        name = catalog.interventions[h].name
        if report.claimed_outcomes:
            grades = [grade(catalog, h, o, Route.TOPICAL) for o in report.claimed_outcomes]
            best = strongest(grades, harms=True)
            assert best is not None
            lines.append(f"The headline ingredient, {name.lower()}, has {best.certainty.value} evidence at best for "
                         f"what the product claims when used at home: {best.statement}")
        else:
            lines.append(f"The headline ingredient is {name.lower()}; the product makes no claim that could be read.")
    if report.alternatives:
        names = list(dict.fromkeys(a.ingredient for a in report.alternatives))
        lines.append(f"Other listed ingredients have at least as much evidence for the claimed effects and could "
                     f"explain them: {', '.join(names)}.")
    if report.ev_disclosure is not None:
        missing = [i.item for i in report.misev_checklist if not i.disclosed]
        lines.append(f"Vesicle source: {report.ev_disclosure['source'] or 'not disclosed'}; preparation: "
                     f"{report.ev_disclosure['preparation'] or 'not disclosed'}. Characterisation disclosed for "
                     f"{report.misev_score} of 7 MISEV items"
                     + (f" (missing: {', '.join(missing[:4])}{'...' if len(missing) > 4 else ''})." if missing
                        else "."))
    if report.claims is not None:
        over = report.claims.overclaims
        flags = sorted({f"{f.jurisdiction} {f.kind.replace('_', ' ')}" for c in report.claims.claims for f in c.flags})
        lines.append(f"{len(report.claims.claims)} claim(s) checked; {over} go beyond the evidence"
                     + (f"; regulatory flags: {', '.join(flags)}." if flags else "."))
    if report.ingredient_flags:
        lines.append("What it contains: " + "; ".join(f"{f.jurisdiction}: {f.title}" for f in report.ingredient_flags)
                     + ".")
    if report.roles:
        lines.append(_roles_line(report.roles))
    return lines


def _roles_line(roles: list[IngredientRole]) -> str:
    """How many listed ingredients have a known role, how many are judged as actives, which no source describes."""
    actives = sum(r.intervention is not None for r in roles)
    known = sum(r.role is not None for r in roles)
    unknown = [r.label_name for r in roles if r.role is None]
    line = (f"{known} of {len(roles)} listed ingredients have a known role: {actives} active(s) of the evidence "
            f"base, judged above, and {known - actives} formulation ingredient(s) (solvents, humectants, "
            f"preservatives, fragrance...), not judged.")
    if unknown:
        line += f" No source states a role for: {', '.join(unknown[:8])}{'...' if len(unknown) > 8 else ''}."
    return line
