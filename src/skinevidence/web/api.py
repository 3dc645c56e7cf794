"""The JSON API under ``/api/v1``: one route per library function, answering the library's own answer objects
(the contract in docs/json.md). Everything but ``check`` depends only on the evidence base and is cached."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from skinevidence.answers.ask import MAX_QUESTION_CHARS, Answer, ask
from skinevidence.answers.compare import Comparison, compare
from skinevidence.answers.listing import (
    InterventionSummary,
    StudyView,
    list_interventions,
    show_study,
)
from skinevidence.answers.report import Report, build_report
from skinevidence.answers.search import MAX_QUERY_CHARS, SearchResult, search
from skinevidence.claims.audit import AuditReport, audit_text
from skinevidence.claims.check import ClaimCheck, check_text
from skinevidence.claims.product import ProductReport, check_product
from skinevidence.evidence.models import Outcome
from skinevidence.render import render, to_json
from skinevidence.web.errors import API_ERRORS
from skinevidence.web.inputs import MAX_TEXT_BYTES
from skinevidence.web.state import cached, state

router = APIRouter(prefix="/api/v1", tags=["evidence"], responses=API_ERRORS)
JSON = "application/json"
NonBlank = r"\S"
Name = Annotated[str, Path(min_length=1, max_length=200, description="An id, name, alias or INCI name")]


class CheckRequest(BaseModel):
    """A text to check: marketing copy, a label or an article."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_TEXT_BYTES, pattern=NonBlank,
                      description="The text, at most 1 MiB in UTF-8 with the JSON around it")
    jurisdictions: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]] | None = Field(
        default=None, max_length=10, description="Keep regulatory flags for these jurisdictions only (US, EU, ...)")


def _json(model) -> tuple[bytes, str]:
    return (model.model_dump_json() if not isinstance(model, list) else to_json(model)).encode(), JSON


MAX_PAGE = 500
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="How many items to return (1-500)", examples=[100])]
Offset = Annotated[int, Query(ge=0, description="How many items to skip", examples=[0])]


async def _page(request: Request, key: tuple, items: Callable[[], list], offset: int, limit: int) -> Response:
    """One page of a list: the body stays a JSON array of the items; ``X-Total-Count`` gives the whole list's
    length and ``Link`` the next and previous pages (RFC 8288)."""
    everything = state(request).cache.get_value(key, items)
    chosen = everything[offset:offset + limit]
    response = await cached(request, (*key, offset, limit), lambda: _json(chosen))
    links = []
    if offset + limit < len(everything):
        links.append(f'<{request.url.path}?offset={offset + limit}&limit={limit}>; rel="next"')
    if offset > 0:
        links.append(f'<{request.url.path}?offset={max(0, offset - limit)}&limit={limit}>; rel="prev"')
    response.headers["x-total-count"] = str(len(everything))
    if links:
        response.headers["link"] = ", ".join(links)
    return response


@router.get("/interventions", summary="Every intervention with its strongest grade (paginated)",
            responses={200: {"model": list[InterventionSummary]}})
async def interventions(request: Request, offset: Offset = 0, limit: Limit = 100) -> Response:
    catalog = state(request).catalog
    return await _page(request, ("api", "interventions"), lambda: list_interventions(catalog), offset, limit)


@router.get("/outcomes", summary="Every outcome in the vocabulary (paginated)",
            responses={200: {"model": list[Outcome]}})
async def outcomes(request: Request, offset: Offset = 0, limit: Limit = 100) -> Response:
    catalog = state(request).catalog
    return await _page(request, ("api", "outcomes"), lambda: list(catalog.outcomes.values()), offset, limit)


@router.get("/search", summary="Find an intervention by name, alias, INCI name or a near miss",
            responses={200: {"model": SearchResult}})
async def search_names(request: Request, q: Annotated[str, Query(
        min_length=1, max_length=MAX_QUERY_CHARS, pattern=NonBlank, description="What to look for")]) -> Response:
    catalog = state(request).catalog
    return await cached(request, ("api", "search", q), lambda: _json(search(catalog, q)))


DOWNLOADS = {"csv": ("csv", "text/csv; charset=utf-8"), "bib": ("bibtex", "application/x-bibtex; charset=utf-8"),
             "ris": ("ris", "application/x-research-info-systems; charset=utf-8"),
             "md": ("md", "text/markdown; charset=utf-8")}
Download = Annotated[str, Path(pattern="^(csv|bib|ris|md)$", description="csv (the graded cells), bib (BibTeX), "
                                                                         "ris (RIS) or md (the full report)")]


def _download(answer, extension: str, filename: str) -> tuple[bytes, str]:
    fmt, media_type = DOWNLOADS[extension]
    return render(answer, fmt, detail="full").encode("utf-8"), media_type


