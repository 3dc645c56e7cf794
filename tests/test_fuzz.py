"""Fuzzing: every reader, and check and audit, given arbitrary or hostile input, give a result or an InputError,
never another exception (docs/hardening.md).

In the ordinary suite each test runs a bounded number of examples. ``scripts/fuzz.sh 30m`` runs the same tests for
a fixed time (``SKINEVIDENCE_FUZZ=long``), with a memory cap, and saves every input that fails under
``tests/fixtures/fuzz/<test>/``, where :func:`test_saved_crashers_stay_fixed` reads them back in every later run.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import signal
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.control import current_build_context
from hypothesis.database import DirectoryBasedExampleDatabase

from skinevidence.claims.audit import audit_text
from skinevidence.claims.check import check_text
from skinevidence.claims.listings import Columns, read_listings
from skinevidence.claims.product import read_product_json
from skinevidence.errors import InputError
from skinevidence.evidence.files import load_evidence
from skinevidence.ingest.read import parse_stream, read_citations
from skinevidence.render import Format, render
from skinevidence.text.input import decode

LONG = os.environ.get("SKINEVIDENCE_FUZZ") == "long"
SAVED = Path(__file__).parent / "fixtures" / "fuzz"
DEADLINE_MS = 5000  # no input may take longer (hypothesis reports the slowest as a failure)
HANG_S = 60  # an input still running after this is stopped and reported: a loop that never ends

FUZZ = settings(
    max_examples=int(os.environ.get("SKINEVIDENCE_FUZZ_EXAMPLES", "100000")) if LONG else 40,
    deadline=DEADLINE_MS,
    derandomize=not LONG,  # the ordinary suite tries the same inputs every run; the long run new ones
    database=DirectoryBasedExampleDatabase(os.environ["SKINEVIDENCE_FUZZ_DB"])
    if os.environ.get("SKINEVIDENCE_FUZZ_DB") else None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                           HealthCheck.function_scoped_fixture],  # the evidence folder is rewritten by each example
    print_blob=True,
)


class Hang(Exception):
    """An input ran past HANG_S seconds (hypothesis's deadline is only checked once a call returns)."""


@contextmanager
def stopped_after(seconds: int):
    def stop(_signum, _frame):
        raise Hang(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def survives(test: str, data: bytes, run: Callable[[], object]) -> None:
    """Run ``run``: a result or an InputError passes; anything else saves ``data`` (long runs) and fails."""
    try:
        with stopped_after(HANG_S):
            run()
    except InputError:
        pass
    except BaseException:
        if LONG and current_build_context().is_final:  # the shrunk input, not every step of the shrinking
            folder = SAVED / test
            folder.mkdir(parents=True, exist_ok=True)
            (folder / hashlib.sha256(data).hexdigest()[:16]).write_bytes(data)
        raise


# strategies ----------------------------------------------------------------------------------------------------------

def mutated(base: st.SearchStrategy[bytes], repeats: int = 50_000) -> st.SearchStrategy[bytes]:
    """A valid-looking input with bytes flipped, cut, repeated or inserted: where the readers' edge cases are. A
    piece repeated up to ``repeats`` times (200 in the ordinary suite) makes long lines and deep nesting."""
    @st.composite
    def build(draw) -> bytes:
        data = bytearray(draw(base))
        for _ in range(draw(st.integers(0, 4))):
            where = draw(st.integers(0, len(data)))
            kind = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "delete"]))
            if kind == "flip" and where < len(data):
                data[where] ^= draw(st.integers(1, 255))
            elif kind == "cut":
                del data[where:]
            elif kind == "insert":
                data[where:where] = draw(st.binary(max_size=40) | st.sampled_from(HOSTILE))
            elif kind == "repeat" and data:
                start = draw(st.integers(0, len(data) - 1))
                piece = data[start:start + draw(st.integers(1, 64))]
                data[where:where] = piece * draw(st.integers(2, repeats if LONG else 200))
            elif kind == "delete":
                del data[where:where + draw(st.integers(1, 64))]
        return bytes(data)
    return build()


