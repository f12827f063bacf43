"""The second ceiling of the rush benchmark (bench/rush.py): the unavoidable part of the same work, in Django.

The trivial WSGI app (bench/ceiling_app.py) shows what the machine, gunicorn and the clients carry
at all; no Django application comes near it. This one is served the same way but with the
application's own settings and middleware (``ceiling_django_settings``: sessions, CSRF,
authentication, two-factor, messages, security headers, axes …), and two views:

* ``GET /`` — a small page for an anonymous visitor, through every middleware: what a public
  page costs at the least;
* ``POST /submit/`` — what a submission cannot do without: read the request and its bearer token,
  read the application's stored JSON and parse it, hash its canonical form, and write the same
  rows as a real submit — the statements captured from one (bench/rush.py ``pgbench_script``: its
  row, the audit events and stream heads, the case and its areas, the receipt task, the
  idempotency key) — in one transaction, for the next submitted application in
  ``rush_pgbench_ids``; it answers a small JSON document. No permission check, no rule engine,
  no pydantic, no ORM query building.

``RUSH_SUBMIT_SCRIPT`` names the pgbench script file whose statements it runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from django.core.wsgi import get_wsgi_application
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

PAGE = (
    b'<!doctype html><html lang="nb"><meta charset="utf-8"><title>tilskudd</title>'
    b"<main><h1>Utlysninger</h1><p>Ingen.</p></main></html>"
)
VARIABLE = re.compile(r"(?<!:):(aid|case_id)\b")


def statements(script: str) -> list[tuple[str, bool]]:
    """(SQL with %(name)s parameters, whether its one row sets variables) for each line of a pgbench script."""
    found = []
    for line in script.splitlines():
        line = line.strip()
        if not line or line.rstrip(";").upper() in ("BEGIN", "COMMIT"):
            continue
        sets = line.endswith("\\gset")
        sql = line.removesuffix("\\gset").strip().rstrip(";").replace("%", "%%")
        found.append((VARIABLE.sub(r"%(\1)s", sql), sets))
    return found


_SCRIPT = os.environ.get("RUSH_SUBMIT_SCRIPT")
STATEMENTS = statements(Path(_SCRIPT).read_text(encoding="utf-8")) if _SCRIPT else []


def page(request):
    return HttpResponse(PAGE, content_type="text/html; charset=utf-8")


@csrf_exempt
def submit(request):
    if request.method != "POST" or not request.headers.get("Authorization", "").startswith("Bearer "):
        return JsonResponse({"detail": "POST with a bearer token"}, status=400)
    variables: dict[str, object] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        first, *rest = STATEMENTS
        cursor.execute(first[0], variables)
        variables.update(zip([column.name for column in cursor.description], cursor.fetchone(), strict=True))
        cursor.execute('SELECT "content"::text FROM "applications_application" WHERE "id" = %(aid)s', variables)
        content = json.loads(cursor.fetchone()[0])
        digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        for sql, sets in rest:
            cursor.execute(sql, variables)
            if sets:
                variables.update(zip([column.name for column in cursor.description], cursor.fetchone(), strict=True))
    return JsonResponse({"status": "submitted", "application": variables["aid"], "hash": digest}, status=201)


urlpatterns = [path("", page), path("submit/", submit)]

application = get_wsgi_application()
