"""skinevidence: what the science really says about a skincare ingredient, treatment or claim.

The public API is what ``__all__`` names; everything else may change between versions. Names are imported on first
use (PEP 562), so that the command line starts without loading what a command does not need.
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

_HOMES = {
    "Answer": "answers.ask", "ask": "answers.ask", "map_text": "answers.ask",
    "Catalog": "evidence.catalog",
    "ClaimCheck": "claims.check", "check_text": "claims.check",
    "Comparison": "answers.compare", "compare": "answers.compare",
    "Database": "evidence.database",
    "EvidenceInvalid": "errors", "InputError": "errors", "NotFound": "errors", "SkinEvidenceError": "errors",
    "Issue": "evidence.files", "load_evidence": "evidence.files",
    "Grade": "grading.grade", "grade": "grading.grade", "grade_intervention": "grading.grade",
    "Format": "render", "render": "render",
    "Report": "answers.report", "build_report": "answers.report",
    "Certainty": "grading.statements", "statement": "grading.statements",
    "AuditReport": "claims.audit", "audit_text": "claims.audit",
    "ProductReport": "claims.product", "check_product": "claims.product",
    "read_citations": "ingest", "classify": "ingest", "ReviewQueue": "ingest", "ingest_files": "ingest",
    "accept_record": "ingest", "reject_record": "ingest",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'skinevidence' has no attribute {name!r}")
    value = getattr(import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
