"""PubMed's MEDLINE text format (the ``.nbib`` / ``.txt`` that "Send to > Citation manager" and "Save > PubMed
format" give): ``TAG - value`` lines, values continued on lines indented by six spaces, a blank line between
records, each record opening with ``PMID-``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from skinevidence.errors import InputError
from skinevidence.evidence.models import PMCID_RE, PMID_RE, REGISTRY_RE
from skinevidence.ingest.limits import Fields
from skinevidence.ingest.medline_xml import TRIAL_REGISTRIES, clean_doi
from skinevidence.ingest.records import Citation, Source, first_value

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d|2100)\b")
_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")


def parse_medline_text(lines: Iterable[str], name: str) -> Iterator[Citation]:
    """Yield one :class:`Citation` per record. A line that is neither a tag line, a continuation nor blank, or a
    field or record past its size limit, raises :class:`InputError` naming the file and line."""
    fields: Fields | None = None
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            if fields is not None:
                yield _citation(fields.values(), Source(name, fields.start, "medline-text"))
                fields = None
            continue
        if line.startswith("      ") and fields is not None:
            fields.extend(line.strip(), number)
            continue
        match = _TAG.match(line) if len(line) >= 5 and line[4] == "-" else None
        if match is None:
            raise InputError(f"{name}: line {number}: expected 'TAG - value' (PubMed's MEDLINE format), found "
                             f"{line[:60]!r}")
        tag, value = match.group(1), match.group(2).strip()
        if fields is None:
            if tag != "PMID":
                raise InputError(f"{name}: line {number}: a record must open with 'PMID- ', found {tag!r}")
            fields = Fields(name, number)
        elif tag == "PMID":  # a new record without a blank line between
            yield _citation(fields.values(), Source(name, fields.start, "medline-text"))
            fields = Fields(name, number)
        fields.add(tag, value, number)
    if fields is not None:
        yield _citation(fields.values(), Source(name, fields.start, "medline-text"))


def _citation(fields: dict[str, list[str]], source: Source) -> Citation:
    pmid = first_value(fields, "PMID")
    if pmid is None or not PMID_RE.match(pmid):
        raise InputError(f"{source.file}: line {source.line}: record has no valid PMID ({pmid and pmid[:60]!r})")
    authors = [a for a in fields.get("AU", ()) if a] or [nlm_name(a) for a in fields.get("FAU", ()) if a]
    authors += [c for c in fields.get("CN", ()) if c]
    year = _YEAR.search(first_value(fields, "DP") or "")
    doi = next((clean_doi(v[:-5]) for v in [*fields.get("LID", ()), *fields.get("AID", ())]
                if v.endswith("[doi]") and clean_doi(v[:-5])), None)
    pmcid = first_value(fields, "PMC")
    registry = []
    for value in fields.get("SI", ()):
        bank, _, number = value.partition("/")
        if bank.strip().casefold() in TRIAL_REGISTRIES and REGISTRY_RE.match(number.strip()):
            registry.append(number.strip())
    return Citation(
        pmid=pmid,
        title=first_value(fields, "TI", "BTI"),
        abstract=first_value(fields, "AB"),
        authors=tuple(authors),
        journal=first_value(fields, "JT", "TA"),
        year=int(year.group(1)) if year else None,
        doi=doi,
        pmcid=pmcid if pmcid and PMCID_RE.match(pmcid) else None,
        publication_types=tuple(v for v in fields.get("PT", ()) if v),
        mesh=tuple(dict.fromkeys(v.split("/")[0].lstrip("*").strip() for v in fields.get("MH", ()) if v)),
        languages=tuple(v for v in fields.get("LA", ()) if v),
        registry_ids=tuple(dict.fromkeys(registry)),
        retracted_in=tuple(v for v in fields.get("RIN", ()) if v),
        corrected_in=tuple(v for v in fields.get("EIN", ()) if v),
        source=source,
    )


def nlm_name(name: str) -> str:
    """'Kwon, Hyun Hee' or 'Kwon, H. H.' -> 'Kwon HH'; a name without a comma is kept as written."""
    surname, comma, given = name.partition(",")
    if not comma:
        return " ".join(name.split())
    given = given.strip()
    if re.fullmatch(r"[A-Z]{1,4}", given):
        initials = given
    else:
        initials = "".join(part[0].upper() for part in re.split(r"[\s.\-]+", given) if part and part[0].isalpha())
    return " ".join(filter(None, (" ".join(surname.split()), initials)))
