"""skinevidence: what the science really says about a skincare ingredient, treatment or claim.

The public API is what ``__all__`` names; everything else may change between versions.
"""

from .ask import Answer, ask, map_text
from .catalog import Catalog
from .compare import Comparison, compare
from .database import Database
from .errors import EvidenceInvalid, InputError, NotFound, SkinEvidenceError
from .evidence_files import Issue, load_evidence
from .grading import Grade, grade, grade_intervention
from .render import Format, render
from .report import Report, build_report
from .statements import Certainty, statement

__version__ = "0.1.0"

__all__ = [
    "Answer", "Catalog", "Certainty", "Comparison", "Database", "EvidenceInvalid", "Format", "Grade", "InputError",
    "Issue", "NotFound", "Report", "SkinEvidenceError", "ask", "build_report", "compare", "grade",
    "grade_intervention", "load_evidence", "map_text", "render", "statement",
]
