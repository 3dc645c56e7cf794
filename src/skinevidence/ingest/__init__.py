"""Ingestion: PubMed/MEDLINE XML, PubMed's MEDLINE text (.nbib) and RIS read as a stream of typed records,
each classified with the reason for every value, into a resumable review queue; accepted records become study
files in the evidence folder (``docs/ingest.md``).

    from skinevidence.ingest import read_citations, classify, ReviewQueue, ingest_files

Layer 4 (beside ``claims``): may import the base modules, ``evidence``, ``text``, ``grading`` and ``answers``.
"""

from __future__ import annotations

from skinevidence.ingest.accept import RecordRefused, study_yaml, write_study
from skinevidence.ingest.classify import Classification, classify, relevance
from skinevidence.ingest.derived import Derived
from skinevidence.ingest.queue import ReviewQueue, default_queue_path
from skinevidence.ingest.read import detect_format, parse_stream, read_citations
from skinevidence.ingest.records import Citation, Deletion, Source
from skinevidence.ingest.review import (
    accept_record,
    list_queue,
    reject_record,
    show_record,
)
from skinevidence.ingest.run import IngestReport, ingest_files

__all__ = [
    "Citation", "Classification", "Deletion", "Derived", "IngestReport", "RecordRefused", "ReviewQueue", "Source",
    "accept_record", "classify", "default_queue_path", "detect_format", "ingest_files", "list_queue",
    "parse_stream", "read_citations", "reject_record", "relevance", "show_record", "study_yaml", "write_study",
]