@router.get("/report/{intervention}.{extension}", summary="The report as a file: its graded cells as CSV, its "
            "references as BibTeX or RIS, or the full report as Markdown",
            responses={200: {"content": {"text/csv": {}, "application/x-bibtex": {},
                                         "application/x-research-info-systems": {}, "text/markdown": {}}}})
async def report_file(request: Request, intervention: Name, extension: Download) -> Response:
    catalog = state(request).catalog
    key = catalog.resolve_intervention(intervention)
    response = await cached(request, ("api", "report-file", key, extension),
                            lambda: _download(build_report(catalog, key), extension, key))
    response.headers["content-disposition"] = f'attachment; filename="{key}.{extension}"'
    return response


@router.get("/report/{intervention}", summary="The graded, cited evidence report for one intervention",
            responses={200: {"model": Report}})
async def report(request: Request, intervention: Name) -> Response:
    catalog = state(request).catalog
    key = catalog.resolve_intervention(intervention)
    return await cached(request, ("api", "report", key), lambda: _json(build_report(catalog, key)))


@router.get("/compare", summary="Several interventions side by side", responses={200: {"model": Comparison}})
async def compare_interventions(
        request: Request,
        i: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Query(
            min_length=2, max_length=12, description="Two to twelve interventions (repeat the parameter)")],
        outcome: Annotated[str | None, Query(max_length=200, description="Compare on this outcome only")] = None,
) -> Response:
    catalog = state(request).catalog
    names, wanted = tuple(i), outcome or None
    return await cached(request, ("api", "compare", names, wanted),
                        lambda: _json(compare(catalog, list(names), wanted)))


@router.get("/ask", summary="Answer a plain question from the graded evidence", responses={200: {"model": Answer}})
async def ask_question(request: Request, q: Annotated[str, Query(
        min_length=1, max_length=MAX_QUESTION_CHARS, pattern=NonBlank,
        description="e.g. does retinol help wrinkles?")]) -> Response:
    catalog = state(request).catalog
    return await cached(request, ("api", "ask", q), lambda: _json(ask(catalog, q)))


@router.get("/study/{study:path}", summary="One study as coded, by id, DOI or PMID",
            responses={200: {"model": StudyView}})
async def study(request: Request, study: Annotated[str, Path(min_length=1, max_length=300)]) -> Response:
    catalog = state(request).catalog
    found = catalog.resolve_study(study)
    return await cached(request, ("api", "study", found.id), lambda: _json(show_study(catalog, found.id)))


@router.post("/check", summary="Find and judge the claims in a text", responses={200: {"model": ClaimCheck}})
def check(request: Request, body: CheckRequest) -> Response:
    """Each claim with its character span (``start``/``end``), verdict, reasons and regulatory flags."""
    jurisdictions = {j.upper() for j in body.jurisdictions} if body.jurisdictions else None
    answer = check_text(state(request).catalog, body.text, source="api", jurisdictions=jurisdictions)
    return Response(answer.model_dump_json(), media_type=JSON)


# --- article audits and product checks ------------------------------------------------------------------------

class AuditRequest(BaseModel):
    """An article to audit: plain text, Markdown or HTML (HTML is reduced to its text; its links are kept)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_TEXT_BYTES, pattern=NonBlank)
    title: str | None = Field(default=None, max_length=500)


class ProductRequest(BaseModel):
    """A product: its name, its claims (marketing text) and its ingredient (INCI) list; at least one of them."""

    name: str = Field(default="", max_length=500)
    claims: str = Field(default="", max_length=MAX_TEXT_BYTES)
    inci: str | list[Annotated[str, Field(max_length=500)]] = Field(
        default="", description="Comma-separated text or a list of names")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"anyOf": [
        {"required": ["name"], "properties": {"name": {"pattern": NonBlank}}},
        {"required": ["claims"], "properties": {"claims": {"pattern": NonBlank}}},
        {"required": ["inci"], "properties": {"inci": {"minLength": 1, "minItems": 1}}}]})

    @model_validator(mode="after")
    def _something_given(self) -> ProductRequest:
        if not (self.name.strip() or self.claims.strip() or self.inci):
            raise ValueError("give the product's name, its claims or its ingredient list")
        return self


@router.post("/audit", summary="Audit an article: claims, DISCERN, JAMA, spin, citations",
             responses={200: {"model": AuditReport}})
def audit(request: Request, body: AuditRequest) -> Response:
    answer = audit_text(state(request).catalog, body.text, source="api", title=body.title)
    return Response(answer.model_dump_json(), media_type=JSON)


@router.post("/product", summary="Check a product: its ingredients' evidence, its claims, what it discloses",
             responses={200: {"model": ProductReport}})
def product(request: Request, body: ProductRequest) -> Response:
    answer = check_product(state(request).catalog, body.name, body.claims, body.inci)
    return Response(answer.model_dump_json(), media_type=JSON)
