"""Files named after records: one check that an id is safe as a file name, and one atomic write.

Every identifier that becomes a file name passes :func:`record_path`, which accepts only the record-id pattern of
the evidence base (lower-case letters, digits, single hyphens) and checks that the path resolves inside its folder.
:func:`atomic_write` writes beside the target and renames, removing its temporary file on every failure path.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from skinevidence.errors import InputError

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"  # record ids (lower-case words joined by single hyphens)
SLUG_MAX = 120
_SLUG = re.compile(SLUG_PATTERN)
TEMPORARY_PREFIX = ".writing-"


def record_path(folder: Path, record_id: str, suffix: str = ".yaml") -> Path:
    """``folder/record_id + suffix``, refused unless the id is a record id and the path stays inside ``folder``."""
    shown = record_id.encode("unicode_escape").decode("ascii")[:60]
    if len(record_id) > SLUG_MAX or not _SLUG.fullmatch(record_id):
        raise InputError(f"{shown!r} is not a record id: use lower-case letters, digits and single hyphens "
                         f"(at most {SLUG_MAX} characters), e.g. 'kwon-2020-exosomes-acne-scars'")
    target = folder / f"{record_id}{suffix}"
    if target.resolve().parent != folder.resolve():
        raise InputError(f"{shown!r} would be written outside {folder}")
    return target


def atomic_write(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` through a temporary file in the same folder and one rename; on any failure the
    temporary file is removed and ``target`` is untouched."""
    handle, temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
