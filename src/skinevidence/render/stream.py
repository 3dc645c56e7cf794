"""JSON written as it is made: a long text's check or audit printed claim by claim, never held whole.

The output is byte for byte what :func:`skinevidence.render.to_json` gives for the whole answer (indent 2): the
fields before the first list are known when the text has been counted, each list is written item by item, and the
fields after it once the items are all out. Memory holds one item at a time, whatever the length of the text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

import pydantic_core
from pydantic import BaseModel

from skinevidence.claims.audit import AuditStream
from skinevidence.claims.check import CheckStream
from skinevidence.render import to_json


def check_json(checked: CheckStream, out: TextIO) -> None:
    """A :class:`~skinevidence.claims.check.ClaimCheck` as JSON, its claims written as they are judged."""
    streamed_json(out, {**checked.head, "claims": []}, [("claims", checked.claims())], lambda: checked.result([]))


def audit_json(audit: AuditStream, out: TextIO) -> None:
    """An :class:`~skinevidence.claims.audit.AuditReport` as JSON, its claims written as they are judged and its
    segments as they are cut."""
    streamed_json(out, audit.head, [("claims", audit.claims()), ("segments", audit.segments())],
                  lambda: audit.report(None))


def streamed_json(out: TextIO, head: dict, lists: list[tuple[str, Iterable[BaseModel]]],
                  tail: Callable[[], BaseModel]) -> None:
    """Write ``tail()`` as :func:`to_json` would, with each list named in ``lists`` (empty in ``tail()``, in the order
    they appear) filled from its items as they come. ``head`` holds the fields up to the first list, as in the
    answer (a nested answer as a dict); ``tail`` is called once the first list is written."""
    keys = [key for key, _ in lists]
    start = _split(pydantic_core.to_json(head, indent=2).decode("utf-8"), keys[:1])[0]
    out.write(start)
    parts: list[str] = []
    for number, (key, items) in enumerate(lists):
        indent = _indent(start if number == 0 else parts[number], key)
        written = False
        for item in items:
            body = item.model_dump_json(indent=2).replace("\n", "\n" + indent + "  ")
            out.write(("," if written else "") + "\n" + indent + "  " + body)
            written = True
        if written:
            out.write("\n" + indent)
        if number == 0:
            parts = _split(to_json(tail()), keys)
            if parts[0] != start:
                raise RuntimeError("the streamed answer's fields changed while its items were written")
        out.write(parts[number + 1])


def _split(text: str, keys: list[str]) -> list[str]:
    """``text`` cut just inside each empty list ``"key": []`` (in order): the pieces around the brackets' insides."""
    parts, cursor = [], 0
    for key in keys:
        marker = f'"{key}": []'
        at = text.index(marker, cursor) + len(marker) - 1
        parts.append(text[cursor:at])
        cursor = at
    parts.append(text[cursor:])
    return parts


def _indent(piece: str, key: str) -> str:
    """The indentation of the line of ``piece`` that opens the list ``key`` (its last line)."""
    line = piece[piece.rindex("\n") + 1:]
    return line[:len(line) - len(line.lstrip(" "))]
