"""Answers served again by their address, without routing: the fast path for what ``cache.py`` keeps.

An answer sent from the render cache (``state.send``) marks its request with the ETag it sends: such an answer is
a pure function of the evidence base and the address. This middleware keeps the whole answer of a marked GET as it left the app
(status, headers, body) under (path, query string, whether gzip was accepted), and gives it back the next time the
same address is asked for, without the router, the parameter checks or the route itself (a third of the server's
time for a cached page). What it gives back is byte for byte what the route would give: the same status, headers
and body; the security and HEAD middlewares still wrap it. A request that carries ``If-None-Match`` (a browser
revalidating) goes the normal way, so the 304 is the route's own. An app serves one evidence base, so nothing
kept here can go stale; it is bounded like the render cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

#: the key under which ``state.send`` leaves, in the request's state, the ETag of an answer that depends only on the
#: address
MARK = "skinevidence.by_address"


@dataclass(frozen=True)
class Kept:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ReplayCache:
    """A bounded, thread-safe LRU of whole answers keyed by (path, query string, gzip accepted)."""

    def __init__(self, size: int = 2048):
        self.size = size
        self._items: OrderedDict[tuple[str, bytes, bool], Kept] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, bytes, bool]) -> Kept | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, bytes, bool], kept: Kept) -> None:
        with self._lock:
            self._items[key] = kept
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def accepts_gzip(headers) -> bool:
    """The rule ``state.send`` uses to choose the gzipped body."""
    return any(name == b"accept-encoding" and b"gzip" in value for name, value in headers)


class ReplayAnswers:
    """Pure ASGI middleware: replay a kept answer for a GET to the same address, else call the app and keep its
    answer when it is a 200 carrying the ETag its request was marked with (the answer ``send`` built, even with
    headers a route added after, such as a download's file name or a list's links)."""

    def __init__(self, app, cache: ReplayCache):
        self.app = app
        self.cache = cache

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" \
                or any(name == b"if-none-match" for name, _ in scope.get("headers", ())):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""), accepts_gzip(scope.get("headers", ())))
        kept = self.cache.get(key)
        if kept is not None:
            await send({"type": "http.response.start", "status": kept.status, "headers": list(kept.headers)})
            await send({"type": "http.response.body", "body": kept.body})
            return
        state = scope.setdefault("state", {})
        start: dict = {}
        parts: list[bytes] = []

        async def keeping_send(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
                headers = list(start.get("headers", []))
                if not message.get("more_body", False) and start.get("status") == 200 \
                        and state.get(MARK) is not None and (b"etag", state[MARK]) in headers:
                    self.cache.put(key, Kept(200, headers, b"".join(parts)))
            await send(message)

        await self.app(scope, receive, keeping_send)
