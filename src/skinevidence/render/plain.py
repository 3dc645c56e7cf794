"""Plain terminal text without rich: wrapped prose, headings, bullets and numbered references, with ANSI bold only
when colour is on. The one-screen report is written with it, so that the default ``report`` loads neither rich nor
Jinja2 (docs/answers.md, "Speed")."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


class Writer:
    """Collects lines of text wrapped to ``width`` columns; words are never cut."""

    def __init__(self, width: int, color: bool = False):
        self.width = max(width, 40)
        self.color = color
        self.lines: list[str] = []

    def style(self, text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if self.color and text else text

    def para(self, text: str, first: str = "", indent: str = "", code: str = "") -> None:
        wrapped = textwrap.wrap(text, width=self.width - 1, initial_indent=first, subsequent_indent=indent,
                                break_long_words=False, break_on_hyphens=False) or [""]
        self.lines += [self.style(line, code) if code else line for line in wrapped]

    def heading(self, text: str) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")
        self.lines.append(self.style(text, BOLD))

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            self.para(item, first="• ", indent="  ")

    def blank(self) -> None:
        self.lines.append("")

    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"


def _plural(label: str, n: int) -> str:
    if n == 1 or label.endswith("series"):
        return label
    if label.endswith("analysis"):
        return label[:-2] + "es"
    if label.endswith("study"):
        return label[:-1] + "ies"
    return label + "s"


def design_label(value: str | None) -> str:
    """A design code in words: 'split-body-rct' -> 'randomised split-face/split-body trial'."""
    from skinevidence.evidence.models import Design
    if value is None:
        return ""
    try:
        return Design(value).label
    except ValueError:
        return value or ""


def designs_in_words(by_design: dict[str, int]) -> str:
    """'2 randomised trials, 1 non-randomised controlled trial' from a grade's counts by design (keyed by the
    designs' short codes): words instead of codes."""
    from skinevidence.evidence.models import Design
    labels = {d.short: d.label for d in Design} | {d.value: d.label for d in Design}
    return ", ".join(f"{n} {_plural(labels.get(code, code), n)}" for code, n in by_design.items())


def direction_words(direction) -> str:
    return direction.value.replace("-", " ") if direction is not None else "-"


def without_ids(text: str, ids: Iterable[str], numbers: dict[str, int]) -> str:
    """A reason's text with the record ids it names replaced by their reference numbers ("study [12]"): no internal
    id in any text a reader sees."""
    for record in sorted(set(ids), key=len, reverse=True):
        if record in text:
            text = text.replace(record, f"study [{numbers[record]}]" if record in numbers else "one study")
    return text


def cite(numbers: dict[str, int], ids: Iterable[str]) -> str:
    """' [1, 3]' for the records among ``ids`` that have a number, '' when none has."""
    found = sorted({numbers[i] for i in ids if i in numbers})
    return f" [{', '.join(map(str, found))}]" if found else ""


TITLE_WORDS = 8  # a short citation keeps this many words of a title


def reference_line(ref, short: bool = False) -> str:
    """One numbered reference: its citation and a followable identifier (DOI, else PMID, else its address). A
    short one names the first author, the year, the first words of the title and the journal."""
    link = f"doi:{ref.doi}" if ref.doi else f"PMID:{ref.pmid}" if ref.pmid else ref.url
    if not short:
        ids = [f"doi:{ref.doi}" if ref.doi else "", f"PMID:{ref.pmid}" if ref.pmid else ""]
        return f"{ref.number}. {ref.citation} {' '.join(i for i in ids if i) or ref.url}"
    return f"{ref.number}. {short_citation(ref)} {link}"


def short_citation(ref) -> str:
    """'Hughes MCB et al. (2013). Sunscreen and prevention of skin aging: a randomized trial. Annals of ...'."""
    who = ref.authors[0] + (" et al." if len(ref.authors) > 1 else "") if ref.authors else (ref.publisher or "")
    when = f"({ref.year})" if ref.year else ""
    words = (ref.title or ref.citation).rstrip(".").split()
    title = " ".join(words[:TITLE_WORDS]).rstrip(".,;:") + ("…" if len(words) > TITLE_WORDS else "")
    head = f"{who} {when}".strip() if who else ""
    parts = [head, title, "" if who else when, ref.journal or ""]
    return " ".join(p if p.endswith((".", "…")) else p + "." for p in parts if p)


def summary_text(report, *, color: bool, width: int, version: str, references: bool = True) -> str:
    """The one-screen report (docs/answers.md): bottom line first, then uses, lab-only claims, safety, regulation,
    alternatives, pitfalls and the references they cite."""
    s = report.summary
    numbers = {r.id: r.number for r in report.references}
    out = Writer(width, color)
    out.para(f"{report.name}: what the evidence says", code=BOLD)
    out.blank()
    out.para(f"Bottom line: {s.bottom_line.text}{cite(numbers, s.bottom_line.refs)}", code=BOLD if color else "")
    sections = [("What it is used for, and what studies in people show", s.uses + s.lab_only),
                ("Safety", s.safety), (f"Regulation where you live ({s.jurisdiction})", s.regulation),
                ("Alternatives, best-proven first (certainty of benefit)", s.alternatives), ("Pitfalls", s.pitfalls)]
    for title, points in sections:
        if points:
            out.heading(title)
            out.bullets(p.text + cite(numbers, p.refs) for p in points)
    if not references:
        return out.text()
    cited = [r for r in report.references if r.number <= report.summary_references]
    if cited:
        out.heading("References")
        for ref in cited:
            out.para(reference_line(ref, short=True), indent="   ")
    out.blank()
    more = len(report.references) - len(cited)
    out.para(f"The full graded table, every reason and all {len(report.references)} references"
             f"{f' ({more} more)' if more else ''}: --detail full. {report.disclaimer}", code=DIM)
    out.para(version, code=DIM)
    return out.text()
