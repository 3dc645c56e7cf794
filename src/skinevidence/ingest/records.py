"""The typed records that every reader yields: one :class:`Citation` per article, one :class:`Deletion` per PMID
that PubMed withdrew. Missing is ``None`` (or an empty tuple), never ``""``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was read: the file, and the line where the record starts (1-based)."""

    file: str
    line: int | None = None
    format: str = "medline-xml"  # medline-xml | medline-text | ris | clinicaltrials-json

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}" if self.line else self.file


@dataclass(frozen=True, slots=True)
class Registration:
    """What a trial registry's record shows beyond a citation (ClinicalTrials.gov's API), as the registry writes it."""

    registry: str                          # "ClinicalTrials.gov"
    status: str | None = None              # overallStatus: RECRUITING, COMPLETED, TERMINATED...
    has_results: bool | None = None        # results posted in the registry
    study_type: str | None = None          # INTERVENTIONAL | OBSERVATIONAL | EXPANDED_ACCESS
    allocation: str | None = None          # RANDOMIZED | NON_RANDOMIZED | NA
    model: str | None = None               # interventionModel: PARALLEL, CROSSOVER, SINGLE_GROUP...
    masking: str | None = None             # NONE, SINGLE, DOUBLE, TRIPLE, QUADRUPLE
    enrollment: int | None = None
    enrollment_type: str | None = None     # ACTUAL | ESTIMATED
    conditions: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    last_update: str | None = None         # lastUpdatePostDate, as shown

    def to_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["conditions"], data["interventions"] = list(self.conditions), list(self.interventions)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Registration:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["conditions"] = tuple(values.get("conditions") or ())
        values["interventions"] = tuple(values.get("interventions") or ())
        return cls(**values)


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
    retracted_in: tuple[str, ...] = ()   # CommentsCorrections RetractionIn: the retraction notice(s), as cited
    corrected_in: tuple[str, ...] = ()   # CommentsCorrections ErratumIn: the erratum notice(s), as cited
    registration: Registration | None = None  # a trial registry's record, not an article
    source: Source | None = field(default=None, compare=False)

    @property
    def first_author(self) -> str | None:
        return self.authors[0] if self.authors else None

    @property
    def language(self) -> str | None:
        return self.languages[0] if self.languages else None

    @property
    def key(self) -> str | None:
        """What the review queue files it under: the PMID, else ``doi:<DOI>``, else a registry record's number;
        None when it has none of them."""
        if self.pmid:
            return self.pmid
        if self.doi:
            return f"doi:{self.doi.lower()}"
        return self.registry_ids[0] if self.registration is not None and self.registry_ids else None

    @property
    def retracted(self) -> bool:
        """PubMed marks it retracted: publication type 'Retracted Publication' or a RetractionIn notice."""
        return bool(self.retracted_in) or RETRACTED_TYPE in self.publication_types

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
        data["registration"] = self.registration.to_dict() if self.registration else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Citation:
        # fields a later version adds are ignored
        values: dict[str, Any] = {name: data.get(name) for name in _CITATION_FIELDS}
        source = data.get("source")
        for name in _TUPLE_FIELDS:
            values[name] = tuple(values.get(name) or ())
        if values.get("registration"):
            values["registration"] = Registration.from_dict(values["registration"])
        if source:
            source = Source(source.get("file", "?"), source.get("line"), source.get("format", "medline-xml"))
        return cls(**values, source=source or None)

    def fingerprint(self) -> str:
        """A hash of the content (not of where it was read): a revised version of a record hashes differently."""
        content = repr(tuple(getattr(self, name) for name in _CITATION_FIELDS))
        return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()[:16]


_CITATION_FIELDS = tuple(f.name for f in fields(Citation) if f.name != "source")
_TUPLE_FIELDS = ("authors", "publication_types", "mesh", "languages", "registry_ids", "retracted_in",
                 "corrected_in")
RETRACTED_TYPE = "Retracted Publication"


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
