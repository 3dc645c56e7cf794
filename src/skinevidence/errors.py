"""The project's own exceptions. Each carries the exit code the CLI turns it into."""

from __future__ import annotations


class SkinEvidenceError(Exception):
    """Base class: a problem the user can act on, reported as a message, never a traceback."""

    exit_code = 1


class NotFound(SkinEvidenceError):
    """An intervention, outcome or study that the evidence base does not hold."""

    exit_code = 3

    def __init__(self, message: str, suggestions: list[str] | None = None):
        self.suggestions = suggestions or []
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(message + hint)


class EvidenceInvalid(SkinEvidenceError):
    """The evidence files do not pass validation; the database is left as it was."""

    exit_code = 4

    def __init__(self, issues):
        self.issues = list(issues)
        shown = "\n".join(f"  {issue}" for issue in self.issues[:20])
        more = f"\n  ... and {len(self.issues) - 20} more" if len(self.issues) > 20 else ""
        super().__init__(
            f"the evidence base has {len(self.issues)} problem(s); nothing was rebuilt:\n{shown}{more}\n"
            "Run 'skinevidence db validate' for the full list.")


class InputError(SkinEvidenceError):
    """User input (a file, a text, a question) that cannot be read or understood."""

    exit_code = 5
