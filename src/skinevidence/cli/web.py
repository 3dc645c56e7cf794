"""Commands that serve or draw: serve, plot."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from skinevidence.cli.app import app, examples, open_database, options


@app.command(epilog=examples("skinevidence serve", "skinevidence serve --host 0.0.0.0 --port 8080",
                             "skinevidence serve --review"))
def serve(host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
          review: Annotated[bool, typer.Option(
              "--review", help="Also serve the review pages (/review), which write evidence files: loopback only.")]
          = False,
          queue: Annotated[Path | None, typer.Option(
              help="The review queue file (default: beside the database cache).", envvar="SKINEVIDENCE_QUEUE")]
          = None) -> None:
    """Serve the web app and the JSON API (/api/v1, /openapi.json) until interrupted."""
    from skinevidence.web import serve as run
    settings = None
    if review:
        from skinevidence.evidence.files import bundled_evidence_dir
        from skinevidence.ingest.commands import queue_path
        from skinevidence.web.review import ReviewSettings
        evidence = options["evidence"] or bundled_evidence_dir()
        settings = ReviewSettings(queue_path(queue, options["evidence"], options["db"]), evidence, options["db"])
    run(open_database(), host=host, port=port, review=settings)


@app.command(epilog=examples("skinevidence plot map --out map.svg", "skinevidence plot pyramid exosomes --out p.png"))
def plot(kind: Annotated[str, typer.Argument(help="map (interventions x outcomes) or pyramid (studies by design).")],
         out: Annotated[Path, typer.Option("--out", "-o", help="The file to write: FILE.svg or FILE.png.")],
         intervention: Annotated[str | None, typer.Argument(help="The intervention, for a pyramid.")] = None) -> None:
    """Draw the evidence map or an intervention's design pyramid as SVG or PNG."""
    from skinevidence.render.plots import write_plot
    print(write_plot(open_database().catalog(), kind, intervention, out))
