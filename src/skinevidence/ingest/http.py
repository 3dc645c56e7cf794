"""A polite HTTP client for public APIs: a floor on the time between requests (NCBI allows 3 requests a second
without an API key and 10 with one), retries with exponential backoff on HTTP 429 and 5xx and on dropped
connections (``Retry-After`` honoured), a timeout on every request, and errors that say what the server answered.

The standard library's ``urllib`` does the work: no dependency for a few GET and POST requests.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from skinevidence.errors import SkinEvidenceError

USER_AGENT = "skinevidence (+https://github.com/skinevidence/skinevidence)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchError(SkinEvidenceError):
    """A remote service refused or failed a request after the retries: the message says what it answered."""

    exit_code = 1


@dataclass
class Polite:
    """GET and POST with a minimum interval between requests and retries with backoff.

    ``per_second`` caps the request rate; ``retries`` is how many times a failed request is tried again, waiting
    ``backoff`` x 2^attempt seconds (or the server's ``Retry-After``) between tries. ``sleep`` and ``clock`` are
    the standard ones; tests may pass their own to run without waiting."""

    per_second: float
    retries: int = 5
    backoff: float = 1.0
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    requests: int = 0
    retried: int = 0
    _last: float | None = field(default=None, repr=False)

    def get(self, url: str, params: dict[str, str | None] | None = None) -> bytes:
        query = urllib.parse.urlencode({k: v for k, v in (params or {}).items() if v is not None})
        return self._send(urllib.request.Request(f"{url}?{query}" if query else url,
                                                 headers={"User-Agent": USER_AGENT}))

    def post(self, url: str, data: dict[str, str | None]) -> bytes:
        body = urllib.parse.urlencode({k: v for k, v in data.items() if v is not None}).encode("ascii")
        return self._send(urllib.request.Request(url, data=body, headers={
            "User-Agent": USER_AGENT, "Content-Type": "application/x-www-form-urlencoded"}))

    def _wait_turn(self) -> None:
        if self._last is not None:
            wait = 1.0 / self.per_second - (self.clock() - self._last)
            if wait > 0:
                self.sleep(wait)
        self._last = self.clock()

    def _send(self, request: urllib.request.Request) -> bytes:
        shown = _without_key(request.full_url)
        for attempt in range(self.retries + 1):
            self._wait_turn()
            self.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as exc:
                body = _body(exc)
                if exc.code not in RETRY_STATUSES or attempt == self.retries:
                    raise FetchError(f"{shown}: HTTP {exc.code} {exc.reason}" + (f": {body}" if body else "")
                                     + (f" (after {attempt} retries)" if attempt else "")) from None
                asked = _retry_after(exc.headers.get("Retry-After"))
                delay = asked if asked is not None else self.backoff * 2 ** attempt
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                reason = getattr(exc, "reason", exc)
                if attempt == self.retries:
                    raise FetchError(f"{shown}: no answer ({reason}) after {attempt} retries; check the network "
                                     "connection") from None
                delay = self.backoff * 2 ** attempt
            self.retried += 1
            self.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover


def _body(error: urllib.error.HTTPError, limit: int = 300) -> str:
    try:
        text = error.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return " ".join(text.split())[:limit]


def _retry_after(value: str | None) -> float | None:
    try:
        return min(float(value), 300.0) if value else None
    except ValueError:
        return None


def _without_key(url: str) -> str:
    """The address as shown in messages: the API key is never printed."""
    parts = urllib.parse.urlsplit(url)
    query = [(k, "***" if k == "api_key" else v) for k, v in urllib.parse.parse_qsl(parts.query)]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
