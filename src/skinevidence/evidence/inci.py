"""The INCI dictionary: names printed on cosmetic labels, with what each does in a formula (its functions, in its
source's words), synonyms, CAS and EC numbers, EU annex entries and, where the name is an active of the
vocabulary, its intervention.

Built by ``scripts/build_inci.py`` from public packages; ``data/inci/sources.json`` names each package with its
version, licence, where its data came from and when. Read lazily, once. A name is looked up by its normalised form
(case, punctuation and the spacing of "CI 77891" ignored) among every entry's name and synonyms.
"""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel

from skinevidence.evidence.catalog import normalise
from skinevidence.paths import atomic_output

COLUMNS = ("name", "functions", "synonyms", "cas", "ec", "eu_annexes", "intervention", "sources")
SEPARATOR = " | "  # between the values of a list column
_COLOUR_INDEX = re.compile(r"\bc\s?i\s?(\d{5})\b")


class InciEntry(BaseModel):
    name: str
    functions: list[str]     # as the source states them ("preservative", "Simple Humectants")
    synonyms: list[str]
    cas: str | None
    ec: str | None
    eu_annexes: list[str]    # "II/1666", "V/34": the entries of Regulation (EC) 1223/2009 that name it
    intervention: str | None  # when built: the vocabulary's intervention for the name or a synonym
    sources: list[str]       # keys of sources.json


def label_key(name: str) -> str:
    """The form names are compared in: 'CI77891', 'C.I. 77891' and 'Ci 77891' meet."""
    return _COLOUR_INDEX.sub(r"ci \1", normalise(name))


def write_dictionary(entries: list[InciEntry], path: Path) -> None:
    with atomic_output(path) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for entry in entries:
            row = entry.model_dump()
            writer.writerow([SEPARATOR.join(v) if isinstance(v, list) else (v or "") for v in
                             (row[c] for c in COLUMNS)])


def read_dictionary(text: str) -> list[InciEntry]:
    rows = csv.DictReader(text.splitlines())
    lists = {"functions", "synonyms", "eu_annexes", "sources"}
    return [InciEntry.model_validate({c: ([v for v in row[c].split(SEPARATOR) if v] if c in lists else (row[c] or None))
                                      for c in COLUMNS}) for row in rows]


class InciDictionary:
    """Every entry, indexed by the normalised form of its name and synonyms (a name first, then synonyms)."""

    def __init__(self, entries: list[InciEntry], sources: dict):
        self.entries = entries
        self.sources = sources
        self._index: dict[str, InciEntry] = {}
        for entry in entries:
            self._index.setdefault(label_key(entry.name), entry)
        for entry in entries:
            for synonym in entry.synonyms:
                self._index.setdefault(label_key(synonym), entry)

    def lookup(self, name: str) -> InciEntry | None:
        return self._index.get(label_key(name))


@cache
def inci_dictionary() -> InciDictionary:
    """The bundled dictionary (``data/inci/``)."""
    folder = resources.files("skinevidence.evidence") / "data" / "inci"
    return InciDictionary(read_dictionary((folder / "dictionary.csv").read_text(encoding="utf-8")),
                          json.loads((folder / "sources.json").read_text(encoding="utf-8")))
