"""A warm worker's long-lived objects kept out of the garbage collector's full passes (issue #14: the pages' p95).

A worker holds ~150 000 objects that live as long as it does: modules, settings, URL patterns, compiled templates,
parsed call definitions. Python's cyclic collector walks all of them in each full (generation 2) pass, 60–80 ms
of CPU on this project's 2-core machine, and such a pass fell on 2 of every 30 requests of a caseworker's page: the
page's p95 was those passes (bench/results/2026-12-03-casework-pages-7.md: C2's flagged queue p95 129–152 ms, 90 ms
with the objects frozen). :func:`settle` collects what is garbage now and freezes the rest (``gc.freeze``: moved
to a permanent generation that later passes skip; still freed by reference counting when dropped).

Only a warm worker's objects are the long-lived ones: the templates and call definitions are made by its first
requests. :class:`SettleWhenWarm` (the WSGI entry point, ``tilskudd.wsgi``) settles before the 2nd, 11th and 101st
request of each process, when the previous request is over; what a later request makes is collected as before.
"""

from __future__ import annotations

import gc
import threading

#: Settle before the request after this many have been served (each process counts its own).
SETTLE_AFTER = (1, 10, 100)


def settle() -> None:
    """Collect what is garbage now, then move every object still alive out of later collections' way."""
    gc.collect()
    gc.freeze()


class SettleWhenWarm:
    """A WSGI application that calls :func:`settle` before the requests after the :data:`SETTLE_AFTER` counts."""

    def __init__(self, application, after: tuple[int, ...] = SETTLE_AFTER):
        self.application = application
        self.after = frozenset(after)
        self.served = 0
        self._lock = threading.Lock()  # runserver's threads share one process

    def __call__(self, environ, start_response):
        with self._lock:
            due = self.served in self.after
            self.served += 1
        if due:
            settle()
        return self.application(environ, start_response)
