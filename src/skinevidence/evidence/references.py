"""References: a study, regulatory fact or safety record as a numbered citation a reader can follow (a DOI,
PubMed, PMC or registry address where the record has one, else the page it was read on). Every answer that cites
records numbers them through :func:`references_for_ids`."""

from __future__ import annotations

from pydantic import BaseModel

from skinevidence.evidence.catalog import Catalog, per_catalog
from skinevidence.evidence.models import RegulatoryFact, SafetySignal, Study


class Reference(BaseModel):
    number: int
    id: str
    kind: str
    citation: str
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    url: str
    design: str | None = None
    status: str | None = None
    # the parts of the citation, for exports (BibTeX, RIS) and short citations; null where the record has none
    authors: list[str] = []
    title: str | None = None
    journal: str | None = None
    year: int | None = None
    date: str | None = None
    publisher: str | None = None  # the authority of a regulatory fact, the source of a safety record


@per_catalog
def _facts(catalog: Catalog) -> dict[str, RegulatoryFact | SafetySignal]:
    """Regulatory facts and safety records by id."""
    facts: list[RegulatoryFact | SafetySignal] = [*catalog.evidence.regulation, *catalog.evidence.safety]
    return {fact.id: fact for fact in facts}


def reference(catalog: Catalog, record_id: str, number: int) -> Reference:
    """The record as reference ``number``: its parts are read from the record once per catalog, then copied with
    the number (a report on a large base cites thousands of records)."""
    unnumbered = _unnumbered(catalog, record_id)
    return unnumbered.model_copy(update={"number": number, "authors": list(unnumbered.authors)})


@per_catalog
def _unnumbered(catalog: Catalog, record_id: str) -> Reference:
    if record_id in catalog.studies:
        study = catalog.studies[record_id]
        authors = [a.strip() for a in (study.authors or study.first_author or "").split(",") if a.strip()]
        return Reference(number=0, id=record_id, kind="study", citation=study.citation, doi=study.doi,
                         pmid=study.pmid, pmcid=study.pmcid, url=study_url(study), design=study.design.value,
                         status=study.status.value, authors=authors, title=study.title, journal=study.journal,
                         year=study.year)
    fact = _facts(catalog).get(record_id)
    if fact is None:
        raise KeyError(record_id)
    authority = getattr(fact, "authority", None) or ""
    date = getattr(fact, "date", None)
    kind = "regulation" if isinstance(fact, RegulatoryFact) else "safety"
    title = fact.statement if len(fact.statement) < 140 else fact.statement[:137].rsplit(" ", 1)[0] + "..."
    citation = " ".join(part for part in (authority, f"({date.isoformat()})" if date else "", title) if part)
    return Reference(number=0, id=record_id, kind=kind, citation=citation, url=fact.provenance.urls[0],
                     title=title, publisher=authority or None, year=date.year if date else None,
                     date=date.isoformat() if date else None)


def references_for_ids(catalog: Catalog, ids: list[str]) -> list[Reference]:
    """Numbered references, in the order given, for study, regulation and safety ids."""
    return [reference(catalog, rid, n) for n, rid in enumerate(dict.fromkeys(ids), start=1)]


REGISTRY_ADDRESSES = {"NCT": "https://clinicaltrials.gov/study/{id}", "ISRCTN": "https://www.isrctn.com/{id}"}
"""Registries whose record address follows from the trial id alone (IRCT, ChiCTR and others number their pages
differently, so their records keep the page they were read on)."""


def study_url(study: Study) -> str:
    """Where a reader can check the study: its DOI, PubMed or PMC page, else its registry record, else the page it was
    read on."""
    if study.doi:
        return f"https://doi.org/{study.doi}"
    if study.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{study.pmid}/"
    if study.pmcid:
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{study.pmcid}/"
    for trial_id in study.registry_ids:
        for prefix, address in REGISTRY_ADDRESSES.items():
            if trial_id.upper().startswith(prefix):
                return address.format(id=trial_id)
    return study.provenance.urls[0]
