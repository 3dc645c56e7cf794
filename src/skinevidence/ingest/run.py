"""Ingesting citation files into the review queue: stream, skip what the queue already holds, apply PubMed's
deletions, classify the rest and queue it. Commits to the queue in batches, and once more however the run ends."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from pydantic import BaseModel

from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.models import Status
from skinevidence.ingest.classify import relevance, summarise
from skinevidence.ingest.queue import ACCEPTED, QUEUED, ReviewQueue
from skinevidence.ingest.read import read_citations
from skinevidence.ingest.records import Citation, Deletion
from skinevidence.text.input import check_input

BATCH = 1000  # records between fsyncs of the queue

FileProgress = Callable[[str, int, int], None]  # (file, bytes read, file size)


class IngestReport(BaseModel):
    """What one run did. ``read`` counts articles (not deletion notices)."""

    files: list[str]
    queue: str
    read: int = 0
    skipped: int = 0        # already queued (unchanged), accepted or rejected
    queued: int = 0         # new in the queue
    updated: int = 0        # a revised version of a record still waiting in the queue
    relevant: int = 0       # of the records classified in this run, those about skin naming an intervention/outcome
    left_out: int = 0       # not relevant, and --only-relevant was asked
    unidentified: int = 0   # neither a PMID nor a DOI: nothing to file them under
    deleted: int = 0        # deletion notices read
    removed: int = 0        # queued records those notices withdrew
    retracted: int = 0      # of the records queued, those PubMed marks retracted
    warnings: list[str] = []
    interrupted: bool = False  # stopped by Ctrl-C: what was read is committed; running again resumes


def ingest_files(paths: Iterable[Path | str], catalog: Catalog, queue: ReviewQueue, only_relevant: bool = False,
                 progress: FileProgress | None = None, batch: int = BATCH) -> IngestReport:
    """Read every file into ``queue`` (opened writable). Safe to run again on the same files: nothing is queued
    twice, and rejected or accepted records stay decided."""
    files = [Path(p) for p in paths]
    for path in files:  # a missing file is reported before anything is read, not halfway through
        check_input(path)
    report = IngestReport(files=[str(p) for p in files], queue=str(queue.path))
    try:
        for path in files:
            callback = partial(progress, str(path)) if progress is not None else None
            queue_records(read_citations(path, callback), catalog, queue, report, only_relevant, batch)
    except KeyboardInterrupt:  # what was read is committed below; the same command resumes where this stopped
        report.interrupted = True
    finally:
        queue.commit()
    return report


def queue_records(records: Iterable[Citation | Deletion], catalog: Catalog, queue: ReviewQueue, report: IngestReport,
                  only_relevant: bool = False, batch: int = BATCH) -> None:
    """Classify and queue a stream of records (a file, a PubMed fetch, a registry page), committing every
    ``batch`` writes; the caller commits the rest."""
    for record in records:
        if isinstance(record, Deletion):
            _delete(record, queue, report)
        else:
            _add(record, catalog, queue, report, only_relevant)
        if queue.pending >= batch:
            queue.commit()


def _delete(deletion: Deletion, queue: ReviewQueue, report: IngestReport) -> None:
    report.deleted += 1
    state = queue.state(deletion.pmid)
    if queue.remove(deletion.pmid):
        report.removed += 1
    elif state == ACCEPTED:
        entry = queue.get(deletion.pmid)
        study = entry.study_id if entry is not None else None  # there: its state was just read
        report.warnings.append(f"PubMed deleted PMID {deletion.pmid} ({deletion.source}), which was accepted as "
                               f"{study}: check that record")


def _add(citation: Citation, catalog: Catalog, queue: ReviewQueue, report: IngestReport, only_relevant: bool) -> None:
    report.read += 1
    key = citation.key
    if key is None:
        report.unidentified += 1
        return
    entry = queue.get(key)
    if entry is not None and (entry.state != QUEUED or entry.fingerprint == citation.fingerprint()):
        report.skipped += 1
        return
    if only_relevant and not relevance(citation, catalog).value:  # the cheap test first: most of PubMed is not skin
        report.left_out += 1
        return
    summary = summarise(citation, catalog)
    if summary["relevant"]:
        report.relevant += 1
    if summary["status"] == Status.RETRACTED.value:
        report.retracted += 1
    queue.add(citation, summary)
    if entry is None:
        report.queued += 1
    else:
        report.updated += 1
