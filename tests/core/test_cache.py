"""core.cache.BoundedCache: what a process keeps between requests stays small, the oldest going first."""

from __future__ import annotations

from tilskudd.core.cache import BoundedCache


def test_a_full_cache_lets_the_oldest_go_and_keeps_the_newest():
    cache: BoundedCache[str] = BoundedCache(2)
    cache.put("a", "first")
    cache.put("b", "second")
    assert cache.put("c", "third") == "third"
    assert len(cache) == 2
    assert cache.get("a") is None and cache.get("b") == "second" and cache.get("c") == "third"


def test_an_absent_key_is_none_and_clear_empties_it():
    cache: BoundedCache[int] = BoundedCache(4)
    assert cache.get("missing") is None
    cache.put(("version", 1), 1)
    cache.clear()
    assert len(cache) == 0 and cache.get(("version", 1)) is None
