"""One registry per concern, keyed by the kind (class) of a check.

Each concern that differs by check kind — how the engine compiles a check
(:mod:`tilskudd.rules.plan`), how the call page words it
(:mod:`tilskudd.calls.presentation.checks`), how allocation caps it, how the
receipt shows it — keeps a :class:`Registry` and registers one entry per kind::

    COMPILERS: Registry[Compile] = Registry("compiled by the rule engine")

    @COMPILERS.register(RangeCheck)
    def compile_range(check: RangeCheck, ...) -> CheckRun: ...

    COMPILERS.for_(check)(check, ...)

A kind added to the schema (:data:`~tilskudd.rules.schema.CHECK_KINDS`) and not
registered fails loudly: :meth:`Registry.for_` raises :class:`Unregistered`, and
``tests/rules/test_registry.py`` holds every registry to every kind.

Pure Python, no Django.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

__all__ = ["Registry", "Unregistered", "registries"]

T = TypeVar("T")
E = TypeVar("E")

_ALL: weakref.WeakSet[Registry[Any]] = weakref.WeakSet()


class Unregistered(LookupError):
    """A kind has no entry in a registry."""


class Registry(Generic[T]):
    """Entries of type ``T``, one per kind, found by the kind's class (or the nearest base class registered)."""

    def __init__(self, concern: str, kinds: Iterable[type] | None = None):
        #: What the entries do, for messages: 'compiled by the rule engine'.
        self.concern = concern
        #: The kinds every one of which must have an entry (None: no such list).
        self.expected: tuple[type, ...] | None = tuple(kinds) if kinds is not None else None
        self._entries: dict[type, T] = {}
        _ALL.add(self)

    def __repr__(self) -> str:
        return f"<Registry {self.concern!r}: {len(self._entries)} kinds>"

    def add(self, kind: type, entry: T) -> T:
        """Register ``entry`` for ``kind``; a kind is registered once."""
        if kind in self._entries:
            raise ValueError(f"{kind.__name__} is already registered ({self.concern})")
        self._entries[kind] = entry
        return entry

    def register(self, kind: type) -> Callable[[E], E]:
        """Decorator: register the decorated function (or class) as the entry for ``kind``."""

        def decorate(entry: E) -> E:
            self.add(kind, entry)  # type: ignore[arg-type]
            return entry

        return decorate

    def get(self, item: object) -> T | None:
        """The entry for ``item``'s kind, or None."""
        for cls in type(item).__mro__:
            entry = self._entries.get(cls)
            if entry is not None:
                return entry
        return None

    def for_(self, item: object) -> T:
        """The entry for ``item``'s kind; :class:`Unregistered` when there is none."""
        entry = self.get(item)
        if entry is None:
            raise Unregistered(
                f"no entry for {type(item).__name__} in the registry of what is {self.concern}; "
                f"register one with @<registry>.register({type(item).__name__})"
            )
        return entry

    def kinds(self) -> frozenset[type]:
        """The kinds registered."""
        return frozenset(self._entries)

    def missing(self, kinds: Iterable[type] | None = None) -> list[type]:
        """The kinds of ``kinds`` (default: the expected kinds) with no entry."""
        wanted = tuple(kinds) if kinds is not None else (self.expected or ())
        return [kind for kind in wanted if not any(k in self._entries for k in kind.__mro__)]


def registries() -> list[Registry[Any]]:
    """Every registry made so far (in modules that have been imported)."""
    return sorted(_ALL, key=lambda registry: registry.concern)
