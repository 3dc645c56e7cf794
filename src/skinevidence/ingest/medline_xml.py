"""A streaming reader for MEDLINE/PubMed XML: baseline and update files (``PubmedArticleSet``), the older
``MedlineCitationSet`` and E-utilities efetch answers.

Memory stays flat whatever the file's size: ``lxml.etree.iterparse`` hands over one record at a time, the record
is read into a plain :class:`Citation`, then the element and everything before it are freed. No DTD is loaded,
no entity is expanded from outside the file, nothing is fetched from the network.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from lxml import etree

from skinevidence.errors import InputError
from skinevidence.evidence.models import DOI_RE, PMCID_RE, PMID_RE, REGISTRY_RE
from skinevidence.ingest.records import Citation, Deletion, Source

ROOTS = ("PubmedArticleSet", "MedlineCitationSet")
_RECORDS = ("PubmedArticle", "MedlineCitation", "DeleteCitation", "PubmedBookArticle")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d|2100)\b")
_ANY = re.compile(r".")
#: Data banks that are trial registries (a record's DataBankList also names GenBank, PubChem, figshare...).
TRIAL_REGISTRIES = frozenset(name.casefold() for name in (
    "ClinicalTrials.gov", "ISRCTN", "ANZCTR", "ChiCTR", "CRiS", "CTRI", "DRKS", "EudraCT", "IRCT", "JapicCTI",
    "JPRN", "JMACCT", "NTR", "PACTR", "ReBec", "REPEC", "RPCEC", "SLCTR", "TCTR", "UMIN CTR", "jRCT", "EU-CTR"))


def parse_medline_xml(stream: IO[bytes], name: str) -> Iterator[Citation | Deletion]:
    """Yield each article as a :class:`Citation` and each withdrawn PMID as a :class:`Deletion`, in file order.

    ``name`` is the file's name for messages. Input that is not well-formed MEDLINE/PubMed XML raises
    :class:`InputError` naming the file and the line."""
    context = etree.iterparse(stream, events=("end",), tag=_record_tags(stream), resolve_entities=False,
                              load_dtd=False, no_network=True, remove_comments=True, remove_pis=True)
    checked = False
    try:
        for _event, element in context:
            if not checked:
                _check_root(element.getroottree().getroot(), name)
                checked = True
            tag = element.tag
            if tag == "MedlineCitation" and (parent := element.getparent()) is not None \
                    and parent.tag == "PubmedArticle":
                continue  # read with its PubmedArticle, which ends later
            if tag == "DeleteCitation":
                for pmid in element.findall("PMID"):
                    value = (pmid.text or "").strip()
                    if not PMID_RE.match(value):
                        raise InputError(f"{name}: line {pmid.sourceline}: DeleteCitation holds {value!r}, not a PMID")
                    yield Deletion(value, Source(name, pmid.sourceline))
            elif tag == "PubmedArticle":
                citation = element.find("MedlineCitation")
                if citation is None:
                    raise InputError(f"{name}: line {element.sourceline}: a PubmedArticle without a MedlineCitation")
                yield _citation(citation, element.find("PubmedData"), Source(name, element.sourceline))
            elif tag == "MedlineCitation":
                yield _citation(element, None, Source(name, element.sourceline))
            # PubmedBookArticle (NCBI Bookshelf chapters) is not a journal article: passed over
            _free(element)
    except etree.XMLSyntaxError as exc:
        line = f"line {exc.lineno}: " if exc.lineno else ""
        raise InputError(f"{name}: {line}not well-formed XML ({exc.msg})") from None
    except (EOFError, OSError) as exc:  # a truncated or corrupt .gz file
        raise InputError(f"{name}: the file ends early or is corrupt ({exc})") from None
    if not checked:
        _check_root(context.root, name)


def _record_tags(stream: IO[bytes]) -> tuple[str, ...]:
    """The elements to stop at: in a ``PubmedArticleSet`` the MedlineCitation inside each PubmedArticle is not
    a record of its own, so it is not asked for (half the events, and no parent look-ups)."""
    peek = getattr(stream, "peek", None)
    head = peek(4096)[:4096] if peek is not None else getattr(stream, "getvalue", bytes)()[:4096]
    if b"<PubmedArticleSet" in head:
        return ("PubmedArticle", "DeleteCitation", "PubmedBookArticle")
    return _RECORDS


def _check_root(root, name: str) -> None:
    tag = root.tag if root is not None else None
    if tag not in ROOTS:
        raise InputError(f"{name}: line 1: the root element is <{tag}>, not MEDLINE/PubMed XML "
                         f"(expected <{ROOTS[0]}> or <{ROOTS[1]}>)")


def _free(element) -> None:
    """Drop the element's content and every earlier sibling, so the tree never grows."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _text(element) -> str | None:
    """The element's text with inline markup (<i>, <sub>) flattened and whitespace collapsed; None when empty."""
    if element is None:
        return None
    text = element.text if len(element) == 0 else "".join(element.itertext())
    return " ".join(text.split()) or None if text else None


def _texts(elements) -> tuple[str, ...]:
    found = []
    for element in elements:
        if element is None:
            continue
        text = element.text if len(element) == 0 else "".join(element.itertext())
        if text and (text := " ".join(text.split())):
            found.append(text)
    return tuple(found)


