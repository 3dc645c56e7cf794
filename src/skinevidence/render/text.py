"""Terminal output with rich: tables and panels that read well at 80-120 columns, plain when piped."""

from __future__ import annotations

import textwrap
from io import StringIO

from pydantic import BaseModel
from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from skinevidence.grading.statements import Certainty

COLOURS = {Certainty.HIGH: "bold green", Certainty.MODERATE: "green", Certainty.LOW: "yellow",
           Certainty.VERY_LOW: "red", Certainty.PRECLINICAL_ONLY: "magenta", Certainty.NO_EVIDENCE: "dim"}


def certainty_text(certainty: Certainty) -> Text:
    return Text(f"{certainty.symbol} {certainty.value}", style=COLOURS[certainty])


class Document:
    """Collects a layout: prose is wrapped by textwrap (fast) and written with ``Console.out`` (styled, no layout
    work); tables and panels stay rich renderables. Prose is most of a report, so this keeps rendering fast."""

    def __init__(self, width: int):
        self.width = width
        self.parts: list = []

    def line(self, text: str = "", style: str | None = None, indent: str = "", first: str | None = None) -> None:
        if text:
            text = textwrap.fill(text, width=self.width - 1, initial_indent=indent if first is None else first,
                                 subsequent_indent=indent)
        if self.parts and isinstance(self.parts[-1], tuple) and self.parts[-1][1] == (style or ""):
            self.parts[-1] = (self.parts[-1][0] + "\n" + text, style or "")
        else:
            self.parts.append((text, style or ""))

    def heading(self, title: str) -> None:
        self.line(title, style="bold underline")

    def add(self, renderable) -> None:
        self.parts.append(renderable)

    def write(self, console: Console) -> None:
        for part in self.parts:
            if isinstance(part, tuple):
                console.out(part[0], style=part[1] or None, highlight=False)
            else:
                console.print(part)


def render_text(answer: BaseModel | list, *, color: bool, width: int) -> str:
    buffer = StringIO()
    console = Console(file=buffer, force_terminal=color, color_system="standard" if color else None,
                      width=width, no_color=not color, highlight=False, emoji=False)
    layout = LAYOUTS.get(_kind(answer))
    if layout is None:
        # Every answer without a table layout of its own reads well as its Markdown.
        from rich.markdown import (
            Markdown,  # imported here: markdown-it is slow to import
        )

        from skinevidence.render.jinja import render_template
        console.print(Markdown(render_template(answer, "md")))
    else:
        doc = Document(width)
        layout(doc, answer)
        doc.write(console)
    return buffer.getvalue()


def _kind(answer) -> str:
    if isinstance(answer, list):
        return (type(answer[0]).__name__ if answer else "Empty") + "List"
    return type(answer).__name__


def _refs(numbers: dict[str, int], ids: list[str]) -> str:
    found = sorted({numbers[i] for i in ids if i in numbers})
    return f" [{', '.join(map(str, found))}]" if found else ""


def _bullets(doc: Document, title: str, points, numbers) -> None:
    if not points:
        return
    doc.heading(title)
    for point in points:
        doc.line(point.text + _refs(numbers, point.refs), first="• ", indent="  ")
    doc.line()


def _short(name: str) -> str:
    """Table cells drop a name's parenthesis: 'Collagen and elastin (tissue measure)' -> 'Collagen and elastin'."""
    return name.split(" (")[0]


