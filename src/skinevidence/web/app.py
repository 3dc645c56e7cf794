"""The app factory: ``create_app(database)`` builds the whole web app around one evidence base.

Routes live in ``api.py`` (JSON under ``/api/v1``) and ``pages.py`` (HTML); both are thin: read the request, call
one library function, render. What depends only on the evidence base is rendered once per database fingerprint
(``cache.py``); answers to posted text (check) are computed per request.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from typing import Callable

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from skinevidence import __version__
from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.database import Database
from skinevidence.web import errors
from skinevidence.web.cache import RenderCache, Rendered
from skinevidence.web.security import MAX_BODY_BYTES, SecurityMiddleware

DESCRIPTION = """What the science really says about a skincare ingredient, treatment or claim: graded, cited.

The JSON answers are the library's own answer objects (docs/json.md). Errors are
`{"error": {"code", "message", "suggestions"}}`; request bodies are limited to 1 MiB."""


@dataclass
class WebState:
    """What every route needs: the evidence base, its catalog and the rendered-answer cache."""

    database: Database
    catalog: Catalog
    cache: RenderCache
    fingerprint: str


def state(request: Request) -> WebState:
    return request.app.state.web


async def cached(request: Request, key: tuple, render: Callable[[], tuple[bytes, str]]) -> Response:
    """The cached answer for ``key``, rendered in a worker thread on a miss; 304 when the client has it."""
    web = state(request)
    found = web.cache.get(key)
    if found is None:
        body, media_type = await run_in_threadpool(render)
        found = web.cache.put(key, body, media_type)
    return send(request, found)


def send(request: Request, rendered: Rendered) -> Response:
    headers = {"etag": rendered.etag, "cache-control": "no-cache"}
    if request.headers.get("if-none-match") == rendered.etag:
        return Response(status_code=304, headers=headers)
    return Response(rendered.body, status_code=rendered.status, media_type=rendered.media_type, headers=headers)


def _static(name: str) -> bytes:
    return importlib.resources.files("skinevidence.web").joinpath("static", name).read_bytes()


def create_app(database: Database | None = None, *, cache_size: int = 1024) -> FastAPI:
    """The web app over ``database`` (default: the embedded base, built on first use)."""
    database = database or Database.open()
    catalog = database.catalog()
    fingerprint = database.fingerprint
    app = FastAPI(title="skinevidence", version=__version__, description=DESCRIPTION,
                  openapi_url="/openapi.json", docs_url=None, redoc_url=None)  # their pages load from a CDN
    app.state.web = WebState(database=database, catalog=catalog, cache=RenderCache(fingerprint, cache_size),
                             fingerprint=fingerprint)
    app.add_middleware(SecurityMiddleware, max_body=MAX_BODY_BYTES)
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

    from skinevidence.web import api, pages
    app.include_router(api.router)
    app.include_router(pages.router)
    return app
