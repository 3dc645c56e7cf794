"""Ingestion: PubMed/MEDLINE XML, PubMed's MEDLINE text (.nbib) and RIS read as a stream of typed records, and
PubMed (E-utilities) and ClinicalTrials.gov (API v2) queried by saved searches; each record classified with the
reason and confidence of every value (``docs/classifier.md``) into a resumable review queue; accepted records
become study files in the evidence folder, and a curator sets what each finding showed (``docs/ingest.md``).

    from skinevidence.ingest import read_citations, classify, ReviewQueue, ingest_files, update

Layer 4 (beside ``claims``): may import the base modules, ``evidence``, ``text``, ``grading`` and ``answers``.
"""

from __future__ import annotations

from skinevidence.ingest.accept import Curation, RecordRefused, study_yaml, write_study
from skinevidence.ingest.classify import Classification, classify, relevance
from skinevidence.ingest.derived import Derived
from skinevidence.ingest.edit import edit_finding
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
from skinevidence.ingest.searches import SavedSearch, load_searches, search_pubmed, update

__all__ = [
    "Citation", "Classification", "Curation", "Deletion", "Derived", "IngestReport", "RecordRefused", "ReviewQueue",
    "SavedSearch", "Source", "accept_record", "classify", "default_queue_path", "detect_format", "edit_finding",
    "ingest_files", "list_queue", "load_searches", "parse_stream", "read_citations", "reject_record", "relevance",
    "search_pubmed", "show_record", "study_yaml", "update", "write_study",
]
