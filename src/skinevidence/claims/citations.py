"""Finding an article's citations and checking them against the evidence base.

A citation is specific (a DOI, a PMID, a PMC id, or a journal address that contains one of these) or vague ("a
study published in BioMed Central"). Specific citations that match a coded study are checked against what the
sentence around them says: a cell or animal study cited for a result in people, a review cited as a trial, an
author the record does not list. Vague citations cannot be verified and are counted as such.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from pydantic import BaseModel

from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.models import Study
from skinevidence.text.lexicon import lexicon_file

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"'<>,;)\]]+)", re.IGNORECASE)
_PMID = re.compile(r"\b(?:PMID:?\s*|pubmed\.ncbi\.nlm\.nih\.gov/)(\d{1,9})\b", re.IGNORECASE)
_PMCID = re.compile(r"\b(PMC\d{4,9})\b", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)
_HUMAN_WORDS = re.compile(r"\b(?:patients|participants|people|women|men|volunteers|human skin|in humans)\b", re.IGNORECASE)
_PRECLINICAL_WORDS = re.compile(r"\b(?:mice|mouse|rats?|animals?|in vitro|cells?|preclinical|laboratory)\b", re.IGNORECASE)
_SURNAME_ET_AL = re.compile(r"\b([A-Z][a-z'\-]+)\s+et al\b")


class Citation(BaseModel):
    kind: str                 # doi | pmid | pmcid | url | vague
    value: str
    start: int
    end: int
    sentence: str
    study: str | None = None  # the coded study it matches
    status: str               # matched | not in evidence base | unverifiable
    problems: list[str] = []


@cache
def _vague_patterns() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in lexicon_file("audit_cues")["vague_citation"])


def _sentence_at(text: str, spans: list[tuple[int, int]], position: int) -> str:
    for start, end in spans:
        if start <= position < end:
            return text[start:end]
    return ""


def find_citations(catalog: Catalog, text: str, spans: list[tuple[int, int]],
                   links: Sequence[str] = ()) -> list[Citation]:
    """Specific and vague citations in ``text`` (and in the page's ``links``), matched and checked."""
    found: list[Citation] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, value: str, start: int, end: int) -> None:
        key = (kind, value.lower().rstrip("."))
        if key in seen:
            return
        seen.add(key)
        sentence = _sentence_at(text, spans, start)
        study = _match(catalog, kind, value)
        citation = Citation(kind=kind, value=value.rstrip("."), start=start, end=end, sentence=sentence,
                            study=study.id if study else None,
                            status="matched" if study else ("unverifiable" if kind == "vague"
                                                             else "not in evidence base"))
        if study is not None:
            citation.problems = check_citation(study, sentence, text)
        found.append(citation)

    for pattern, kind in ((_DOI, "doi"), (_PMID, "pmid"), (_PMCID, "pmcid")):
        for m in pattern.finditer(text):
            add(kind, m.group(1), m.start(1), m.end(1))
    for m in _URL.finditer(text):
        if scholarly(m.group(0)) and not (_DOI.search(m.group(0)) or _PMID.search(m.group(0))
                                          or _PMCID.search(m.group(0))):
            add("url", m.group(0), m.start(), m.end())
    for link in links:
        for pattern, kind in ((_DOI, "doi"), (_PMID, "pmid"), (_PMCID, "pmcid")):
            if (hit := pattern.search(link)) is not None:
                add(kind, hit.group(1), -1, -1)
                break
        else:
            if scholarly(link):
                add("url", link, -1, -1)
    for pattern in _vague_patterns():
        for m in pattern.finditer(text):
            add("vague", m.group(0), m.start(), m.end())
    return sorted(found, key=lambda c: (c.start < 0, c.start))


@cache
def _scholarly_hosts() -> frozenset[str]:
    return frozenset(lexicon_file("audit_cues")["scholarly_hosts"])


def scholarly(url: str) -> bool:
    """A link to a journal, a literature database, a registry or a regulator (other links are not citations)."""
    host = re.sub(r"^(?:https?:)?//", "", url, flags=re.IGNORECASE).split("/")[0].split(":")[0].lower()
    hosts = _scholarly_hosts()
    return any(host == h or host.endswith("." + h) for h in hosts)


def _match(catalog: Catalog, kind: str, value: str) -> Study | None:
    value = value.rstrip(".").lower()
    for study in catalog.studies.values():
        if kind == "doi" and study.doi and study.doi.lower() == value:
            return study
        if kind == "pmid" and study.pmid == value:
            return study
        if kind == "pmcid" and study.pmcid and study.pmcid.lower() == value:
            return study
    return None


def check_citation(study: Study, sentence: str, text: str) -> list[str]:
    """What the citing sentence says that the cited study does not show."""
    problems = []
    if sentence:
        if (study.design.is_preclinical or study.population.value in ("animal", "cells")) \
                and _HUMAN_WORDS.search(sentence) and not _PRECLINICAL_WORDS.search(sentence):
            problems.append(f"cites a {study.design.label} for a result in people")
        if (study.design.is_review or study.design.value == "narrative-review") and re.search(r"\btrial\b", sentence,
                                                                                            re.IGNORECASE):
            problems.append(f"calls a {study.design.label} a trial")
        for surname in _SURNAME_ET_AL.findall(sentence):
            authors = f"{study.first_author or ''} {study.authors or ''}".lower()
            if authors.strip() and surname.lower() not in authors:
                problems.append(f"names author {surname}, who is not among the study's listed authors")
    return problems
