"""The review verbs over the queue: list, show, accept, reject. Each returns a typed answer; ``format_*`` turn
them into terminal text (JSON is the model itself)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel

from skinevidence.errors import InputError, NotFound, SkinEvidenceError
from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.models import PMID_RE, REGISTRY_RE
from skinevidence.ingest.accept import Curation, left_for_the_curator, pubmed_url, write_study
from skinevidence.ingest.classify import Classification, classify
from skinevidence.ingest.queue import ACCEPTED, QUEUED, REJECTED, STATES, Entry, ReviewQueue


class QueueItem(BaseModel):
    key: str
    state: str
    title: str | None = None
    year: int | None = None
    first_author: str | None = None
    design: str | None = None
    relevant: bool | None = None
    participants: int | None = None
    study_id: str | None = None
    population: str | None = None
    confidence: float | None = None       # how sure the classifier is of the design
    status: str | None = None             # published, registered or retracted
    registry_status: str | None = None    # a registered trial's recruitment status


class QueueListing(BaseModel):
    queue: str
    counts: dict[str, int]
    items: list[QueueItem]


class QueueRecord(BaseModel):
    item: QueueItem
    url: str | None
    citation: dict
    classification: Classification


class Decision(BaseModel):
    key: str
    state: str
    study_id: str | None = None
    path: str | None = None
    missing: list[str] = []  # what the study file leaves for the curator to read from the paper


def normalise_key(value: str) -> str:
    """A PMID as given ('12345', 'PMID:12345'), a DOI ('doi:10.1/x', '10.1/x') or a registry number."""
    value = value.strip()
    bare = value.removeprefix("PMID:").removeprefix("pmid:").strip()
    if PMID_RE.match(bare):
        return bare
    if REGISTRY_RE.match(value.upper()):
        return value.upper()
    doi = value.removeprefix("doi:").removeprefix("https://doi.org/").strip()
    if doi.startswith("10."):
        return f"doi:{doi.lower()}"
    raise InputError(f"{value!r} is neither a PMID (digits), a DOI (10.xxxx/...) nor a registry number (NCT...)")


def _item(entry: Entry) -> QueueItem:
    fields = {name: entry.summary.get(name) for name in QueueItem.model_fields if name in entry.summary}
    return QueueItem.model_validate({**fields, "key": entry.key, "state": entry.state, "study_id": entry.study_id})


def _entry(queue: ReviewQueue, key: str):
    entry = queue.get(key)
    if entry is None:
        raise NotFound(f"{key} is not in the review queue {queue.path} ('skinevidence review list' shows it)")
    return entry


def list_queue(queue_path: Path, state: str | None = QUEUED, only_relevant: bool = False) -> QueueListing:
    if state is not None and state not in STATES:
        raise InputError(f"unknown state {state!r}: one of {', '.join(STATES)}")
    queue = ReviewQueue.open(queue_path)
    items = [_item(e) for e in queue.items(state, only_relevant)]
    return QueueListing(queue=str(queue_path), counts=queue.counts(), items=items)


def show_record(queue_path: Path, key: str, catalog: Catalog) -> QueueRecord:
    """One queued record with its classification, re-derived against the current vocabulary."""
    queue = ReviewQueue.open(queue_path)
    key = normalise_key(key)
    entry = _entry(queue, key)
    citation = queue.citation(key)
    return QueueRecord(item=_item(entry), url=pubmed_url(citation), citation=citation.to_dict(),
                       classification=classify(citation, catalog))


def accept_record(queue_path: Path, key: str, evidence_dir: Path, study_id: str | None = None,
                  today: dt.date | None = None, curation: Curation | None = None) -> Decision:
    """Write the study file (only if the folder then validates) and remember the key as accepted. ``curation``
    supplies what the record does not show (design, population, interventions, outcomes)."""
    key = normalise_key(key)
    with ReviewQueue(queue_path, writable=True) as queue:
        entry = _entry(queue, key)
        if entry.state == ACCEPTED:
            raise SkinEvidenceError(f"{key} was already accepted as {entry.study_id}")
        citation = queue.citation(key)
        study, path, classification = write_study(citation, evidence_dir, study_id, today, curation or Curation())
        queue.accept(key, study)
    return Decision(key=key, state=ACCEPTED, study_id=study, path=str(path),
                    missing=left_for_the_curator(classification))


def reject_record(queue_path: Path, key: str) -> Decision:
    key = normalise_key(key)
    with ReviewQueue(queue_path, writable=True) as queue:
        entry = _entry(queue, key)
        if entry.state == ACCEPTED:
            raise SkinEvidenceError(f"{key} was accepted as {entry.study_id}; delete that study file to undo it")
        if entry.state != REJECTED:
            queue.reject(key)
    return Decision(key=key, state=REJECTED)


# text ---------------------------------------------------------------------------------------------------------------
def format_listing(listing: QueueListing) -> str:
    counts = ", ".join(f"{n} {state}" for state, n in listing.counts.items())
    lines = [f"Review queue {listing.queue}: {counts}."]
    for item in listing.items:
        mark = "*" if item.relevant else " "
        who = f"{item.first_author or '?'} {item.year or ''}".strip()
        design = item.design or "design ?"
        if item.confidence is not None and item.design:
            design = f"{design} {item.confidence:.2f}"
        if item.status == "retracted":
            design = f"RETRACTED {design}"
        extra = f" -> {item.study_id}" if item.study_id else ""
        lines.append(f"{mark} {item.key:>10}  {item.state:<8}  {design:<25} {who[:24]:<24}  "
                     f"{(item.title or '(no title)')[:70]}{extra}")
    if listing.items:
        lines.append("* about skin and naming an intervention or outcome of the vocabulary")
    return "\n".join(lines) + "\n"


def format_record(record: QueueRecord) -> str:
    c = record.citation
    lines = [
        f"{record.item.key} ({record.item.state}) {record.url or ''}".rstrip(),
        f"  {c.get('title') or '(no title)'}",
        f"  {', '.join(c.get('authors') or []) or 'authors not in the record'}",
        (f"  {c.get('journal') or 'journal not in the record'} ({c.get('year') or 'year not in the record'})"
        f"{'  doi:' + c['doi'] if c.get('doi') else ''}{'  ' + c['pmcid'] if c.get('pmcid') else ''}"),
        (f"  publication types: {', '.join(c.get('publication_types') or []) or 'none listed'}"
        f"{'  (IndexingMethod=' + c['indexing_method'] + ')' if c.get('indexing_method') else ''}"),
        "",
        "Derived (each with why; a guess is marked):",
    ]
    for name, derived in record.classification:
        value = derived.value
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value) or None
        elif hasattr(value, "value"):
            value = value.value
        shown = "null" if value is None else str(value)
        guess = " (a guess)" if derived.guess else ""
        lines.append(f"  {name:<17} {shown}{guess}  <- {derived.why}")
    return "\n".join(lines) + "\n"


def format_decision(decision: Decision) -> str:
    if decision.state == ACCEPTED:
        left = "".join(f"  - {item}\n" for item in decision.missing)
        return (f"Accepted {decision.key} as {decision.study_id}: {decision.path}\n"
                "It is listed in reports now (coded_by: auto) and enters no grade until a finding has a direction.\n"
                + (f"Left for the curator to read from the paper:\n{left}" if left else ""))
    return f"Rejected {decision.key}: it will be skipped when ingested again.\n"