def _report(doc: Document, a) -> None:
    numbers = {r.id: r.number for r in a.references}
    doc.add(Panel(Text(a.verdict), title=f"[bold]{a.name}[/bold]: what the evidence says", title_align="left",
                  border_style="blue"))
    table = Table(title="Evidence by outcome and route", title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    fixed = {"Certainty": 15, "Direction": 13, "n": 5, "Time": 12}      # columns whose content is short
    flexible = {"Outcome": 3, "Route": 3, "Studies": 3, "Refs": 2}     # share what is left
    for column in ("Outcome", "Route", "Certainty", "Direction", "Studies", "n", "Time", "Refs"):
        table.add_column(column, overflow="fold", width=fixed.get(column), ratio=flexible.get(column))
    for g in a.grades:
        designs = ", ".join(f"{n} {d}" for d, n in g.studies_by_design.items()) or "-"
        table.add_row(_short(a.names.get(g.outcome, g.outcome)), g.route.label, certainty_text(g.certainty),
                      g.direction.value if g.direction else "-", designs, str(g.participants),
                      _weeks(g.time_to_results), _refs(numbers, g.studies + g.registered_trials).strip())
    for g in a.preclinical_only:
        table.add_row(_short(a.names.get(g.outcome, g.outcome)), "none in people", certainty_text(g.certainty), "-",
                      f"{len(g.preclinical_studies)} cell/animal", "0", "-",
                      _refs(numbers, g.preclinical_studies).strip())
    doc.add(table)
    doc.heading("Why each grade")
    for g in [*a.grades, *a.preclinical_only]:
        route = g.route.label if g.route else "cells and animals only"
        doc.line(f"{a.names.get(g.outcome, g.outcome)}, {route}: {g.certainty.symbol} {g.certainty.value}. "
                 f"{g.statement}", style="bold")
        for r in g.reasons:
            change = f" ({r.change:+d})" if r.change else ""
            doc.line(f"{r.domain}{change}: {r.text}{_refs(numbers, r.studies)}", style="dim",
                     first="   - ", indent="     ")
    doc.line()
    _bullets(doc, "Limitations", a.limitations, numbers)
    if a.regulation:
        doc.heading("Regulation")
        for jurisdiction, facts in a.regulation.items():
            for f in facts:
                when = f", {f.date}" if f.date else ""
                doc.line(f"{jurisdiction} {f.authority or ''}{when} ({f.kind}): {f.statement}"
                         f"{_refs(numbers, [f.id])}", first="• ", indent="  ")
        doc.line()
    _bullets(doc, "Safety", a.safety, numbers)
    _bullets(doc, "How to report an adverse event", a.adverse_event_reporting, numbers)
    if a.alternatives:
        doc.heading("Evidence-based alternatives for the same outcomes")
        for group in a.alternatives:
            doc.line(f"{group.outcome_name} (this intervention: {group.this_certainty.value})", style="bold")
            for o in group.options:
                route = f", {o.route.label}" if o.route else ""
                doc.line(f"{o.certainty.symbol} {o.certainty.value}: {o.name}{route}, {o.participants} participants"
                         f"{_refs(numbers, o.refs)}", first="  • ", indent="    ")
        doc.line()
    _bullets(doc, "Typical protocol (as the studies state it)", a.protocols, numbers)
    _bullets(doc, "Pitfalls", a.pitfalls, numbers)
    _bullets(doc, "Registered trials without results yet", a.registered_trials, numbers)
    _bullets(doc, "Retracted publications (never graded)", a.retracted, numbers)
    if a.updated:
        doc.line(a.updated, style="italic")
    doc.add(Panel(Text(a.bottom_line), title="Bottom line", title_align="left", border_style="green"))
    doc.line(f"{a.disclaimer} {a.see_a_dermatologist}", style="italic")
    doc.line()
    _references(doc, a.references)


def _references(doc: Document, references) -> None:
    if not references:
        return
    doc.heading("References")
    for r in references:
        ids = []
        if r.doi:
            ids.append(f"doi:{r.doi}")
        if r.pmid:
            ids.append(f"PMID:{r.pmid}")
        link = " ".join(ids) if ids else r.url
        doc.line(f"{r.number:>3}. {r.citation} {link}", indent="     ")


def _weeks(time) -> str:
    from skinevidence.render.jinja import weeks
    return weeks(time)


def _comparison(doc: Document, a) -> None:
    numbers = {r.id: r.number for r in a.references}
    table = Table(title=a.title, title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    for column in ("Intervention", "Outcome", "Best route", "Certainty", "Direction", "Studies", "n",
                   "Time to results", "Refs"):
        table.add_column(column, overflow="fold")
    for row in a.rows:
        table.add_row(_short(row.name), _short(a.names.get(row.outcome, row.outcome)) if row.outcome else "-",
                      row.route.label if row.route else "-", certainty_text(row.certainty),
                      row.direction.value if row.direction else "-",
                      ", ".join(f"{n} {d}" for d, n in row.studies_by_design.items()) or "-",
                      str(row.participants), _weeks(row.time_to_results), _refs(numbers, row.refs).strip())
    doc.add(table)
    for note in a.notes:
        doc.line(note, style="dim", first="• ", indent="  ")
    doc.line()
    _references(doc, a.references)


LAYOUTS = {"Report": _report, "Comparison": _comparison}

__all__ = ["render_text", "certainty_text"]
