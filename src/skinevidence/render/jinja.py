"""Markdown and HTML through Jinja2 templates. HTML output is autoescaped and standalone (inline CSS, no
scripts, no external resources)."""

from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from pydantic import BaseModel

from skinevidence.render.plain import design_label, designs_in_words, direction_words, without_ids

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("skinevidence.render", "templates"),
        autoescape=lambda name: name is not None and name.endswith(".html.j2"),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["cell"] = markdown_cell
    env.filters["weeks"] = weeks
    env.filters["evidence"] = evidence_lines
    env.filters["label"] = lambda value: value.label if hasattr(value, "label") else (value or "not reported")
    env.filters["nr"] = lambda value: "not reported" if value is None or value == "" else value
    env.filters["designs"] = lambda by_design: designs_in_words(by_design) or "none"
    env.filters["design"] = design_label
    env.filters["direction"] = lambda value: direction_words(value) if value is not None else "not reported"
    return env


def template_name(answer: BaseModel | list) -> str:
    if isinstance(answer, list):
        item = type(answer[0]).__name__ if answer else "Empty"
        return _CAMEL.sub("_", item).lower() + "_list"
    return _CAMEL.sub("_", type(answer).__name__).lower()


def render_template(answer: BaseModel | list, fmt: str, detail: str = "summary", version: str = "") -> str:
    name = f"{template_name(answer)}.{fmt}.j2"
    return environment().get_template(name).render(**answer_context(answer), detail=detail, version=version)


def answer_context(answer: BaseModel | list) -> dict:
    """What the answer templates expect: the answer, its references as numbers or links, and display names."""
    numbers = {ref.id: ref.number for ref in getattr(answer, "references", [])}

    def refs(ids: list[str]) -> str:
        found = sorted({numbers[i] for i in ids if i in numbers})
        return f"[{', '.join(map(str, found))}]" if found else ""

    def ref_links(ids: list[str]) -> Markup:
        """Linked reference numbers; a run of three or more is written as its ends ("4–9")."""
        found = sorted({numbers[i] for i in ids if i in numbers})
        if not found:
            return Markup("")
        link = Markup('<a href="#ref-{0}">{0}</a>')
        parts = [link.format(a) if a == b else link.format(a) + Markup(", ") + link.format(b) if b == a + 1
                 else link.format(a) + Markup("–") + link.format(b) for a, b in runs(found)]
        return Markup('<sup class="refs">[') + Markup(", ").join(parts) + Markup("]</sup>")

    def shown(report) -> list:
        """A report's human cells without those that repeat a more specific outcome's (``duplicates``)."""
        merged = {(d.outcome, d.route) for d in getattr(report, "duplicates", [])}
        return [g for g in report.grades if (g.outcome, g.route) not in merged]

    names = getattr(answer, "names", {}) or {}
    return {"a": answer, "items": answer if isinstance(answer, list) else None, "refs": refs,
            "ref_links": ref_links, "name": lambda key: names.get(key, key), "escape": escape, "shown": shown,
            "readable": lambda text, ids: without_ids(text, ids, numbers)}


def runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Sorted numbers as (first, last) runs of consecutive values: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    found: list[tuple[int, int]] = []
    for n in numbers:
        if found and n == found[-1][1] + 1:
            found[-1] = (found[-1][0], n)
        else:
            found.append((n, n))
    return found


def markdown_cell(value: object) -> str:
    """Text safe inside a Markdown table cell."""
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def evidence_lines(grade) -> list[str]:
    """What a graded cell rests on, in words: the size of the effect, the participants and trials, the time to the
    first difference and, apart from it, the length of follow-up. Nothing for a cell without human evidence."""
    if not grade.certainty.is_human:
        return []
    lines = []
    if grade.effect:
        more = len(grade.effects) - 1
        lines.append(f"Effect: {grade.effect}" + (f" (and {more} more reported effect size{'s' if more > 1 else ''})"
                                                  if more > 0 else ""))
    trials = f" in {grade.trials} trial{'s' if grade.trials != 1 else ''}" if grade.trials else ""
    lines.append(f"Participants: {grade.participants_text}{trials}")
    timing = f"Time to results: {weeks(grade.time_to_results)}"
    if grade.follow_up is not None:
        low, high = grade.follow_up.min_weeks, grade.follow_up.max_weeks
        timing += f"; follow-up {low:g} wk" if low == high else f"; follow-up {low:g} to {high:g} wk"
    lines.append(timing)
    return lines


def weeks(time) -> str:
    if time is None:
        return "not reported"
    mark = "≤ " if time.upper_bound else ""
    if time.min_weeks == time.max_weeks:
        return f"{mark}{time.median_weeks:g} wk"
    return f"{mark}{time.median_weeks:g} wk (range {time.min_weeks:g}-{time.max_weeks:g})"
