"""Phrase lexicons compiled once into an Aho-Corasick automaton: finds every known phrase in a text in one pass.

Phrases come from data (the vocabularies, INCI names, the files in ``lexicons/``); adding a phrase is a data
change. Matching is case-insensitive, treats hyphens and spaces alike, and respects word boundaries; spans refer to
the original text.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import NamedTuple

import ahocorasick
import yaml


class Match(NamedTuple):
    """One phrase found: its kind (what list it came from), its id, and its span in the searched text."""

    kind: str
    id: str
    start: int
    end: int
    text: str


def fold(text: str) -> str:
    """Lower-case and hyphens to spaces, keeping every character's position (same length as the input)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # rare characters whose lower case is longer: keep positions aligned
        lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    return lowered.replace("-", " ").replace("\u2011", " ").replace("’", "'")


class Lexicon:
    """A compiled set of (phrase, kind, id) entries."""

    def __init__(self, entries):
        self._automaton = ahocorasick.Automaton()
        count = 0
        for phrase, kind, ident in entries:
            key = " ".join(fold(phrase).split())
            if not key:
                continue
            existing = self._automaton.get(key, None)
            payload = (kind, ident, len(key))
            if existing is None:
                self._automaton.add_word(key, [payload])
                count += 1
            elif payload not in existing:
                existing.append(payload)
        self.size = count
        if count:
            self._automaton.make_automaton()

    def find(self, text: str, kinds: set[str] | None = None, overlapping: bool = False) -> list[Match]:
        """Every match at word boundaries; where matches overlap, the longest wins (leftmost on ties), unless
        ``overlapping`` asks for all of them (rules: "fda approved" and "fda approved exosome" both fire)."""
        found = self.scan(text)
        if kinds is not None:
            found = [m for m in found if m.kind in kinds]
        return found if overlapping else longest(found)

    def scan(self, text: str) -> list[Match]:
        """Every match at word boundaries, overlapping ones included, in order of (start, end): one pass of the
        automaton over the text."""
        if not self.size:
            return []
        folded = fold(text)
        size = len(folded)
        found: list[Match] = []
        append = found.append
        for end_index, payloads in self._automaton.iter(folded):
            end = end_index + 1
            after = folded[end] if end < size else " "
            for kind, ident, length in payloads:
                start = end - length
                before = folded[start - 1] if start else " "
                if (before.isalnum() or after.isalnum()) and not _boundary(folded, start, end):
                    continue
                append(Match(kind, ident, start, end, text[start:end]))
        found.sort(key=_position)
        return found


def _position(match: Match) -> tuple[int, int]:
    return match.start, match.end


def _boundary(text: str, start: int, end: int) -> bool:
    """Whole words only, except beside CJK script: Korean attaches particles (엑소좀을) and Chinese and Japanese
    write without spaces, so a phrase in those scripts matches inside a longer run."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() and not (_cjk(before) or _cjk(text[start])):
        return False
    return not (after.isalnum() and not (_cjk(after) or _cjk(text[end - 1])))


def _cjk(ch: str) -> bool:
    code = ord(ch)
    return 0x1100 <= code <= 0x11FF or 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF \
        or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF


def longest(matches: list[Match]) -> list[Match]:
    """Non-overlapping matches, longest first at each position (same words with two meanings kept)."""
    matches.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Match] = []
    for match in matches:
        if kept and match.start < kept[-1].end:
            last = kept[-1]
            if (match.start, match.end) == (last.start, last.end) and (match.kind, match.id) != (last.kind, last.id):
                kept.append(match)  # the same words with two meanings (an outcome and a hype word; two rules)
            continue
        kept.append(match)
    return kept


@cache
def lexicon_file(name: str) -> dict:
    """A data file from ``skinevidence/lexicons/``. Loaded as plain strings, so that "no" stays a word (YAML 1.1
    would read it as false)."""
    path = resources.files("skinevidence") / "lexicons" / f"{name}.yaml"
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}  # every value stays text


def file_entries(name: str, kind: str):
    for ident, phrases in lexicon_file(name).items():
        for phrase in phrases:
            yield phrase, kind, ident
