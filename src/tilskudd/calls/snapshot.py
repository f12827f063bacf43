"""What the public pages depend on, read at most once every few seconds per process (issue #14, point 3).

The front page and a call page change only when a call is loaded or changed, or when a deadline
passes. :func:`generation` tells, without a query in the steady state, whether anything they show
may have changed: it reads the calls' row facts (id, last change, deadline, current version and its
definition hash) at most every ``PUBLIC_PAGES_REFRESH_SECONDS`` (default 2 s; 0 reads them on every
call, as the tests do) and at once after a call or call version is saved or deleted in this process.
A deadline passing is seen at once, from the deadlines already read. So a call loaded by another
process (``manage.py load_calls``, another gunicorn worker) shows on a cached page after at most
that many seconds; whether a call is open for *submission* is never taken from here (X-R01: the
submit reads the deadline in its own transaction).
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
import time
from collections.abc import Hashable

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

#: Set on a response by a view whose page is the same for every anonymous visitor (calls.views);
#: tilskudd.middleware.PublicPageCacheMiddleware keeps only such pages.
PUBLIC_PAGE = "tilskudd_public_page"

_LOCK = threading.Lock()
_state: dict[str, object] = {"rows": None, "read_at": 0.0, "serial": 0, "deadlines": []}


def _refresh_seconds() -> float:
    return float(getattr(settings, "PUBLIC_PAGES_REFRESH_SECONDS", 2.0))


def _read() -> None:
    from tilskudd.calls.models import Call  # noqa: PLC0415 - models load after the app registry

    rows = tuple(
        Call.objects.order_by("pk").values_list(
            "pk", "updated_at", "deadline", "current_version_id", "current_version__definition_hash"
        )
    )
    with _LOCK:
        if rows != _state["rows"]:
            _state["rows"] = rows
            _state["serial"] = int(_state["serial"]) + 1  # type: ignore[call-overload]
            _state["deadlines"] = sorted(row[2] for row in rows)
        _state["read_at"] = time.monotonic()


def forget(**_: object) -> None:
    """A call or call version changed in this process: read the facts again at the next request."""
    with _LOCK:
        _state["read_at"] = 0.0


def generation(now: dt.datetime | None = None) -> Hashable:
    """A value that changes whenever what a public page shows of the calls may have changed."""
    if _state["rows"] is None or time.monotonic() - float(_state["read_at"]) >= _refresh_seconds():  # type: ignore[arg-type]
        _read()
    now = now or timezone.now()
    passed = bisect.bisect_right(_state["deadlines"], now)  # type: ignore[call-overload]
    return (_state["serial"], passed)


def connect() -> None:
    """Forget the facts when a call or its version is saved or deleted (from CallsConfig.ready)."""
    from tilskudd.calls.models import Call, CallVersion  # noqa: PLC0415

    for model in (Call, CallVersion):
        post_save.connect(forget, sender=model, dispatch_uid=f"public-snapshot-save-{model.__name__}")
        post_delete.connect(forget, sender=model, dispatch_uid=f"public-snapshot-delete-{model.__name__}")
