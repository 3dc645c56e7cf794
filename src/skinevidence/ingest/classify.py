"""Auto-classification of one citation, every value with the reason it was filled (or left empty).

Order of trust: publication types and MeSH headings when a person indexed the record; text cues in the title, then
in the abstract, when they did not (``IndexingMethod="Automated"``: automated indexing misses human trials far more
often than manual indexing does) or when the publication types do not settle the question. Interventions,
outcomes and the route come from the project's own vocabulary (:func:`skinevidence.answers.ask.map_text`). Nothing is
filled that the record does not show: a value that cannot be derived stays ``None`` and says why.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.models import (
    Blinding,
    Comparator,
    Design,
    Direction,
    Population,
    ReviewOf,
    Route,
    Status,
)
from skinevidence.ingest import cues
from skinevidence.ingest.derived import Derived, quote
from skinevidence.ingest.design import Evidence, reconcile
from skinevidence.ingest.design import design as study_design
from skinevidence.ingest.design import population as study_population
from skinevidence.ingest.records import RETRACTED_TYPE, Citation
from skinevidence.text.mapping import map_text, text_lexicon
from skinevidence.text.sentences import split_sentences

PROCEDURE_KINDS = ("procedure", "device")


class Classification(BaseModel):
    """What can be derived about one citation. Every field is a :class:`Derived`."""

    model_config = ConfigDict(frozen=True)
    relevant: Derived[bool]
    design: Derived[Design]
    population: Derived[Population]
    participants: Derived[int]
    randomised: Derived[bool]
    blinding: Derived[Blinding]
    review_of: Derived[ReviewOf]
    studies_included: Derived[int]
    i_squared: Derived[float]
    status: Derived[Status]
    registry_ids: Derived[list[str]]
    interventions: Derived[list[str]]
    outcomes: Derived[list[str]]
    route: Derived[Route]
    co_interventions: Derived[list[str]]
    comparator: Derived[Comparator]
    direction_guess: Derived[Direction]


def _study_type(citation: Citation):
    """The first, shared step of :func:`classify` and :func:`summarise`: who was studied and how."""
    title = citation.title or ""
    abstract = citation.abstract or ""
    trusted = citation.indexed_by_person
    if citation.indexing_method and not trusted:
        indexing = f"IndexingMethod={citation.indexing_method}: its publication types and MeSH are not trusted"
    elif citation.source is not None and citation.source.format != "medline-xml":
        indexing = "indexed by NLM (this export does not say whether by a person)"
    else:
        indexing = "indexed by a person"
    types = set(citation.publication_types) if trusted else set()
    mesh = set(citation.mesh) if trusted else set()
    evidence = Evidence(citation, title, abstract, cues.Scan(title), cues.Scan(abstract))
    population = study_population(evidence, types, mesh, indexing)
    design = study_design(evidence, types, population.value, indexing)
    return evidence, types, indexing, design, reconcile(population, design)


def classify(citation: Citation, catalog: Catalog) -> Classification:
    """Classify one citation against one evidence base's vocabulary."""
    evidence, types, indexing, design, population = _study_type(citation)
    title, abstract, in_title, in_abstract = evidence.title, evidence.abstract, evidence.in_title, evidence.in_abstract
    mapping = _mapping(catalog, title, abstract)
    return Classification(
        relevant=_relevance(citation, mapping, in_title, in_abstract, catalog),
        design=design,
        population=population,
        participants=_participants(citation, abstract or title, design.value),
        randomised=_randomised(in_title, in_abstract, types, design.value, indexing),
        blinding=_first_cue(in_title, in_abstract, "blinding", ("double", "assessor", "single", "open")),
        review_of=_review_of(in_title, in_abstract, design.value, population.value),
        studies_included=_studies_included(abstract, design.value),
        i_squared=_i_squared(abstract, design.value),
        status=_status(citation),
        registry_ids=_registry_ids(citation, abstract),
        interventions=mapping["interventions"],
        outcomes=mapping["outcomes"],
        route=_route(mapping["route"], design.value),
        co_interventions=mapping["co_interventions"],
        comparator=_comparator(in_title, in_abstract),
        direction_guess=_direction(abstract),
    )


def summarise(citation: Citation, catalog: Catalog) -> dict:
    """What ``review list`` shows of a record, from the cheap part of :func:`classify` (study type, relevance,
    status; participants only for relevant records): ingesting a whole PubMed file calls this, and the full
    classification is derived again when a person opens the record."""
    evidence, _, _, design, population = _study_type(citation)
    names = _names(catalog, evidence.title, evidence.abstract)
    relevant = _relevance(citation, names, evidence.in_title, evidence.in_abstract, catalog).value
    participants = _participants(citation, evidence.abstract or evidence.title, design.value).value \
        if relevant or citation.registration is not None else None
    status = _status(citation).value
    return {"title": citation.title, "year": citation.year, "first_author": citation.first_author,
            "design": design.value.value if design.value else None, "confidence": design.confidence,
            "population": population.value.value if population.value else None, "relevant": bool(relevant),
            "participants": participants, "interventions": names["interventions"].value,
            "outcomes": names["outcomes"].value, "status": status.value if status else None,
            "registry_status": citation.registration.status if citation.registration else None,
            "source": str(citation.source) if citation.source else None}


