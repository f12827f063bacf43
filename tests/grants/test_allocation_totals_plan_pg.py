"""An allocation write reads the one application by its primary key (issue #14; ``grants/migrations/0009``).

The refresh of an application's allocation ledger (``grants_allocation_refresh``, run by the triggers on every
allocation line, decision, case and area write) joined the applications on the lines' and decisions' ids only, so
between ~2 000 and ~16 000 applications its plan hash-joined a sequential scan of them all into every write. It now
names the application by its key: whatever the statistics, the plan the function's session keeps (generic, for
any id) and the one for a given id look the application up in the primary key's index.

The table must be more than a handful of pages for that to be the cheaper plan at all (with ten rows a scan of
its few pages is as good as a lookup, and PostgreSQL rightly scans), so the test generates 200 applications and
checks the size before the plans. PostgreSQL only: SQLite's triggers find the application by rowid in a nested
loop whatever they say.
"""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection

from tests.staff_world import C0, C2
from tilskudd.demo.dataset import generate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

#: A lookup in a btree costs ~8 pages' worth: a table of this many pages is dearer to scan.
PAGES = 10


def _installed_statement() -> str:
    """The ledger's INSERT as the installed function runs it, its argument ``target`` as the parameter $1."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'grants_allocation_refresh'")
        (source,) = cursor.fetchone()
    (insert,) = [s.strip() for s in source.split(";") if s.strip().startswith("INSERT INTO grants_allocationtally")]
    return re.sub(r"\btarget\b", "$1", insert)


def _plan(statement: str, mode: str, application_id: int) -> dict:
    """EXPLAIN of ``statement`` prepared as plpgsql prepares it (a bigint argument), with ``plan_cache_mode``
    ``mode``: the generic plan a session keeps for any id, or the one made for ``application_id``."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL plan_cache_mode = {mode}")
        cursor.execute(f"PREPARE allocation_tally(bigint) AS {statement}")
        try:
            cursor.execute("EXPLAIN (FORMAT JSON) EXECUTE allocation_tally(%s)", [application_id])
            (explained,) = cursor.fetchone()
        finally:
            cursor.execute("DEALLOCATE allocation_tally")
    return (json.loads(explained) if isinstance(explained, str) else explained)[0]["Plan"]


def _reading(node: dict, table: str) -> list[dict]:
    """The nodes of the plan under ``node`` that read ``table`` (subplans included)."""
    found = [node] if node.get("Relation Name") == table else []
    for child in node.get("Plans", []):
        found += _reading(child, table)
    return found


def test_the_ledger_refresh_looks_the_application_up_by_its_primary_key(casework_world):
    calls = [casework_world.calls[C0], casework_world.calls[C2]]
    generate(200, seed=14, calls=calls)  # ends with an ANALYZE of the tables it filled
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE applications_application")
        cursor.execute("SELECT relpages FROM pg_class WHERE relname = 'applications_application'")
        (pages,) = cursor.fetchone()
        cursor.execute(
            "SELECT l.application_id FROM grants_allocationline l JOIN applications_application a "
            "ON a.id = l.application_id WHERE a.status = 'in_assessment' ORDER BY l.application_id LIMIT 1"
        )
        (application_id,) = cursor.fetchone()
    assert pages >= PAGES, "too few applications for a lookup to be cheaper than a scan"
    statement = _installed_statement()
    for mode, key in (("force_generic_plan", "$1"), ("force_custom_plan", f"'{application_id}'::bigint")):
        plan = _plan(statement, mode, application_id)
        reads = [
            (node["Node Type"], node.get("Index Name"), node.get("Index Cond"))
            for node in _reading(plan, "applications_application")
        ]
        assert reads == [("Index Scan", "applications_application_pkey", f"(id = {key})")], (mode, plan)
