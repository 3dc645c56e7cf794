"""Product listings read from catalogues (CSV, JSON Lines, Parquet) and screening rows written back, streaming.

A listing is one product as a marketplace shows it: an id, a title, bullet points, a description, an ingredient
list, a brand and a country. Readers stream the file and yield, in order, either a :class:`Listing` or a
:class:`RowError` naming the row that could not be read (wrong number of fields, invalid UTF-8, a field over the
size limit, a line that is not a JSON object): the caller reports it and goes on. Problems with the file as a whole
(no such file, a missing column, an unknown format) raise :class:`InputError` before any row is read.

CSV and JSON Lines are parsed row by row with Python's ``csv`` and ``json`` modules, which report every bad row
with its number and let the rest through; Parquet is read and written with pyarrow in record batches. Memory stays
flat however long the file.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from skinevidence.errors import InputError
from skinevidence.paths import TEMPORARY_PREFIX, sync_folder, temporary_file
from skinevidence.text.input import open_input

FIELDS = ("id", "title", "description", "bullets", "ingredients", "brand", "country")
TEXT_FIELDS = ("title", "bullets", "description")  # the listing's own words, where claims are made
FORMATS = ("csv", "jsonl", "parquet")
MAX_FIELD_BYTES = 1_000_000  # one field of one listing; a longer one is reported and skipped
_DELIMITERS = (",", "\t", ";", "|")

#: Column names of the Open Beauty Facts CSV export (tab-separated UTF-8, the same "data fields" as every Product
#: Opener database: openfoodfacts/api-documentation issue 64; openfoodfacts-server issues 9563 and 13274).
OPEN_BEAUTY_FACTS = {"id": "code", "title": "product_name", "description": "generic_name", "bullets": None,
                     "ingredients": "ingredients_text", "brand": "brands", "country": "countries_tags"}
PRESETS: dict[str, dict[str, str | None]] = {"default": {f: f for f in FIELDS},
                                              "openbeautyfacts": OPEN_BEAUTY_FACTS}
PRESET_DELIMITERS = {"openbeautyfacts": "\t"}


@dataclass(frozen=True)
class Listing:
    """One product listing; ``row`` is its 1-based position among the file's data rows."""

    row: int
    id: str
    title: str = ""
    description: str = ""
    bullets: str = ""          # one bullet point per line
    ingredients: str = ""
    brand: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class RowError:
    """A row that could not be read: its number, and why."""

    row: int
    message: str


@dataclass
class Columns:
    """Which input column holds each field (None: the file has no such column)."""

    names: dict[str, str | None] = field(default_factory=lambda: dict(PRESETS["default"]))

    @classmethod
    def build(cls, preset: str = "default", **overrides: str | None) -> Columns:
        if preset not in PRESETS:
            raise InputError(f"unknown column preset {preset!r}: one of {', '.join(PRESETS)}")
        names = dict(PRESETS[preset])
        names.update({k: v for k, v in overrides.items() if v is not None})
        return cls(names)

    def resolve(self, header: list[str], source: str, explicit: AbstractSet[str]) -> dict[str, str]:
        """The fields this file has. The id column and at least one text column must be there, and so must every
        column named on the command line; a default column that is absent is simply empty."""
        present = set(header)
        found = {f: c for f, c in self.names.items() if c is not None and c in present}
        missing = [f for f in explicit if self.names.get(f) and self.names[f] not in present]
        if "id" not in found or missing or not any(f in found for f in (*TEXT_FIELDS, "ingredients")):
            lacking = self.names["id"] if "id" not in found else (
                self.names[missing[0]] if missing else "/".join(str(self.names[f]) for f in TEXT_FIELDS))
            shown = ", ".join(repr(h) for h in header[:12]) + (" ..." if len(header) > 12 else "")
            hint = ""
            if len(header) == 1 and any(d in header[0] for d in _DELIMITERS):
                hint = " The header is one column: is the delimiter right (--delimiter)?"
            raise InputError(f"{source} has no column {lacking!r} (its columns: {shown}). Name the columns with "
                             f"--id-column, --title-column... or --columns openbeautyfacts.{hint}")
        return found


