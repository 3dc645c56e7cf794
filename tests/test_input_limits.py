"""Every citation reader is bounded: a line, a field and a record have a largest size, a gzip stream that is corrupt,
cut short or expands like a bomb is refused, and only regular files are opened. Each refusal is an InputError that
names the file and the line or record (docs/hardening.md). Hostile inputs are made here, in tmp_path."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from skinevidence.claims.listings import Columns, read_listings
from skinevidence.claims.product import read_product_json
from skinevidence.errors import InputError
from skinevidence.ingest.limits import (
    GZIP_FREE_BYTES,
    GZIP_RATIO,
    MAX_FIELD_CHARS,
    MAX_LINE_BYTES,
    MAX_RECORD_CHARS,
    StreamError,
    open_gzip,
)
from skinevidence.ingest.read import read_citations
from skinevidence.text.input import check_input, open_input, read_source

RIS_RECORD = "TY  - JOUR\nTI  - Alpha serum for wrinkles\nAN  - 31234567\nER  - \n"
NBIB_RECORD = "PMID- 31234567\nTI  - Alpha serum for wrinkles\nDP  - 2021\n\n"


def records(path: Path) -> list:
    return list(read_citations(path))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def wrapped(tag: str, size: int, indent: str) -> str:
    """A ``tag`` value of exactly ``size`` characters once its wrapped lines are joined with single spaces."""
    first = "a" * 99
    lines, length = [f"{tag}  - {first}"], len(first)
    while length < size:
        part = "b" * min(999, size - length - 1)
        lines.append(f"{indent}{part}")
        length += len(part) + 1
    return "\n".join(lines) + "\n"


# lines -------------------------------------------------------------------------------------------------------------

def test_a_ris_line_of_exactly_one_mebibyte_is_read(tmp_path):
    title = "t" * (MAX_LINE_BYTES - len("TI  - \n"))
    path = write(tmp_path / "long.ris", f"TY  - JOUR\nTI  - {title}\nER  - \n")
    assert len(records(path)[0].title) == len(title)


def test_a_ris_line_one_byte_over_a_mebibyte_is_refused_naming_file_and_line(tmp_path):
    title = "t" * (MAX_LINE_BYTES - len("TI  - \n") + 1)
    path = write(tmp_path / "long.ris", f"TY  - JOUR\nTI  - {title}\nER  - \n")
    with pytest.raises(InputError, match=r"long\.ris: line 2 is longer than 1,048,576 bytes"):
        records(path)


def test_a_one_line_file_with_no_line_break_is_refused_after_one_mebibyte(tmp_path):
    path = tmp_path / "one-line.nbib"
    with path.open("w", encoding="utf-8") as out:
        out.write("PMID- 1\nAB  - ")
        for _ in range(64):
            out.write("x" * 65536)
    with pytest.raises(InputError, match=r"one-line\.nbib: line 2 is longer than"):
        records(path)


# fields and records --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, indent", [("ris", "   "), ("nbib", "      ")])
def test_a_wrapped_field_of_exactly_the_limit_is_read_whole(tmp_path, fmt, indent):
    body = wrapped("AB", MAX_FIELD_CHARS, indent)
    text = f"TY  - JOUR\n{body}ER  - \n" if fmt == "ris" else f"PMID- 1\n{body}\n"
    assert len(records(write(tmp_path / f"a.{fmt}", text))[0].abstract) == MAX_FIELD_CHARS


@pytest.mark.parametrize("fmt, indent", [("ris", "   "), ("nbib", "      ")])
def test_a_wrapped_field_one_character_over_the_limit_is_refused_naming_tag_and_record(tmp_path, fmt, indent):
    body = wrapped("AB", MAX_FIELD_CHARS + 1, indent)
    text = f"\nTY  - JOUR\n{body}ER  - \n" if fmt == "ris" else f"PMID- 1\n{body}\n"
    start = 2 if fmt == "ris" else 1
    with pytest.raises(InputError, match=rf"a\.{fmt}: line \d+: the AB field of the record from line {start} is "
                                         r"longer than 1,048,576 characters"):
        records(write(tmp_path / f"a.{fmt}", text))


def test_a_record_of_exactly_the_limit_is_read_and_one_character_more_is_refused(tmp_path):
    tags = ["T1", "T2", "T3", "N1", "N2", "AB", "M1", "C2"]
    fields = "".join(wrapped(tag, MAX_FIELD_CHARS, "   ") for tag in tags)
    at_limit = f"TY  - \n{fields}ER  - \n"  # TY is empty: the record is exactly 8 fields of the field limit
    assert MAX_RECORD_CHARS == len(tags) * MAX_FIELD_CHARS
    assert len(records(write(tmp_path / "full.ris", at_limit))) == 1
    with pytest.raises(InputError, match=r"over\.ris: line \d+: the record from line 1 is longer than "
                                         r"8,388,608 characters"):
        records(write(tmp_path / "over.ris", f"TY  - J\n{fields}ER  - \n"))


def test_many_short_wrapped_lines_are_read_in_linear_time(tmp_path):
    """200,000 wrapped lines of one abstract: joined once, not copied at every line (which took minutes)."""
    path = write(tmp_path / "wrapped.nbib", "PMID- 1\nAB  - start\n" + "      w\n" * 200_000 + "\n")
    assert len(records(path)[0].abstract) == len("start") + 2 * 200_000


# XML -----------------------------------------------------------------------------------------------------------------

def xml(body: str) -> str:
    return f'<?xml version="1.0"?>\n<PubmedArticleSet>\n{body}</PubmedArticleSet>\n'


def article(pmid: str, title: str) -> str:
    return (f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>{title}</ArticleTitle>"
            "</Article></MedlineCitation></PubmedArticle>\n")


def test_an_xml_title_over_the_field_limit_is_refused_naming_the_record_line(tmp_path):
    path = write(tmp_path / "title.xml", xml(article("1", "ok") + article("2", "t" * (MAX_FIELD_CHARS + 1))))
    with pytest.raises(InputError, match=r"title\.xml: line 4: the record's title is longer than 1,048,576"):
        records(path)


def test_an_xml_title_of_exactly_the_field_limit_is_read(tmp_path):
    path = write(tmp_path / "title.xml", xml(article("2", "t" * MAX_FIELD_CHARS)))
    assert len(records(path)[0].title) == MAX_FIELD_CHARS


def test_an_xml_record_over_the_record_limit_is_refused_before_it_ends(tmp_path):
    filler = "<Keyword>k</Keyword>" * (MAX_RECORD_CHARS // 20 + 10_000)
    path = write(tmp_path / "big.xml", xml(article("1", "ok") + f"<PubmedArticle><MedlineCitation>{filler}"))
    with pytest.raises(InputError, match=r"big\.xml: line 4: the PubmedArticle record is longer than 8,388,608"):
        records(path)


def test_external_and_internal_entities_are_not_expanded(tmp_path):
    secret = write(tmp_path / "secret.txt", "TOPSECRET")
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path = write(tmp_path / "entities.xml", f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n'
                 f'<!ENTITY x SYSTEM "file://{secret}"><!ENTITY l0 "lol">{laughs}]>\n'
                 f"<PubmedArticleSet>{article('1', 'a &x; b &l9; c')}</PubmedArticleSet>\n")
    try:
        title = records(path)[0].title or ""
    except InputError:
        return  # refused is as good as not expanded
    assert "TOPSECRET" not in title and "lol" not in title


def test_millions_of_small_elements_outside_any_record_take_no_memory():
    """4 million empty elements around two records (16 MB of XML): kept, they would take about 500 MB."""
    first = xml("")[:-len("</PubmedArticleSet>\n")] + article("1", "first")
    second = "<y>" + article("2", "inside a wrapper")
    script = textwrap.dedent(f"""
        import resource
        from skinevidence.ingest.medline_xml import parse_medline_xml
        class Stream:
            def __init__(self):
                self.parts = iter([{first!r}.encode(), *[b"<x/>" * 100_000] * 30, {second!r}.encode(),
                                   *[b"<z/>" * 100_000] * 10, b"</y></PubmedArticleSet>"])
            def read(self, size=-1):
                return next(self.parts, b"")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        titles = [c.title for c in parse_medline_xml(Stream(), "stream")]
        print(titles, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert out.returncode == 0, out.stderr
    titles, grown_mb = out.stdout.rsplit(" ", 1)
    assert titles == "['first', 'inside a wrapper']" and int(grown_mb) < 40


# gzip ----------------------------------------------------------------------------------------------------------------

def test_a_corrupt_gzip_stream_is_an_input_error_naming_file_and_record(tmp_path):
    data = bytearray(gzip.compress((RIS_RECORD * 2000).encode(), mtime=0))
    data[len(data) // 2] ^= 0xFF  # a flipped byte in the deflate data: zlib.error, which is not an OSError
    path = tmp_path / "corrupt.ris.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"corrupt\.ris\.gz: the gzip stream is (corrupt|cut short) .*; stopped "
                                         r"(after record \d+ \(from line \d+\)|before the first record)"):
        records(path)


def test_a_gzip_stream_cut_short_names_the_last_record_read(tmp_path):
    data = gzip.compress((NBIB_RECORD * 20_000).encode(), mtime=0)
    path = tmp_path / "cut.nbib.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"cut\.nbib\.gz: the gzip stream is cut short .*; stopped after record "
                                         r"[1-9]\d* \(from line [1-9]\d*\)"):
        records(path)


