"""Terminal output with rich: tables and panels that read well at 80-120 columns, plain when piped."""

from __future__ import annotations

import textwrap
from io import StringIO

from pydantic import BaseModel
from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..statements import Certainty

COLOURS = {Certainty.HIGH: "bold green", Certainty.MODERATE: "green", Certainty.LOW: "yellow",
           Certainty.VERY_LOW: "red", Certainty.PRECLINICAL_ONLY: "magenta", Certainty.NO_EVIDENCE: "dim"}


def certainty_text(certainty: Certainty) -> Text:
    return Text(f"{certainty.symbol} {certainty.value}", style=COLOURS[certainty])


def render_text(answer: BaseModel | list, *, color: bool, width: int) -> str:
    buffer = StringIO()
    console = Console(file=buffer, force_terminal=color, color_system="standard" if color else None,
                      width=width, no_color=not color, highlight=False, emoji=False)
    layout = LAYOUTS.get(_kind(answer))
    if layout is None:
        # Every answer without a table layout of its own reads well as its Markdown.
        from .templates import render_template
        console.print(Markdown(render_template(answer, "md")))
    else:
        layout(console, answer)
    return buffer.getvalue()


def _kind(answer) -> str:
    if isinstance(answer, list):
        return (type(answer[0]).__name__ if answer else "Empty") + "List"
    return type(answer).__name__


def _refs(numbers: dict[str, int], ids: list[str]) -> str:
    found = sorted({numbers[i] for i in ids if i in numbers})
    return f" [{', '.join(map(str, found))}]" if found else ""


def _para(console: Console, text: str, style: str | None = None, indent: str = "", first: str = "") -> None:
    """Prose wrapped by textwrap (fast) and printed without rich's own wrapping."""
    wrapped = textwrap.fill(text, width=console.width - 1, initial_indent=first or indent, subsequent_indent=indent)
    console.print(Text(wrapped, style=style or ""), soft_wrap=True)


def _bullets(console: Console, title: str, points, numbers) -> None:
    if not points:
        return
    console.print(Text(title, style="bold underline"))
    for point in points:
        _para(console, point.text + _refs(numbers, point.refs), first="• ", indent="  ")
    console.print()


def _report(console: Console, a) -> None:
    numbers = {r.id: r.number for r in a.references}
    console.print(Panel(Text(a.verdict), title=f"[bold]{a.name}[/bold]: what the evidence says", title_align="left",
                        border_style="blue"))
    table = Table(title="Evidence by outcome and route", title_justify="left", show_lines=False, expand=True)
    for column in ("Outcome", "Route", "Certainty", "Direction", "Studies", "n", "Time to results", "Refs"):
        table.add_column(column, overflow="fold")
    for g in a.grades:
        designs = ", ".join(f"{n} {d}" for d, n in g.studies_by_design.items()) or "-"
        table.add_row(a.names.get(g.outcome, g.outcome), g.route.label, certainty_text(g.certainty),
                      g.direction.value if g.direction else "-", designs, str(g.participants),
                      _weeks(g.time_to_results), _refs(numbers, g.studies + g.registered_trials).strip())
    for g in a.preclinical_only:
        table.add_row(a.names.get(g.outcome, g.outcome), "none in people", certainty_text(g.certainty), "-",
                      f"{len(g.preclinical_studies)} cell/animal", "0", "-",
                      _refs(numbers, g.preclinical_studies).strip())
    console.print(table)
    console.print(Text("Why each grade", style="bold underline"))
    for g in [*a.grades, *a.preclinical_only]:
        route = g.route.label if g.route else "cells and animals only"
        _para(console, f"{a.names.get(g.outcome, g.outcome)}, {route}: {g.certainty.symbol} {g.certainty.value}. "
                       f"{g.statement}", style="bold")
        for r in g.reasons:
            change = f" ({r.change:+d})" if r.change else ""
            _para(console, f"{r.domain}{change}: {r.text}{_refs(numbers, r.studies)}", style="dim",
                  first="   - ", indent="     ")
    console.print()
    _bullets(console, "Limitations", a.limitations, numbers)
    if a.regulation:
        console.print(Text("Regulation", style="bold underline"))
        for jurisdiction, facts in a.regulation.items():
            for f in facts:
                when = f", {f.date}" if f.date else ""
                _para(console, f"{jurisdiction} {f.authority or ''}{when} ({f.kind}): {f.statement}"
                               f"{_refs(numbers, [f.id])}", first="• ", indent="  ")
        console.print()
    _bullets(console, "Safety", a.safety, numbers)
    _bullets(console, "How to report an adverse event", a.adverse_event_reporting, numbers)
    if a.alternatives:
        console.print(Text("Evidence-based alternatives for the same outcomes", style="bold underline"))
        for group in a.alternatives:
            options = Table(title=f"{group.outcome_name} (this: {group.this_certainty.value})", title_justify="left",
                            expand=True)
            for column in ("Option", "Route", "Certainty", "n", "Refs"):
                options.add_column(column, overflow="fold")
            for o in group.options:
                options.add_row(o.name, o.route.label if o.route else "-", certainty_text(o.certainty),
                                str(o.participants), _refs(numbers, o.refs).strip())
            console.print(options)
    _bullets(console, "Typical protocol (as the studies state it)", a.protocols, numbers)
    _bullets(console, "Pitfalls", a.pitfalls, numbers)
    _bullets(console, "Registered trials without results yet", a.registered_trials, numbers)
    console.print(Panel(Text(a.bottom_line), title="Bottom line", title_align="left", border_style="green"))
    _para(console, f"{a.disclaimer} {a.see_a_dermatologist}", style="italic")
    console.print()
    _references(console, a.references)


def _references(console: Console, references) -> None:
    if not references:
        return
    console.print(Text("References", style="bold underline"))
    for r in references:
        ids = []
        if r.doi:
            ids.append(f"doi:{r.doi}")
        if r.pmid:
            ids.append(f"PMID:{r.pmid}")
        link = " ".join(ids) if ids else r.url
        _para(console, f"{r.number:>3}. {r.citation} {link}", indent="     ")


def _weeks(time) -> str:
    if time is None:
        return "not reported"
    return f"{time.median_weeks:g} wk" + ("" if time.min_weeks == time.max_weeks else
                                          f" ({time.min_weeks:g}-{time.max_weeks:g})")


def _comparison(console: Console, a) -> None:
    numbers = {r.id: r.number for r in a.references}
    table = Table(title=a.title, title_justify="left", expand=True)
    for column in ("Intervention", "Outcome", "Best route", "Certainty", "Direction", "Studies", "n",
                   "Time to results", "Refs"):
        table.add_column(column, overflow="fold")
    for row in a.rows:
        table.add_row(row.name, a.names.get(row.outcome, row.outcome) if row.outcome else "-",
                      row.route.label if row.route else "-", certainty_text(row.certainty),
                      row.direction.value if row.direction else "-",
                      ", ".join(f"{n} {d}" for d, n in row.studies_by_design.items()) or "-",
                      str(row.participants), _weeks(row.time_to_results), _refs(numbers, row.refs).strip())
    console.print(table)
    for note in a.notes:
        _para(console, note, style="dim", first="• ", indent="  ")
    console.print()
    _references(console, a.references)


LAYOUTS = {"Report": _report, "Comparison": _comparison}

__all__ = ["render_text", "certainty_text"]