HOSTILE = [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\r", b"\r\n", b"\n\n", b"      ", b"\t", b"\x1f\x8b", b"]]>",
           b"<![CDATA[", b"&#0;", b"&#x110000;", b"&lol;", b"<!ENTITY x SYSTEM 'file:///etc/passwd'>", b"\xed\xa0\x80",
           b"\xe2\x80\xa8", b"<!DOCTYPE PubmedArticleSet [<!ENTITY a 'aaaa'>]>", b"</PubmedArticleSet>", b"ER  - ",
           b"TY  - ", b"PMID- ", b"<PubmedArticle>", b"<?xml version='1.0' encoding='latin-1'?>"]
TEXT = st.text(st.characters(codec="utf-8"), max_size=60)
WORDS = st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=30)

RIS_TAGS = ["TY", "TI", "T1", "AU", "A1", "PY", "Y1", "DA", "JO", "T2", "JF", "DO", "AN", "AB", "N2", "UR", "N1",
            "M1", "C2", "L1", "LA", "KW", "ER", "XX"]
ris_line = st.one_of(st.tuples(st.sampled_from(RIS_TAGS), WORDS).map(lambda t: f"{t[0]}  - {t[1]}"),
                     st.sampled_from(["ER  - ", "TY  - JOUR", "", "AN  - 31234567", "DO  - 10.1000/x",
                                      "UR  - https://pubmed.ncbi.nlm.nih.gov/123/"]), WORDS)
RIS = st.lists(ris_line, max_size=30).map(lambda lines: "\n".join(lines).encode())

NBIB_TAGS = ["PMID", "TI", "BTI", "AB", "AU", "FAU", "CN", "DP", "LID", "AID", "PMC", "SI", "PT", "MH", "LA", "RIN",
             "EIN", "JT", "TA"]
nbib_line = st.one_of(st.tuples(st.sampled_from(NBIB_TAGS), WORDS).map(lambda t: f"{t[0]:<4}- {t[1]}"),
                      WORDS.map(lambda w: "      " + w),
                      st.sampled_from(["", "PMID- 31234567", "SI  - ClinicalTrials.gov/NCT01234567",
                                       "AID - 10.1000/x [doi]", "DP  - 2021 Mar"]), WORDS)
NBIB = st.lists(nbib_line, max_size=30).map(lambda lines: "\n".join(lines).encode())

XML_TAGS = ["PubmedArticle", "MedlineCitation", "PMID", "Article", "ArticleTitle", "VernacularTitle", "Abstract",
            "AbstractText", "AuthorList", "Author", "LastName", "ForeName", "Initials", "CollectiveName", "Journal",
            "Title", "JournalIssue", "PubDate", "Year", "MedlineDate", "ELocationID", "PubmedData", "ArticleIdList",
            "ArticleId", "PublicationTypeList", "PublicationType", "MeshHeadingList", "MeshHeading",
            "DescriptorName", "DataBankList", "DataBank", "DataBankName", "AccessionNumberList", "AccessionNumber",
            "CommentsCorrectionsList", "CommentsCorrections", "RefSource", "DeleteCitation", "Language", "i", "x"]
XML_ATTRS = st.sampled_from(['', ' IdType="doi"', ' IdType="pmc"', ' EIdType="doi"', ' ValidYN="N"', ' Label="AIM"',
                             ' RefType="RetractionIn"', ' Version="2"', ' IndexingMethod="Automated"'])
