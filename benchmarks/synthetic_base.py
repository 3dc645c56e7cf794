"""A synthetic evidence base N times the bundled one, for speed measurements only (never for answers).

Every study is copied N times under new ids (``<id>-x2``, ``<id>-x3``...), with its identifiers removed (they must
stay unique) and its links to reviews pointed at the copy of the review in the same batch; vocabularies,
regulation, safety and INCI names are copied once. The result validates like the real base, so every command runs
on it unchanged: ``python benchmarks/synthetic_base.py 10 /tmp/base10`` then ``skinevidence --evidence /tmp/base10
report exosomes``.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import yaml

from skinevidence.evidence.files import bundled_evidence_dir

IDENTIFIERS = ("doi", "pmid", "pmcid")


def build(times: int, target: Path, source: Path | None = None) -> Path:
    """Write the base ``times`` times its size into ``target`` (replaced if it exists) and return it."""
    source = source or bundled_evidence_dir()
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("studies"))
    (target / "studies").mkdir()
    for path in sorted((source / "studies").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        (target / "studies" / path.name).write_text(text, encoding="utf-8")
        record = yaml.safe_load(text)
        for copy in range(2, times + 1):
            suffix = f"-x{copy}"
            clone = dict(record, id=record["id"] + suffix, registry_ids=[],
                         included_in=[review + suffix for review in record.get("included_in") or []])
            clone.update({key: None for key in IDENTIFIERS})
            (target / "studies" / f"{clone['id']}.yaml").write_text(
                yaml.safe_dump(clone, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("times", type=int, help="how many times the bundled base (1 = a plain copy)")
    parser.add_argument("target", type=Path, help="the folder to write (replaced if it exists)")
    args = parser.parse_args()
    print(build(args.times, args.target))


if __name__ == "__main__":
    main()
