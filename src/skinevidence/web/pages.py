"""The HTML pages: server-rendered, no JavaScript, every user text escaped. Each route reads the request, calls one
library function and renders a template; pages that depend only on the evidence base are cached."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from skinevidence.answers.ask import MAX_QUESTION_CHARS, ask
from skinevidence.answers.compare import compare
from skinevidence.answers.evidence_map import map_data, pyramid_data
from skinevidence.answers.listing import list_interventions, show_study
from skinevidence.answers.report import build_report
from skinevidence.answers.search import MAX_QUERY_CHARS, search
from skinevidence.claims.audit import audit_text
from skinevidence.claims.check import Claim, check_text
from skinevidence.claims.product import check_product
from skinevidence.claims.rules import load_rules
from skinevidence.errors import InputError, NotFound
from skinevidence.evidence.catalog import Catalog, per_catalog
from skinevidence.evidence.jurisdictions import JURISDICTIONS
from skinevidence.evidence.models import Route
from skinevidence.grading.grade import grade_intervention
from skinevidence.grading.strongest import by_strength
from skinevidence.render import render as export
from skinevidence.render import version_line
from skinevidence.render.plots import MEDIA_TYPES, draw_map, draw_pyramid
from skinevidence.web.inputs import MAX_TEXT_BYTES, pasted_text, upload_text
from skinevidence.web.results import DIGEST_PATTERN
from skinevidence.web.state import cached, state
from skinevidence.web.templating import render, render_answer

router = APIRouter(include_in_schema=False)
HTML = "text/html; charset=utf-8"
MAX_COMPARE = 12
KINDS = {"ingredient": "Ingredients", "drug": "Medicines", "procedure": "Procedures", "device": "Devices",
         "behaviour": "Habits"}


def _names(catalog) -> list[str]:
    """Every name the search box knows, for its autocomplete list (an HTML datalist: no script needed)."""
    names = {record.name for record in catalog.interventions.values()}
    names |= {alias for record in catalog.interventions.values() for alias in record.aliases}
    return sorted(names, key=str.casefold)


def _link(intervention: str) -> str:
    return f"/intervention/{intervention}"


# --- home, search, method ------------------------------------------------------------------------------------

@router.get("/")
async def home(request: Request) -> Response:
    catalog = state(request).catalog

    def page():
        summaries = list_interventions(catalog)
        groups = {label: [s for s in summaries if s.kind == kind] for kind, label in KINDS.items()}
        data = map_data(catalog)
        return render("home.html.j2", page="home", groups={k: v for k, v in groups.items() if v},
                      names=_names(catalog), map=data, outcome_names=dict(data.outcomes)), HTML

    return await cached(request, ("page", "home"), page)


@router.get("/search")
async def search_page(request: Request, q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "") -> Response:
    catalog = state(request).catalog
    if not q.strip():
        return RedirectResponse("/", status_code=303)
    result = search(catalog, q)
    if result.match:
        return RedirectResponse(_link(result.match), status_code=303)
    body = render("search.html.j2", page="home", q=q, result=result, names=_names(catalog))
    return Response(body, media_type=HTML)  # "nothing found, did you mean" is an answer, not an error


@router.get("/method")
async def method(request: Request) -> Response:
    return await cached(request, ("page", "method"), lambda: (render("method.html.j2", page="method"), HTML))


# --- an intervention ---------------------------------------------------------------------------------------------

@router.get("/intervention/{name}")
async def intervention(request: Request, name: Annotated[str, Path(max_length=200)],
                       sort: Annotated[str, Query(max_length=20)] = "",
                       route: Annotated[str, Query(max_length=40)] = "",
                       outcome: Annotated[str, Query(max_length=200)] = "",
                       jurisdiction: Annotated[str, Query(max_length=10)] = "") -> Response:
    """An intervention's evidence: the one-screen summary, then a card per outcome x route, sortable by certainty
    and filterable by route and outcome with a plain GET form (no script). Unknown values are ignored, so that the
    cache holds one page per real choice."""
    catalog = state(request).catalog
    key = catalog.resolve_intervention(name)
    if key != name:
        return RedirectResponse(_link(key), status_code=308)
    where = jurisdiction.upper() if jurisdiction.upper() in READER_JURISDICTIONS else "US"
    routes, outcomes = card_choices(catalog, key)
    chosen = (sort if sort in CARD_SORTS else "", route if route in routes else "",
              outcome if outcome in outcomes else "", where)

    def page():
        report = build_report(catalog, key, where)
        inci = [e.name for e in catalog.evidence.inci if e.intervention == key]
        others = [(i.id, i.name) for i in catalog.interventions.values() if i.id != key]
        return render_answer("intervention.html.j2", report, page="home", inci=inci, pyramid=pyramid_data(catalog, key),
                             others=others, outcomes=[(o.id, o.name) for o in catalog.outcomes.values()],
                             compare_with={g.outcome: g.options[0].intervention for g in report.alternatives
                                           if g.options},
                             cards=cards(report, *chosen[:3]), card_sort=chosen[0], card_route=chosen[1],
                             card_outcome=chosen[2], card_routes=[(r, Route(r).label) for r in routes],
                             card_outcomes=[(o, catalog.outcomes[o].name) for o in outcomes],
                             jurisdiction=where,
                             jurisdictions=READER_JURISDICTIONS, version=version_line(report)), HTML

    return await cached(request, ("page", "intervention", key, *chosen), page)


CARD_SORTS = {"certainty": "certainty, strongest first", "participants": "participants, most first",
              "outcome": "outcome, A to Z"}
READER_JURISDICTIONS = [j for j in JURISDICTIONS if j != "INT"]


@per_catalog
def card_choices(catalog: Catalog, intervention: str) -> tuple[list[str], list[str]]:
    """The routes and outcomes an intervention's cards can be filtered by (computed once per evidence base)."""
    human = [g for g in grade_intervention(catalog, intervention) if g.route is not None and g.certainty.is_human]
    return sorted({g.route.value for g in human if g.route is not None}), list(dict.fromkeys(g.outcome for g in human))


