"""Reading and validating the evidence files (the source of truth) into typed records.

Every problem becomes an :class:`Issue` naming the file, the record and the field, so a reviewer can fix it
without reading code. Nothing here touches the database.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from skinevidence.evidence.models import (
    Design,
    InciName,
    Intervention,
    Outcome,
    RegulatoryFact,
    SafetySignal,
    Status,
    Study,
)
from skinevidence.evidence.sources import bundled_evidence_dir, fingerprint

MAX_FILE_BYTES = 1_000_000

Model = TypeVar("Model", bound=BaseModel)
# the records kept one file per record, whose id is the file's name
Record = TypeVar("Record", Intervention, Outcome, Study, RegulatoryFact, SafetySignal)


@dataclass(frozen=True)
class Issue:
    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.record}" if self.record else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class EvidenceSet:
    """All records of an evidence base, in memory, in a stable order."""

    interventions: list[Intervention] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    studies: list[Study] = field(default_factory=list)
    regulation: list[RegulatoryFact] = field(default_factory=list)
    safety: list[SafetySignal] = field(default_factory=list)
    inci: list[InciName] = field(default_factory=list)


def load_evidence(directory: Path) -> tuple[EvidenceSet, list[Issue]]:
    """Read every file under ``directory``; return the records that parsed and every issue found."""
    directory = Path(directory)
    issues: list[Issue] = []
    evidence = EvidenceSet()
    if not directory.is_dir():
        return evidence, [Issue(str(directory), "", "", "no such evidence folder")]

    def rel(path: Path) -> str:
        return path.relative_to(directory).as_posix()

    evidence.interventions = _load_folder(directory / "interventions", Intervention, rel, issues, required=True)
    evidence.outcomes = _load_folder(directory / "outcomes", Outcome, rel, issues, required=True)
    evidence.inci = _load_list(directory / "inci.yaml", InciName, rel, issues, key="name")
    evidence.studies = _load_folder(directory / "studies", Study, rel, issues)
    evidence.regulation = _load_folder(directory / "regulation", RegulatoryFact, rel, issues)
    evidence.safety = _load_folder(directory / "safety", SafetySignal, rel, issues)
    issues.extend(cross_record_issues(evidence))
    return evidence, issues


def _read_yaml(path: Path, rel, issues: list[Issue]) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            issues.append(Issue(rel(path), "", "", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"))
            return None
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        issues.append(Issue(rel(path), "", "", f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return None
    except OSError as exc:
        issues.append(Issue(rel(path), "", "", f"cannot be read ({exc.strerror})"))
        return None
    import yaml  # here, not at the top: answering from the compiled database reads no YAML at all

    try:
        data = safe_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        issues.append(Issue(rel(path), "", "", f"is not valid YAML{where}: {problem}{_cut_hint(text)}"))
        return None
    if data is None:
        issues.append(Issue(rel(path), "", "", "is empty: it holds no record (a file cut short or never written? "
                                               "restore it, or delete it)"))
    return data


def _cut_hint(text: str) -> str:
    """A hint for a file that fails and does not end with a line break, as a file cut short by a crash would."""
    return "; the file does not end with a line break: was it cut short?" if text and not text.endswith("\n") else ""


def _note_if_cut(path: Path, rel, issues: list[Issue]) -> None:
    """After a record failed validation: say so when its file does not end with a line break (cut short?)."""
    try:
        with path.open("rb") as handle:
            handle.seek(-1, os.SEEK_END)
            cut = handle.read(1) != b"\n"
    except OSError:
        return
    if cut:
        issues.append(Issue(rel(path), "", "", "the file does not end with a line break: was it cut short?"))


MAX_YAML_DEPTH = 50  # evidence records nest five or six levels; libyaml's constructor recursion crashes past ~10,000


def safe_yaml(text: str) -> Any:
    """Safe YAML (no arbitrary objects), refusing nesting deeper than :data:`MAX_YAML_DEPTH` before it is built: the
    C loader's constructor recurses once per level, and a file of nested brackets would overflow the C stack (the
    process dies without a message). Raises :class:`yaml.YAMLError`."""
    import yaml  # here, not at the top: answering from the compiled database reads no YAML at all

    # depth <= flow depth (one bracket each) + block depth (one column of indentation or a '- ' each): when both
    # could reach half the limit, the events are walked to measure it
    if text.count("[") + text.count("{") >= MAX_YAML_DEPTH // 2 or _DEEP_BLOCK.search(text):
        depth = 0
        for event in yaml.parse(text, Loader=_safe_loader()):  # libyaml's parser keeps its own stack: no recursion
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    problem = f"collections nested more than {MAX_YAML_DEPTH} deep"
                    mark = event.start_mark  # libyaml's C Mark where the C parser runs: the same fields
                    raise yaml.MarkedYAMLError(problem=problem, problem_mark=mark)  # type: ignore[arg-type]  # see above
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    return yaml.load(text, Loader=_safe_loader())


# block nesting needs indentation or '- - -'
_DEEP_BLOCK = re.compile(r"^[ \t?:-]{" + str(MAX_YAML_DEPTH // 2) + ",}", re.MULTILINE)


@cache
def _safe_loader() -> type:
    """Safe YAML that keeps dates as ``date`` objects and never builds arbitrary objects: libyaml's C loader where it
    is built in, else the Python one (chosen on first use: answering from the compiled database reads no YAML)."""
    import yaml
    return type("_SafeLoader", (getattr(yaml, "CSafeLoader", yaml.SafeLoader),), {})


def _validate(raw: Any, model: type[Model], file: str, record: str, issues: list[Issue]) -> Model | None:
    if not isinstance(raw, dict):
        issues.append(Issue(file, record, "", f"expected a mapping of fields, found {type(raw).__name__}"))
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            location = ".".join(str(part) for part in error["loc"]) or "(record)"
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "unknown field (see docs/data.md for the fields a record may have)"
            elif error.get("input", "") is None:
                message = f"is empty, but this field is required: {message} (see docs/data.md)"
            issues.append(Issue(file, record, location, message))
        return None


def _load_list(path: Path, model: type[Model], rel, issues: list[Issue], key: str = "id") -> list[Model]:
    if not path.exists():
        issues.append(Issue(rel(path), "", "", "missing vocabulary file"))
        return []
    raw = _read_yaml(path, rel, issues)
    if raw is None:
        return []
    if not isinstance(raw, list):
        issues.append(Issue(rel(path), "", "", "expected a YAML list of records"))
        return []
    records = []
    for index, item in enumerate(raw):
        name = str(item.get(key)) if isinstance(item, dict) and item.get(key) else f"#{index + 1}"
        record = _validate(item, model, rel(path), name, issues)
        if record is not None:
            records.append(record)
    return records


def _load_folder(folder: Path, model: type[Record], rel, issues: list[Issue], required: bool = False) -> list[Record]:
    records: list[Record] = []
    if not folder.is_dir():
        if required:
            issues.append(Issue(folder.name, "", "", "missing vocabulary folder (one YAML file per record)"))
        return records
    for path in sorted(folder.glob("*.yaml")):
        raw = _read_yaml(path, rel, issues)
        if raw is None:
            continue
        record = _validate(raw, model, rel(path), path.stem, issues)
        if record is None:
            _note_if_cut(path, rel, issues)
            continue
        if record.id != path.stem:
            issues.append(Issue(rel(path), record.id, "id", f"must equal the file name {path.stem!r}"))
            continue
        records.append(record)
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix != ".yaml" and not path.name.startswith("."):
            issues.append(Issue(rel(path), "", "", "not a .yaml file; evidence folders hold only .yaml records"))
    return records


UNSHOWN_TITLE = re.compile(r"^\[title not\b", re.IGNORECASE)
"""How a curator marks a descriptive title written because the page read did not show the real one."""


def citation_warnings(evidence: EvidenceSet) -> Iterator[Issue]:
    """Records a reader could look up (they carry a PMID or DOI) but that print without authors or without their
    real title. Not errors: the sourcing rule leaves a field empty when no page read showed it. Warnings, because
    the page the identifier leads to usually shows it, so the record is worth a second look."""
    for study in evidence.studies:
        if not (study.pmid or study.doi):
            continue
        handle = f"PMID {study.pmid}" if study.pmid else f"DOI {study.doi}"
        file = f"studies/{study.id}.yaml"
        if not study.first_author:
            yield Issue(file, study.id, "first_author",
                        f"no authors although the record has {handle}; the page it leads to usually names them")
        if UNSHOWN_TITLE.match(study.title):
            yield Issue(file, study.id, "title",
                        f"the title is marked as not shown although the record has {handle}")


def cross_record_issues(evidence: EvidenceSet) -> Iterator[Issue]:
    """Checks that need more than one record: unique ids, references, no cycles, no double counting."""
    yield from _unique(evidence.interventions, "interventions")
    yield from _unique(evidence.outcomes, "outcomes")
    interventions = {i.id: i for i in evidence.interventions}
    outcomes = {o.id: o for o in evidence.outcomes}
    studies = {s.id: s for s in evidence.studies}

    yield from _parents(interventions, "interventions")
    yield from _parents(outcomes, "outcomes")
    for outcome in evidence.outcomes:
        for target in outcome.stands_for:
            if target not in outcomes:
                yield Issue(f"outcomes/{outcome.id}.yaml", outcome.id, "stands_for", f"unknown outcome {target!r}")
    yield from _aliases(evidence.interventions, "interventions")
    yield from _aliases(evidence.outcomes, "outcomes")

    seen_ids: dict[tuple[str, str], str] = {}
    for study in evidence.studies:
        file = f"studies/{study.id}.yaml"
        for key in ("doi", "pmid", "pmcid"):
            value = getattr(study, key)
            if value:
                norm = (key, value.lower())
                if norm in seen_ids:
                    yield Issue(file, study.id, key, f"{value} is already coded as {seen_ids[norm]}")
                else:
                    seen_ids[norm] = study.id
        for review_id in study.included_in:
            review = studies.get(review_id)
            if review is None:
                yield Issue(file, study.id, "included_in", f"no coded review {review_id!r}")
            elif not review.design.is_review:
                yield Issue(file, study.id, "included_in",
                            f"{review_id!r} is a {review.design.value}, not a systematic review or meta-analysis")
            elif review_id == study.id:
                yield Issue(file, study.id, "included_in", "a study cannot include itself")
        if study.design.is_review and study.included_in:
            yield Issue(file, study.id, "included_in", "reviews of reviews are not supported: link the primaries")
        for index, finding in enumerate(study.findings):
            where = f"findings[{index}]"
            if finding.intervention not in interventions:
                yield Issue(file, study.id, f"{where}.intervention",
                            f"unknown intervention {finding.intervention!r} (see the interventions folder)")
            if finding.outcome not in outcomes:
                yield Issue(file, study.id, f"{where}.outcome",
                            f"unknown outcome {finding.outcome!r} (see the outcomes folder)")
        if study.status is Status.PUBLISHED and study.design not in (Design.NARRATIVE_REVIEW, Design.GUIDELINE) \
                and not study.findings:
            yield Issue(file, study.id, "findings", "a published study needs at least one finding")

    for fact in evidence.regulation:
        if fact.intervention is not None and fact.intervention not in interventions:
            yield Issue(f"regulation/{fact.id}.yaml", fact.id, "intervention",
                        f"unknown intervention {fact.intervention!r}")
    for signal in evidence.safety:
        file = f"safety/{signal.id}.yaml"
        if signal.intervention not in interventions:
            yield Issue(file, signal.id, "intervention", f"unknown intervention {signal.intervention!r}")
        for study_id in signal.studies:
            if study_id not in studies:
                yield Issue(file, signal.id, "studies", f"no coded study {study_id!r}")
    for entry in evidence.inci:
        if entry.intervention not in interventions:
            yield Issue("inci.yaml", entry.name, "intervention", f"unknown intervention {entry.intervention!r}")
    record_ids = [s.id for s in evidence.studies] + [r.id for r in evidence.regulation] + \
        [s.id for s in evidence.safety]
    for duplicate in sorted({i for i in record_ids if record_ids.count(i) > 1}):
        yield Issue("", duplicate, "id", "the same id is used by more than one record")


def _unique(records, file: str) -> Iterator[Issue]:
    seen: set[str] = set()
    for record in records:
        if record.id in seen:
            yield Issue(f"{file}/{record.id}.yaml", record.id, "id", "duplicate id")
        seen.add(record.id)


def _parents(records: dict, file: str) -> Iterator[Issue]:
    for record in records.values():
        seen = {record.id}
        parent = record.parent
        while parent is not None:
            if parent not in records:
                yield Issue(f"{file}/{record.id}.yaml", record.id, "parent", f"unknown parent {parent!r}")
                break
            if parent in seen:
                yield Issue(f"{file}/{record.id}.yaml", record.id, "parent", "parents form a cycle")
                break
            seen.add(parent)
            parent = records[parent].parent


def _aliases(records, file: str) -> Iterator[Issue]:
    owner: dict[str, str] = {}
    for record in records:
        for alias in [record.id, *record.aliases]:
            key = alias.casefold()
            if key in owner and owner[key] != record.id:
                yield Issue(f"{file}/{record.id}.yaml", record.id, "aliases", f"{alias!r} already names {owner[key]!r}")
            owner.setdefault(key, record.id)


__all__ = ["EvidenceSet", "Issue", "bundled_evidence_dir", "citation_warnings", "fingerprint", "load_evidence"]
