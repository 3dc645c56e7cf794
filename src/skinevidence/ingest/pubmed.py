"""PubMed through NCBI's E-utilities: ESearch for the PMIDs a query finds (on the history server, within an entry
date window), EFetch for their MEDLINE XML in batches, read by the same streaming reader as a downloaded file.

The user's API key and e-mail come from the environment (``NCBI_API_KEY``, ``NCBI_EMAIL``); without a key NCBI
allows 3 requests a second, with one 10 (https://www.ncbi.nlm.nih.gov/books/NBK25497/). ``SKINEVIDENCE_EUTILS_URL``
points the client at another server (the tests' local replay of NCBI's answers).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from skinevidence.errors import InputError
from skinevidence.ingest.http import FetchError, Polite
from skinevidence.ingest.medline_xml import parse_medline_xml
from skinevidence.ingest.records import Citation, Deletion

EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
ESEARCH_PAGE = 10_000     # ESearch returns at most this many ids per request, and no further than the 10,000th
FETCH_BATCH = 200         # ids per EFetch request
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass
class SearchResult:
    """What ESearch found: the total, the ids (in NCBI's order), and the history-server handle."""

    query: str
    count: int
    ids: list[str]
    webenv: str | None = None
    query_key: str | None = None
    translation: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class PubMed:
    """An E-utilities client. ``base`` defaults to NCBI (or ``SKINEVIDENCE_EUTILS_URL``)."""

    api_key: str | None = None
    email: str | None = None
    base: str = EUTILS
    http: Polite | None = None
    batch: int = FETCH_BATCH  # ids per EFetch request (at most FETCH_BATCH)
    tool: str = "skinevidence"

    @classmethod
    def from_environment(cls, **overrides) -> PubMed:
        return cls(api_key=os.environ.get("NCBI_API_KEY") or None, email=os.environ.get("NCBI_EMAIL") or None,
                   base=os.environ.get("SKINEVIDENCE_EUTILS_URL") or EUTILS, **overrides)

    def __post_init__(self) -> None:
        self.base = self.base.rstrip("/") + "/"
        if not 1 <= self.batch <= FETCH_BATCH:
            raise InputError(f"an EFetch batch is 1 to {FETCH_BATCH} records, not {self.batch}")
        if self.http is None:
            self.http = Polite(per_second=10.0 if self.api_key else 3.0)

    def _common(self) -> dict[str, str | None]:
        return {"db": "pubmed", "tool": self.tool, "email": self.email, "api_key": self.api_key}

    def search(self, query: str, mindate: dt.date | None = None, maxdate: dt.date | None = None,
               limit: int | None = None) -> SearchResult:
        """Every PMID ``query`` finds (entry date within [mindate, maxdate] when given), page by page on the
        history server. More than 10,000 is an error: ESearch cannot page beyond that, narrow the query."""
        if not query.strip():
            raise InputError("the PubMed query is empty")
        params: dict[str, str | None] = {**self._common(), "term": query, "usehistory": "y",
                                         "retmax": str(min(limit or ESEARCH_PAGE, ESEARCH_PAGE))}
        if mindate or maxdate:  # NCBI needs both
            params.update(datetype="edat", mindate=(mindate or dt.date(1800, 1, 1)).strftime("%Y/%m/%d"),
                          maxdate=(maxdate or dt.date.today()).strftime("%Y/%m/%d"))
        first = self._esearch(params)
        result = SearchResult(query, first["count"], first["ids"], first["webenv"], first["query_key"],
                              first["translation"], first["warnings"])
        wanted = min(result.count, limit) if limit else result.count
        if wanted > ESEARCH_PAGE:
            raise FetchError(f"PubMed finds {result.count:,} records for {query!r}; E-utilities lists at most "
                             f"{ESEARCH_PAGE:,} per search: narrow the query or the date window")
        while len(result.ids) < wanted:
            page = self._esearch({**params, "WebEnv": result.webenv, "query_key": result.query_key,
                                  "retstart": str(len(result.ids))})
            if not page["ids"]:
                break
            result.ids.extend(page["ids"])
        result.ids = list(dict.fromkeys(result.ids))[:wanted]
        return result

    def _esearch(self, params: dict) -> dict:
        assert self.http is not None  # set in __post_init__
        body = self.http.get(self.base + "esearch.fcgi", params)
        root = _xml(body, "ESearch")
        error = root.findtext("ERROR")
        if error:
            raise FetchError(f"PubMed's ESearch answered an error: {error.strip()}")
        if root.tag != "eSearchResult" or root.findtext("Count") is None:
            raise FetchError(f"PubMed's ESearch answered <{root.tag}>, not a search result")
        warnings = [f"{e.tag}: {e.text}" for e in root.iterfind("ErrorList/*") if e.text]
        warnings += [f"{e.tag}: {e.text}" for e in root.iterfind("WarningList/*") if e.text]
        return {"count": int(root.findtext("Count")), "ids": [i.text.strip() for i in root.iterfind("IdList/Id")
                                                              if i.text],
                "webenv": root.findtext("WebEnv"), "query_key": root.findtext("QueryKey"),
                "translation": root.findtext("QueryTranslation"), "warnings": warnings}

    def fetch(self, ids: list[str]) -> Iterator[Citation | Deletion]:
        """The MEDLINE XML records of ``ids`` (at most :attr:`batch`), read as a file would be."""
        if not ids:
            return iter(())
        if len(ids) > self.batch:
            raise ValueError(f"fetch at most {self.batch} ids at a time")
        assert self.http is not None  # set in __post_init__
        body = self.http.post(self.base + "efetch.fcgi", {**self._common(), "id": ",".join(ids), "retmode": "xml"})
        if b"<eFetchResult" in body[:400]:
            message = _xml(body, "EFetch").findtext("ERROR") or "no records"
            raise FetchError(f"PubMed's EFetch answered an error: {message.strip()}")
        return parse_medline_xml(io.BytesIO(body), f"EFetch of {len(ids)} PMIDs ({ids[0]}...)")


def _xml(body: bytes, what: str):
    try:
        return etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise FetchError(f"PubMed's {what} answer is not XML ({exc.msg}): {body[:120]!r}") from None
