"""A warm worker settles its long-lived objects out of the garbage collector's full passes (core.warm, issue #14)."""

from __future__ import annotations

import gc
import weakref

from tilskudd.core import warm


def _app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"svar"]


def test_it_settles_before_the_request_after_each_count_and_answers_every_request(monkeypatch):
    settled_before: list[int] = []
    answered: list[bytes] = []
    app = warm.SettleWhenWarm(_app, after=(1, 3))
    monkeypatch.setattr(warm, "settle", lambda: settled_before.append(app.served))
    for _ in range(5):
        answered.extend(app({}, lambda status, headers: None))
    # before the 2nd request (1 served) and the 4th (3 served), each once; every request answered
    assert settled_before == [2, 4]
    assert answered == [b"svar"] * 5


def test_settling_frees_the_garbage_and_freezes_what_is_alive():
    class Cycle:
        pass

    garbage = Cycle()
    garbage.me = garbage  # a reference cycle no one holds: only the cyclic collector frees it
    gone = weakref.ref(garbage)
    del garbage
    alive = Cycle()
    alive.me = alive
    try:
        warm.settle()
        assert gone() is None  # collected before the freeze, not frozen with the rest
        assert gc.get_freeze_count() > 0
        # alive: in the permanent generation, which the collector's passes (and gc.get_objects) skip
        assert not any(o is alive for o in gc.get_objects())
    finally:
        gc.unfreeze()  # the test process goes on as before
    assert any(o is alive for o in gc.get_objects())


def test_the_wsgi_entry_point_is_wrapped():
    from tilskudd import wsgi  # noqa: PLC0415 - Django's application is made when the module is imported

    assert isinstance(wsgi.application, warm.SettleWhenWarm)
    assert wsgi.application.after == frozenset(warm.SETTLE_AFTER)
