"""One bounded in-process cache, for what a process keeps between requests: parsed call definitions
(``calls.models``), rendered call pages (``calls.views``) and whole public answers (``middleware``).

Each is keyed so that an entry is never stale (a changed call makes a new key), so nothing is invalidated:
the cache only has to stay small. When full, the oldest entry goes first. A lock keeps the eviction
and the insertion together, so threads of one process never evict the same entry twice.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class BoundedCache(Generic[V]):
    """At most ``size`` entries by key; the oldest goes first when a new one comes."""

    def __init__(self, size: int):
        self.size = size
        self._entries: dict[Hashable, V] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        return self._entries.get(key)

    def put(self, key: Hashable, value: V) -> V:
        """Keep ``value`` for ``key`` (making room first); returns it."""
        with self._lock:
            while len(self._entries) >= self.size:
                del self._entries[next(iter(self._entries))]
            self._entries[key] = value
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