def detect_format(path: Path, given: str | None = None) -> str:
    if given:
        if given not in FORMATS:
            raise InputError(f"unknown format {given!r}: one of {', '.join(FORMATS)}")
        return given
    name = path.name.lower().removesuffix(".gz")
    for suffix, kind in ((".csv", "csv"), (".tsv", "csv"), (".txt", "csv"), (".jsonl", "jsonl"),
                         (".ndjson", "jsonl"), (".json", "jsonl"), (".parquet", "parquet"), (".pq", "parquet")):
        if name.endswith(suffix):
            return kind
    raise InputError(f"cannot tell the format of {path} from its name: give --input-format csv|jsonl|parquet")


class ListingStream:
    """The rows of one file, in order, and how far through the file the reading is."""

    def __init__(self, rows: Iterator[Listing | RowError], handle: IO[bytes] | None = None, size: int = 0):
        self._rows = rows
        self._handle = handle
        self._size = size

    def __iter__(self) -> Iterator[Listing | RowError]:
        return self._rows

    def fraction(self) -> float | None:
        """The share of the file's bytes read so far (None when the file does not say)."""
        if self._handle is None or not self._size:
            return None
        try:
            return min(1.0, self._handle.tell() / self._size)
        except (ValueError, OSError):  # closed at the end of the file
            return 1.0


def read_listings(path: Path, columns: Columns, fmt: str | None = None, delimiter: str | None = None,
                  explicit: AbstractSet[str] = frozenset(), skip: int = 0) -> ListingStream:
    """Every row of the file after the first ``skip`` data rows, in order, as a listing or a row error. A problem
    with the file as a whole (missing, no such column) raises InputError here, before any row is read."""
    kind = detect_format(path, fmt)
    if kind == "parquet":
        return ListingStream(_read_parquet(path, columns, explicit, skip))
    handle = open_input(path)
    size = path.stat().st_size
    if kind == "csv":
        rows = _read_csv(handle, str(path), columns, delimiter, explicit, skip)
    else:
        rows = _read_jsonl(handle, str(path), columns, explicit, skip)
    first = next(rows, None)  # the header is checked now, not when the first row is wanted
    return ListingStream(rows if first is None else _chain(first, rows), handle, size)


def _chain(first: Listing | RowError, rest: Iterator[Listing | RowError]) -> Iterator[Listing | RowError]:
    yield first
    yield from rest


def to_listing(row: int, values: dict[str, object]) -> Listing | RowError:
    """A listing from one row's values (field -> value), or why it cannot be one."""
    clean: dict[str, str | None] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):  # bullet points given as a list
            value = "\n".join(str(v) for v in value if v is not None)
        text = value if isinstance(value, str) else str(value)
        if any("\udc80" <= ch <= "\udcff" for ch in text):
            return RowError(row, f"{name} is not valid UTF-8 text")
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_FIELD_BYTES:
            return RowError(row, f"{name} is {size / 1_048_576:.1f} MB; the limit is "
                                 f"{MAX_FIELD_BYTES / 1_000_000:.0f} MB per field")
        clean[name] = text
    ident = (clean.get("id") or "").strip()
    if not ident:
        return RowError(row, "no id")
    return Listing(row=row, id=ident, title=clean.get("title") or "", description=clean.get("description") or "",
                   bullets=clean.get("bullets") or "", ingredients=clean.get("ingredients") or "",
                   brand=(clean.get("brand") or "").strip() or None,
                   country=(clean.get("country") or "").strip() or None)