def cards(report, sort: str, route: str, outcome: str) -> list:
    """The report's human cells to show as cards: duplicates merged, filtered by route and outcome, sorted."""
    merged = {(d.outcome, d.route) for d in report.duplicates}
    shown = [g for g in report.grades if (g.outcome, g.route) not in merged
             and (not route or (g.route is not None and g.route.value == route)) and (not outcome or g.outcome == outcome)]
    if sort == "certainty":
        return by_strength(shown)
    if sort == "participants":
        return sorted(shown, key=lambda g: -g.participants)
    if sort == "outcome":
        return sorted(shown, key=lambda g: report.names.get(g.outcome, g.outcome))
    return shown


# --- compare -----------------------------------------------------------------------------------------------------

@router.get("/compare")
async def compare_page(request: Request,
                       i: Annotated[list[str], Query(max_length=MAX_COMPARE)] = [],  # noqa: B006 (FastAPI copies it)
                       outcome: Annotated[str, Query(max_length=200)] = "") -> Response:
    catalog = state(request).catalog
    chosen = tuple(dict.fromkeys(n.strip() for n in i if n.strip()))
    wanted = outcome.strip() or None

    def page():
        comparison, message = None, None
        if len(chosen) >= 2:
            comparison = compare(catalog, list(chosen), wanted)
        elif chosen:
            catalog.resolve_intervention(chosen[0])  # an unknown name is a 404 with suggestions here too
            message = "Add at least one more intervention to compare."
        if wanted:
            catalog.resolve_outcome(wanted)
        plot, query = None, ""
        if comparison is not None:
            query = urlencode([("i", r.intervention) for r in comparison.rows] +
                              ([("outcome", comparison.outcome)] if comparison.outcome else []))
            plot = {"src": f"/plots/compare.svg?{query}",
                    "alt": map_data(catalog, [r.intervention for r in comparison.rows], comparison.outcome).alt}
        slots = list(chosen) + [""] * max(2, 4 - len(chosen))
        context: dict[str, Any] = {
            "slots": slots[:MAX_COMPARE], "outcome": wanted or "", "message": message, "plot": plot,
            "names": _names(catalog), "outcomes": [(o.id, o.name) for o in catalog.outcomes.values()],
            "max_compare": MAX_COMPARE, "share": query}
        if comparison is None:
            return render("compare.html.j2", page="compare", a=None, **context), HTML
        return render_answer("compare.html.j2", comparison, page="compare", **context), HTML

    try:
        return await cached(request, ("page", "compare", chosen, wanted), page)
    except NotFound as exc:  # the form again, with what was typed, the problem and "did you mean"
        body = render("compare.html.j2", page="compare", a=None, slots=list(chosen) + [""], outcome=wanted or "",
                      message=None, plot=None, names=_names(catalog), max_compare=MAX_COMPARE, share="",
                      outcomes=[(o.id, o.name) for o in catalog.outcomes.values()],
                      error=str(exc).split(" Did you mean:")[0], suggestions=exc.suggestions)
        return Response(body, status_code=404, media_type=HTML)


