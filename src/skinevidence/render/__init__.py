"""Turning answer objects into text, Markdown, standalone HTML, JSON, CSV, BibTeX or RIS.

Every answer is a pydantic model; ``render(answer, fmt)`` picks the template named after the model's class
(``report.md.j2``, ``report.html.j2``) or the terminal layout. JSON is the model itself; CSV is the answer's table
(``render.tables``); BibTeX and RIS are its references (``render.citations``). ``detail`` ("summary" or "full")
chooses between a report's one-screen answer and the whole report in text, Markdown and HTML; JSON always carries
everything. Each format imports only what it needs: JSON loads neither rich nor Jinja2.

Layer 5: may import every layer below (the answers it renders); never ``web`` or ``cli``.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from skinevidence.errors import InputError

if TYPE_CHECKING:  # pydantic is loaded by the answers themselves; a kept answer printed again needs none of it
    from pydantic import BaseModel


class Format(StrEnum):
    TEXT = "text"
    MD = "md"
    HTML = "html"
    JSON = "json"
    CSV = "csv"
    BIBTEX = "bibtex"
    RIS = "ris"


class Detail(StrEnum):
    SUMMARY = "summary"
    FULL = "full"


Choice = TypeVar("Choice", Format, Detail)


def render(answer: BaseModel | list, fmt: Format | str, *, color: bool = False, width: int = 100,
           detail: Detail | str = Detail.SUMMARY) -> str:
    """One answer in one format. ``color`` only matters for text; ``detail`` only for a report in text, Markdown
    or HTML."""
    fmt = _choice(Format, fmt, "format")
    detail = _choice(Detail, detail, "detail")
    if fmt is Format.JSON:
        return to_json(answer)
    if fmt is Format.CSV:
        from skinevidence.render.tables import to_csv
        return to_csv(answer)
    if fmt in (Format.BIBTEX, Format.RIS):
        from skinevidence.render.citations import to_bibtex, to_ris
        return (to_bibtex if fmt is Format.BIBTEX else to_ris)(answer)
    summary = (detail is Detail.SUMMARY and type(answer).__name__ == "Report"
               and getattr(answer, "summary", None) is not None)
    if fmt is Format.TEXT:
        if summary:
            from skinevidence.render.plain import summary_text
            return summary_text(answer, color=color, width=width, version=version_line(answer))
        from skinevidence.render.text import render_text
        return render_text(answer, color=color, width=width)
    from skinevidence.render.jinja import render_template
    return render_template(answer, fmt.value, detail=detail.value, version=version_line(answer))


def version_line(answer: BaseModel | list) -> str:
    """'skinevidence 0.2.0, evidence base of 2026-12-01': what a printed or saved answer was made from."""
    from skinevidence import __version__
    date = getattr(answer, "evidence_date", None)
    return f"skinevidence {__version__}" + (f", evidence base of {date}" if date else "")


def _choice(kind: type[Choice], value: Choice | str, what: str) -> Choice:
    try:
        return kind(value)
    except ValueError:
        raise InputError(f"unknown {what} {value!r}: use one of {', '.join(k.value for k in kind)}") from None


def to_json(answer: BaseModel | list) -> str:
    from pydantic import BaseModel

    if isinstance(answer, list):
        return json.dumps([item.model_dump(mode="json") if isinstance(item, BaseModel) else item
                           for item in answer], indent=2, ensure_ascii=False)
    return answer.model_dump_json(indent=2)


__all__ = ["Detail", "Format", "render", "to_json", "version_line"]