def classification_row(citation: Citation, classification: Classification) -> dict:
    """The stable, flat view of a classification (``skinevidence classify --format jsonl``): pmid, design,
    population, route, n, relevant, confidence and why (the reason for each)."""
    c = classification

    def plain(derived: Derived):
        return getattr(derived.value, "value", derived.value)  # an enum's value, else the value itself

    return {"pmid": citation.pmid, "key": citation.key, "design": plain(c.design), "population": plain(c.population),
            "route": plain(c.route), "n": c.participants.value, "relevant": bool(c.relevant.value),
            "confidence": c.design.confidence, "status": plain(c.status),
            "why": {"design": c.design.why, "population": c.population.why, "route": c.route.why,
                    "n": c.participants.why, "relevant": c.relevant.why}}


# numbers ----------------------------------------------------------------------------------------------------------
def _participants(citation: Citation, text: str, design) -> Derived[int]:
    registration = citation.registration
    if registration is not None:
        if registration.enrollment:
            kind = (registration.enrollment_type or "").lower() or "stated"
            return Derived(value=registration.enrollment, why=f"{registration.registry}: enrolment {kind}")
        return Derived(why=f"{registration.registry} states no enrolment")
    if design in (Design.ANIMAL, Design.IN_VITRO):
        return Derived(why="not a study of people: participants are left empty")
    if design is Design.GUIDELINE or design is Design.NARRATIVE_REVIEW:
        return Derived(why=f"a {design.label} has no participants of its own")
    hits = cues.participant_counts(text)
    if hits:
        best = max(hits, key=lambda h: h.value)
        others = [h.words for h in hits if h is not best][:3]
        more = f" (also: {quote(others)})" if others else ""
        return Derived(value=best.value, why=f"the largest count of people stated: '{best.words}'{more}")
    if design is Design.CASE_REPORT:
        one = cues.one_person(text)
        if one:
            return Derived(value=1, why=f"a case report of '{one.words}'")
    return Derived(why="the abstract states no count of people (e.g. 'n = 30', '30 patients')")


def _randomised(in_title, in_abstract, types, design, indexing) -> Derived[bool]:
    no = in_title.first("randomised", "no") or in_abstract.first("randomised", "no")
    if no:
        return Derived(value=False, why=f"the text says '{no}'")
    if "Randomized Controlled Trial" in types:
        return Derived(value=True, why=f"publication type 'Randomized Controlled Trial' ({indexing})")
    yes = in_title.first("randomised", "yes") or in_abstract.first("randomised", "yes")
    if yes and design in (Design.RCT, Design.SPLIT_BODY_RCT):
        return Derived(value=True, why=f"the text says '{yes}'")
    return Derived(why="randomisation is not stated")


def _first_cue(in_title, in_abstract, kind: str, order) -> Derived:
    for value in order:
        words = in_title.first(kind, value) or in_abstract.first(kind, value)
        if words:
            return Derived(value=value, why=f"the text says '{words}'")
    return Derived(why=f"{kind} is not stated")


def _review_of(in_title, in_abstract, design, population) -> Derived[ReviewOf]:
    if design not in (Design.META_ANALYSIS, Design.SYSTEMATIC_REVIEW):
        return Derived(why="only for systematic reviews and meta-analyses")
    if population in (Population.ANIMAL, Population.CELLS):
        return Derived(value=ReviewOf.PRECLINICAL, why=f"a review of {population.value} work (see population)")
    rct = in_title.first("review", "rct") or in_abstract.first("review", "rct")
    other = in_title.first("review", "other") or in_abstract.first("review", "other")
    if rct and other:
        return Derived(value=ReviewOf.MIXED, why=f"it names '{rct}' and '{other}'")
    if rct:
        return Derived(value=ReviewOf.RCT, why=f"it names '{rct}' and no other kind of study")
    if other:
        return Derived(value=ReviewOf.NON_RANDOMISED, why=f"it names '{other}' and no randomised trials")
    return Derived(why="the abstract does not say which designs the review includes")


def _studies_included(abstract: str, design) -> Derived[int]:
    if design not in (Design.META_ANALYSIS, Design.SYSTEMATIC_REVIEW):
        return Derived(why="only for systematic reviews and meta-analyses")
    hit = cues.studies_included(abstract)
    if hit:
        return Derived(value=hit.value, why=f"the abstract says '{hit.words}'")
    return Derived(why="the abstract does not say how many studies were included")


