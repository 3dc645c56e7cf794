"""Plots drawn on the server (pages work without JavaScript): the evidence map and the design pyramid.

Each plot is computed first as plain data (``answers.evidence_map``: the pages print the same data as a table,
the text alternative to the picture), then drawn with matplotlib's object API (no pyplot, no global figure state)
to SVG or PNG. Output is deterministic for the same evidence: no dates in the metadata, fixed SVG ids.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

from skinevidence.answers.evidence_map import (
    MapData,
    PyramidData,
    map_data,
    pyramid_data,
)
from skinevidence.errors import InputError, SkinEvidenceError
from skinevidence.evidence.catalog import Catalog
from skinevidence.grading.statements import Certainty
from skinevidence.paths import atomic_output

#: Colour per certainty: an ordinal, colour-blind-safe blue scale for human evidence, orange for cell/animal work
#: only. Colour is never the only cue: the legend, the alt text and the table say the same in words.
COLOURS = {
    Certainty.HIGH: "#08306b", Certainty.MODERATE: "#2171b5", Certainty.LOW: "#6baed6",
    Certainty.VERY_LOW: "#c6dbef", Certainty.PRECLINICAL_ONLY: "#e6550d", Certainty.NO_EVIDENCE: "#bdbdbd",
}
FORMATS = {".svg": "svg", ".png": "png"}
MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
_LOCK = threading.Lock()  # matplotlib's rc settings and font cache are process-wide


# --- drawing ------------------------------------------------------------------------------------------------------

def _figure(width: float, height: float):
    from matplotlib.figure import Figure
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _save(fig, fmt: str) -> bytes:
    import matplotlib
    buffer = io.BytesIO()
    metadata = {"Date": None, "Creator": "skinevidence"} if fmt == "svg" else {"Software": "skinevidence"}
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "skinevidence", "svg.id": "plot"}):
        fig.savefig(buffer, format=fmt, metadata=metadata, dpi=150 if fmt == "png" else 100)
    return buffer.getvalue()


def _style():
    import matplotlib
    return matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 9, "axes.edgecolor": "#555555",
                                  "axes.labelcolor": "#1b1b1b", "xtick.color": "#1b1b1b", "ytick.color": "#1b1b1b",
                                  "text.color": "#1b1b1b"})


def _short(name: str) -> str:
    """Axis labels drop a name's parenthesis: 'Collagen and elastin (tissue or laboratory measure)' -> 'Collagen and
    elastin' (tables beside the plot keep the full names)."""
    return name.split(" (")[0]


def _marker_size(participants: int) -> float:
    """Circle area in points²: grows with the square root of participants, so 10,000 does not swamp 40."""
    return 18 + 9 * min(participants, 20000) ** 0.5


