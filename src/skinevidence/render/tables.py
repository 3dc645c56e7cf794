"""The table inside an answer, as CSV: the interventions of ``list``, the rows of ``compare``, a report's or an
answer's graded cells, the claims of ``check``, ``audit`` and ``product``, and any list of records (screening
results). Lists are joined with "; ", references are given by number, and Python's csv module reads every file back
as written (tests/test_exports.py)."""

from __future__ import annotations

import csv
import io
import json
from enum import Enum
from typing import TYPE_CHECKING, cast

from pydantic import BaseModel

from skinevidence.errors import InputError
from skinevidence.render.plain import designs_in_words

if TYPE_CHECKING:
    from skinevidence.answers.ask import Answer
    from skinevidence.answers.report import Report
    from skinevidence.claims.audit import AuditReport
    from skinevidence.claims.product import ProductReport

Table = tuple[list[str], list[dict[str, str]]]


def to_csv(answer: BaseModel | list) -> str:
    columns, rows = table(answer)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def table(answer: BaseModel | list) -> Table:
    """(columns, rows) of the answer's main table; every value is text."""
    kind = type(answer).__name__
    numbers = {r.id: r.number for r in getattr(answer, "references", [])}
    if kind in ("Report", "Answer"):
        duplicates = {(d.outcome, d.route): d.same_as for d in getattr(answer, "duplicates", [])}
        graded = cast("Report | Answer", answer)  # the kinds are told apart by class name
        grades = [*graded.grades, *getattr(answer, "preclinical_only", [])]
        return _grades(grades, graded.names, numbers, duplicates)
    if kind == "Comparison":
        return _comparison(answer, numbers)
    if kind == "ClaimCheck":
        return _claims(answer)
    if kind == "AuditReport":
        return _claims(cast("AuditReport", answer).claims)
    if kind == "ProductReport":
        claims = cast("ProductReport", answer).claims
        if claims is None:
            raise InputError("this product check has no claims to tabulate: give --claims, or use --format json")
        return _claims(claims)
    if isinstance(answer, list) and all(isinstance(item, BaseModel) for item in answer):
        return _records(answer)
    raise InputError(f"a {kind} answer has no table: use --format json, text, md or html")


def cell(value: object) -> str:
    """One value as CSV text: null is empty, lists are joined with '; ', mappings are JSON."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, BaseModel):
        return json.dumps(value.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return str(value)


def _refs(numbers: dict[str, int], ids: list[str]) -> str:
    return "; ".join(str(n) for n in sorted({numbers[i] for i in ids if i in numbers}))


def _grades(grades, names: dict[str, str], numbers: dict[str, int], duplicates: dict) -> Table:
    columns = ["intervention", "outcome", "outcome_name", "route", "certainty", "direction", "statement",
               "participants", "studies", "time_to_results_weeks", "time_is_upper_bound", "same_as", "references"]
    rows = []
    for g in grades:
        time = g.time_to_results
        rows.append({"intervention": g.intervention, "outcome": g.outcome, "outcome_name": names.get(g.outcome, ""),
                     "route": cell(g.route), "certainty": cell(g.certainty), "direction": cell(g.direction),
                     "statement": g.statement, "participants": str(g.participants),
                     "studies": designs_in_words(g.studies_by_design),
                     "time_to_results_weeks": f"{time.median_weeks:g}" if time else "",
                     "time_is_upper_bound": cell(time.upper_bound) if time else "",
                     "same_as": duplicates.get((g.outcome, g.route), ""),
                     "references": _refs(numbers, g.studies + g.registered_trials + g.preclinical_studies)})
    return columns, rows


def _comparison(answer, numbers: dict[str, int]) -> Table:
    columns = ["intervention", "name", "outcome", "route", "certainty", "direction", "participants", "studies",
               "time_to_results_weeks", "results_reported_by_weeks", "statement", "references"]
    rows = [{"intervention": r.intervention, "name": r.name, "outcome": cell(r.outcome), "route": cell(r.route),
             "certainty": cell(r.certainty), "direction": cell(r.direction), "participants": str(r.participants),
             "studies": designs_in_words(r.studies_by_design),
             "time_to_results_weeks": f"{r.time_to_results.median_weeks:g}" if r.time_to_results else "",
             "results_reported_by_weeks": cell(r.results_reported_by_weeks), "statement": r.statement,
             "references": _refs(numbers, r.refs)} for r in answer.rows]
    return columns, rows


def _claims(check) -> Table:
    columns = ["number", "start", "end", "text", "verdict", "grade", "overclaim", "strength", "stance",
               "interventions", "outcomes", "route", "flags", "reasons"]
    rows = [{"number": str(n), "start": str(c.start), "end": str(c.end), "text": c.text, "verdict": c.verdict,
             "grade": cell(c.grade), "overclaim": cell(c.overclaim), "strength": c.strength, "stance": c.stance,
             "interventions": cell(c.interventions), "outcomes": cell(c.outcomes), "route": cell(c.route),
             "flags": "; ".join(f"{f.jurisdiction} {f.kind} {f.rule}" for f in c.flags), "reasons": cell(c.reasons)}
            for n, c in enumerate(check.claims, start=1)]
    return columns, rows


def _records(items: list[BaseModel]) -> Table:
    """Any list of records (``list``, screening results): one column per field, in the model's order."""
    if not items:
        return [], []
    columns = list(type(items[0]).model_fields)
    return columns, [{name: cell(getattr(item, name)) for name in columns} for item in items]