# --- check a text ------------------------------------------------------------------------------------------------

def _jurisdictions() -> list[str]:
    return sorted({rule.jurisdiction for rule in load_rules()})


@router.get("/check")
async def check_form(request: Request) -> Response:
    return await cached(request, ("page", "check"), lambda: (render(
        "check.html.j2", page="check", a=None, text="", chosen=[], jurisdictions=_jurisdictions(),
        limit_kib=MAX_TEXT_BYTES // 1024, action="/check", tool="check"), HTML))


def highlight(text: str, claims: list[Claim]) -> list[tuple[str, int | None, Claim | None]]:
    """The text cut into (piece, claim number, claim): claims at their spans, plain text between them."""
    pieces: list[tuple[str, int | None, Claim | None]] = []
    cursor = 0
    for number, claim in sorted(enumerate(claims, start=1), key=lambda pair: pair[1].start):
        start, end = max(claim.start, cursor), min(claim.end, len(text))
        if start >= end:
            continue
        if start > cursor:
            pieces.append((text[cursor:start], None, None))
        pieces.append((text[start:end], number, claim))
        cursor = end
    if cursor < len(text):
        pieces.append((text[cursor:], None, None))
    return pieces


async def _posted_text(text: str, file: UploadFile | None, keep_html: bool = False) -> tuple[str, str]:
    if file is not None and file.filename:
        data = await file.read(MAX_TEXT_BYTES + 1)
        if text.strip():
            raise InputError("paste a text or upload a file, not both")
        return upload_text(file.filename, data, keep_html)
    return pasted_text(text), "pasted text"


@router.post("/check")
async def check_page(request: Request, text: Annotated[str, Form(max_length=MAX_TEXT_BYTES)] = "",
                     file: Annotated[UploadFile | None, File()] = None,
                     jurisdiction: Annotated[list[str], Form(max_length=10)] = []) -> Response:  # noqa: B006
    """Check a pasted or uploaded text: kept under its content hash, answered at its permalink (303)."""
    known = _jurisdictions()
    chosen = [j for j in jurisdiction if j in known]
    try:
        body, source = await _posted_text(text, file)
    except InputError as exc:
        page = render("check.html.j2", page="check", a=None, text=text, chosen=chosen, jurisdictions=known,
                      limit_kib=MAX_TEXT_BYTES // 1024, error=str(exc), action="/check", tool="check")
        return Response(page, status_code=422, media_type=HTML)
    return _saved(request, "check", {"text": body, "source": source, "jurisdictions": chosen})


def _saved(request: Request, tool: str, data: dict) -> Response:
    digest = state(request).results.put(tool, data)
    return RedirectResponse(f"/{tool}/{digest}", status_code=303)


def _check_answer(catalog, data: dict):
    return check_text(catalog, data["text"], data["source"], None, set(data["jurisdictions"]) or None)


def _check_page(answer, data: dict, links: dict) -> bytes:
    return render_answer("check.html.j2", answer, page="check", text=data["text"], chosen=data["jurisdictions"],
                         jurisdictions=_jurisdictions(), limit_kib=MAX_TEXT_BYTES // 1024,
                         pieces=highlight(data["text"], answer.claims), action="/check", tool="check", **links)


def _audit_answer(catalog, data: dict):
    return audit_text(catalog, data["text"], data["source"])


def _audit_page(answer, data: dict, links: dict) -> bytes:
    return render_answer("audit_report.html.j2", answer, page="audit", **links)


def _product_answer(catalog, data: dict):
    return check_product(catalog, data["name"], data["claims"], data["inci"])


def _product_page(answer, data: dict, links: dict) -> bytes:
    return render_answer("product_report.html.j2", answer, page="product", **links)


#: tool -> (compute the answer from the saved input, render its page)
SAVED = {"check": (_check_answer, _check_page), "audit": (_audit_answer, _audit_page),
         "product": (_product_answer, _product_page)}
RESULT_FILES = {"json": ("json", "application/json"), "csv": ("csv", "text/csv; charset=utf-8"),
                "md": ("md", "text/markdown; charset=utf-8")}
Digest = Annotated[str, Path(pattern=DIGEST_PATTERN)]


async def saved_file(request: Request, tool: str, digest: str, extension: str) -> Response:
    """A saved result as a file: JSON, its claims as CSV, or Markdown."""
    web = state(request)
    data = web.results.get(tool, digest)
    fmt, media_type = RESULT_FILES[extension]

    def file() -> tuple[bytes, str]:
        return export(SAVED[tool][0](web.catalog, data), fmt, detail="full").encode("utf-8"), media_type

    response = await cached(request, ("saved-file", tool, digest, extension), file)
    response.headers["content-disposition"] = f'attachment; filename="{tool}-{digest[:12]}.{extension}"'
    return response


async def saved_page(request: Request, tool: str, digest: str) -> Response:
    """A saved result at its permalink, recomputed from the saved input against the evidence base served."""
    web = state(request)
    data = web.results.get(tool, digest)
    compute, page = SAVED[tool]
    links = {"permalink": f"/{tool}/{digest}", "downloads": [(f"/{tool}/{digest}.{ext}", ext.upper())
                                                            for ext in RESULT_FILES]}
    return await cached(request, ("saved", tool, digest),
                        lambda: (page(compute(web.catalog, data), data, links), HTML))


def _permalink_routes(tool: str) -> None:
    @router.get(f"/{tool}/{{digest}}.{{extension}}", name=f"{tool}_file")
    async def file(request: Request, digest: Digest,
                   extension: Annotated[str, Path(pattern="^(json|csv|md)$")]) -> Response:
        return await saved_file(request, tool, digest, extension)

    @router.get(f"/{tool}/{{digest}}", name=f"{tool}_result")
    async def page(request: Request, digest: Digest) -> Response:
        return await saved_page(request, tool, digest)


for _tool in SAVED:
    _permalink_routes(_tool)


# --- an article audit, a product check ----------------------------------------------------------------------

def _form(template: str, page: str, status: int = 200, **context) -> Response:
    body = render(template, page=page, limit_kib=MAX_TEXT_BYTES // 1024, **context)
    return Response(body, status_code=status, media_type=HTML)


@router.get("/audit")
async def audit_form(request: Request) -> Response:
    return _form("audit.html.j2", "audit", text="")


@router.post("/audit")
async def audit_page(request: Request, text: Annotated[str, Form(max_length=MAX_TEXT_BYTES)] = "",
                     file: Annotated[UploadFile | None, File()] = None) -> Response:
    try:  # an HTML upload goes in whole: the audit reads its links and title too
        body, source = await _posted_text(text, file, keep_html=True)
        await run_in_threadpool(audit_text, state(request).catalog, body, source)  # unusable input: 422 here
    except InputError as exc:
        return _form("audit.html.j2", "audit", 422, text=text, error=str(exc))
    return _saved(request, "audit", {"text": body, "source": source})


@router.get("/product")
async def product_form(request: Request) -> Response:
    return _form("product.html.j2", "product", name="", claims="", inci="")


@router.post("/product")
async def product_page(request: Request, name: Annotated[str, Form(max_length=500)] = "",
                       claims: Annotated[str, Form(max_length=MAX_TEXT_BYTES)] = "",
                       inci: Annotated[str, Form(max_length=MAX_TEXT_BYTES)] = "") -> Response:
    try:
        await run_in_threadpool(check_product, state(request).catalog, name, claims, inci)  # unusable: 422 here
    except InputError as exc:
        return _form("product.html.j2", "product", 422, name=name, claims=claims, inci=inci, error=str(exc))
    return _saved(request, "product", {"name": name, "claims": claims, "inci": inci})


# --- a question, a study -----------------------------------------------------------------------------------------

@router.get("/ask")
async def ask_page(request: Request, q: Annotated[str, Query(max_length=MAX_QUESTION_CHARS)] = "") -> Response:
    catalog = state(request).catalog
    if not q.strip():
        return RedirectResponse("/", status_code=303)
    return await cached(request, ("page", "ask", q.strip()),
                        lambda: (render_answer("answer.html.j2", ask(catalog, q), page="home", q=q), HTML))


@router.get("/study/{study:path}")
async def study_page(request: Request, study: Annotated[str, Path(max_length=300)]) -> Response:
    catalog = state(request).catalog
    found = catalog.resolve_study(study)
    if found.id != study:
        return RedirectResponse(f"/study/{found.id}", status_code=308)
    return await cached(request, ("page", "study", found.id),
                        lambda: (render_answer("study_view.html.j2", show_study(catalog, found.id)), HTML))


# --- plots ---------------------------------------------------------------------------------------------------------

def _format(fmt: str) -> str:
    if fmt not in MEDIA_TYPES:
        raise NotFound(f"no plot format {fmt!r}: use svg or png")
    return fmt


@router.get("/plots/map.{fmt}")
async def map_plot(request: Request, fmt: str) -> Response:
    catalog = state(request).catalog
    fmt = _format(fmt)
    return await cached(request, ("plot", "map", fmt),
                        lambda: (draw_map(map_data(catalog), fmt, link=_link), MEDIA_TYPES[fmt]))


@router.get("/plots/pyramid/{name}.{fmt}")
async def pyramid_plot(request: Request, name: Annotated[str, Path(max_length=200)], fmt: str) -> Response:
    catalog = state(request).catalog
    key, fmt = catalog.resolve_intervention(name), _format(fmt)
    return await cached(request, ("plot", "pyramid", key, fmt),
                        lambda: (draw_pyramid(pyramid_data(catalog, key), fmt), MEDIA_TYPES[fmt]))


@router.get("/plots/compare.{fmt}")
async def compare_plot(request: Request, fmt: str,
                       i: Annotated[list[str], Query(max_length=MAX_COMPARE)] = [],  # noqa: B006
                       outcome: Annotated[str, Query(max_length=200)] = "") -> Response:
    catalog = state(request).catalog
    fmt = _format(fmt)
    ids = tuple(dict.fromkeys(catalog.resolve_intervention(n) for n in i if n.strip()))
    if not ids:
        raise InputError("name at least one intervention: /plots/compare.svg?i=exosomes&i=tretinoin")
    wanted = catalog.resolve_outcome(outcome) if outcome.strip() else None
    return await cached(request, ("plot", "compare", ids, wanted, fmt),
                        lambda: (draw_map(map_data(catalog, list(ids), wanted), fmt, link=_link), MEDIA_TYPES[fmt]))