def draw_map(data: MapData, fmt: str = "svg", link=None) -> bytes:
    """The evidence map. ``link(intervention_id) -> url`` makes each circle a link in SVG."""
    from matplotlib.lines import Line2D

    columns, rows = max(len(data.outcomes), 1), max(len(data.interventions), 1)
    row_labels = [_short(name) for _, name in data.interventions]
    column_labels = [_short(name) for _, name in data.outcomes]
    longest_row = max((len(name) for name in row_labels), default=10)
    longest_column = max((len(name) for name in column_labels), default=10)
    width = max(min(1.0 + 0.075 * longest_row + 0.42 * columns, 20), 7.5)
    height = min(1.6 + 0.06 * longest_column + 0.30 * rows, 24)
    with _LOCK, _style():
        fig = _figure(width, height)
        ax = fig.add_subplot()
        x_of = {o: n for n, (o, _) in enumerate(data.outcomes)}
        y_of = {i: n for n, (i, _) in enumerate(data.interventions)}
        if data.highlight in x_of:
            ax.axvspan(x_of[data.highlight] - 0.5, x_of[data.highlight] + 0.5, color="#fff3c4", zorder=0)
        for level in Certainty:
            cells = [c for c in data.cells if c.certainty is level and c.intervention in y_of and c.outcome in x_of]
            if not cells:
                continue
            human = level.is_human
            points = ax.scatter(
                [x_of[c.outcome] for c in cells], [y_of[c.intervention] for c in cells],
                s=[_marker_size(c.participants) if human else 40 for c in cells],
                c=COLOURS[level] if human else "white", edgecolors=COLOURS[level] if not human else "#08306b",
                linewidths=1.6 if not human else 0.6, marker="o" if human else "D", zorder=3)
            if link is not None:
                points.set_urls([link(c.intervention) for c in cells])
        ax.set_xticks(range(len(data.outcomes)), column_labels, rotation=55, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(len(data.interventions)), row_labels)
        ax.set_xlim(-0.6, columns - 0.4)
        ax.set_ylim(rows - 0.5, -0.5)
        ax.set_axisbelow(True)
        ax.grid(True, color="#e5e5e5", linewidth=0.6)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        handles = [Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor=COLOURS[c],
                          markeredgecolor="#08306b", label=c.value)
                   for c in (Certainty.HIGH, Certainty.MODERATE, Certainty.LOW, Certainty.VERY_LOW)]
        handles.append(Line2D([], [], marker="D", linestyle="", markersize=6, markerfacecolor="white",
                              markeredgecolor=COLOURS[Certainty.PRECLINICAL_ONLY], markeredgewidth=1.6,
                              label="cells/animals only"))
        handles += [Line2D([], [], marker="o", linestyle="", color="#9e9e9e",
                           markersize=_marker_size(n) ** 0.5, label=f"{n:,} people") for n in (20, 500, 5000)]
        order = [0, 4, 1, 5, 2, 6, 3, 7]  # legends fill column by column: certainty on row 1, the rest on row 2
        fig.legend(handles=[handles[n] for n in order], loc="outside upper center", ncols=4, frameon=False,
                   fontsize=8, labelspacing=1.4, columnspacing=2.0, handletextpad=1.0, borderpad=0.8,
                   title="Certainty of the evidence (colour) and participants (size)", title_fontsize=9)
        return _save(fig, fmt)


def draw_pyramid(data: PyramidData, fmt: str = "svg") -> bytes:
    """Horizontal bars centred on one axis, strongest design on top: the shape of the evidence at a glance."""
    labels = [label for label, _, _ in data.levels]
    counts = [n for _, n, _ in data.levels]
    widest = max(counts + [1])
    with _LOCK, _style():
        fig = _figure(7.2, 0.34 * len(labels) + 1.3)
        ax = fig.add_subplot()
        colours = ["#2171b5" if human else COLOURS[Certainty.PRECLINICAL_ONLY] for _, _, human in data.levels]
        ax.barh(range(len(labels)), counts, left=[-n / 2 for n in counts], color=colours, height=0.72)
        for y, n in enumerate(counts):
            ax.text(n / 2 + widest * 0.02, y, str(n), va="center", ha="left", fontsize=9,
                    color="#1b1b1b" if n else "#767676")
        ax.set_yticks(range(len(labels)), labels)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.set_xlim(-widest / 2 - widest * 0.05, widest / 2 + widest * 0.18)
        ax.set_xticks([])
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        note = f" ({data.registered} registered trial{'s' if data.registered != 1 else ''} without results)" \
            if data.registered else ""
        fig.suptitle(f"{data.name}\npublished studies by design{note}", x=0.01, ha="left", fontsize=10)
        return _save(fig, fmt)


def render_plot(catalog: Catalog, kind: str, intervention: str | None, fmt: str, link=None) -> bytes:
    """``map`` or ``pyramid`` as SVG or PNG bytes."""
    if fmt not in MEDIA_TYPES:
        raise InputError(f"unknown plot format {fmt!r}: use svg or png")
    if kind == "map":
        return draw_map(map_data(catalog), fmt, link=link)
    if kind == "pyramid":
        if not intervention:
            raise InputError("a design pyramid is drawn for one intervention: name it, e.g. 'plot pyramid exosomes'")
        return draw_pyramid(pyramid_data(catalog, catalog.resolve_intervention(intervention)), fmt)
    raise InputError(f"unknown plot {kind!r}: use map or pyramid")


def write_plot(catalog: Catalog, kind: str, intervention: str | None, out: Path) -> Path:
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise InputError(f"{out}: the file name must end in .svg or .png")
    data = render_plot(catalog, kind, intervention, fmt)
    try:
        with atomic_output(out, binary=True) as handle:
            handle.write(data)
    except OSError as exc:
        raise SkinEvidenceError(f"cannot write {out}: {exc.strerror}") from None
    return out
