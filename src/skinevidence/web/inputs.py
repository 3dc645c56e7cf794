"""Text that users send: pasted or uploaded, checked for size, type and encoding before the library sees it.

Nothing here touches the file system: an upload is bytes in memory, and its file name is used only for its
extension and, stripped of any folders, as a label.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath

from skinevidence.errors import InputError
from skinevidence.text.html import html_to_text
from skinevidence.text.input import check_text, decode

MAX_TEXT_BYTES = 1024 * 1024 - 16 * 1024  # what fits in a 1 MiB request with the form around it
UPLOAD_TYPES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
                ".htm": "html"}
_NAME = re.compile(r"[^\w. ()+-]+")


def upload_name(filename: str | None) -> str:
    """The file's own name, without folders or odd characters, at most 100 characters: a label, never a path."""
    base = PureWindowsPath(PurePosixPath(filename or "upload").name).name
    return (_NAME.sub("_", base).strip() or "upload")[:100]


def upload_text(filename: str | None, data: bytes, keep_html: bool = False) -> tuple[str, str]:
    """(text, label) of an uploaded .txt, .md or .html file; HTML is reduced to its readable text unless
    ``keep_html`` (the article audit reads the page's links and title itself)."""
    name = upload_name(filename)
    kind = UPLOAD_TYPES.get(PurePosixPath(name).suffix.lower())
    if kind is None:
        raise InputError(f"{name}: upload a .txt, .md or .html file (other types are not read)")
    text = decode(data, name, MAX_TEXT_BYTES)
    if kind == "html" and not keep_html:
        text = html_text(text, name)
    return text, name


def pasted_text(text: str) -> str:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise InputError(f"the text is larger than {MAX_TEXT_BYTES // 1024} KiB; check it in parts")
    return check_text(text, "the text")


def html_text(source: str, name: str) -> str:
    """The readable text of an HTML page: scripts, styles and forms dropped (``skinevidence.text.html``)."""
    return html_to_text(source)[0]
