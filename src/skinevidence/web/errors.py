"""Errors at the edge: the library's exceptions become clear 4xx answers, anything else a 500 without internals.

The API answers ``{"error": {"code", "message", "suggestions"}}``; pages answer an HTML page saying the same, with
"did you mean" links. A traceback is logged on the server and never sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

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
API_ERRORS: dict[int | str, dict[str, Any]] = {
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


#: Plain words for the validation errors people meet (pydantic's error types); others keep pydantic's message.
PLAIN = {"missing": "is required", "too_short": "needs at least {min_length}", "too_long": "takes at most {max_length}",
         "string_too_short": "is empty", "string_too_long": "is longer than {max_length} characters",
         "string_pattern_mismatch": "is not in the expected form", "greater_than_equal": "must be at least {ge}",
         "less_than_equal": "must be at most {le}", "int_parsing": "must be a whole number",
         "json_invalid": "is not valid JSON", "extra_forbidden": "is not a field this address takes",
         "literal_error": "must be one of {expected}", "enum": "must be one of {expected}",
         "model_attributes_type": "must be a JSON object", "dict_type": "must be a JSON object"}


def plain_message(error: dict) -> str:
    """One validation error in plain words: "query parameter 'i' needs at least 2"."""
    location = [str(p) for p in error.get("loc", ())]
    name = ".".join(location[1:]) if len(location) > 1 else ""
    place = {"query": "query parameter", "path": "address part", "body": "field" if name else "request body",
             "header": "header"}.get(location[0] if location else "", "value")
    template = PLAIN.get(error.get("type", ""))
    try:
        words = template.format(**(error.get("ctx") or {})) if template else error.get("msg", "is not valid")
    except (KeyError, IndexError):
        words = error.get("msg", "is not valid")
    if error.get("type") == "json_invalid":
        return "the request body is not valid JSON"
    return f"{place} {name!r} {words}" if name else f"the {place} {words}"


def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    return _respond(request, 422, "invalid input: " + "; ".join(plain_message(e) for e in exc.errors()[:5]))


def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    messages = {404: f"nothing at {request.url.path}",
                405: f"this address does not take {request.method}"}
    detail: object = exc.detail  # typed str, but FastAPI's subclass carries any value
    message = messages.get(exc.status_code) or (detail if isinstance(detail, str) else "request refused")
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
    # Starlette types a handler as taking any Exception; each of these takes the kind it is registered for
    handlers: list[tuple[type[Exception], Callable[[Request, Any], Response]]] = [
        (SkinEvidenceError, _library_error), (RequestValidationError, _validation_error),
        (StarletteHTTPException, _http_error), (Exception, _server_error)]
    for kind, handler in handlers:
        app.add_exception_handler(kind, handler)
