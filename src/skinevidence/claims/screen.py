"""Screening a catalogue: every listing's claims judged by the one claim checker, at the speed of the input.

``screen_file`` streams a CSV, JSON Lines or Parquet catalogue (``claims/listings.py``), judges each listing with
:class:`Screener` on every core (worker processes that load the evidence once), and writes one row per listing in
input order: the listing's worst evidence verdict, its worst regulatory flag per jurisdiction, and each finding
with its field, span, verdict, rule and source. It resumes after an interruption (even SIGKILL) without losing or
repeating a row, and ends with a :class:`ScreenSummary`.

One judgement path: every claim is judged by the claim checker behind ``check`` and ``product``
(``check_document``, on the text read once), called in exactly one place, :func:`judge`. In front of it,
:func:`has_cue` looks at the one Aho-Corasick pass the checker's reader makes over every cue of every lexicon, and a
field with none (no cue phrase, no digit) is never judged; a test shows the findings are the same with and without
it. Fields repeated across listings (variants of one product share their bullet points and description) are judged
once per worker (an LRU cache).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from skinevidence.claims.check import SEVERITY, Claim, check_document
from skinevidence.claims.listings import (
    TEXT_FIELDS,
    Columns,
    Listing,
    ParquetParts,
    RowError,
    RowWriter,
    count_rows,
    detect_format,
    discard_parts,
    read_listings,
)
from skinevidence.claims.product import headline_ingredient, ingredient_flags
from skinevidence.claims.reading import read_text
from skinevidence.errors import InputError, SkinEvidenceError
from skinevidence.evidence.catalog import Catalog
from skinevidence.paths import atomic_write, remove_stale
from skinevidence.text.ingredients import classify, read_label
from skinevidence.text.input import check_input
from skinevidence.text.reading import Document

_DIGIT = re.compile(r"\d")  # every quantity pattern of the claim cues needs one
CHUNK = 250              # listings sent to a worker at a time
COMMIT_SECONDS = 2.0     # the output and its state file are made durable at least this often
CACHE_SIZE = 10_000      # judged fields (and ingredient-list entries) kept per worker: bounded memory
LIST_CACHE_SIZE = 1_000  # whole ingredient lists kept per worker
#: Regulatory flag kinds, most serious first: the "worst flag" of a listing in a jurisdiction is the first here.
FLAG_ORDER = ("prohibited_ingredient", "false_approval", "unsafe_route", "drug_claim", "procedure_comparison",
              "substantiation", "advertising_rule")
EU_MEMBERS = frozenset({"at", "be", "bg", "hr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "gr", "hu", "ie", "it",
    "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "sk", "si", "es", "se", "austria", "belgium", "bulgaria",
    "croatia", "cyprus", "czechia", "czech-republic", "denmark", "estonia", "finland", "france", "germany", "greece",
    "hungary", "ireland", "italy", "latvia", "lithuania", "luxembourg", "malta", "netherlands", "poland", "portugal",
    "romania", "slovakia", "slovenia", "spain", "sweden"})
COUNTRY_JURISDICTION = {"us": "US", "usa": "US", "united-states": "US", "united states": "US", "gb": "UK", "uk": "UK",
                        "united-kingdom": "UK", "united kingdom": "UK", "kr": "KR",
                        "korea": "KR", "south-korea": "KR", "south korea": "KR", "cn": "CN", "china": "CN",
                        "tw": "TW", "taiwan": "TW", "eu": "EU", "european-union": "EU"}


def _rank(kind: str) -> int:
    return FLAG_ORDER.index(kind) if kind in FLAG_ORDER else len(FLAG_ORDER)


# the prefilter and the one call of the checker -------------------------------------------------------------------

def has_cue(document: Document) -> bool:
    """Whether a text read by the checker's own automaton (``claims.reading.reading_lexicon``: every cue of every
    lexicon: the vocabulary, the claim cues, the intended-use families, the rules' triggers, the audit cues, the
    product forms) holds any cue or a digit (every quantity pattern needs one). One without either holds no claim,
    so the checker need not judge it.

    It works on whole fields, not sentences: the checker carries what it read from one sentence to the next (the
    lead of a list, the subject a pronoun refers back to, the paragraph a report governs, names it does not know),
    so a sentence without a cue can still change how the next one is judged; blanking such sentences changed the
    findings of 5 of 2,500 development listings."""
    return any(sentence.matches for sentence in document.sentences) or _DIGIT.search(document.text) is not None


def judge(catalog: Catalog, document: Document, subject: tuple[str, ...], unknown: str | None,
          jurisdictions: frozenset[str] | None) -> list[Claim]:
    """The claims in one field of a listing, judged by the claim checker as a product's own copy about its headline
    ingredient, known or not (as ``product`` does). The one place ``screen`` calls the checker."""
    return check_document(catalog, document, source="listing", subject=list(subject) or None,
                          jurisdictions=set(jurisdictions) if jurisdictions else None, product_copy=True,
                          unknown_subject=unknown).claims


def jurisdictions_for(country: str | None) -> frozenset[str] | None:
    """The jurisdictions whose rules apply where a listing is sold (``countries_tags`` like 'en:france,en:spain',
    ISO codes or names); None when no country says (every jurisdiction's rules apply)."""
    if not country:
        return None
    found = set()
    for part in country.replace(";", ",").split(","):
        name = part.strip().lower().split(":")[-1]
        if name in EU_MEMBERS:
            found.add("EU")
        elif name in COUNTRY_JURISDICTION:
            found.add(COUNTRY_JURISDICTION[name])
    return frozenset(found) or None


def _flag(flag) -> dict:
    return {"kind": flag.kind, "jurisdiction": flag.jurisdiction, "rule": flag.rule, "source": flag.source,
            "trigger": flag.trigger, "basis": flag.basis}


def _finding(field_name: str, claim: Claim) -> dict:
    return {"field": field_name, "start": claim.start, "end": claim.end, "text": claim.text,
            "verdict": claim.verdict, "interventions": claim.interventions, "outcomes": claim.outcomes,
            "route": claim.route.value if claim.route else None, "strength": claim.strength, "stance": claim.stance,
            "grade": claim.grade, "overclaim": claim.overclaim, "flags": [_flag(f) for f in claim.flags],
            "subject": claim.subject, "subject_known": claim.subject_known}


class Screener:
    """Screens listings against one catalog. ``use_prefilter`` and ``use_cache`` exist so that tests and the
    benchmark can show what each contributes; the findings are the same either way."""

    def __init__(self, catalog: Catalog, jurisdictions: set[str] | None = None, use_prefilter: bool = True,
                 use_cache: bool = True, cache_size: int = CACHE_SIZE):
        self.catalog = catalog
        self.jurisdictions = frozenset(j.upper() for j in jurisdictions) if jurisdictions else None
        self.use_prefilter = use_prefilter
        self.cache_size = cache_size if use_cache else 0
        self._fields: OrderedDict[tuple, list[dict]] = OrderedDict()
        self._lists: dict[str, tuple[tuple[str, ...], tuple[str | None, ...]]] = {}
        self._entries: dict[tuple[str, bool], str | None] = {}
        self._ingredient_flags: dict[str, list[dict]] = {}

    def screen(self, listing: Listing) -> dict:
        """One output row (docs/screen.md): the listing's findings, its worst verdict and worst flag per
        jurisdiction."""
        jurisdictions = self.jurisdictions or jurisdictions_for(listing.country)
        labels, actives = self._label(listing.ingredients)
        listed = [i for i in actives if i is not None]
        texts = {"title": listing.title, "bullets": listing.bullets, "description": listing.description}
        subject, unknown = headline_ingredient(self.catalog, listing.title, f"{listing.bullets}\n{listing.description}",
                                               list(labels), listed)
        findings: list[dict] = []
        for name in TEXT_FIELDS:
            if texts[name].strip():
                findings += self._field(name, texts[name], tuple(subject), unknown, jurisdictions)
        findings += self._ingredients(listing.ingredients, labels, actives, jurisdictions)
        claims = [f for f in findings if f["field"] != "ingredients"]
        worst: dict[str, str] = {}
        for finding in findings:
            for flag in finding["flags"]:
                current = worst.get(flag["jurisdiction"])
                if current is None or _rank(flag["kind"]) < _rank(current):
                    worst[flag["jurisdiction"]] = flag["kind"]
        return {"row": listing.row, "id": listing.id, "brand": listing.brand, "country": listing.country,
                "claims": len(claims), "overclaims": sum(f["overclaim"] for f in claims),
                "verdict": max((f["verdict"] for f in claims if f["verdict"]), key=SEVERITY.__getitem__, default=None),
                "flags": dict(sorted(worst.items())), "findings": findings}

    def _label(self, ingredients: str) -> tuple[tuple[str, ...], tuple[str | None, ...]]:
        """An ingredient list read as ``product`` reads a label (text.ingredients): each entry as printed, and the
        intervention of each active entry (None for the others: only actives are judged). Variants of a product
        repeat their list, and lists repeat their entries: both are looked up once (bounded caches)."""
        if ingredients in self._lists:
            return self._lists[ingredients]
        printed, actives = [], []
        for entry in read_label(ingredients) if ingredients.strip() else []:
            key = (entry.printed, entry.may_contain)
            if key not in self._entries:
                if len(self._entries) >= CACHE_SIZE:
                    self._entries.clear()
                self._entries[key] = classify(self.catalog, entry).intervention
            printed.append(entry.printed)
            actives.append(self._entries[key])
        if len(self._lists) >= LIST_CACHE_SIZE:
            self._lists.clear()
        self._lists[ingredients] = (tuple(printed), tuple(actives))
        return self._lists[ingredients]

    def _field(self, name: str, text: str, subject: tuple[str, ...], unknown: str | None,
               jurisdictions: frozenset[str] | None) -> list[dict]:
        key = (name, text, subject, unknown, jurisdictions)
        if self.cache_size and key in self._fields:
            self._fields.move_to_end(key)
            return self._fields[key]
        document = read_text(self.catalog, text)  # one automaton pass: the prefilter's and the checker's
        if self.use_prefilter and not has_cue(document):
            found: list[dict] = []
        else:
            found = [_finding(name, c) for c in judge(self.catalog, document, subject, unknown, jurisdictions)]
        if self.cache_size:
            self._fields[key] = found
            if len(self._fields) > self.cache_size:
                self._fields.popitem(last=False)
        return found

    def _ingredients(self, text: str, labels: tuple[str, ...], actives: tuple[str | None, ...],
                     jurisdictions: frozenset[str] | None) -> list[dict]:
        """What the ingredient list itself breaks (a prohibited ingredient), each at the entry that names it."""
        findings, cursor = [], 0
        for printed, intervention in zip(labels, actives):
            start = text.find(printed, cursor)
            start = start if start >= 0 else cursor
            cursor = start + len(printed)
            if intervention is None:
                continue
            if intervention not in self._ingredient_flags:
                fired = ingredient_flags(self.catalog, [intervention])
                self._ingredient_flags[intervention] = [_flag(f) for f in fired]
            flags = [f for f in self._ingredient_flags[intervention]
                     if jurisdictions is None or f["jurisdiction"] in jurisdictions]
            if flags:
                findings.append({"field": "ingredients", "start": start, "end": start + len(printed),
                                 "text": printed, "verdict": None, "interventions": [intervention],
                                 "outcomes": [], "route": None, "strength": None, "stance": None, "grade": None,
                                 "overclaim": False, "flags": flags, "subject": intervention,
                                 "subject_known": True})
        return findings

    def screen_many(self, listings: Iterable[Listing]) -> list[dict | RowError]:
        """Each listing's row, or a :class:`RowError` when it cannot be screened (the run goes on)."""
        rows: list[dict | RowError] = []
        for listing in listings:
            try:
                rows.append(self.screen(listing))
            except SkinEvidenceError as exc:
                rows.append(RowError(listing.row, str(exc)))
            except Exception as exc:  # noqa: BLE001 (one odd listing must not stop a run of millions; it is reported)
                rows.append(RowError(listing.row, f"could not be screened ({type(exc).__name__}: {exc})"))
        return rows


# the summary ----------------------------------------------------------------------------------------------------

class ScreenSummary(BaseModel):
    """What a run found. Counts by verdict are of listings (their worst verdict; 'no claim' when none) and of
    claims; flags are counted per finding as 'JURISDICTION kind'; brands by listings with an overclaim or a flag."""

    input: str
    output: str | None
    listings: int = 0
    screened: int = 0
    errors: int = 0
    error_rows: list[dict] = []          # the first MAX_ERRORS shown: {"row", "message"}
    claims: int = 0
    overclaims: int = 0
    listings_by_verdict: dict[str, int] = {}
    claims_by_verdict: dict[str, int] = {}
    listings_flagged: int = 0
    flags: dict[str, int] = {}
    rules: dict[str, int] = {}
    brands: dict[str, int] = {}
    complete: bool = False
    seconds: float = 0.0

    def add(self, row: dict) -> None:
        self.listings += 1
        self.screened += 1
        self.claims += row["claims"]
        self.overclaims += row["overclaims"]
        _bump(self.listings_by_verdict, row["verdict"] or "no claim")
        flagged = False
        for finding in row["findings"]:
            if finding["field"] != "ingredients":
                _bump(self.claims_by_verdict, finding["verdict"] or "no verdict")
            for flag in finding["flags"]:
                flagged = True
                _bump(self.flags, f"{flag['jurisdiction']} {flag['kind']}")
                _bump(self.rules, flag["rule"])
        self.listings_flagged += flagged
        if row["brand"] and (flagged or row["overclaims"]):
            _bump(self.brands, row["brand"])

    def add_error(self, error: RowError) -> None:
        self.listings += 1
        self.errors += 1
        if len(self.error_rows) < MAX_ERRORS:
            self.error_rows.append({"row": error.row, "message": error.message})

    def merge(self, other: ScreenSummary) -> None:
        """Add another part's counts (Spark partitions are summarised apart, then merged)."""
        for name in ("listings", "screened", "errors", "claims", "overclaims", "listings_flagged"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("listings_by_verdict", "claims_by_verdict", "flags", "rules", "brands"):
            mine = getattr(self, name)
            for key, count in getattr(other, name).items():
                mine[key] = mine.get(key, 0) + count
        self.error_rows = sorted([*self.error_rows, *other.error_rows], key=lambda e: e["row"])[:MAX_ERRORS]

    def lines(self) -> list[str]:
        """The summary as plain lines for a terminal."""
        def top(counts: dict[str, int], n: int = 10) -> str:
            return ", ".join(f"{k} {v}" for k, v in Counter(counts).most_common(n)) or "none"
        rate = self.screened / self.seconds if self.seconds else 0.0
        lines = [(f"screened {self.screened} listing(s) of {self.listings} row(s) in {self.seconds:.1f} s "
                  f"({rate:,.0f} listings/s); {self.errors} row(s) could not be read"),
                 f"claims {self.claims}; overclaims {self.overclaims}; listings with a flag {self.listings_flagged}",
                 f"listings by worst verdict: {top(self.listings_by_verdict)}",
                 f"claims by verdict: {top(self.claims_by_verdict)}",
                 f"flags: {top(self.flags)}",
                 f"top rules: {top(self.rules)}",
                 f"top offending brands: {top(self.brands)}"]
        lines += [f"row {e['row']}: {e['message']}" for e in self.error_rows[:20]]
        if self.errors > 20:
            lines.append(f"... and {self.errors - 20} more row(s) that could not be read")
        return lines


MAX_ERRORS = 1000


def _bump(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


# running over a file --------------------------------------------------------------------------------------------

@dataclass
class Settings:
    """What decides a run's rows: a resumed run must use the same."""

    columns: dict[str, str | None]
    input_format: str | None  # None: told by the file's name
    output_format: str
    delimiter: str | None = None
    jurisdictions: list[str] | None = None
    explicit: list[str] = field(default_factory=list)
    prefilter: bool = True


Progress = Callable[[int, float | None], None]  # (listings done, fraction of the input read or None)

_worker: Screener | None = None


def _start_worker(db: str | None, evidence: str | None, jurisdictions: list[str] | None, use_prefilter: bool,
                  use_cache: bool) -> None:
    """Pool initializer: each worker loads the evidence once and keeps its compiled lexicons and caches."""
    global _worker
    from skinevidence.evidence.database import Database
    catalog = Database.open(Path(db) if db else None, Path(evidence) if evidence else None).catalog()
    _worker = Screener(catalog, set(jurisdictions) if jurisdictions else None, use_prefilter, use_cache)
    _worker.screen(Listing(row=0, id="warm-up", title="Niacinamide serum boosts collagen"))  # compile everything


def _screen_chunk(listings: list[Listing]) -> list[dict | RowError]:
    assert _worker is not None, "the pool initializer did not run"
    return _worker.screen_many(listings)


def _ready() -> bool:
    return _worker is not None


@dataclass
class _Chunk:
    listings: list[Listing] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    last_row: int = 0


def _chunks(rows: Iterable[Listing | RowError], size: int) -> Iterator[_Chunk]:
    chunk = _Chunk()
    for item in rows:
        if isinstance(item, RowError):
            chunk.errors.append(item)
        else:
            chunk.listings.append(item)
        chunk.last_row = item.row
        if len(chunk.listings) >= size or len(chunk.errors) >= size:
            yield chunk
            chunk = _Chunk()
    if chunk.listings or chunk.errors:
        yield chunk


def state_path(output: Path) -> Path:
    return output.with_name(output.name + ".screen-state.json")


def _fingerprint(path: Path) -> dict:
    stat = path.stat()
    return {"input": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def screen_file(path: Path, output: Path | None, settings: Settings, *, workers: int | None = None,
                db: Path | None = None, evidence: Path | None = None, catalog: Catalog | None = None,
                use_cache: bool = True, restart: bool = False, progress: Progress | None = None,
                chunk: int = CHUNK) -> ScreenSummary:
    """Screen every listing of ``path`` into ``output`` (None: standard output, JSON Lines or CSV only).

    With an output file, a state file beside it (``<output>.screen-state.json``) records how many input rows are
    done and where the output ends; a run that finds one for the same input and settings resumes there, cutting
    off anything written after the last record. ``workers`` processes (default: one per core) each load the
    evidence once; with one worker everything runs in this process, on ``catalog`` if given."""
    path = Path(path)
    if settings.output_format == "parquet" and output is None:
        raise InputError("Parquet output needs a file: give -o FILE")
    detect_format(path, settings.input_format)
    check_input(path)
    fingerprint = _fingerprint(path)
    state_file = state_path(output) if output is not None else None
    if output is not None:
        remove_stale(output.parent)  # what a run killed outright was writing (state, joined Parquet)
    summary = ScreenSummary(input=str(path), output=str(output) if output else None)
    position: int | None = None
    if state_file is not None and state_file.exists() and not restart:
        state = json.loads(state_file.read_text(encoding="utf-8"))
        if state.get("fingerprint") != fingerprint or state.get("settings") != settings.__dict__:
            raise InputError(f"{state_file} belongs to a run on another input or with other settings: give "
                             "--restart to start again, or another -o")
        summary = ScreenSummary.model_validate(state["summary"])
        if summary.complete:
            if output is not None:  # always: the state file lives beside the output
                discard_parts(output)  # a run killed while removing them
            return summary
        position = state["position"]
    rows_done = summary.listings
    started = time.perf_counter() - summary.seconds
    total = count_rows(path, settings.input_format)
    stream = read_listings(path, Columns(dict(settings.columns)), settings.input_format, settings.delimiter,
                           set(settings.explicit), skip=rows_done)  # the header is checked before output opens
    if output is not None and settings.output_format == "parquet":
        writer: RowWriter | ParquetParts = ParquetParts(output, position)
    else:
        writer = RowWriter(settings.output_format, output, position)

    def save(complete: bool = False) -> None:
        writer.commit()
        summary.seconds = time.perf_counter() - started
        summary.complete = complete
        if state_file is not None:
            atomic_write(state_file, json.dumps({"fingerprint": fingerprint, "settings": settings.__dict__,
                                                 "position": writer.position, "summary": summary.model_dump()}))

    def written(part: _Chunk, rows: list[dict | RowError]) -> None:
        errors = sorted([*part.errors, *(r for r in rows if isinstance(r, RowError))], key=lambda e: e.row)
        writer.write([r for r in rows if not isinstance(r, RowError)])
        for row in rows:
            if not isinstance(row, RowError):
                summary.add(row)
        for error in errors:
            summary.add_error(error)
        if progress is not None:
            progress(summary.listings, summary.listings / total if total else stream.fraction())

    last_commit = time.monotonic()
    try:
        for part, rows in _run(stream, chunk, workers, db, evidence, catalog, settings, use_cache):
            written(part, rows)
            if time.monotonic() - last_commit >= COMMIT_SECONDS:
                save()
                last_commit = time.monotonic()
        if isinstance(writer, ParquetParts):
            writer.commit()
            save()
            writer.finish()
        save(complete=True)
        if isinstance(writer, ParquetParts):
            writer.discard()
    finally:
        if not summary.complete:
            save()
        writer.close()
    return summary


def _run(stream: Iterable[Listing | RowError], chunk: int, workers: int | None, db: Path | None,
         evidence: Path | None, catalog: Catalog | None, settings: Settings,
         use_cache: bool) -> Iterator[tuple[_Chunk, list[dict | RowError]]]:
    """Each chunk of the input with its rows, in input order; at most a few chunks in flight (bounded memory)."""
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        if catalog is None:
            from skinevidence.evidence.database import Database
            catalog = Database.open(db, evidence).catalog()
        screener = Screener(catalog, set(settings.jurisdictions) if settings.jurisdictions else None,
                            settings.prefilter, use_cache)
        for part in _chunks(stream, chunk):
            yield part, screener.screen_many(part.listings)
        return
    import multiprocessing
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                             initargs=(str(db) if db else None, str(evidence) if evidence else None,
                                       settings.jurisdictions, settings.prefilter, use_cache)) as pool:
        for ready in [pool.submit(_ready) for _ in range(workers)]:
            ready.result()  # every worker has loaded the evidence before the clock that progress shows starts
        in_flight: deque[tuple[_Chunk, Future]] = deque()
        for part in _chunks(stream, chunk):
            in_flight.append((part, pool.submit(_screen_chunk, part.listings)))
            if len(in_flight) >= 3 * workers:
                done, future = in_flight.popleft()
                yield done, future.result()
        while in_flight:
            done, future = in_flight.popleft()
            yield done, future.result()