def _citation(citation, pubmed_data, source: Source) -> Citation:
    """One record, read by walking each parent's children once (the parse's hot path)."""
    pmid_element = article = journal_ta = None
    mesh: list = []
    comments: list = []
    for child in citation:
        tag = child.tag
        if tag == "PMID":
            pmid_element = child
        elif tag == "Article":
            article = child
        elif tag == "MeshHeadingList":
            mesh = [heading[0] if len(heading) and heading[0].tag == "DescriptorName" else
                    heading.find("DescriptorName") for heading in child]
        elif tag == "MedlineJournalInfo":
            journal_ta = child.find("MedlineTA")
        elif tag == "CommentsCorrectionsList":
            comments = [c for c in child if c.get("RefType") in ("RetractionIn", "ErratumIn")]
    pmid = _text(pmid_element)
    if pmid_element is None or pmid is None or not PMID_RE.match(pmid):
        raise InputError(f"{source.file}: line {source.line}: a record without a valid PMID ({pmid!r})")
    version = pmid_element.get("Version")
    if article is None:
        raise InputError(f"{source.file}: line {source.line}: record PMID {pmid} has no Article element")
    parts: dict[str, list] = {}
    for child in article:
        parts.setdefault(child.tag, []).append(child)
    journal = (parts.get("Journal") or [None])[0]
    title = _text((parts.get("ArticleTitle") or [None])[0]) or _text((parts.get("VernacularTitle") or [None])[0])
    return Citation(
        pmid=pmid,
        version=int(version) if version and version.isdigit() else None,
        title=title,
        abstract=_abstract(parts.get("Abstract")),
        authors=tuple(filter(None, (_author(a) for lst in parts.get("AuthorList", ()) for a in lst
                                    if a.get("ValidYN", "Y") != "N"))),
        journal=(_text(journal.find("Title")) if journal is not None else None) or _text(journal_ta),
        year=_year(journal.find("JournalIssue/PubDate") if journal is not None else None),
        doi=_doi(parts.get("ELocationID", ()), pubmed_data),
        pmcid=_article_id(pubmed_data, "pmc", PMCID_RE),
        publication_types=_texts(t for lst in parts.get("PublicationTypeList", ()) for t in lst),
        mesh=_texts(mesh),
        indexing_method=citation.get("IndexingMethod"),
        languages=_texts(parts.get("Language", ())),
        registry_ids=_registry_ids(parts.get("DataBankList", ())),
        retracted_in=_comments(comments, "RetractionIn"),
        corrected_in=_comments(comments, "ErratumIn"),
        source=source,
    )


def _abstract(abstracts) -> str | None:
    parts = []
    for section in (s for abstract in abstracts or () for s in abstract.iterfind("AbstractText")):
        text = _text(section)
        if text:
            label = section.get("Label")
            parts.append(f"{label.strip()}: {text}" if label and label.strip() else text)
    return " ".join(parts) or None


def _author(author) -> str | None:
    last = _text(author.find("LastName"))
    if last:
        initials = _text(author.find("Initials"))
        if not initials:
            fore = _text(author.find("ForeName")) or ""
            initials = "".join(part[0] for part in re.split(r"[\s.-]+", fore) if part) or None
        suffix = _text(author.find("Suffix"))
        return " ".join(filter(None, (last, initials, suffix)))
    return _text(author.find("CollectiveName"))


def _year(pub_date) -> int | None:
    if pub_date is None:
        return None
    year = _text(pub_date.find("Year"))
    if year and year.isdigit():
        return int(year)
    match = _YEAR.search(_text(pub_date.find("MedlineDate")) or "")
    return int(match.group(1)) if match else None


def clean_doi(value: str | None) -> str | None:
    """A bare, well-formed DOI, or None."""
    if not value:
        return None
    value = value.strip().removeprefix("https://doi.org/").removeprefix("http://dx.doi.org/").removeprefix("doi:")
    value = value.strip().rstrip(".")
    return value if DOI_RE.match(value) else None


def _article_id(pubmed_data, kind: str, pattern) -> str | None:
    if pubmed_data is None:
        return None
    for element in pubmed_data.findall("ArticleIdList/ArticleId"):  # the article's own ids, not its references'
        if element.get("IdType") == kind:
            value = _text(element)
            if value and pattern.match(value):
                return value
    return None


def _doi(locations, pubmed_data) -> str | None:
    found = clean_doi(_article_id(pubmed_data, "doi", _ANY))
    if found:
        return found
    for element in locations:
        if element.get("EIdType") == "doi" and element.get("ValidYN", "Y") != "N":
            found = clean_doi(_text(element))
            if found:
                return found
    return None


def _comments(comments, kind: str) -> tuple[str, ...]:
    """The notices of one CommentsCorrections type, as cited: 'RefSource (PMID n)'."""
    found = []
    for element in (c for c in comments if c.get("RefType") == kind):
        ref, pmid = _text(element.find("RefSource")), _text(element.find("PMID"))
        found.append(" ".join(filter(None, (ref, f"(PMID {pmid})" if pmid else None))) or kind)
    return tuple(found)


def _registry_ids(bank_lists) -> tuple[str, ...]:
    ids = []
    for bank in (b for banks in bank_lists for b in banks.iterfind("DataBank")):
        if (_text(bank.find("DataBankName")) or "").casefold() in TRIAL_REGISTRIES:
            for number in bank.findall("AccessionNumberList/AccessionNumber"):
                value = _text(number)
                if value and REGISTRY_RE.match(value) and value not in ids:
                    ids.append(value)
    return tuple(ids)