XML_TEXT = st.one_of(WORDS.map(lambda w: w.replace("&", "&amp;").replace("<", "&lt;")),
                     st.sampled_from(["31234567", "10.1000/abc", "PMC123", "2021", "NCT01234567",
                                      "ClinicalTrials.gov", "&amp;", "&#x3b1;", "&e;"]))


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(XML_TAGS), XML_ATTRS, st.lists(children, max_size=4)).map(
        lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>")


XML_BODY = st.recursive(XML_TEXT, _element, max_leaves=40)
XML = st.tuples(st.sampled_from(["", '<?xml version="1.0"?>\n', '<!DOCTYPE PubmedArticleSet [<!ENTITY e "x">]>\n']),
                st.sampled_from(["PubmedArticleSet", "MedlineCitationSet", "html"]),
                st.lists(XML_BODY, max_size=6)).map(
    lambda t: f"{t[0]}<{t[1]}>\n{chr(10).join(t[2])}\n</{t[1]}>\n".encode())

CITATIONS = {"medline-xml": XML, "medline-text": NBIB, "ris": RIS}

CLAIM_WORDS = ["clinically proven", "dermatologist tested", "reduces wrinkles", "by 47%", "in 7 days", "collagen",
               "retinol", "niacinamide", "vitamin C", "hyaluronic acid", "exosome", "cures", "acne", "melasma",
               "100% natural", "FDA approved", "boosts", "repairs the skin barrier", "no side effects", "SPF 50",
               "studies show", "doi:10.1000/x", "https://pubmed.ncbi.nlm.nih.gov/1/", "<b>", "</p>", "<script>",
               ".", "!", "?", "\n", "\n\n", " ", "(", ")", "•", "– ", "*", "#", "|", "0", "1", "2", "x"]
CLAIMS = st.lists(st.one_of(st.sampled_from(CLAIM_WORDS), TEXT), max_size=120).map(" ".join)


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def catalog(bundled):
    check_text(bundled, "Retinol is clinically proven to reduce wrinkles.")  # compiled once, not in a timed call
    audit_text(bundled, "Retinol is clinically proven to reduce wrinkles.")
    return bundled


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


# readers -------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(CITATIONS))
@FUZZ
@given(data=st.data())
def test_each_citation_reader_on_mutated_input_reads_or_refuses(kind, data):
    raw = data.draw(mutated(CITATIONS[kind]))
    survives(f"parse-{kind}", raw, lambda: list(parse_stream(io.BytesIO(raw), "fuzz", kind)))


@pytest.mark.parametrize("kind", list(CITATIONS))
@FUZZ
@given(raw=st.binary(max_size=2000))
def test_each_citation_reader_on_arbitrary_bytes_reads_or_refuses(kind, raw):
    survives(f"parse-{kind}", raw, lambda: list(parse_stream(io.BytesIO(raw), "fuzz", kind)))


@FUZZ
@given(raw=st.one_of(*(mutated(s) for s in CITATIONS.values()), st.binary(max_size=500)))
def test_a_citation_file_of_any_content_reads_or_refuses(workdir, raw):
    path = write(workdir, "input.txt", raw)
    survives("read", raw, lambda: list(read_citations(path)))


def _gzipped(base: st.SearchStrategy[bytes]) -> st.SearchStrategy[bytes]:
    return base.map(lambda data: gzip.compress(data, mtime=0))


@FUZZ
@given(raw=st.one_of(*(mutated(_gzipped(s)) for s in CITATIONS.values())))
def test_a_gzip_citation_file_of_any_content_reads_or_refuses(workdir, raw):
    path = write(workdir, "input.gz", raw)
    survives("read-gzip", raw, lambda: list(read_citations(path)))


@FUZZ
@given(raw=st.one_of(st.binary(max_size=2000), mutated(st.text(max_size=200).map(str.encode))))
def test_a_text_to_check_decodes_or_is_refused(raw):
    survives("decode", raw, lambda: decode(raw, "fuzz"))


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@FUZZ
@given(data=st.data())
def test_a_catalogue_of_any_content_reads_or_refuses(workdir, fmt, data):
    header = b"id,title,description,ingredients\n" if fmt == "csv" else b""
    row = (st.lists(TEXT, min_size=4, max_size=4).map(lambda r: ",".join(r).encode()) if fmt == "csv" else
           st.fixed_dictionaries({"id": TEXT, "title": TEXT, "description": TEXT}).map(
               lambda d: json.dumps(d).encode()))
    raw = data.draw(mutated(st.lists(row, max_size=10).map(lambda rows: header + b"\n".join(rows))))
    path = write(workdir, f"listings.{fmt}", raw)
    survives(f"listings-{fmt}", raw, lambda: list(read_listings(path, Columns.build())))


@FUZZ
@given(raw=st.one_of(mutated(st.fixed_dictionaries({"name": TEXT, "claims": TEXT, "inci": TEXT | st.lists(TEXT)}).map(
    lambda d: json.dumps(d).encode())), st.binary(max_size=300)))
def test_a_product_file_of_any_content_reads_or_refuses(workdir, raw):
    path = write(workdir, "product.json", raw)
    survives("product", raw, lambda: read_product_json(path))


STUDY = (b"id: t1\ntitle: A trial\nfirst_author: Doe J\nyear: 2020\ndesign: rct\npopulation: human\n"
         b"participants: 40\nrandomised: true\nblinding: double\nfunding: non-industry\nsummary: A trial.\n"
         b"provenance:\n  urls: [https://pubmed.ncbi.nlm.nih.gov/1/]\n  read_on: 2026-11-22\n  coded_by: curated\n"
         b"findings:\n- {intervention: alpha-serum, outcome: wrinkles, route: topical, comparator: vehicle,"
         b" direction: benefit}\n")


@FUZZ
@given(raw=st.one_of(mutated(st.just(STUDY)), st.binary(max_size=300)))
def test_an_evidence_file_of_any_content_is_read_or_reported(evidence, raw):
    write(evidence.root / "studies", "t1.yaml", raw)
    survives("evidence", raw, lambda: load_evidence(evidence.root))


# check and audit -----------------------------------------------------------------------------------------------------

# texts up to about 130 KB: the time check and audit take grows with the text (benchmarks/text_scaling.py), and
# what is fuzzed here is that no text makes them fail, within the 5 s deadline
TEXT_MUTATIONS = mutated(CLAIMS.map(str.encode), repeats=2000)

@FUZZ
@given(text=st.one_of(CLAIMS, TEXT, TEXT_MUTATIONS.map(lambda b: b.decode("utf-8", "replace"))))
def test_check_of_any_text_gives_claims_or_refuses(catalog, text):
    survives("check", text.encode("utf-8", "surrogatepass"),
             lambda: render(check_text(catalog, text), Format.JSON))


@FUZZ
@given(text=st.one_of(CLAIMS, TEXT, CLAIMS.map(lambda t: f"<html><title>{t[:40]}</title><body><p>{t}</p></body>"),
                      TEXT_MUTATIONS.map(lambda b: b.decode("utf-8", "replace"))))
def test_audit_of_any_text_gives_a_report_or_refuses(catalog, text):
    survives("audit", text.encode("utf-8", "surrogatepass"),
             lambda: render(audit_text(catalog, text), Format.JSON))


# inputs that once failed ---------------------------------------------------------------------------------------------

def _parser(kind: str) -> Callable[[Path, bytes], object]:
    return lambda path, raw: list(parse_stream(io.BytesIO(raw), "fuzz", kind))


REPLAY: dict[str, Callable[[Path, bytes], object]] = {
    **{f"parse-{kind}": _parser(kind) for kind in CITATIONS},
    "read": lambda path, raw: list(read_citations(path)),
    "read-gzip": lambda path, raw: list(read_citations(path)),
    "decode": lambda path, raw: decode(raw, "fuzz"),
    "product": lambda path, raw: read_product_json(path),
    "listings-csv": lambda path, raw: list(read_listings(path.rename(path.with_suffix(".csv")), Columns.build())),
    "listings-jsonl": lambda path, raw: list(read_listings(path.rename(path.with_suffix(".jsonl")), Columns.build())),
}


def _saved() -> list[Path]:
    return sorted(p for p in SAVED.glob("*/*") if p.is_file() and p.parent.name in REPLAY)


@pytest.mark.parametrize("path", _saved(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_saved_crashers_stay_fixed(tmp_path, path):
    """Inputs that once ended in a traceback (issue 17's corrupt and cut-short gzip streams, among them) or that
    a long fuzz run saved: each now reads or is refused."""
    raw = path.read_bytes()
    copy = write(tmp_path, "input", raw)
    try:
        REPLAY[path.parent.name](copy, raw)
    except InputError:
        pass

