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
from skinevidence.render.plain import designs_in_words, direction_words, without_ids

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
    if a.summary is not None:  # the one-screen answer first, its references in the full list below
        from skinevidence.render.plain import summary_text
        doc.parts.append((summary_text(a, color=False, width=doc.width, version="", references=False), ""))
    doc.add(Panel(Text(a.verdict), title=f"[bold]{a.name}[/bold]: what the evidence says", title_align="left",
                  border_style="blue"))
    merged = {(d.outcome, d.route): d.same_as for d in a.duplicates}
    shown = [g for g in a.grades if (g.outcome, g.route) not in merged]
    rows = []
    for g in shown:
        rows.append([_short(a.names.get(g.outcome, g.outcome)), g.route.label, certainty_text(g.certainty),
                     direction_words(g.direction), designs_in_words(g.studies_by_design) or "-", g.participants_text,
                     _weeks(g.time_to_results), _refs(numbers, g.studies + g.registered_trials).strip()])
    for g in a.preclinical_only:
        rows.append([_short(a.names.get(g.outcome, g.outcome)), "none in people", certainty_text(g.certainty), "-",
                     f"{len(g.preclinical_studies)} cell or animal studies", "-", "-",
                     _refs(numbers, g.preclinical_studies).strip()])
    table_or_cards(doc, "Evidence by outcome and route", ["Outcome", "Route", "Certainty", "Direction", "Studies",
                                                          "Participants", "Time to results", "Refs"], rows, head=2)
    doc.heading("Why each grade")
    for g in [*shown, *a.preclinical_only]:
        route = g.route.label if g.route else "cells and animals only"
        doc.line(f"{a.names.get(g.outcome, g.outcome)}, {route}: {g.certainty.symbol} {g.certainty.value}. "
                 f"{g.statement}", style="bold")
        for line in _evidence(g):
            doc.line(line, first="   ", indent="     ")
        for r in g.reasons:
            change = f" ({r.change:+d})" if r.change else ""
            doc.line(f"{r.domain}{change}: {without_ids(r.text, r.studies, numbers)}{_refs(numbers, r.studies)}",
                     style="dim",
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
                doc.line(f"{o.certainty.symbol} {o.certainty.value}: {o.name}{route}, {o.participants_text} participants"
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
        doc.line(f"{r.number:>3}. {r.citation} {link}", first="", indent="     ")


def _weeks(time) -> str:
    from skinevidence.render.jinja import weeks
    return weeks(time)


def _evidence(grade) -> list[str]:
    from skinevidence.render.jinja import evidence_lines
    return evidence_lines(grade)


def table_or_cards(doc: Document, title: str, columns: list[str], rows: list[list], head: int = 1) -> None:
    """A table when every column can be as wide as its longest word, else one block per row (its first ``head``
    cells as a heading line, the rest as "column: value"): no word is ever cut at any width."""
    plain = [[cell.plain if isinstance(cell, Text) else str(cell) for cell in row] for row in rows]
    longest = [max([len(w) for w in column.split()] + [len(w) for row in plain for w in row[i].split()] + [1])
               for i, column in enumerate(columns)]
    if sum(longest) + 3 * len(columns) + 2 <= doc.width:
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
        for column, least in zip(columns, longest):
            table.add_column(column, min_width=least, overflow="fold")
        for row in rows:
            table.add_row(*row)
        doc.add(table)
        return
    doc.heading(title)
    for row in plain:
        doc.line(" · ".join(cell for cell in row[:head] if cell and cell != "-"), style="bold")
        doc.line("; ".join(f"{column}: {cell}" for column, cell in zip(columns[head:], row[head:])
                           if cell and cell != "-"), indent="  ", first="  ")
    doc.line()


def _comparison(doc: Document, a) -> None:
    numbers = {r.id: r.number for r in a.references}
    columns = ["Intervention", *([] if a.outcome else ["Outcome"]), "Best route", "Certainty", "Direction",
               "Studies", "Participants", "Effect", "Time to results", "Refs"]
    rows = []
    for row in a.rows:
        outcome = [] if a.outcome else [_short(a.names.get(row.outcome, row.outcome)) if row.outcome else "-"]
        rows.append([_short(row.name), *outcome, row.route.label if row.route else "-", certainty_text(row.certainty),
                     direction_words(row.direction), designs_in_words(row.studies_by_design) or "-",
                     row.participants_text, row.effect or "not reported", _weeks(row.time_to_results),
                     _refs(numbers, row.refs).strip()])
    table_or_cards(doc, a.title, columns, rows)
    for note in a.notes:
        doc.line(note, style="dim", first="• ", indent="  ")
    doc.line()
    _references(doc, a.references)


LAYOUTS = {"Report": _report, "Comparison": _comparison}

__all__ = ["certainty_text", "render_text"]
