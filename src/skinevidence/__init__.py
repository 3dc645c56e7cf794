"""skinevidence: what the science really says about a skincare ingredient, treatment or claim.

The public API is what ``__all__`` names; everything else may change between versions. The names are imported on
first use (PEP 562), so that the command line starts without loading what a command does not need; the imports
under ``TYPE_CHECKING`` show type checkers and editors the same names (a test keeps the two in step).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what each public name is, for type checkers and editors
    from skinevidence.answers.ask import Answer, ask
    from skinevidence.answers.compare import Comparison, compare
    from skinevidence.answers.report import Report, build_report
    from skinevidence.claims.audit import AuditReport, audit_text
    from skinevidence.claims.check import ClaimCheck, check_text
    from skinevidence.claims.product import ProductReport, check_product
    from skinevidence.errors import EvidenceInvalid, InputError, NotFound, SkinEvidenceError
    from skinevidence.evidence.catalog import Catalog
    from skinevidence.evidence.database import Database
    from skinevidence.evidence.files import Issue, load_evidence
    from skinevidence.grading.grade import Grade, grade, grade_intervention
    from skinevidence.grading.statements import Certainty, statement
    from skinevidence.grading.strongest import strongest
    from skinevidence.ingest import ReviewQueue, accept_record, classify, ingest_files, read_citations, reject_record
    from skinevidence.render import Format, render
    from skinevidence.text.mapping import map_text

#: Where each public name lives (module under ``skinevidence``).
_HOMES = {
    "Answer": "answers.ask", "ask": "answers.ask", "Comparison": "answers.compare", "compare": "answers.compare",
    "Report": "answers.report", "build_report": "answers.report", "AuditReport": "claims.audit",
    "audit_text": "claims.audit", "ClaimCheck": "claims.check", "check_text": "claims.check",
    "ProductReport": "claims.product", "check_product": "claims.product", "EvidenceInvalid": "errors",
    "InputError": "errors", "NotFound": "errors", "SkinEvidenceError": "errors", "Catalog": "evidence.catalog",
    "Database": "evidence.database", "Issue": "evidence.files", "load_evidence": "evidence.files",
    "Grade": "grading.grade", "grade": "grading.grade", "grade_intervention": "grading.grade",
    "Certainty": "grading.statements", "statement": "grading.statements", "strongest": "grading.strongest",
    "ReviewQueue": "ingest", "accept_record": "ingest", "classify": "ingest", "ingest_files": "ingest",
    "read_citations": "ingest", "reject_record": "ingest", "Format": "render", "render": "render",
    "map_text": "text.mapping",
}

__all__ = ["Answer", "AuditReport", "Catalog", "Certainty", "ClaimCheck", "Comparison", "Database",
           "EvidenceInvalid", "Format", "Grade", "InputError", "Issue", "NotFound", "ProductReport", "Report",
           "ReviewQueue", "SkinEvidenceError", "accept_record", "ask", "audit_text", "build_report", "check_product",
           "check_text", "classify", "compare", "grade", "grade_intervention", "ingest_files", "load_evidence",
           "map_text", "read_citations", "reject_record", "render", "statement", "strongest"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'skinevidence' has no attribute {name!r}")
    value = getattr(import_module(f"skinevidence.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
