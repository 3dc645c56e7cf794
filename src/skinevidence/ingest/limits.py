"""The bounds every citation reader keeps, whatever it is given: a line, a field and a record have a largest size,
and a gzip stream may not expand without limit. Past a bound the reader stops with an :class:`InputError` that
names the file and the line or record; it never holds more than one record's text (docs/hardening.md).

- :class:`Fields` collects one record's tagged values (MEDLINE text, RIS) and checks the field and record sizes as
  they grow; wrapped values are kept as parts and joined once, so a value of many short lines is read in linear time.
- :class:`Gunzip` decompresses a gzip file and turns every decompression failure (``zlib.error``, ``EOFError``,
  ``BadGzipFile``) into a :class:`StreamError`, and refuses a stream that expands past :data:`GZIP_RATIO` times
  its compressed size once :data:`GZIP_FREE_BYTES` have come out (a likely decompression bomb).
"""

from __future__ import annotations

import gzip
import io
import zlib
from typing import IO

from skinevidence.errors import InputError

MIB = 1 << 20
MAX_LINE_BYTES = 1 * MIB          # one line of a text export (an abstract is a few KB)
MAX_FIELD_CHARS = 1 * MIB         # one field's value, its wrapped lines joined (or one XML element's text)
MAX_RECORD_CHARS = 8 * MIB        # one record: every field of it (an XML record: its bytes)
GZIP_RATIO = 100                  # decompressed / compressed; PubMed's own files are about 6-10
GZIP_FREE_BYTES = 32 * MIB        # decompressed bytes allowed before the ratio is enforced


class StreamError(Exception):
    """The decompressed stream cannot go on (corrupt, cut short, or a likely bomb). The reader that sees it knows
    the file and the record reached, and turns it into an :class:`InputError` naming both."""


class Fields:
    """One record's values by tag, as read: ``add`` a tag line, ``extend`` the last value with a wrapped line."""

    __slots__ = ("_last", "_last_size", "_last_tag", "_size", "_values", "name", "start")

    def __init__(self, name: str, start: int):
        self.name, self.start = name, start
        self._values: dict[str, list[list[str]]] = {}
        self._last: list[str] | None = None
        self._last_tag = ""
        self._last_size = 0
        self._size = 0

    def add(self, tag: str, value: str, line: int) -> None:
        parts = [value]
        self._values.setdefault(tag, []).append(parts)
        self._last, self._last_tag, self._last_size = parts, tag, 0
        self._grow(len(value), line)

    def extend(self, text: str, line: int) -> None:
        """Continue the last value with a wrapped line (joined with one space)."""
        if self._last is None:
            return
        self._last.append(text)
        self._grow(len(text) + 1, line)

    def _grow(self, size: int, line: int) -> None:
        self._last_size += size
        self._size += size
        if self._last_size > MAX_FIELD_CHARS:
            raise InputError(f"{self.name}: line {line}: the {self._last_tag} field of the record from line "
                             f"{self.start} is longer than {MAX_FIELD_CHARS:,} characters; not a citation export?")
        if self._size > MAX_RECORD_CHARS:
            raise InputError(f"{self.name}: line {line}: the record from line {self.start} is longer than "
                             f"{MAX_RECORD_CHARS:,} characters; not a citation export?")

    def values(self) -> dict[str, list[str]]:
        """Every tag's values, wrapped lines joined with one space."""
        return {tag: [" ".join(part for part in parts if part) for parts in values]
                for tag, values in self._values.items()}


def check_line(length: int, name: str, number: int) -> None:
    """Refuse a line of ``length`` bytes (its line feed included) longer than :data:`MAX_LINE_BYTES`."""
    if length > MAX_LINE_BYTES:
        raise InputError(f"{name}: line {number} is longer than {MAX_LINE_BYTES:,} bytes (1 MiB); a citation "
                         "export has no such line (is this a citation file?)")


def check_field(value: str | None, name: str, line: int | None, what: str) -> None:
    """Refuse a value longer than :data:`MAX_FIELD_CHARS` (the XML reader's fields, read whole)."""
    if value is not None and len(value) > MAX_FIELD_CHARS:
        raise InputError(f"{name}: line {line}: the record's {what} is longer than {MAX_FIELD_CHARS:,} characters; "
                         "not a citation export?")


class Gunzip(io.RawIOBase):
    """The decompressed bytes of a gzip file, read with bounds: see the module's docstring."""

    def __init__(self, raw: IO[bytes]):
        super().__init__()
        self._raw = raw
        self._gzip = gzip.GzipFile(fileobj=raw, mode="rb")
        self._out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._gzip.read1(len(buffer))
        except (zlib.error, EOFError, OSError) as exc:  # zlib.error is not an OSError
            raise StreamError(_reason(exc)) from None
        self._out += len(data)
        if self._out > GZIP_FREE_BYTES:
            read = max(self._raw.tell(), 1)
            if self._out > GZIP_RATIO * read:
                raise StreamError(f"the gzip stream expands more than {GZIP_RATIO} times its compressed size "
                                  f"({self._out:,} bytes out of {read:,}): a likely decompression bomb, refused")
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._gzip.close()
        super().close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return f"the gzip stream is cut short ({exc})"
    return f"the gzip stream is corrupt ({exc})"


def open_gzip(raw: IO[bytes]) -> io.BufferedReader:
    """A buffered, bounded reader over the gzip file ``raw`` (with ``peek`` and ``readline``)."""
    return io.BufferedReader(Gunzip(raw), buffer_size=64 * 1024)
