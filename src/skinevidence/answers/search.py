"""Name search for the search box and ``/api/v1/search``: an exact match through the catalog's resolver (ids,
names, aliases, INCI names, plurals), every name containing the query, and "did you mean" for near misses.


"""

from __future__ import annotations

from pydantic import BaseModel

from skinevidence.errors import InputError, NotFound
from skinevidence.evidence.catalog import Catalog, normalise

MAX_QUERY_CHARS = 200
MAX_RESULTS = 20


class SearchHit(BaseModel):
    id: str
    name: str
    kind: str
    matched: str  # the name, alias or INCI name that matched


class SearchResult(BaseModel):
    query: str
    match: str | None  # the intervention the query names exactly, if any
    results: list[SearchHit]
    suggestions: list[SearchHit]  # "did you mean", when nothing matched


def _hit(catalog: Catalog, intervention: str, matched: str) -> SearchHit:
    record = catalog.interventions[intervention]
    return SearchHit(id=record.id, name=record.name, kind=record.kind, matched=matched)


def search(catalog: Catalog, query: str) -> SearchResult:
    text = query.strip()
    if not text:
        raise InputError("the search is empty: type an ingredient or treatment, e.g. exosomes")
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(f"the search is {len(text)} characters; use fewer than {MAX_QUERY_CHARS}")
    key = normalise(text)
    match, suggestions = None, []
    try:
        match = catalog.resolve_intervention(text)
    except NotFound as exc:
        suggestions = [_hit(catalog, s, catalog.interventions[s].name) for s in exc.suggestions]
    results: dict[str, SearchHit] = {}
    if match:
        results[match] = _hit(catalog, match, text)
    if key:
        for name, intervention in catalog.intervention_names.items():
            if key in name and intervention not in results:
                results[intervention] = _hit(catalog, intervention, name)
            if len(results) >= MAX_RESULTS:
                break
    if results:
        suggestions = [s for s in suggestions if s.id not in results]
    return SearchResult(query=text, match=match, results=list(results.values()), suggestions=suggestions)
