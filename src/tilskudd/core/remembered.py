"""What one request reads once: a person's roles and memberships, asked again by every permission check.

A page asks several permission functions in turn (the two-factor middleware whether the person holds a role at a
grantor, the view's decorator which grantors, the template which buttons show), and each read the same rows
again: five reads of the person's staff roles on a casework page (issue #14: the queries of a page; issue #9: the
suite's time). An app registers a context manager here (:func:`remember_per_request`) that keeps what it read for
the length of the block, and forgets it when the rows change (its own signal receivers); the middleware below
enters every registered one around each request. Outside a request (services called from tasks, commands or
tests) nothing is kept and every check reads the database, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack

_FACTORIES: list[Callable[[], AbstractContextManager]] = []


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
