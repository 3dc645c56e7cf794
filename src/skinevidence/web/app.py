"""The app factory: ``create_app(database)`` builds the whole web app around one evidence base.

Routes live in ``api.py`` (JSON under ``/api/v1``) and ``pages.py`` (HTML); both are thin: read the request, call
one library function, render. What depends only on the evidence base is rendered once per database fingerprint
(``cache.py``); answers to posted text (check) are computed per request.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from skinevidence import __version__
from skinevidence.evidence.database import Database
from skinevidence.web import api, errors, pages
from skinevidence.web import review as review_pages
from skinevidence.web.cache import RenderCache
from skinevidence.web.head import HeadAsGet
from skinevidence.web.openapi import documented_openapi
from skinevidence.web.replay import ReplayAnswers, ReplayCache
from skinevidence.web.results import ResultStore
from skinevidence.web.review import ReviewSettings
from skinevidence.web.security import MAX_BODY_BYTES, SecurityMiddleware
from skinevidence.web.state import WebState, send

DESCRIPTION = """What the science really says about a skincare ingredient, treatment or claim: graded, cited.

The JSON answers are the library's own answer objects (docs/json.md). Errors are
`{"error": {"code", "message", "suggestions"}}`; request bodies are limited to 1 MiB."""


def _static(name: str) -> bytes:
    return importlib.resources.files("skinevidence.web").joinpath("static", name).read_bytes()


def create_app(database: Database | None = None, *, cache_size: int = 1024,
               results_dir: Path | None = None, review: ReviewSettings | None = None) -> FastAPI:
    """The web app over ``database`` (default: the embedded base, built on first use). Posted checks, audits and
    product checks are kept for their permalinks in ``results_dir`` (default: ``results/`` beside the database).
    With ``review``, the review pages too (local use only: they write evidence files)."""
    database = database or Database.open()
    catalog = database.catalog()
    fingerprint = database.fingerprint
    if results_dir is None:
        results_dir = Path(database.connection.execute("PRAGMA database_list").fetchone()[2]).parent / "results"
    app = FastAPI(title="skinevidence", version=__version__, description=DESCRIPTION,
                  openapi_url="/openapi.json", docs_url=None, redoc_url=None)  # their pages load from a CDN
    app.state.web = WebState(database=database, catalog=catalog, cache=RenderCache(fingerprint, cache_size),
                             fingerprint=fingerprint, results=ResultStore(results_dir))
    app.add_middleware(ReplayAnswers, cache=ReplayCache(2 * cache_size))  # innermost: the others wrap replays too
    app.add_middleware(SecurityMiddleware, max_body=MAX_BODY_BYTES)
    app.add_middleware(HeadAsGet)
    errors.install(app)

    static = RenderCache(fingerprint)
    files = {"site.css": static.put(("site.css",), _static("site.css"), "text/css; charset=utf-8"),
             "favicon.svg": static.put(("favicon.svg",), _static("favicon.svg"), "image/svg+xml")}

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> Response:
        """Liveness, and the benchmark's baseline: the cheapest answer the server can give."""
        return Response(b'{"status":"ok"}', media_type="application/json")

    @app.get("/static/{name}", include_in_schema=False)
    async def static_file(request: Request, name: str) -> Response:
        """The stylesheet and the icon, from the package (never a path from the request)."""
        if name not in files:
            raise StarletteHTTPException(404)
        return send(request, files[name])

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.get("/robots.txt", include_in_schema=False)
    async def robots() -> Response:
        return Response(b"User-agent: *\nDisallow: /api/\n", media_type="text/plain")

    app.include_router(api.router)
    app.include_router(pages.router)
    if review is not None:
        app.state.review = review
        app.include_router(review_pages.router)
    # replacing the method is FastAPI's documented way to extend the schema (descriptions, examples)
    app.openapi = lambda: documented_openapi(app, catalog)  # type: ignore[method-assign]  # FastAPI's documented way
    return app
