"""Sentence spans in marketing copy and articles: line breaks end a sentence (bullets, headings, table rows), and
so do '.', '!' and '?' before a capital, except after common abbreviations and inside numbers. Overlong runs
without punctuation are cut at a space so that no "sentence" grows without bound."""

from __future__ import annotations

import re

MAX_SENTENCE = 1200

_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9•\-–*])")
_LINE = re.compile(r"[^\n\r]+")
_ABBREVIATIONS = frozenset(["e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "prof", "fig", "figs", "no", "nos", "al", "approx", "ca", "cf", "st", "inc", "ltd", "co", "corp", "jr", "sr", "dept", "univ", "vol", "p", "pp", "ed", "eds", "est", "min", "max", "mg", "ml", "sq", "u.s", "u.k", "e.u", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"])


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed, in order."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        start = line.start()
        for end_mark in _END.finditer(text, line.start(), line.end()):
            cut = end_mark.start() + len(end_mark.group().rstrip())
            word = text[max(line.start(), end_mark.start() - 12):end_mark.start()].split()
            last = word[-1].lower().rstrip(".") if word else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            _add(text, start, cut, spans)
            start = end_mark.end()
        _add(text, start, line.end(), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        spans.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))
