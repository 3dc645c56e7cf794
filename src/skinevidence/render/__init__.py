"""Turning answer objects into text, Markdown, standalone HTML or JSON.

Every answer is a pydantic model; ``render(answer, fmt)`` picks the template named after the model's class
(``report.md.j2``, ``report.html.j2``) or the rich layout for the terminal. JSON is the model itself.

Layer 5: may import every layer below (the answers it renders); never ``web`` or ``cli``.
"""

from __future__ import annotations

import json
from enum import StrEnum

from pydantic import BaseModel

from skinevidence.errors import InputError


class Format(StrEnum):
    TEXT = "text"
    MD = "md"
    HTML = "html"
    JSON = "json"


def render(answer: BaseModel | list, fmt: Format | str, *, color: bool = False, width: int = 100) -> str:
    """One answer in one format. ``color`` only matters for text."""
    try:
        fmt = Format(fmt)
    except ValueError:
        raise InputError(f"unknown format {fmt!r}: use one of {', '.join(f.value for f in Format)}") from None
    if fmt is Format.JSON:
        return to_json(answer)
    if fmt is Format.TEXT:
        from skinevidence.render.text import render_text
        return render_text(answer, color=color, width=width)
    from skinevidence.render.jinja import render_template
    return render_template(answer, fmt.value)


def to_json(answer: BaseModel | list) -> str:
    if isinstance(answer, list):
        return json.dumps([item.model_dump(mode="json") if isinstance(item, BaseModel) else item
                           for item in answer], indent=2, ensure_ascii=False)
    return answer.model_dump_json(indent=2)


__all__ = ["Format", "render", "to_json"]
