"""HTML pages reduced to their readable text: scripts, styles and other non-content dropped, block elements ending
lines, and the page's links kept (for the citation audit and affiliate-link detection)."""

from __future__ import annotations

import re

from lxml import etree, html

from skinevidence.errors import InputError

DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "head", "form",
        "button", "select", "input", "textarea")
BLOCKS = {"p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "li", "ul", "ol", "dl", "dt",
          "dd", "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figcaption",
          "br", "hr"}
_LOOKS_HTML = re.compile(r"<(?:!doctype|html|head|body|p|div|article|span|a|h[1-6]|ul|li|script)\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_HTML.search(text[:5000]))


def html_to_text(source: str) -> tuple[str, str | None, list[str]]:
    """(text, title, links) of an HTML document."""
    try:
        root = html.document_fromstring(source)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"the HTML could not be read: {exc}") from None
    title_node = root.find(".//title")
    title = " ".join(title_node.text_content().split()) if title_node is not None else None
    links = [href.strip() for href in root.xpath("//a/@href") if href.strip().lower().startswith(("http", "//"))]
    for element in root.xpath("|".join(f"//{tag}" for tag in DROP)):
        element.drop_tree()
    for comment in root.xpath("//comment()"):
        comment.drop_tree()
    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        # in HTML only block elements end lines: a line break inside text is a space (<pre> keeps its own)
        keep = tag == "pre"
        if event == "start":
            if tag in BLOCKS:
                parts.append("\n")
            if element.text:
                parts.append(element.text if keep else element.text.replace("\n", " "))
        else:
            if tag in BLOCKS:
                parts.append("\n")
            if element.tail:
                parts.append(element.tail.replace("\n", " "))
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).splitlines())
    text = "\n".join(line for line in lines if line)
    if not text:
        raise InputError("the HTML page has no readable text")
    return text, title, links
