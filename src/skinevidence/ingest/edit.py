"""``review edit``: a curator sets what one finding of an accepted study showed (its direction and effect).

The study file is edited in place, line by line, so that the comments the acceptance wrote beside every value
stay; a file whose finding no longer has the layout ``accept`` writes is rewritten from its parsed content
instead (its comments are then lost, and the answer says so). The file is written atomically and kept only if the
evidence folder still passes validation; the database, and so every grade, is rebuilt on the next command.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from pydantic import BaseModel

from skinevidence.errors import InputError, NotFound
from skinevidence.evidence.files import load_evidence
from skinevidence.evidence.models import Direction
from skinevidence.ingest.accept import RecordRefused, scalar
from skinevidence.paths import atomic_write, record_path

_ITEM = re.compile(r"^  - ")
_TOP = re.compile(r"^\S")


class FindingEdit(BaseModel):
    study_id: str
    path: str
    finding: int                  # 1-based
    intervention: str | None
    outcome: str | None
    direction: str | None
    effect: str | None
    comments_kept: bool


def edit_finding(evidence_dir: Path, study_id: str, finding: int, direction: Direction | None = None,
                 effect: str | None = None, today: dt.date | None = None) -> FindingEdit:
    """Set the direction and/or effect of finding number ``finding`` (1-based) of a study file."""
    if direction is None and effect is None:
        raise InputError("nothing to set: give --direction and/or --effect")
    if effect is not None and not effect.strip():
        raise InputError("--effect is empty: say in your own words what the paper reports")
    folder = Path(evidence_dir) / "studies"
    target = record_path(folder, study_id)
    if not target.is_file():
        raise NotFound(f"no study file {study_id!r} in {folder}")
    before = target.read_text(encoding="utf-8")
    record = yaml.safe_load(before) or {}
    findings = record.get("findings") or []
    if not 1 <= finding <= len(findings):
        raise InputError(f"{study_id} has {len(findings)} finding(s): --finding must be 1 to {len(findings)}"
                         if findings else f"{study_id} has no findings to edit")
    note = f"set by the curator on {(today or dt.date.today()).isoformat()}"
    values = {k: v for k, v in (("direction", direction.value if direction else None), ("effect", effect)) if v}
    after = _edit_lines(before, finding, values, note)
    kept = after is not None
    if after is None:
        findings[finding - 1].update(values)
        after = yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=120)
    atomic_write(target, after)
    _, issues = load_evidence(Path(evidence_dir))
    if issues:
        atomic_write(target, before)
        raise RecordRefused(f"the edit would not pass 'skinevidence db validate', so {study_id} was left as it was",
                            issues)
    edited = (yaml.safe_load(after).get("findings") or [])[finding - 1]
    return FindingEdit(study_id=study_id, path=str(target), finding=finding, intervention=edited.get("intervention"),
                       outcome=edited.get("outcome"), direction=edited.get("direction"), effect=edited.get("effect"),
                       comments_kept=kept)


def _edit_lines(text: str, finding: int, values: dict[str, str], note: str) -> str | None:
    """Replace ``    key: ...`` lines inside the finding's block; None when the layout is not accept's."""
    lines = text.splitlines(keepends=True)
    try:
        start = next(i for i, line in enumerate(lines) if line.rstrip() == "findings:")
    except StopIteration:
        return None
    items = [i for i in range(start + 1, len(lines)) if _ITEM.match(lines[i])]
    ends = [i for i in range(start + 1, len(lines)) if _TOP.match(lines[i])]
    if len(items) < finding:
        return None
    first = items[finding - 1]
    last = min([i for i in items if i > first] + [i for i in ends if i > first] + [len(lines)])
    for key, value in values.items():
        pattern = re.compile(rf"^    {key}:")
        found = next((i for i in range(first, last) if pattern.match(lines[i])), None)
        if found is None:
            return None
        lines[found] = f"    {key}: {scalar(value)}  # {note}\n"
    return "".join(lines)
