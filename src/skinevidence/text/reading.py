"""A text read once: split into sentences once and scanned by a lexicon once, the matches handed to each sentence.

Every later step (claims, rules, audit cues, citations) works from the :class:`Document`; none splits or scans the
text again. A sentence also knows its paragraph (a line of the text: HTML blocks and Markdown paragraphs become
lines) and how much of it lies inside quotation marks, so that quoted speech can be told from the author's words.

A long text is read in blocks of whole lines (:func:`read_blocks`): sentences never cross a line, lexicon phrases
never hold a line break and quotations are read line by line, so the blocks give exactly the sentences and matches
of the text read whole (same offsets, indexes and paragraphs), while only one block's sentences are held at a time.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from skinevidence.text.lexicon import Lexicon, Match
from skinevidence.text.sentences import split_sentences

_QUOTES = re.compile(r"[“”\"«»„]")
_OPENING = frozenset("“«„")
_CLOSING = frozenset("”»")
BLOCK = 200_000  # characters: about the size of one block of a long text


@dataclass(slots=True)
class Sentence:
    """One sentence: its span in the document, its text, and the lexicon matches inside it (offsets relative to
    the sentence)."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    matches: list[Match]
    quoted: float = 0.0            # share of its characters inside quotation marks
    quotes: list[tuple[int, int]] = field(default_factory=list)  # spans inside quotation marks (sentence offsets)
    _by_kind: dict[str, list[Match]] | None = field(default=None, repr=False)

    def _index(self) -> dict[str, list[Match]]:
        if self._by_kind is None:
            self._by_kind = {}
            for m in self.matches:
                self._by_kind.setdefault(m.kind, []).append(m)
        return self._by_kind

    def of(self, *kinds: str) -> list[Match]:
        """The matches of the given kinds, in order."""
        index = self._index()
        if len(kinds) == 1:
            return list(index.get(kinds[0], ()))
        return [m for m in self.matches if m.kind in index and m.kind in kinds]

    def has(self, *kinds: str) -> bool:
        index = self._index()
        return any(kind in index for kind in kinds)

    def in_quotes(self, start: int, end: int) -> bool:
        """Whether the span [start, end) of the sentence lies inside quotation marks."""
        return any(a <= start and end <= b for a, b in self.quotes)


@dataclass(slots=True)
class Document:
    text: str
    sentences: list[Sentence]
    _starts: list[int] = field(default_factory=list, repr=False)

    def sentence_at(self, position: int) -> Sentence | None:
        """The sentence that holds a character offset of the document."""
        if not self._starts:
            self._starts = [s.start for s in self.sentences]
        i = bisect.bisect_right(self._starts, position) - 1
        if i >= 0 and self.sentences[i].start <= position < self.sentences[i].end:
            return self.sentences[i]
        return None


def read(text: str, lexicon: Lexicon) -> Document:
    """Split ``text`` into sentences and scan it with ``lexicon``, each match given to the sentence it lies in."""
    return read_range(text, lexicon, 0, len(text))


def line_blocks(text: str, size: int = BLOCK) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive blocks of whole lines covering ``text``, each about ``size`` characters (a
    longer line is one block)."""
    start, length = 0, len(text)
    while start < length:
        end = start + size
        if end >= length:
            end = length
        else:
            cut = text.rfind("\n", start, end)
            if cut < 0:
                cut = text.find("\n", end)
            end = length if cut < 0 else cut + 1
        yield start, end
        start = end


def read_blocks(text: str, lexicon: Lexicon, size: int = BLOCK) -> Iterator[Document]:
    """``text`` read block by block (:func:`line_blocks`): each document holds one block's sentences, with the
    offsets, indexes and paragraphs of the whole text; together they hold exactly the sentences of :func:`read`."""
    index = paragraph = 0
    for start, end in line_blocks(text, size):
        document = read_range(text, lexicon, start, end, index, paragraph)
        index += len(document.sentences)
        paragraph += text.count("\n", start, end)
        yield document


def read_range(text: str, lexicon: Lexicon, start: int, end: int, first_index: int = 0,
               first_paragraph: int = 0) -> Document:
    """The sentences of ``text[start:end]`` (whole lines), numbered from ``first_index`` and ``first_paragraph``,
    with offsets in ``text``."""
    part = text[start:end] if (start, end) != (0, len(text)) else text
    spans = split_sentences(part)
    matches = lexicon.scan(part)
    quoted = _quoted_regions(part)
    quote_starts = [a for a, _ in quoted]
    line_starts = [0, *(m.end() for m in re.finditer("\n", part))]
    sentences: list[Sentence] = []
    cursor = 0
    for number, (first, last) in enumerate(spans):
        while cursor < len(matches) and matches[cursor].start < first:
            cursor += 1
        mine = []
        j = cursor
        while j < len(matches) and matches[j].start < last:
            m = matches[j]
            if m.end <= last:
                mine.append(Match(m.kind, m.id, m.start - first, m.end - first, m.text))
            j += 1
        paragraph = first_paragraph + bisect.bisect_right(line_starts, first) - 1
        share, inside = _inside(quoted, quote_starts, first, last)
        sentences.append(Sentence(first_index + number, start + first, start + last, part[first:last], paragraph,
                                  mine, share, inside))
    return Document(text, sentences)


def _quoted_regions(text: str) -> list[tuple[int, int]]:
    """Spans inside quotation marks. Curly and guillemet quotes open and close; straight double quotes alternate;
    a quotation left open runs to the end of its line (a quoted paragraph that goes on to the next)."""
    regions: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        opened: int | None = None
        for mark in _QUOTES.finditer(text, line.start(), line.end()):
            ch = mark.group()
            if opened is None and (ch in _OPENING or ch == '"'):
                opened = mark.end()
            elif opened is not None and (ch in _CLOSING or ch == '"'):
                regions.append((opened, mark.start()))
                opened = None
            elif ch in _OPENING:  # a new opening mark before the last one closed: start again
                opened = mark.end()
        if opened is not None:
            regions.append((opened, line.end()))
    return regions


def _inside(regions: list[tuple[int, int]], starts: list[int], start: int,
            end: int) -> tuple[float, list[tuple[int, int]]]:
    """The share of [start, end) inside the (sorted, disjoint) regions, and those parts (offsets from ``start``)."""
    if not regions or end <= start:
        return 0.0, []
    i = max(0, bisect.bisect_right(starts, start) - 1)
    parts = []
    while i < len(regions) and regions[i][0] < end:
        a, b = max(regions[i][0], start), min(regions[i][1], end)
        if b > a:
            parts.append((a - start, b - start))
        i += 1
    return sum(b - a for a, b in parts) / (end - start), parts
