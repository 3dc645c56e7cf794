"""The web app and the JSON API: server-rendered pages, SVG plots and ``/api/v1``, on one evidence base.

``create_app(database)`` builds the FastAPI app (tests, ``skinevidence serve`` and embedders all construct it the
same way); ``serve`` hands it to uvicorn. FastAPI and uvicorn are imported only when one of these is called, so
``import skinevidence`` stays light and a missing dependency ends in an install hint, never a traceback. How it
works: ``docs/web.md``.

Layer 6: may import every layer below; routes are thin shells over the library. Never ``cli``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from skinevidence.errors import SkinEvidenceError

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from fastapi import FastAPI

    from skinevidence.evidence.database import Database

INSTALL_HINT = "python3 -m pip install 'skinevidence[web]'"


def _missing(exc: ImportError) -> SkinEvidenceError:
    return SkinEvidenceError(f"the web app and plots need {exc.name or 'a package that is not installed'}: "
                             f"{INSTALL_HINT}")


def create_app(database: Database | None = None, *, results_dir: Path | None = None, review=None) -> FastAPI:
    """The FastAPI app over ``database`` (the embedded base, ``Database.open()``, when None); posted results are
    kept for their permalinks in ``results_dir`` (default: ``results/`` beside the database file); ``review`` (a
    ``skinevidence.web.review.ReviewSettings``) adds the review pages."""
    try:
        from skinevidence.web.app import create_app as build
    except ImportError as exc:
        raise _missing(exc) from None
    return build(database, results_dir=results_dir, review=review)


def serve(database: Database | None = None, host: str = "127.0.0.1", port: int = 8000, review=None) -> None:
    """Run the app with uvicorn until interrupted. The review pages (``review``) are served on a loopback
    address only: they write evidence files."""
    try:
        import uvicorn
    except ImportError as exc:
        raise _missing(exc) from None
    if review is not None:
        from skinevidence.web.review import is_loopback
        if not is_loopback(host):
            raise SkinEvidenceError(f"--review writes evidence files: serve it on 127.0.0.1 only, not {host}")
    app = create_app(database, review=review)
    uvicorn.run(app, host=host, port=port, server_header=False, proxy_headers=False, log_level="info")


__all__ = ["INSTALL_HINT", "create_app", "serve"]
