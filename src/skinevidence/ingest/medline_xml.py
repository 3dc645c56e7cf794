"""A streaming reader for MEDLINE/PubMed XML: baseline and update files (``PubmedArticleSet``), the older
``MedlineCitationSet`` and E-utilities efetch answers.

Memory stays flat whatever the file's size: the file is fed to lxml's pull parser (``iterparse``'s own engine) in
chunks, which hands over one record at a time; the record is read into a plain :class:`Citation`, then the element
and everything before it are freed, and after every chunk whatever is finished outside a record is dropped too. No
DTD is loaded, no entity is expanded (``resolve_entities=False``), nothing is fetched from the network, and
libxml2's own limits stay on (``huge_tree=False``: nesting depth, text node and name sizes). A record larger than
8 MiB is refused (docs/hardening.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, cast

from lxml import etree

from skinevidence.errors import InputError
from skinevidence.evidence.models import DOI_RE, PMCID_RE, PMID_RE, REGISTRY_RE
from skinevidence.ingest.limits import MAX_LINE_BYTES, MAX_RECORD_CHARS, check_field
from skinevidence.ingest.records import Citation, Deletion, Source

ROOTS = ("PubmedArticleSet", "MedlineCitationSet")
_RECORDS = ("PubmedArticle", "MedlineCitation", "DeleteCitation", "PubmedBookArticle")
_CHUNK = 64 * 1024  # bytes fed to the parser at a time; what is finished is dropped after each
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d|2100)\b")
_ANY = re.compile(r".")
#: Data banks that are trial registries (a record's DataBankList also names GenBank, PubChem, figshare...).
TRIAL_REGISTRIES = frozenset(name.casefold() for name in (
    "ClinicalTrials.gov", "ISRCTN", "ANZCTR", "ChiCTR", "CRiS", "CTRI", "DRKS", "EudraCT", "IRCT", "JapicCTI",
    "JPRN", "JMACCT", "NTR", "PACTR", "ReBec", "REPEC", "RPCEC", "SLCTR", "TCTR", "UMIN CTR", "jRCT", "EU-CTR"))


def parse_medline_xml(stream: IO[bytes], name: str) -> Iterator[Citation | Deletion]:
    """Yield each article as a :class:`Citation` and each withdrawn PMID as a :class:`Deletion`, in file order.

    ``name`` is the file's name for messages. Input that is not well-formed MEDLINE/PubMed XML, or a record larger
    than :data:`~skinevidence.ingest.limits.MAX_RECORD_CHARS` bytes, raises :class:`InputError` naming the file and
    the line."""
    tags = _record_tags(stream)
    parser = etree.XMLPullParser(events=("start", "end"), tag=(*ROOTS, *tags), resolve_entities=False,
                                 load_dtd=False, no_network=True, huge_tree=False, collect_ids=False,
                                 remove_comments=True, remove_pis=True)
    sniff: etree.XMLPullParser | None = etree.XMLPullParser(
        events=("start",), resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
    root = record = None
    fed = record_from = 0
    try:
        while True:
            data = stream.read(_CHUNK)
            if sniff is not None:  # the root element's name, before anything else is read
                sniff = _sniff_root(sniff, data, fed, name)
            if data:
                parser.feed(data)
            else:
                parser.close()
            for event, element in parser.read_events():
                tag = element.tag
                if event == "start":
                    if root is None and tag in ROOTS:
                        root = element
                    elif record is None and tag in _RECORDS:
                        record, record_from = element, fed
                    continue
                if tag in ROOTS:
                    continue
                if tag == "MedlineCitation" and (parent := element.getparent()) is not None \
                        and parent.tag == "PubmedArticle":
                    continue  # read with its PubmedArticle, which ends later
                if element is record:
                    record = None
                yield from _record(element, cast(str, tag), name)  # a parsed tag is text
                _free(element)
            if not data:
                break
            fed += len(data)
            if root is not None:
                _prune(root)
            if record is not None and fed - record_from > MAX_RECORD_CHARS:
                raise InputError(f"{name}: line {record.sourceline}: the {record.tag!s} record is longer than "
                                 f"{MAX_RECORD_CHARS:,} bytes; not a PubMed export?")
    except etree.XMLSyntaxError as exc:
        line = f"line {exc.lineno}: " if exc.lineno else ""
        raise InputError(f"{name}: {line}not well-formed XML ({exc.msg})") from None
    except (EOFError, OSError) as exc:  # a truncated or corrupt file
        raise InputError(f"{name}: the file ends early or is corrupt ({exc})") from None


def _record(element, tag: str, name: str) -> Iterator[Citation | Deletion]:
    if tag == "DeleteCitation":
        for pmid in element.findall("PMID"):
            value = (pmid.text or "").strip()
            if not PMID_RE.match(value):
                raise InputError(f"{name}: line {pmid.sourceline}: DeleteCitation holds {value[:60]!r}, not a PMID")
            yield Deletion(value, Source(name, pmid.sourceline))
    elif tag == "PubmedArticle":
        citation = element.find("MedlineCitation")
        if citation is None:
            raise InputError(f"{name}: line {element.sourceline}: a PubmedArticle without a MedlineCitation")
        yield _citation(citation, element.find("PubmedData"), Source(name, element.sourceline))
    elif tag == "MedlineCitation":
        yield _citation(element, None, Source(name, element.sourceline))
    # PubmedBookArticle (NCBI Bookshelf chapters) is not a journal article: passed over


def _sniff_root(sniff, data: bytes, fed: int, name: str):
    """Feed the first chunks to a parser of their own until the root element starts; refuse a root that is not
    MEDLINE's, and a prologue (declarations, a document type) longer than a line may be. None once known."""
    if data:
        sniff.feed(data)
    else:
        sniff.close()
    for _event, element in sniff.read_events():
        _check_root(element, name)
        return None
    if not data:
        _check_root(None, name)
    if fed + len(data) > MAX_LINE_BYTES:
        raise InputError(f"{name}: no root element in the first {MAX_LINE_BYTES:,} bytes; not a PubMed export?")
    return sniff


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


def _prune(root) -> None:
    """Drop what is finished outside any record. Going down from the root along the elements still open (each the
    last child of the one above), every earlier sibling is complete and read: it is deleted. A record is kept whole
    until it ends. Millions of small elements outside a record therefore take no more memory than one."""
    node = root
    while node is not None and node.tag not in _RECORDS:
        if len(node) > 1:
            del node[:-1]
        node = node[-1] if len(node) else None


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
        raise InputError(f"{source.file}: line {source.line}: a record without a valid PMID ({pmid and pmid[:60]!r})")
    version = pmid_element.get("Version")
    if article is None:
        raise InputError(f"{source.file}: line {source.line}: record PMID {pmid} has no Article element")
    parts: dict[str, list] = {}
    for child in article:
        parts.setdefault(child.tag, []).append(child)
    journal = (parts.get("Journal") or [None])[0]
    title = _text((parts.get("ArticleTitle") or [None])[0]) or _text((parts.get("VernacularTitle") or [None])[0])
    abstract = _abstract(parts.get("Abstract"))
    check_field(title, source.file, source.line, "title")
    check_field(abstract, source.file, source.line, "abstract")
    return Citation(
        pmid=pmid,
        version=int(version) if version and version.isdigit() else None,
        title=title,
        abstract=abstract,
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
