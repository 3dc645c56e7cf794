"""Text that users send: pasted or uploaded, checked for size, type and encoding before the library sees it.

Nothing here touches the file system: an upload is bytes in memory, and its file name is used only for its
extension and, stripped of any folders, as a label.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import PurePosixPath, PureWindowsPath

from ..errors import InputError
from ..textinput import check_text, decode

MAX_TEXT_BYTES = 1024 * 1024 - 16 * 1024  # what fits in a 1 MiB request with the form around it
UPLOAD_TYPES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
                ".htm": "html"}
_NAME = re.compile(r"[^\w. ()+-]+")


def upload_name(filename: str | None) -> str:
    """The file's own name, without folders or odd characters, at most 100 characters: a label, never a path."""
    base = PureWindowsPath(PurePosixPath(filename or "upload").name).name
    return (_NAME.sub("_", base).strip() or "upload")[:100]


def upload_text(filename: str | None, data: bytes) -> tuple[str, str]:
    """(text, label) of an uploaded .txt, .md or .html file; HTML is reduced to its readable text."""
    name = upload_name(filename)
    kind = UPLOAD_TYPES.get(PurePosixPath(name).suffix.lower())
    if kind is None:
        raise InputError(f"{name}: upload a .txt, .md or .html file (other types are not read)")
    text = decode(data, name, MAX_TEXT_BYTES)
    if kind == "html":
        text = html_text(text, name)
    return text, name


def pasted_text(text: str) -> str:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise InputError(f"the text is larger than {MAX_TEXT_BYTES // 1024} KiB; check it in parts")
    return check_text(text, "the text")


def html_text(source: str, name: str) -> str:
    """The readable text of an HTML page (the library's reader when it is there, else the standard library's)."""
    try:
        from ..htmltext import html_to_text
    except ImportError:
        return _stdlib_html_text(source, name)
    return html_to_text(source)[0]


class _Text(HTMLParser):
    SKIP = {"script", "style", "noscript", "template", "head", "svg", "iframe", "object"}
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote",
             "ul", "ol", "table", "header", "footer", "main", "dt", "dd"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def _stdlib_html_text(source: str, name: str) -> str:
    parser = _Text()
    parser.feed(source)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    text = "\n".join(line for line in lines if line)
    if not text:
        raise InputError(f"{name}: the HTML page has no readable text")
    return text
