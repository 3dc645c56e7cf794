"""What every route reads: the app's state (the evidence base, its catalog, the rendered-answer cache) and the
cached response helpers. Routes (``api``, ``pages``) and the app factory (``app``) import this module, never
each other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from skinevidence.evidence.catalog import Catalog
from skinevidence.evidence.database import Database
from skinevidence.web.cache import RenderCache, Rendered
from skinevidence.web.replay import MARK
from skinevidence.web.results import ResultStore


@dataclass
class WebState:
    """What every route needs: the evidence base, its catalog and the rendered-answer cache."""

    database: Database
    catalog: Catalog
    cache: RenderCache
    fingerprint: str
    results: ResultStore


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
    """The rendered body, gzipped when the client accepts it (each encoding with its own ETag), or 304. A rendered
    answer depends on nothing but the address and the evidence base, so the request is marked with the ETag sent:
    the same GET is then given again without routing (``replay.py``)."""
    gzipped = rendered.gzipped is not None and "gzip" in request.headers.get("accept-encoding", "")
    etag = rendered.etag[:-1] + '-gzip"' if gzipped else rendered.etag
    request.scope.setdefault("state", {})[MARK] = etag.encode()
    headers = {"etag": etag, "cache-control": "no-cache", "vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    if gzipped:
        headers["content-encoding"] = "gzip"
        return Response(rendered.gzipped, status_code=rendered.status, media_type=rendered.media_type,
                        headers=headers)
    return Response(rendered.body, status_code=rendered.status, media_type=rendered.media_type, headers=headers)
