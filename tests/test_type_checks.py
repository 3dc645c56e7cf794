"""Type checking stays honest: mypy checks the package without ignoring errors wholesale, and every
``type: ignore`` names the error it silences and says why on the same line (CONTRIBUTING.md, "Before you commit")."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "skinevidence"
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<code>\[[a-z0-9_, -]+\])?(?P<rest>.*)$")


def unexplained_ignores(text: str) -> list[int]:
    """Line numbers of the ``type: ignore`` comments that lack an error code or a reason after it."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = IGNORE.search(line)
        if match and not (match["code"] and re.match(r"\s*#\s*\w", match["rest"])):
            found.append(number)
    return found


def test_an_ignore_with_a_code_and_a_reason_is_explained():
    assert unexplained_ignores("x = f()  # type: ignore[arg-type]  # the library types it too narrowly\n") == []


def test_an_ignore_without_a_code_or_without_a_reason_is_not():
    text = "a = f()  # type: ignore\nb = g()  # type: ignore[misc]\nc = h()  # type: ignore  # why\n"
    assert unexplained_ignores(text) == [1, 2, 3]


def test_every_type_ignore_in_the_package_names_its_code_and_reason():
    unexplained = [f"{path.relative_to(ROOT)}:{number}" for path in sorted(PACKAGE.rglob("*.py"))
                   for number in unexplained_ignores(path.read_text(encoding="utf-8"))]
    assert unexplained == []


def test_mypy_checks_the_package_and_ignores_no_errors_wholesale():
    mypy = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert mypy["files"] == ["src"]
    sections = [mypy, *mypy.get("overrides", [])]
    assert [s for s in sections if s.get("ignore_errors")] == []
