"""The screen command: a catalogue of product listings judged claim by claim, on every core or on Spark."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from skinevidence.cli.app import app, examples, options


class RowFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"
    PARQUET = "parquet"


class Engine(StrEnum):
    PLAIN = "plain"
    SPARK = "spark"


def _column(field: str) -> str | None:
    return typer.Option(f"--{field}-column", help=f"The input column holding the listing's {field}.")


@app.command(epilog=examples("skinevidence screen catalogue.csv -o rows.jsonl",
                             "skinevidence screen catalogue.parquet -o rows.parquet",
                             "skinevidence screen en.openbeautyfacts.org.products.csv --columns openbeautyfacts -o obf.csv",
                             "skinevidence screen feed.jsonl --id-column sku -j US",
                             "skinevidence screen big.parquet --engine spark -o rows/"))
def screen(
    listings: Annotated[Path, typer.Argument(help="The catalogue: CSV/TSV, JSON Lines or Parquet.")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the rows here (resumable); default: standard output.")] = None,
    format: Annotated[RowFormat | None, typer.Option(
        "--format", "-f", help="Output format: jsonl, csv or parquet (default: from -o's suffix, else jsonl).")] = None,
    input_format: Annotated[RowFormat | None, typer.Option(
        "--input-format", help="Input format (default: from the file's suffix).")] = None,
    columns: Annotated[str, typer.Option(
        "--columns", help="Column names: 'default' (id, title, description, bullets, ingredients, brand, country) "
                          "or 'openbeautyfacts' (the Open Beauty Facts CSV export).")] = "default",
    id_column: Annotated[str | None, _column("id")] = None,
    title_column: Annotated[str | None, _column("title")] = None,
    description_column: Annotated[str | None, _column("description")] = None,
    bullets_column: Annotated[str | None, _column("bullets")] = None,
    ingredients_column: Annotated[str | None, _column("ingredients")] = None,
    brand_column: Annotated[str | None, _column("brand")] = None,
    country_column: Annotated[str | None, _column("country")] = None,
    delimiter: Annotated[str | None, typer.Option(
        help="CSV delimiter (default: read from the header line; tab for openbeautyfacts).")] = None,
    jurisdiction: Annotated[list[str] | None, typer.Option(
        "--jurisdiction", "-j", help="Only flags for these jurisdictions (default: where each listing is sold, "
                                     "else all).")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: one per core).", min=1)] = None,
    restart: Annotated[bool, typer.Option("--restart", help="Start again instead of resuming.")] = False,
    engine: Annotated[Engine, typer.Option(help="plain (this machine) or spark (Apache Spark).")] = Engine.PLAIN,
    master: Annotated[str | None, typer.Option(
        help="Spark master URL (default: local[*], every core of this machine).")] = None,
) -> None:
    """Screen a catalogue of product listings: each listing's claims judged against the evidence and the law, one
    row per listing, with a summary at the end. Resumes where an interrupted run stopped."""
    from skinevidence.claims.listings import PRESET_DELIMITERS, Columns
    from skinevidence.claims.screen import Settings, screen_file
    fields = {"id": id_column, "title": title_column, "description": description_column, "bullets": bullets_column,
              "ingredients": ingredients_column, "brand": brand_column, "country": country_column}
    chosen = Columns.build(columns, **fields)
    row_format = format or (RowFormat(output.suffix.lstrip(".")) if output is not None and output.suffix.lstrip(".")
                            in {f.value for f in RowFormat} else RowFormat.JSONL)
    settings = Settings(
        columns=chosen.names, input_format=input_format.value if input_format else None,
        output_format=row_format.value, delimiter=delimiter or PRESET_DELIMITERS.get(columns),
        jurisdictions=sorted({j.upper() for j in jurisdiction}) if jurisdiction else None,
        explicit=sorted(f for f, v in fields.items() if v is not None))
    if engine is Engine.SPARK:
        from skinevidence.spark.screen import screen_spark
        summary = screen_spark(listings, output, settings, master=master, db=options["db"],
                               evidence=options["evidence"])
    else:
        with _progress() as progress:
            try:
                summary = screen_file(listings, output, settings, workers=workers, db=options["db"],
                                      evidence=options["evidence"], restart=restart, progress=progress)
            except KeyboardInterrupt:
                if output is not None:
                    print(f"skinevidence: interrupted; run the same command again to resume "
                          f"(progress in {output}.screen-state.json)", file=sys.stderr)
                raise
    for line in summary.lines():
        print(line, file=sys.stderr)


class _progress:
    """A rich progress bar on the terminal (listings, listings/s, time left); nothing when stderr is not one."""

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
        self._bar = Progress(TextColumn("screening"), BarColumn(), TextColumn("{task.fields[listings]:,} listings"),
                             TextColumn("{task.fields[rate]:,.0f} listings/s"), TimeRemainingColumn(),
                             console=Console(stderr=True), transient=True)
        self._bar.start()
        self._task = self._bar.add_task("screen", total=1000, listings=0, rate=0.0)
        import time
        self._clock = time.perf_counter
        self._started = self._clock()
        self._first: int | None = None
        return self.update

    def update(self, listings: int, fraction: float | None) -> None:
        if self._first is None:  # the rate counts from the first chunk done, not from loading the evidence
            self._first, self._started = listings, self._clock()
        elapsed = self._clock() - self._started
        self._bar.update(self._task, completed=int((fraction or 0) * 1000), listings=listings,
                         rate=(listings - self._first) / elapsed if elapsed else 0.0)

    def __exit__(self, *exc) -> None:
        if hasattr(self, "_bar"):
            self._bar.stop()