def _i_squared(abstract: str, design) -> Derived[float]:
    if design is not Design.META_ANALYSIS:
        return Derived(why="only for meta-analyses")
    hits = cues.i_squared_values(abstract)
    values = sorted({h.value for h in hits})
    if len(values) == 1:
        return Derived(value=values[0], why=f"the abstract says '{hits[0].words}'")
    if values:
        return Derived(why=f"several I² values ({quote(h.words for h in hits)}): the curator picks the pooled one")
    return Derived(why="no I² in the abstract")


def _status(citation: Citation) -> Derived[Status]:
    """Retracted (flagged, never graded) when PubMed says so; corrections are noted in the reason."""
    corrected = f"; corrected: {'; '.join(citation.corrected_in)}" if citation.corrected_in else ""
    if citation.retracted:
        notices = [f"publication type '{RETRACTED_TYPE}'"] if RETRACTED_TYPE in citation.publication_types else []
        notices += [f"retraction notice {notice}" for notice in citation.retracted_in]
        return Derived(value=Status.RETRACTED, why="PubMed marks it retracted: " + ", ".join(notices) + corrected)
    if citation.registration is not None:
        status = citation.registration.status or "status not given"
        results = "results posted" if citation.registration.has_results else "no results posted"
        return Derived(value=Status.REGISTERED, why=f"a {citation.registration.registry} registration ({status}, "
                                                    f"{results})")
    return Derived(value=Status.PUBLISHED, why="a journal article listed in PubMed (or a citation export)"
                   + corrected)


def _registry_ids(citation: Citation, abstract: str) -> Derived[list[str]]:
    listed = list(citation.registry_ids)
    in_text = [i for i in cues.registry_ids_in(abstract) if i not in listed]
    if listed or in_text:
        where = []
        if listed:
            where.append(f"the record's data-bank list ({', '.join(listed)})")
        if in_text:
            where.append(f"the abstract ({', '.join(in_text)})")
        return Derived(value=listed + in_text, why="named in " + " and ".join(where))
    return Derived(value=[], why="no trial registry number in the record")


def _comparator(in_title, in_abstract) -> Derived[Comparator]:
    found = [(name, words) for name in ("placebo", "vehicle")
             if (words := in_title.first("comparator", name) or in_abstract.first("comparator", name))]
    if len(found) == 1:
        name, words = found[0]
        return Derived(value=Comparator(name), why=f"the text says '{words}'")
    if found:
        return Derived(why=f"the text names both {quote(w for _, w in found)}: the curator decides per finding")
    return Derived(value=Comparator.NOT_REPORTED, why="no placebo or vehicle is named")


def _direction(abstract: str) -> Derived[Direction]:
    if not abstract:
        return Derived(why="no abstract to read a conclusion from")
    text, where = cues.conclusion(abstract)
    direction, words = cues.direction_guess(text)
    if direction is None:
        return Derived(why=f"no wording in {where} suggests a direction")
    return Derived(value=direction, why=f"a guess from {where}: {', '.join(words[:4])}", guess=True)


# vocabulary: interventions, outcomes, route, relevance ------------------------------------------------------------
def _names(catalog: Catalog, title: str, abstract: str) -> dict[str, Derived]:
    """Interventions and outcomes of the vocabulary: those the title names, else those the abstract names."""
    in_title = map_text(catalog, title) if title else None
    settled = in_title is not None and in_title.interventions and in_title.outcomes
    in_abstract = map_text(catalog, abstract) if abstract and not settled else None

    def pick(attribute: str, label: str) -> Derived[list[str]]:
        for where, mapping in (("title", in_title), ("abstract", in_abstract)):
            ids = getattr(mapping, attribute) if mapping else []
            if ids and mapping:
                words = [w for kind, ident, w in mapping.evidence if kind == label and ident in ids]
                return Derived(value=list(ids), why=f"the {where} names {quote(words[:6])} (the vocabulary)")
        return Derived(value=[], why=f"no {label} of the vocabulary is named in the title or abstract")

    return {"interventions": pick("interventions", "intervention"), "outcomes": pick("outcomes", "outcome")}


