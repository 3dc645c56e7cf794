"""Errors at the edge: the library's exceptions become clear 4xx answers, anything else a 500 without internals.

The API answers ``{"error": {"code", "message", "suggestions"}}``; pages answer an HTML page saying the same, with
"did you mean" links. A traceback is logged on the server and never sent.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from skinevidence.errors import InputError, NotFound, SkinEvidenceError
from skinevidence.web.security import HEADERS, PAGE_CSP
from skinevidence.web.templating import render

log = logging.getLogger("skinevidence.web")

CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
         413: "payload_too_large", 415: "unsupported_media_type", 422: "invalid_input", 500: "internal_error"}


class ErrorDetail(BaseModel):
    code: str
    message: str
    suggestions: list[str] = []


class ErrorResponse(BaseModel):
    error: ErrorDetail


#: What every API route may answer besides 200, for the OpenAPI schema.
API_ERRORS = {
    400: {"model": ErrorResponse, "description": "A request body that is not valid JSON"},
    404: {"model": ErrorResponse, "description": "Unknown intervention, outcome or study (with suggestions)"},
    413: {"model": ErrorResponse, "description": "Request body over 1 MiB"},
    422: {"model": ErrorResponse, "description": "Input that cannot be used"},
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def _respond(request: Request, status: int, message: str, suggestions: list[str] | None = None,
             headers: dict | None = None) -> Response:
    suggestions = suggestions or []
    code = CODES.get(status, "error")
    if is_api(request):
        return JSONResponse({"error": {"code": code, "message": message, "suggestions": suggestions}},
                            status_code=status, headers=headers)
    base = "/study/" if request.url.path.startswith("/study") else "/intervention/"
    body = render("error.html.j2", status=status, code=code, message=message, suggestions=suggestions,
                  suggestion_base=base)
    return Response(body, status_code=status, media_type="text/html; charset=utf-8", headers=headers)


def _library_error(request: Request, exc: SkinEvidenceError) -> Response:
    if isinstance(exc, NotFound):
        message = str(exc).split(" Did you mean:")[0]
        return _respond(request, 404, message, exc.suggestions)
    if isinstance(exc, InputError):
        return _respond(request, 422, str(exc))
    log.error("library error on %s: %s", request.url.path, exc)
    return _respond(request, 400, str(exc))


def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
        place = error.get("loc", ("",))[0]
        parts.append(f"{place} {where!r}: {error.get('msg', 'invalid')}" if where else str(error.get("msg")))
    return _respond(request, 422, "invalid input: " + "; ".join(parts))


def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    messages = {404: f"nothing at {request.url.path}", 405: "this address does not take that method"}
    message = messages.get(exc.status_code) or (exc.detail if isinstance(exc.detail, str) else "request refused")
    return _respond(request, exc.status_code, message, headers=getattr(exc, "headers", None))


def _server_error(request: Request, exc: Exception) -> Response:
    """The catch-all: logged with its traceback here, and only a plain sentence for the client. This answer is
    sent from outside the security middleware, so it carries the headers itself."""
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    response = _respond(request, 500, "something went wrong on our side; the error was logged")
    response.headers["content-security-policy"] = PAGE_CSP
    for name, value in HEADERS:
        response.headers[name.decode()] = value.decode()
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(SkinEvidenceError, _library_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _server_error)
