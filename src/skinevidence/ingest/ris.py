"""RIS, the citation-manager format (EndNote, Zotero, Mendeley, most journal sites): ``XX  - value`` lines, a
record from ``TY`` to ``ER``. Untagged lines inside a record continue the previous value (wrapped abstracts)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from skinevidence.errors import InputError
from skinevidence.evidence.models import PMCID_RE, PMID_RE
from skinevidence.ingest.limits import Fields
from skinevidence.ingest.medline_text import nlm_name
from skinevidence.ingest.medline_xml import clean_doi
from skinevidence.ingest.records import Citation, Source, first_value

_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*)|)$")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d|2100)\b")
_PUBMED_URL = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})\b")
_PMC = re.compile(r"\b(PMC\d{1,9})\b")
_PMID_NOTE = re.compile(r"\bPMID:?\s*(\d{1,9})\b")
_DOI_URL = re.compile(r"doi\.org/(10\.\S+)")


def parse_ris(lines: Iterable[str], name: str) -> Iterator[Citation]:
    """Yield one :class:`Citation` per ``TY``...``ER`` record. Text outside a record, a record that never ends, or
    a field or record past its size limit raises :class:`InputError` naming the file and line."""
    fields: Fields | None = None
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n").lstrip("\ufeff")
        match = _TAG.match(line.rstrip())
        if fields is None:
            if not line.strip():
                continue
            if match is None or match.group(1) != "TY":
                raise InputError(f"{name}: line {number}: expected a record opening with 'TY  - ' (RIS), found "
                                 f"{line[:60]!r}")
            fields = Fields(name, number)
            fields.add("TY", (match.group(2) or "").strip(), number)
            continue
        if match is None:
            if line.strip():
                fields.extend(line.strip(), number)
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "ER":
            yield _citation(fields.values(), Source(name, fields.start, "ris"))
            fields = None
            continue
        if tag == "TY":
            raise InputError(f"{name}: line {number}: a new record starts before the record from line "
                             f"{fields.start} ended (no 'ER  - ' line)")
        fields.add(tag, value, number)
    if fields is not None:
        raise InputError(f"{name}: record from line {fields.start} never ends: no 'ER  - ' line before the end of "
                         "the file")


def _citation(fields: dict[str, list[str]], source: Source) -> Citation:
    everything = " ".join(v for tag in ("AN", "UR", "L1", "L2", "N1", "M1", "C2", "DB") for v in fields.get(tag, ()))
    pmid = first_value(fields, "AN")
    if not (pmid and PMID_RE.match(pmid)):
        found = _PUBMED_URL.search(everything) or _PMID_NOTE.search(everything)
        pmid = found.group(1) if found else None
    doi = clean_doi(first_value(fields, "DO"))
    if doi is None:
        url = _DOI_URL.search(everything)
        doi = clean_doi(url.group(1)) if url else None
    pmcid = _PMC.search(everything)
    year = _YEAR.search(first_value(fields, "PY", "Y1", "DA") or "")
    authors = tuple(nlm_name(a) for a in [*fields.get("AU", ()), *fields.get("A1", ())] if a)
    return Citation(
        pmid=pmid if pmid and PMID_RE.match(pmid) else None,
        title=first_value(fields, "TI", "T1"),
        abstract=first_value(fields, "AB", "N2"),
        authors=tuple(dict.fromkeys(authors)),
        journal=first_value(fields, "T2", "JF", "JO", "JA"),
        year=int(year.group(1)) if year else None,
        doi=doi,
        pmcid=pmcid.group(1) if pmcid and PMCID_RE.match(pmcid.group(1)) else None,
        languages=tuple(v for v in fields.get("LA", ()) if v),
        source=source,
    )
