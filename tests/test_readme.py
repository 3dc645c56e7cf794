"""The README opens with exactly two set-up commands, and CI runs the second one verbatim."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_commands() -> list[str]:
    block = re.search(r"```\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_the_readme_opens_with_exactly_two_setup_commands():
    commands = setup_commands()
    assert len(commands) == 2 and "skinevidence report exosomes" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readmes_test_command():
    assert setup_commands()[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
