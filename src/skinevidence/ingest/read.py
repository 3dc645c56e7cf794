"""Open a citation file (plain or gzip-compressed), tell its format from its first line, and stream its records.

Formats: MEDLINE/PubMed XML, PubMed's MEDLINE text (.nbib/.txt) and RIS. The format is read from the content, not
trusted from the extension. Every failure to read is an :class:`InputError` naming the file.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterator
from io import BufferedReader
from pathlib import Path
from typing import IO

from skinevidence.errors import InputError
from skinevidence.ingest.limits import StreamError, check_line, open_gzip
from skinevidence.ingest.medline_text import parse_medline_text
from skinevidence.ingest.medline_xml import parse_medline_xml
from skinevidence.ingest.records import Citation, Deletion
from skinevidence.ingest.ris import parse_ris
from skinevidence.text.input import open_input

FORMATS = ("medline-xml", "medline-text", "ris")
_GZIP_MAGIC = b"\x1f\x8b"
_BLOCK = 64 * 1024  # bytes read at a time by the line readers (less than a line may hold: see _lines)
_PROGRESS_EVERY = 200  # records between progress reports

Progress = Callable[[int, int], None]  # (bytes read so far, file size in bytes), both of the file on disk


def detect_format(head: bytes, name: str) -> str:
    """The format from the first bytes of the (decompressed) content."""
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        return "medline-xml"
    if text.startswith(("PMID-", "PMID -")):
        return "medline-text"
    if text.startswith("TY  -"):
        return "ris"
    if not text:
        raise InputError(f"{name}: the file is empty")
    # what the file holds is not quoted: it may be anything, a secret included
    raise InputError(f"{name}: line 1: not MEDLINE/PubMed XML, PubMed's MEDLINE text (.nbib) or RIS (its first line "
                     "is neither '<', 'PMID- ' nor 'TY  - ')")


def read_citations(path: Path | str, progress: Progress | None = None) -> Iterator[Citation | Deletion]:
    """Stream every record of one file, in order: :class:`Citation` for articles, :class:`Deletion` for PMIDs
    PubMed withdrew. ``progress`` (optional) is called now and then with bytes read and the file's size.

    Every reader is bounded (:mod:`skinevidence.ingest.limits`): a line, field or record past its limit, a gzip
    stream that is corrupt, cut short or expands like a bomb, all raise :class:`InputError` naming the file and
    the record reached."""
    path = Path(path)
    name = str(path)
    raw = open_input(path)
    count, last = 0, None
    with raw:
        size = _size(raw)
        try:
            compressed = raw.read(2) == _GZIP_MAGIC
            raw.seek(0)
            buffered: BufferedReader = open_gzip(raw) if compressed else raw
            head = buffered.peek(4096)[:4096]
            kind = detect_format(head, name)
            for count, record in enumerate(parse_stream(buffered, name, kind), 1):
                last = record
                if progress is not None and count % _PROGRESS_EVERY == 0:
                    progress(raw.tell(), size)
                yield record
        except StreamError as exc:
            reached = f"after record {count} (from line {last.source and last.source.line})" if last is not None else \
                "before the first record"
            raise InputError(f"{name}: {exc}; stopped {reached}") from None
        if progress is not None:
            progress(size, size)


def parse_stream(stream: IO[bytes], name: str, kind: str) -> Iterator[Citation | Deletion]:
    """Records from an open binary stream in a known format."""
    if kind == "medline-xml":
        return parse_medline_xml(stream, name)
    lines = _lines(stream, name)
    if kind == "medline-text":
        return parse_medline_text(lines, name)
    if kind == "ris":
        return parse_ris(lines, name)
    raise InputError(f"unknown citation format {kind!r}: one of {', '.join(FORMATS)}")


def _lines(stream: IO[bytes], name: str) -> Iterator[str]:
    """UTF-8 lines split at line feeds (a byte-order mark is dropped), none longer than 1 MiB; bytes that are not
    UTF-8 raise InputError with the line. Read and decoded a block at a time: per line, only the split is paid."""
    number = 0  # lines yielded so far
    carry = b""  # the start of a line whose end is not read yet
    try:
        while block := stream.read(_BLOCK):
            if not number and not carry:
                block = block.removeprefix(codecs.BOM_UTF8)
            first = block.find(b"\n")
            if first < 0:
                carry += block
                check_line(len(carry), name, number + 1)
                continue
            check_line(len(carry) + first + 1, name, number + 1)  # a block is shorter than a line may be
            last = block.rfind(b"\n")
            complete, carry = carry + block[: last + 1], block[last + 1:]
            lines = _decode(complete, number).split("\n")
            lines.pop()  # the empty text after the block's last line feed
            yield from lines
            number += len(lines)
        if carry:
            yield _decode(carry, number)
    except _NotUtf8 as exc:
        raise InputError(f"{name}: line {exc.line}: not UTF-8 text (byte 0x{exc.byte:02x}); save the export as "
                         "UTF-8") from None
    except (OSError, EOFError) as exc:
        raise InputError(f"{name}: the file ends early or is corrupt ({exc})") from None


def _decode(data: bytes, before: int) -> str:
    """Whole lines of UTF-8; ``before`` lines came earlier (for the message)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _NotUtf8(before + data.count(b"\n", 0, exc.start) + 1, data[exc.start]) from None


class _NotUtf8(Exception):
    def __init__(self, line: int, byte: int):
        super().__init__(line, byte)
        self.line, self.byte = line, byte


def _size(handle) -> int:
    try:
        return os.fstat(handle.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        return 0
