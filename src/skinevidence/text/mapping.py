"""The one mapping of text to the vocabulary: which interventions, outcomes and route a text speaks of, read with
the names, aliases and INCI names of the evidence base and the route cues of ``lexicons/routes.yaml``. Questions,
claims and ingested records all map text through here."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from skinevidence.evidence.catalog import Catalog, per_catalog
from skinevidence.evidence.models import Route
from skinevidence.text.lexicon import Lexicon, Match, file_entries

PRODUCT_KINDS = ("ingredient", "drug")  # what a person applies; a procedure beside one of these is its route
PROCEDURE_KINDS = ("procedure", "device")  # named alone, these are done in a clinic: the route is the procedure


def catalog_entries(catalog: Catalog) -> Iterator[tuple[str, str, str]]:
    """Intervention and outcome names, aliases and INCI names from the evidence base."""
    for intervention in catalog.interventions.values():
        for phrase in (intervention.id.replace("-", " "), intervention.name, *intervention.aliases):
            yield phrase, "intervention", intervention.id
            if len(phrase) >= 3 and not phrase.endswith("s") and " " not in phrase:
                yield phrase + "s", "intervention", intervention.id  # 'APCs', 'peels', 'retinoids'

    for entry in catalog.evidence.inci:
        yield entry.name, "intervention", entry.intervention
    for outcome in catalog.outcomes.values():
        for phrase in (outcome.id.replace("-", " "), outcome.name, *outcome.aliases):
            yield phrase, "outcome", outcome.id


class Mapping(BaseModel):
    """What a text speaks of: interventions, outcomes and the route, with the words that said so."""

    interventions: list[str]
    outcomes: list[str]
    route: Route | None
    evidence: list[tuple[str, str, str]]  # (kind, id, the words in the text)


@per_catalog
def text_lexicon(catalog: Catalog) -> Lexicon:
    """Interventions, outcomes and route cues, compiled once per evidence base."""
    return Lexicon([*catalog_entries(catalog), *file_entries("routes", "route")])


def map_text(catalog: Catalog, text: str, matches: list[Match] | None = None) -> Mapping:
    """Read interventions, outcomes and route from a short text. A procedure named beside another intervention
    is the route ("exosome microneedling"), not a second intervention."""
    matches = text_lexicon(catalog).find(text) if matches is None else matches
    route_cues = [m for m in matches if m.kind == "route"]
    cue_spans = {(m.start, m.end) for m in route_cues}
    mentions = [m for m in matches if m.kind == "intervention"]
    products = [m for m in mentions if catalog.kinds[m.id] in PRODUCT_KINDS]
    if products:  # a procedure beside a product is how the product is given: its route
        chosen = [m for m in mentions if m in products or (m.start, m.end) not in cue_spans]
        cues = [m for m in route_cues if (m.start, m.end) not in {(x.start, x.end) for x in chosen}]
        route = Route(cues[0].id) if cues else None
    else:  # procedures (or habits such as sun protection) alone are the interventions; a route cue of their own
        # still counts ("PRP injections"); a habit named alone has no route of its own
        chosen = mentions
        own = {(m.start, m.end) for m in mentions}
        cues = [m for m in route_cues if (m.start, m.end) not in own]
        procedures = any(catalog.kinds[m.id] in PROCEDURE_KINDS for m in mentions)
        route = Route(cues[0].id) if cues else (Route.PROCEDURE if procedures else None)
    interventions = list(dict.fromkeys(m.id for m in chosen))
    outcomes = list(dict.fromkeys(m.id for m in matches if m.kind == "outcome"))
    return Mapping(interventions=interventions, outcomes=outcomes, route=route,
                   evidence=[(m.kind, m.id, m.text) for m in matches])
