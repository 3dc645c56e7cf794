"""One pure ASGI middleware for what every response needs: security headers and a cap on request bodies.

Written as raw ASGI (not ``BaseHTTPMiddleware``) so that it adds no task or copy per request. A body over the limit
is refused with 413 before it is read when ``Content-Length`` says so, and as soon as the count passes the limit
when it is streamed; whatever the app had begun to answer is dropped and the 413 goes out instead.
"""

from __future__ import annotations

import json

MAX_BODY_BYTES = 1024 * 1024  # 1 MiB: one article, label or product page (docs/web.md)

#: No scripts at all, styles and images from this origin only, forms post to this origin only, no framing.
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'")
#: An SVG opened on its own is a document: it may use its own inline styles and nothing else.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


def too_large_body(path: str, limit: int) -> tuple[bytes, bytes]:
    """(content type, body) of the 413 answer: JSON for the API, a short page otherwise."""
    message = f"The request body is larger than {limit // 1024} KiB; send a shorter text."
    if path.startswith("/api/"):
        body = json.dumps({"error": {"code": "payload_too_large", "message": message, "suggestions": []}})
        return b"application/json", body.encode()
    page = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too large</title>"
            f"<link rel=\"stylesheet\" href=\"/static/site.css\"></head><body><main id=\"main\"><h1>Too large</h1>"
            f"<p>{message}</p><p><a href=\"/check\">Back to the claim checker</a></p></main></body></html>")
    return b"text/html; charset=utf-8", page.encode()


class _TooLarge(Exception):
    pass


class SecurityMiddleware:
    def __init__(self, app, max_body: int = MAX_BODY_BYTES):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await self._refuse(path, send)
            return
        state = {"received": 0, "exceeded": False, "started": False}

        async def limited_receive():
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.max_body:
                    state["exceeded"] = True
                    raise _TooLarge()
            return message

        async def secured_send(message):
            if state["exceeded"]:
                return  # the app's answer to a cut-off body is replaced by the 413 below
            if message["type"] == "http.response.start":
                state["started"] = True
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                svg = any(n.lower() == b"content-type" and v.startswith(b"image/svg") for n, v in headers)
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", (SVG_CSP if svg else PAGE_CSP).encode()))
                headers += [h for h in HEADERS if h[0] not in names]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except _TooLarge:
            pass
        if state["exceeded"] and not state["started"]:
            await self._refuse(path, send)

    async def _refuse(self, path: str, send) -> None:
        content_type, body = too_large_body(path, self.max_body)
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close"), (b"content-security-policy", PAGE_CSP.encode()), *HEADERS]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
