"""Rendered answers kept per database fingerprint.

Every page, plot and JSON answer that depends only on the evidence base (not on posted text) is a pure function of
(fingerprint, what was asked): it is rendered once and served from memory after that, with an ETag so that a
browser that has it gets a 304, and compressed once with gzip for the clients that accept it. A new evidence base has a new fingerprint, so nothing stale is ever served.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

GZIP_MIN_BYTES = 1024  # smaller bodies are sent as they are

Value = TypeVar("Value")


@dataclass(frozen=True)
class Rendered:
    body: bytes
    media_type: str
    etag: str
    status: int = 200
    gzipped: bytes | None = None  # the body compressed once, for clients that accept gzip


class RenderCache:
    """A bounded, thread-safe LRU of rendered bodies keyed by (fingerprint, key)."""

    def __init__(self, fingerprint: str, size: int = 1024):
        self.fingerprint = fingerprint
        self.size = size
        self._items: OrderedDict[tuple, Rendered] = OrderedDict()
        self._values: dict[tuple, object] = {}  # a few whole lists that pages are cut from
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> Rendered | None:
        with self._lock:
            found = self._items.get((self.fingerprint, *key))
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end((self.fingerprint, *key))
            self.hits += 1
            return found

    def put(self, key: tuple, body: bytes, media_type: str, status: int = 200) -> Rendered:
        digest = hashlib.blake2b(body, digest_size=12).hexdigest()
        compressible = len(body) >= GZIP_MIN_BYTES and not media_type.startswith("image/png")
        rendered = Rendered(body=body, media_type=media_type, etag=f'"{self.fingerprint[:12]}-{digest}"',
                            status=status, gzipped=gzip.compress(body, 6, mtime=0) if compressible else None)
        with self._lock:
            self._items[(self.fingerprint, *key)] = rendered
            self._items.move_to_end((self.fingerprint, *key))
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return rendered

    def get_or_render(self, key: tuple, render: Callable[[], tuple[bytes, str]]) -> Rendered:
        """The cached body, or ``render()``'s (body, media type) stored first. Errors are not cached."""
        found = self.get(key)
        if found is not None:
            return found
        body, media_type = render()
        return self.put(key, body, media_type)

    def get_value(self, key: tuple, compute: Callable[[], Value]) -> Value:
        """A computed value (not a rendered body) kept beside the bodies under the same fingerprint."""
        with self._lock:
            found = self._values.get((self.fingerprint, *key))
        if found is None:
            found = compute()
            with self._lock:
                self._values[(self.fingerprint, *key)] = found
        return cast(Value, found)  # what compute made for this key earlier

    def __len__(self) -> int:
        return len(self._items)
