"""How many entries of real ingredient lists get a role: the measure of issue 13 (at least 95% of a real
30-ingredient list).

    PYTHONPATH=src python scripts/label_roles.py [devsets/labels/*.txt] [--verbose]

Each file: a first comment line with the page's address, then the list (one line, or one entry per line).
Prints, per list, the entries with a role, the actives and the entries no source describes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from skinevidence.evidence.database import Database
from skinevidence.text.ingredients import read_ingredients

DEVSET = Path(__file__).resolve().parents[1] / "devsets" / "labels"


def read_list(path: Path) -> str | list[str]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
             and not line.startswith("#")]
    return lines[0] if len(lines) == 1 else lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--verbose", action="store_true", help="print every entry with its role")
    args = parser.parse_args(argv)
    catalog = Database.open().catalog()
    total = known_total = 0
    for path in args.files or sorted(DEVSET.glob("*.txt")):
        roles = read_ingredients(catalog, read_list(path))
        known = [r for r in roles if r.role is not None]
        actives = [r for r in roles if r.intervention is not None]
        total, known_total = total + len(roles), known_total + len(known)
        print(f"{path.name}: {len(known)}/{len(roles)} entries with a role ({len(known) / len(roles):.0%}), "
              f"{len(actives)} active(s)")
        print("  no role: " + (", ".join(r.label_name for r in roles if r.role is None) or "none"))
        if args.verbose:
            for r in roles:
                print(f"    {r.label_name:50.50} {r.role or '-':18} {r.intervention or '':18} {'; '.join(r.functions)}")
    print(f"all lists: {known_total}/{total} entries with a role ({known_total / max(total, 1):.0%})")


if __name__ == "__main__":
    main()
