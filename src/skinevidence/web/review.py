"""The review pages: the queue (relevant records first), one record with every derived value and its reason,
accepting (with what the record lacks supplied in the form), rejecting, and setting a finding's direction and
effect. They write evidence files, so they exist only when ``skinevidence serve --review`` asks for them, only on
a loopback address, and answer 403 to any other client. Each action calls one library function of
:mod:`skinevidence.ingest`; the evidence base is reopened after a change, so reports and grades follow at once.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from skinevidence.errors import InputError, NotFound, SkinEvidenceError
from skinevidence.evidence.database import Database
from skinevidence.evidence.models import Design, Direction, Population
from skinevidence.ingest.accept import Curation, RecordRefused
from skinevidence.ingest.edit import edit_finding
from skinevidence.ingest.review import accept_record, list_queue, reject_record, show_record
from skinevidence.web.cache import RenderCache
from skinevidence.web.state import state
from skinevidence.web.templating import render

router = APIRouter(prefix="/review", include_in_schema=False)
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class ReviewSettings:
    """Where the review pages read and write: the queue file, the evidence folder, the database cache."""

    queue: Path
    evidence: Path
    db: Path | None = None


def is_loopback(host: str | None) -> bool:
    try:
        return host is not None and (host == "localhost" or ipaddress.ip_address(host).is_loopback)
    except ValueError:
        return False


def _settings(request: Request) -> ReviewSettings:
    if not is_loopback(request.client.host if request.client else None):
        raise HTTPException(403, "the review pages answer this computer only")
    return request.app.state.review


def _page(template: str, status: int = 200, **context) -> Response:
    return Response(render(template, page="review", **context), status_code=status, media_type=HTML)


def _reopen(request: Request, settings: ReviewSettings) -> None:
    """The evidence files changed: rebuild the database and start a fresh answer cache."""
    web = state(request)
    database = Database.open(settings.db, settings.evidence)
    web.database, web.catalog, web.fingerprint = database, database.catalog(), database.fingerprint
    web.cache = RenderCache(database.fingerprint)


@router.get("")
async def queue_page(request: Request, relevant: bool = False) -> Response:
    settings = _settings(request)
    listing = await run_in_threadpool(list_queue, settings.queue, "queued", relevant)
    return _page("review_list.html.j2", listing=listing, relevant=relevant)


@router.get("/record/{key:path}")
async def record_page(request: Request, key: str, accepted: str | None = None) -> Response:
    settings = _settings(request)
    try:
        record = await run_in_threadpool(show_record, settings.queue, key, state(request).catalog)
    except (NotFound, InputError) as exc:
        return _page("review_record.html.j2", 404, record=None, error=str(exc), problems=[], key=key, **_choices())
    return _page("review_record.html.j2", record=record, error=None, problems=[], key=record.item.key,
                 accepted=accepted, **_choices(state(request).catalog))


def _choices(catalog=None) -> dict:
    return {"designs": [d.value for d in Design], "populations": [p.value for p in Population],
            "directions": [d.value for d in Direction],
            "interventions": sorted(catalog.interventions) if catalog else [],
            "outcomes": sorted(catalog.outcomes) if catalog else []}


@router.post("/record/{key:path}/accept")
async def accept(request: Request, key: str, study_id: Annotated[str, Form(max_length=100)] = "",
                 design: Annotated[str, Form(max_length=40)] = "",
                 population: Annotated[str, Form(max_length=20)] = "",
                 intervention: Annotated[list[str], Form(max_length=20)] = [],  # noqa: B006
                 outcome: Annotated[list[str], Form(max_length=20)] = []) -> Response:  # noqa: B006
    settings = _settings(request)
    try:
        curation = Curation(Design(design) if design else None, Population(population) if population else None,
                            tuple(i for i in intervention if i), tuple(o for o in outcome if o))
        decision = await run_in_threadpool(accept_record, settings.queue, key, settings.evidence,
                                           study_id.strip() or None, None, curation)
    except (RecordRefused, InputError, ValueError, SkinEvidenceError) as exc:
        record = await run_in_threadpool(show_record, settings.queue, key, state(request).catalog)
        problems = [str(p) for p in getattr(exc, "problems", [])]
        message = str(exc).split(":\n")[0] if problems else str(exc)
        return _page("review_record.html.j2", 422, record=record, error=message, problems=problems, key=key,
                     accepted=None, **_choices(state(request).catalog))
    await run_in_threadpool(_reopen, request, settings)
    assert decision.study_id is not None  # an accepted record has its study file
    return RedirectResponse(f"/review/record/{quote(key, safe='')}?accepted={quote(decision.study_id)}", 303)


@router.post("/record/{key:path}/reject")
async def reject(request: Request, key: str) -> Response:
    settings = _settings(request)
    await run_in_threadpool(reject_record, settings.queue, key)
    return RedirectResponse("/review", 303)


@router.post("/study/{study_id}/edit")
async def edit(request: Request, study_id: str, key: Annotated[str, Form(max_length=200)],
               finding: Annotated[int, Form(ge=1, le=1000)] = 1,
               direction: Annotated[str, Form(max_length=20)] = "",
               effect: Annotated[str, Form(max_length=2000)] = "") -> Response:
    settings = _settings(request)
    try:
        await run_in_threadpool(edit_finding, settings.evidence, study_id, finding,
                                Direction(direction) if direction else None, effect.strip() or None)
    except (RecordRefused, InputError, NotFound, ValueError) as exc:
        record = await run_in_threadpool(show_record, settings.queue, key, state(request).catalog)
        return _page("review_record.html.j2", 422, record=record, error=str(exc), problems=[], key=key,
                     accepted=study_id, **_choices(state(request).catalog))
    await run_in_threadpool(_reopen, request, settings)
    return RedirectResponse(f"/review/record/{quote(key, safe='')}?accepted={quote(study_id)}", 303)