def _mapping(catalog: Catalog, title: str, abstract: str) -> dict[str, Derived]:
    names = _names(catalog, title, abstract)
    route: Derived[Route] = Derived(why="no intervention named, so no route")
    co: Derived[list[str]] = Derived(value=[], why="no procedure named as the way an intervention was given")
    if names["interventions"].value:
        lexicon = text_lexicon(catalog)
        # the route is read where an intervention is named: the title, else the first abstract sentence naming one
        candidates = [("title", title)] + [("abstract", abstract[a:b]) for a, b in split_sentences(abstract)]
        for where, sentence in candidates:
            matches = lexicon.find(sentence)
            if not any(m.kind == "intervention" for m in matches):
                continue
            mapping = map_text(catalog, sentence, matches)
            if mapping.route is None:
                continue
            cue = next((w for kind, ident, w in mapping.evidence if kind == "route" and ident == mapping.route.value),
                       None)
            if cue:
                how = f"'{cue}'"
                why = f"the {where} names '{cue}' beside an intervention: '{_clip(sentence)}'"
            else:
                how = "no other route"
                named = ", ".join(f"'{i}'" for i in mapping.interventions)
                why = (f"{named} is not an ingredient or drug and no other route is named, so it is coded as the "
                       f"procedure itself ({where}: '{_clip(sentence)}')")
            route = Derived(value=mapping.route, why=why)
            procedures = [m.id for m in lexicon.find(sentence, kinds={"intervention"}, overlapping=True)
                          if m.id not in mapping.interventions
                          and catalog.kinds[m.id] in PROCEDURE_KINDS]  # inside "after microneedling"
            if mapping.route.after_procedure and procedures:
                co = Derived(value=list(dict.fromkeys(procedures)),
                             why=f"the intervention is given with {quote(procedures)} ({how})")
            break
        else:
            route = Derived(value=Route.NOT_REPORTED, why="no sentence naming an intervention says how it was given")
    return {**names, "route": route, "co_interventions": co}


def relevance(citation: Citation, catalog: Catalog) -> Derived[bool]:
    """Only the relevance test (the cheap part of :func:`classify`): about skin, naming an intervention or outcome
    of the vocabulary."""
    title, abstract = citation.title or "", citation.abstract or ""
    return _relevance(citation, _names(catalog, title, abstract), cues.Scan(title), cues.Scan(abstract), catalog)


def _route(route: Derived[Route], design) -> Derived[Route]:
    if design is Design.IN_VITRO:
        return Derived(value=Route.LABORATORY, why="in-vitro work is coded with route 'laboratory'")
    if route.value is Route.LABORATORY:
        return Derived(value=Route.NOT_REPORTED, why="route 'laboratory' is only for in-vitro work")
    return route


def _relevance(citation: Citation, mapping: dict[str, Derived], in_title, in_abstract,
               catalog: Catalog) -> Derived[bool]:
    """About human or animal skin, hair or nails AND naming an intervention or outcome of the vocabulary; records
    whose subject is veterinary medicine or plant biology are not, whatever words they share with skincare."""
    interventions, outcomes = mapping["interventions"].value or [], mapping["outcomes"].value or []
    named = [*interventions, *outcomes]
    if not named:
        return Derived(value=False, why="names no intervention or outcome of the vocabulary")
    if not interventions and all(catalog.outcomes[o].harm for o in outcomes if o in catalog.outcomes):
        return Derived(value=False, why=f"names only {quote(outcomes)}, which any clinical report may mention, and "
                                        "no intervention of the vocabulary")
    for context, label in (("veterinary", "veterinary medicine"), ("plant", "plant biology")):
        words = [*in_title.words("context", context), *in_abstract.words("context", context)]
        if in_title.words("context", context) or len(words) >= 2:
            return Derived(value=False, why=f"names {quote(named[:4])}, but its subject is {label} "
                                            f"({quote(words[:3])})")
    title_skin = in_title.words("skin", "skin")
    abstract_skin = in_abstract.words("skin", "skin")
    if mapping["outcomes"].why.startswith("the title") and abstract_skin:
        # a skin outcome of the vocabulary named in the title, and skin in the abstract ("fine lines" alone may be
        # a spectrometer's); laboratory surrogates and harms are not skin outcomes by themselves
        title_skin += [catalog.outcomes[o].name for o in outcomes if o in catalog.outcomes
                       and not catalog.outcomes[o].harm and not catalog.outcomes[o].surrogate]
    skin_mesh = cues.mesh_about_skin(citation.mesh)
    if not title_skin and not skin_mesh and len(abstract_skin) < 2:
        said = f" (the abstract says {quote(abstract_skin)} once)" if abstract_skin else ""
        return Derived(value=False, why=f"names {quote(named[:4])} but is not about skin, hair or nails: no skin word "
                                        f"in the title, no skin MeSH heading, fewer than two in the abstract{said}")
    skin_words = list(dict.fromkeys(w.lower() for w in [*title_skin, *abstract_skin]))
    context = quote(skin_words[:3]) if skin_words else f"MeSH {quote(skin_mesh[:3])}"
    return Derived(value=True, why=f"names {quote(named[:4])}, about skin ({context})")


def _clip(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."
