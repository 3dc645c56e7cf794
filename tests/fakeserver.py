"""A local stand-in for NCBI's E-utilities and ClinicalTrials.gov's API v2, started by the tests on 127.0.0.1.

It replays answers copied from the services' own documentation and from recorded real answers (tests/fixtures,
each file's source in tests/fixtures/README.md): ESearch lists the ids of the real records it holds, in the shape
of NCBI's history answer; EFetch returns those records; the registry returns its documented example page, then an
empty last page. Faults (rate limits, server errors, error bodies) are queued per endpoint; every request is logged.
Nothing here touches the network.
"""

from __future__ import annotations

import re
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self

from lxml import etree

FIXTURES = Path(__file__).parent / "fixtures"
CTGOV_PARAMETERS = {"format", "query.cond", "query.term", "query.intr", "query.titles", "query.outc", "query.spons",
                    "query.lead", "query.id", "query.patient", "query.locn", "filter.overallStatus", "filter.ids",
                    "filter.advanced", "fields", "sort", "countTotal", "pageSize", "pageToken"}


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Request:
    endpoint: str
    params: dict[str, str]


def fixture(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()


def rate_limited() -> Answer:
    """NCBI's 429 answer to a site over its request rate."""
    return Answer(429, fixture("eutils/eutils-429.json"), "application/json", (("Retry-After", "0"),))


def server_error() -> Answer:
    return Answer(500, b"Internal Server Error", "text/plain")


class FakeServer:
    """Start with ``with FakeServer() as server:``; ``server.eutils`` and ``server.ctgov`` are the base URLs."""

    def __init__(self, records: Path = FIXTURES / "eutils" / "efetch-records.xml"):
        self.records: dict[str, bytes] = {}
        root = etree.parse(str(records)).getroot()
        for article in root.iterfind("PubmedArticle"):
            self.records[article.findtext("MedlineCitation/PMID")] = etree.tostring(article)
        self.ids = list(self.records)
        self.faults: dict[str, list[Answer]] = {"esearch": [], "efetch": [], "studies": []}
        self.requests: list[Request] = []
        self.efetch_seen = threading.Semaphore(0)  # released on every EFetch request
        self.efetch_gate: threading.Event | None = None  # when set up, EFetch requests after the first wait on it
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def eutils(self) -> str:
        return f"{self.base}/entrez/eutils/"

    @property
    def ctgov(self) -> str:
        return f"{self.base}/api/v2/"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.efetch_gate is not None:
            self.efetch_gate.set()
        self._server.shutdown()
        self._server.server_close()

    def fail(self, endpoint: str, *answers: Answer) -> None:
        """The next requests to ``endpoint`` (esearch, efetch, studies) get these answers, in order."""
        self.faults[endpoint].extend(answers)

    def calls(self, endpoint: str) -> list[Request]:
        return [r for r in self.requests if r.endpoint == endpoint]

    # answers ------------------------------------------------------------------------------------------------
    def answer(self, endpoint: str, params: dict[str, str]) -> Answer:
        with self._lock:
            self.requests.append(Request(endpoint, params))
            if self.faults.get(endpoint):
                return self.faults[endpoint].pop(0)
        if endpoint == "esearch":
            return self._esearch(params)
        if endpoint == "efetch":
            return self._efetch(params)
        if endpoint == "studies":
            return self._studies(params)
        return Answer(404, b"not found", "text/plain")

    def _esearch(self, params: dict[str, str]) -> Answer:
        start, size = int(params.get("retstart", 0)), int(params.get("retmax", 20))
        page = self.ids[start:start + size]
        body = fixture("eutils/esearch-history.xml").decode("utf-8")
        body = re.sub(r"<Count>\d+</Count><RetMax>\d+</RetMax><RetStart>\d+</RetStart>",
                      f"<Count>{len(self.ids)}</Count><RetMax>{len(page)}</RetMax><RetStart>{start}</RetStart>", body)
        body = re.sub(r"<IdList>.*</IdList>", "<IdList>\n" + "".join(f"<Id>{i}</Id>\n" for i in page) + "</IdList>",
                      body, flags=re.DOTALL)
        return Answer(200, body.encode("utf-8"), "text/xml; charset=UTF-8")

    def _efetch(self, params: dict[str, str]) -> Answer:
        self.efetch_seen.release()
        if self.efetch_gate is not None and len(self.calls("efetch")) > 1:
            self.efetch_gate.wait(timeout=30)
        ids = [i for i in params.get("id", "").split(",") if i]
        articles = b"\n".join(self.records[i] for i in ids if i in self.records)
        body = (b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January '
                b'2024//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">\n<PubmedArticleSet>\n'
                + articles + b"\n</PubmedArticleSet>\n")
        return Answer(200, body, "text/xml; charset=UTF-8")

    def _studies(self, params: dict[str, str]) -> Answer:
        unknown = sorted(set(params) - CTGOV_PARAMETERS)
        if unknown:
            return Answer(400, f"`{unknown[0]}` is unknown parameter".encode(), "text/plain")
        token = params.get("pageToken")
        if token is None:
            return Answer(200, fixture("clinicaltrials/ctgov-studies-page1.json"), "application/json")
        if token == "abracadabra":
            return Answer(200, b'{"studies": []}', "application/json")
        return Answer(400, b"invalid pageToken", "text/plain")

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _reply(self, params: dict[str, str]) -> None:
                path = urllib.parse.urlsplit(self.path).path
                endpoint = {"/entrez/eutils/esearch.fcgi": "esearch", "/entrez/eutils/efetch.fcgi": "efetch",
                            "/api/v2/studies": "studies"}.get(path, path)
                answer = server.answer(endpoint, params)
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers:
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):  # the client was killed
                    pass

            def do_GET(self) -> None:
                self._reply(dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query)))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._reply(dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8"))))

        return Handler
