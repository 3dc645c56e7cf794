"""Validation of the grading method against independent judgement: the project's grade beside the certainty and
direction of a systematic review, Cochrane review, evidence summary or guideline for each pair in
``benchmarks/validation_pairs.yaml`` (docs/validation.md).

Prints a Markdown table and the agreement counts over the pairs the base grades: same level, within one level
(including same), off by two or more, and the direction right. A pair on which the base holds no human evidence at all
is a gap in the data, listed and counted apart. The pairs are never read by the grading code.

    python benchmarks/validation.py [--pairs benchmarks/validation_pairs.yaml]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from skinevidence.evidence.database import Database
from skinevidence.evidence.models import Direction, Route
from skinevidence.grading.grade import Grade, grade, grade_outcome
from skinevidence.grading.statements import Certainty
from skinevidence.grading.strongest import strongest

LEVELS = {"high": 4, "moderate": 3, "low": 2, "very-low": 1}
PAIRS = Path(__file__).with_name("validation_pairs.yaml")


def project_grade(catalog, pair: dict) -> Grade:
    if pair["route"] == "any":
        return strongest(grade_outcome(catalog, pair["intervention"], pair["outcome"]))
    return grade(catalog, pair["intervention"], pair["outcome"], Route(pair["route"]))


def direction_agrees(source: str, grade_: Grade) -> bool:
    """Benefit, no difference and harm must match; a source that finds the effect unclear agrees with a mixed body
    or with a very-low grade (whose statement says "we are uncertain whether...")."""
    if source == "unclear":
        return grade_.direction is Direction.MIXED or grade_.certainty is Certainty.VERY_LOW
    return grade_.direction is not None and grade_.direction.value == source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    args = parser.parse_args()
    pairs = yaml.safe_load(args.pairs.read_text(encoding="utf-8"))
    catalog = Database.open().catalog()
    same = within = directions = graded = 0
    print("| # | Intervention x outcome x route | Project | Independent | Levels apart | Direction | Source |")
    print("|---|---|---|---|---|---|---|")
    for number, pair in enumerate(pairs, 1):
        g = project_grade(catalog, pair)
        gap = abs(g.certainty.rank - LEVELS[pair["level"]]) if g.certainty.is_human else None
        graded += gap is not None
        same += gap == 0
        within += gap is not None and gap <= 1
        agrees = g.certainty.is_human and direction_agrees(pair["direction"], g)
        directions += agrees
        route = g.route.value if g.route else "none"
        project = f"{g.certainty.value}, {g.direction.value if g.direction else '-'} ({route})"
        mark = "" if pair.get("in_base") is False else " (in base)"
        print(f"| {number} | {pair['intervention']} x {pair['outcome']} x {pair['route']} | {project} | "
              f"{pair['level'].replace('-', ' ')}, {pair['direction']} | {gap if gap is not None else 'not graded'} | "
              f"{('right' if agrees else 'WRONG') if gap is not None else '-'} | "
              f"[{pair['source'].split(':')[0]}]({pair['url']}){mark} |")
    n = graded
    print()
    print(f"pairs: {len(pairs)}; graded in the base: {n}; not graded (no human evidence coded): {len(pairs) - n}")
    print(f"of the graded pairs: same level {same} ({same / n:.0%}); within one level {within} ({within / n:.0%}); "
          f"two or more apart {n - within}; direction right {directions} ({directions / n:.0%})")


if __name__ == "__main__":
    main()