def test_a_corrupt_gzip_header_is_an_input_error(tmp_path):
    path = tmp_path / "header.xml.gz"
    path.write_bytes(b"\x1f\x8b\x09" + b"\x00" * 40)
    with pytest.raises(InputError, match=r"header\.xml\.gz: the gzip stream is corrupt"):
        records(path)


def members(path: Path, chunk: bytes, total: int, head: bytes = b"") -> Path:
    """A gzip file of ``head`` then ``chunk`` repeated to ``total`` bytes: one member compressed once and written
    again and again (gzip readers read members one after another), so a large bomb is made in no time."""
    member = gzip.compress(chunk, 9, mtime=0)
    with path.open("wb") as out:
        out.write(gzip.compress(head, mtime=0))
        for _ in range(total // len(chunk)):
            out.write(member)
    return path


def drain(path: Path) -> int:
    with path.open("rb") as raw, open_gzip(raw) as stream:
        return sum(len(block) for block in iter(lambda: stream.read(1 << 20), b""))


def test_a_stream_expanding_past_the_ratio_after_32_mib_is_refused(tmp_path):
    path = members(tmp_path / "bomb.gz", b"\0" * (1 << 20), 64 << 20)
    with pytest.raises(StreamError, match=rf"expands more than {GZIP_RATIO} times"):
        drain(path)


def test_a_stream_of_any_ratio_is_read_up_to_32_mib(tmp_path):
    path = members(tmp_path / "dense.gz", b"\0" * (1 << 20), GZIP_FREE_BYTES)
    assert drain(path) == GZIP_FREE_BYTES


def test_a_stream_just_under_the_ratio_is_read_past_32_mib(tmp_path):
    block = os.urandom(4096).hex().encode() * 128  # 1 MiB that deflate shrinks about 87 times
    path = members(tmp_path / "ordinary.gz", block, 48 << 20)
    ratio = (48 << 20) / path.stat().st_size
    assert 50 < ratio < GZIP_RATIO  # a higher ratio than any real export, still under the limit
    assert drain(path) == 48 << 20


@pytest.mark.parametrize("name, head, chunk", [
    ("bomb.xml.gz", b"<PubmedArticleSet>", b"<x/>" + b" " * 1020),
    ("bomb.nbib.gz", b"", b"PMID- 1\nTI  - " + b"t" * 1000 + b"\n\n"),
    ("bomb.ris.gz", b"", b"TY  - JOUR\nTI  - " + b"t" * 4000 + b"\nER  - \n"),
], ids=["xml", "nbib", "ris"])
def test_a_gzip_bomb_in_each_format_is_refused_naming_the_file(tmp_path, name, head, chunk):
    path = members(tmp_path / name, chunk * ((1 << 20) // len(chunk)), 1 << 30, head=head)
    with pytest.raises(InputError, match=rf"{name.replace('.', '[.]')}: the gzip stream expands more than 100 "
                                         r"times .*likely decompression bomb, refused; stopped"):
        records(path)


# what is opened ------------------------------------------------------------------------------------------------------

def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"pipe is a named pipe \(FIFO\), not a regular file"):
        check_input(fifo)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="is a folder, not a file"):
        open_input(tmp_path)


def test_a_device_is_refused(tmp_path):
    with pytest.raises(InputError, match=r"/dev/zero is a device, not a regular file"):
        read_source(None, Path("/dev/zero"))


def test_a_link_that_cannot_be_followed_is_refused_with_the_reason(tmp_path):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    with pytest.raises(InputError, match="cannot read .*loop: Too many levels of symbolic links"):
        open_input(loop)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file whatever its mode")
def test_an_unreadable_file_is_refused(tmp_path):
    path = write(tmp_path / "private.txt", "text")
    path.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        open_input(path)


def test_a_file_in_no_known_format_is_refused_without_quoting_it(tmp_path):
    path = write(tmp_path / ".env", "API_TOKEN=s3cr3t-value\n")
    with pytest.raises(InputError) as refused:
        records(path)
    assert "line 1: not MEDLINE/PubMed XML" in str(refused.value) and "s3cr3t" not in str(refused.value)


@pytest.mark.parametrize("command", [["check", "--file"], ["audit"], ["ingest"], ["product", "--file"]])
def test_commands_refuse_a_fifo_with_exit_5_and_no_traceback(tmp_path, command):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    extra = ["--queue", str(tmp_path / "q.sqlite")] if command == ["ingest"] else []
    result = subprocess.run([sys.executable, "-m", "skinevidence", *command, str(fifo), *extra], capture_output=True,
                            text=True, timeout=120, check=False, stdin=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.returncode == 5 and "named pipe (FIFO)" in result.stderr and "Traceback" not in result.stderr


# JSON that Python's json cannot turn into values: nested thousands deep (it recurses once per level: a
# RecursionError) or holding a number of more than 4,300 digits (a ValueError; found by scripts/fuzz.sh)


@pytest.mark.parametrize("text, message", [("[" * 100_000, "its JSON is nested thousands of levels deep"),
                                           ('{"name": ' + "5" * 4301 + "}", "it holds a number too long to read")],
                         ids=["deep", "long-number"])
def test_a_product_file_that_json_cannot_read_is_an_input_error(tmp_path, text, message):
    path = write(tmp_path / "product.json", text)
    with pytest.raises(InputError, match=rf"product\.json is not a product: {message}"):
        read_product_json(path)


@pytest.mark.parametrize("line, message", [('{"id": ' * 100_000, "JSON nested thousands of levels deep"),
                                           ('{"id": ' + "5" * 4301 + "}", "a number too long to read")],
                         ids=["deep", "long-number"])
def test_a_catalogue_row_that_json_cannot_read_is_a_row_error(tmp_path, line, message):
    path = write(tmp_path / "rows.jsonl", '{"id": "1", "title": "Serum"}\n' + line + "\n")
    first, second = read_listings(path, Columns.build())
    assert first.id == "1" and second.row == 2 and message in second.message
