"""The typed records that every reader yields: one :class:`Citation` per article, one :class:`Deletion` per PMID
that PubMed withdrew. Missing is ``None`` (or an empty tuple), never ``""``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was read: the file, and the line where the record starts (1-based)."""

    file: str
    line: int | None = None
    format: str = "medline-xml"  # medline-xml | medline-text | ris

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}" if self.line else self.file


@dataclass(frozen=True, slots=True)
class Citation:
    """One article as its export shows it. Only what the file holds; nothing is looked up or filled in."""

    pmid: str | None
    title: str | None
    abstract: str | None = None          # structured sections joined as "LABEL: text LABEL: text"
    authors: tuple[str, ...] = ()        # "Surname Initials" (or a group's name), in order
    journal: str | None = None
    year: int | None = None
    doi: str | None = None
    pmcid: str | None = None
    version: int | None = None           # the PMID's Version attribute (MEDLINE XML only)
    publication_types: tuple[str, ...] = ()
    mesh: tuple[str, ...] = ()           # MeSH descriptor names, without qualifiers or the '*' of major topics
    indexing_method: str | None = None   # MEDLINE XML's IndexingMethod ("Automated", "Curated"); None = by a person
    languages: tuple[str, ...] = ()
    registry_ids: tuple[str, ...] = ()   # trial registry numbers listed in the record's data-bank list
    source: Source | None = field(default=None, compare=False)

    @property
    def first_author(self) -> str | None:
        return self.authors[0] if self.authors else None

    @property
    def language(self) -> str | None:
        return self.languages[0] if self.languages else None

    @property
    def key(self) -> str | None:
        """What the review queue files it under: the PMID, else ``doi:<DOI>``; None when it has neither."""
        if self.pmid:
            return self.pmid
        return f"doi:{self.doi.lower()}" if self.doi else None

    @property
    def indexed_by_person(self) -> bool:
        """Publication types and MeSH were assigned, or checked, by an indexer (not ``Automated``)."""
        return (self.indexing_method or "").casefold() != "automated"

    def to_dict(self) -> dict:
        data = {name: getattr(self, name) for name in _CITATION_FIELDS}
        for name in _TUPLE_FIELDS:
            data[name] = list(data[name])
        source = self.source
        data["source"] = {"file": source.file, "line": source.line, "format": source.format} if source else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Citation:
        values = {name: data.get(name) for name in _CITATION_FIELDS}  # fields a later version adds are ignored
        source = data.get("source")
        for name in ("authors", "publication_types", "mesh", "languages", "registry_ids"):
            values[name] = tuple(values.get(name) or ())
        if source:
            source = Source(source.get("file", "?"), source.get("line"), source.get("format", "medline-xml"))
        return cls(**values, source=source or None)

    def fingerprint(self) -> str:
        """A hash of the content (not of where it was read): a revised version of a record hashes differently."""
        content = repr(tuple(getattr(self, name) for name in _CITATION_FIELDS))
        return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:16]


_CITATION_FIELDS = tuple(f.name for f in fields(Citation) if f.name != "source")
_TUPLE_FIELDS = ("authors", "publication_types", "mesh", "languages", "registry_ids")


@dataclass(frozen=True, slots=True)
class Deletion:
    """PubMed withdrew this PMID (a ``DeleteCitation`` entry in a baseline or update file)."""

    pmid: str
    source: Source | None = field(default=None, compare=False)


def first_value(fields: dict[str, list[str]], *tags: str) -> str | None:
    """The first non-empty value under any of ``tags`` in a tagged export record (MEDLINE text, RIS)."""
    for tag in tags:
        for value in fields.get(tag, ()):
            if value:
                return value
    return None