def _sniff(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(handle: IO[bytes], source: str, columns: Columns, delimiter: str | None,
              explicit: AbstractSet[str], skip: int) -> Iterator[Listing | RowError]:
    csv.field_size_limit(2**31 - 1)  # a huge field is read, then reported as too long: the reader never stops
    with handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
        first = text.readline()
        if not first.strip():
            raise InputError(f"{source} is empty: there is no header row")
        sep = delimiter or _sniff(first)
        header = next(csv.reader([first], delimiter=sep))
        if any("\udc80" <= ch <= "\udcff" for ch in first):
            raise InputError(f"{source}: the header row is not valid UTF-8")
        found = columns.resolve(header, source, explicit)
        index = {f: header.index(c) for f, c in found.items()}
        reader = csv.reader(text, delimiter=sep)
        row = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                row += 1
                if row > skip:
                    yield RowError(row, f"line {reader.line_num + 1}: {exc}")
                continue
            if not values:
                continue  # a blank line is no row
            row += 1
            if row <= skip:
                continue
            if len(values) != len(header):
                yield RowError(row, f"line {reader.line_num + 1}: {len(values)} field(s) where the header has "
                                    f"{len(header)} (a stray delimiter or quote?)")
                continue
            yield to_listing(row, {f: values[i] for f, i in index.items()})


def _read_jsonl(handle: IO[bytes], source: str, columns: Columns, explicit: AbstractSet[str],
                skip: int) -> Iterator[Listing | RowError]:
    with handle:
        row = 0
        for raw in handle:
            if not raw.strip():
                continue
            row += 1
            if row > skip:
                yield json_listing(row, raw, columns, explicit)


def json_listing(row: int, raw: bytes, columns: Columns,
                 explicit: AbstractSet[str] = frozenset()) -> Listing | RowError:
    """One line of a JSON Lines catalogue (bytes, as read) as a listing, or why it cannot be one."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return RowError(row, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})")
    except json.JSONDecodeError as exc:
        return RowError(row, f"not valid JSON ({exc.msg}, column {exc.colno})")
    except RecursionError:  # json recurses once per level
        return RowError(row, "not a listing: JSON nested thousands of levels deep")
    except ValueError as exc:  # an integer of more than 4,300 digits (Python's limit on converting them)
        return RowError(row, f"not a listing: a number too long to read ({exc.args[0][:60]})")
    if not isinstance(data, dict):
        return RowError(row, "not a JSON object")
    names = {f: c for f, c in columns.names.items() if c is not None}
    absent = [c for f, c in names.items() if f in explicit and c not in data]
    if absent:
        return RowError(row, f"no {absent[0]!r} field")
    return to_listing(row, {f: data.get(c) for f, c in names.items()})


def _read_parquet(path: Path, columns: Columns, explicit: AbstractSet[str],
                  skip: int) -> Iterator[Listing | RowError]:
    import pyarrow as pa
    import pyarrow.parquet as pq
    open_input(path).close()  # a missing or unreadable file is named like any other input
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:  # a file that is not Parquet, or a truncated one
        raise InputError(f"{path} is not a Parquet file ({exc})") from None
    found = columns.resolve(parquet.schema_arrow.names, str(path), explicit)
    return _parquet_rows(parquet, found, skip)


def _parquet_rows(parquet, found: dict[str, str], skip: int) -> Iterator[Listing | RowError]:
    row = 0
    for batch in parquet.iter_batches(batch_size=4096, columns=list(dict.fromkeys(found.values()))):
        if row + batch.num_rows <= skip:
            row += batch.num_rows
            continue
        data = {f: batch.column(c).to_pylist() for f, c in found.items()}
        for i in range(batch.num_rows):
            row += 1
            if row > skip:
                yield to_listing(row, {f: values[i] for f, values in data.items()})


def count_rows(path: Path, fmt: str | None = None) -> int | None:
    """The number of rows when the file says so without being read (Parquet); else None."""
    if detect_format(path, fmt) != "parquet":
        return None
    import pyarrow as pa
    import pyarrow.parquet as pq
    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (pa.ArrowException, OSError):
        return None  # read_listings names the problem


# writing ----------------------------------------------------------------------------------------------------------

ROW_FIELDS = ("row", "id", "brand", "country", "claims", "overclaims", "verdict", "flags", "findings")


class RowWriter:
    """Appends screening rows to a JSON Lines or CSV file (or standard output). ``position`` is the byte offset after
    the last row written: a resumed run truncates the file there and goes on."""

    def __init__(self, fmt: str, path: Path | None, resume_at: int | None = None):
        self.fmt = fmt
        self.path = path
        if path is None:
            self._out: IO[bytes] = os.fdopen(os.dup(1), "wb")
        else:
            self._out = path.open("r+b" if resume_at is not None and path.exists() else "wb")
            if resume_at is not None:
                self._out.truncate(resume_at)
                self._out.seek(resume_at)
        self.position = self._out.tell() if path is not None else 0
        if fmt == "csv" and self.position == 0:
            self._write_text(",".join(ROW_FIELDS) + "\r\n")

    def _write_text(self, text: str) -> None:
        data = text.encode("utf-8")
        self._out.write(data)
        self.position += len(data)

    def write(self, rows: list[dict]) -> None:
        if self.fmt == "jsonl":
            self._write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for r in rows:
            writer.writerow([r["row"], r["id"], r["brand"] or "", r["country"] or "", r["claims"], r["overclaims"],
                             r["verdict"] or "", json.dumps(r["flags"], ensure_ascii=False),
                             json.dumps(r["findings"], ensure_ascii=False)])
        self._write_text(buffer.getvalue())

    def commit(self) -> None:
        """Everything written so far is on disk."""
        self._out.flush()
        if self.path is not None:
            os.fsync(self._out.fileno())

    def close(self) -> None:
        self._out.flush()
        self._out.close()


def parquet_schema():
    import pyarrow as pa
    flag = pa.struct([("kind", pa.string()), ("jurisdiction", pa.string()), ("rule", pa.string()),
                      ("source", pa.string()), ("trigger", pa.string()), ("basis", pa.string())])
    finding = pa.struct([
        ("field", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string()),
        ("verdict", pa.string()), ("interventions", pa.list_(pa.string())), ("outcomes", pa.list_(pa.string())),
        ("route", pa.string()), ("strength", pa.string()), ("stance", pa.string()), ("grade", pa.string()),
        ("overclaim", pa.bool_()), ("flags", pa.list_(flag)), ("subject", pa.string()),
        ("subject_known", pa.bool_())])
    return pa.schema([("row", pa.int64()), ("id", pa.string()), ("brand", pa.string()), ("country", pa.string()),
                      ("claims", pa.int64()), ("overclaims", pa.int64()), ("verdict", pa.string()),
                      ("flags", pa.map_(pa.string(), pa.string())), ("findings", pa.list_(finding))])


class ParquetParts:
    """Parquet output written as numbered part files in ``<out>.parts/`` (each complete, flushed to disk and renamed
    into place), then joined into ``<out>`` when the run ends. ``parts`` counts the parts written: a resumed run
    drops any later one, and any part a killed run was still writing."""

    def __init__(self, path: Path, resume_parts: int | None = None):
        self.path = path
        self.folder = parts_folder(path)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.parts = resume_parts or 0
        for stale in self.folder.iterdir():
            number = stale.name.removeprefix("part-").removesuffix(".parquet")
            if not (stale.name.startswith("part-") and stale.suffix == ".parquet" and number.isdigit()
                    and int(number) < self.parts):
                stale.unlink()
        self._rows: list[dict] = []

    @property
    def position(self) -> int:
        return self.parts

    def write(self, rows: list[dict]) -> None:
        self._rows.extend(rows)

    def commit(self) -> None:
        if not self._rows:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq
        rows = [{**r, "flags": list(r["flags"].items())} for r in self._rows]
        table = pa.Table.from_pylist(rows, schema=parquet_schema())
        target = self.folder / f"part-{self.parts:06d}.parquet"
        temporary = target.with_suffix(".tmp")
        pq.write_table(table, temporary)
        with temporary.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
        self.parts += 1
        self._rows = []

    def close(self) -> None:
        self.commit()

    def finish(self) -> None:
        """Join the parts into the output file (flushed to disk, one rename at the end). The parts stay until
        :meth:`discard`: a run killed between the two joins them again."""
        import pyarrow.parquet as pq
        handle, temporary = temporary_file(self.path.parent, TEMPORARY_PREFIX, ".parquet")
        try:
            with os.fdopen(handle, "wb") as out:
                with pq.ParquetWriter(out, parquet_schema()) as writer:
                    for number in range(self.parts):
                        writer.write_table(pq.read_table(self.folder / f"part-{number:06d}.parquet"))
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        sync_folder(self.path.parent)

    def discard(self) -> None:
        """Remove the parts once the joined output is recorded as complete."""
        discard_parts(self.path)


def parts_folder(path: Path) -> Path:
    return path.with_name(path.name + ".parts")


def discard_parts(path: Path) -> None:
    """Remove the part files of a Parquet output (what a run killed while removing them left)."""
    folder = parts_folder(path)
    if folder.is_dir():
        for part in folder.iterdir():
            part.unlink()
        folder.rmdir()
