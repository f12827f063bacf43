"""What one request reads once: a person's roles and memberships, asked again by every permission check.

A page asks several permission functions in turn (the two-factor middleware whether the person holds a role at a
grantor, the view's decorator which grantors, the template which buttons show), and each read the same rows
again: six reads of the person's staff roles on an allocation page (issue #14: the queries of a page; issue #9: the
suite's time). An app keeps such values in a :class:`Remembered` and registers it (:meth:`Remembered.per_request`):
what is read is kept for the length of the block, and forgotten when a row of the models it is read from is saved
or deleted; the middleware below enters every registered block around each request. Outside a request (services called from tasks, commands or
tests) nothing is kept and every check reads the database, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

V = TypeVar("V")

_FACTORIES: list[Callable[[], AbstractContextManager]] = []


class Remembered(Generic[V]):
    """Values read once inside a block (:meth:`block`; every request is one) and read afresh outside it.

    A block inside another shares its memory; :meth:`forget` (a signal receiver of the rows the values come from)
    empties it, so that what is read after a write sees the write.
    """

    def __init__(self, name: str):
        self.name = name
        self._memory: ContextVar[dict[Hashable, V] | None] = ContextVar(name, default=None)

    def per_request(self, *read_from: type[Model]) -> None:
        """Keep what is read for the length of every request, and forget it when a row of one of the models
        ``read_from`` is saved or deleted (called from the app's ``ready()``)."""
        remember_per_request(self.block)
        for signal, written in ((post_save, "saved"), (post_delete, "deleted")):
            for model in read_from:
                uid = f"tilskudd.remembered.{self.name}.{model._meta.label_lower}.{written}"
                signal.connect(self.forget, sender=model, dispatch_uid=uid)

    @contextmanager
    def block(self) -> Iterator[None]:
        if self._memory.get() is not None:
            yield
            return
        token = self._memory.set({})
        try:
            yield
        finally:
            self._memory.reset(token)

    def forget(self, **_signal) -> None:
        memory = self._memory.get()
        if memory is not None:
            memory.clear()

    def get(self, key: Hashable, read: Callable[[], V]) -> V:
        """The value kept for ``key`` in this block, else ``read()`` (kept when inside a block)."""
        memory = self._memory.get()
        if memory is not None and key in memory:
            return memory[key]
        value = read()
        if memory is not None:
            memory[key] = value
        return value


def remember_per_request(factory: Callable[[], AbstractContextManager]) -> None:
    """Enter ``factory()`` around every request (called from an app's ``ready()``)."""
    if factory not in _FACTORIES:
        _FACTORIES.append(factory)


class RememberPerRequestMiddleware:
    """Each request inside every registered context (:func:`remember_per_request`), left when the answer is made.

    A streamed answer's body is written after the contexts are left: what it asks is read afresh."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with ExitStack() as stack:
            for factory in _FACTORIES:
                stack.enter_context(factory())
            return self.get_response(request)
