import datetime as dt
import json
import os
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from tests.builders import SHARED_WORLDS, fresh, shared_world

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CALLS_DIR = ROOT / "calls"
# The specification the calls were written from lives beside the repository (../shared/spec),
# not in it: a clone of the project alone has none. TILSKUDD_SPEC_DIR points elsewhere (or at
# a missing folder, to run the suite as a clone would). Tests that compare the project with it
# take it through spec_file(), which skips them, with the reason, when it is absent.
SPEC_DIR = Path(os.environ.get("TILSKUDD_SPEC_DIR") or ROOT.parent / "shared" / "spec")


def spec_absent(name: str) -> str:
    """Why a test that compares the project with ``SPEC_DIR / name`` is skipped; "" when the file is there."""
    path = SPEC_DIR / name
    if path.is_file():
        return ""
    return f"{path} is absent (the specification is not part of the repository; set TILSKUDD_SPEC_DIR)"


def spec_file(name: str) -> Path:
    """``SPEC_DIR / name``; skips the calling test when the specification is not beside the project."""
    if reason := spec_absent(name):
        pytest.skip(reason)
    return SPEC_DIR / name


@pytest.fixture
def every_migration_after(transactional_db):
    """For a test that migrates the database back to test a data migration: afterwards every migration is
    applied again (before the database is flushed), so the tests after it on the same worker find every table.
    Migrating forward only to the migration under test leaves the later ones — of every app that depends on
    it — unapplied."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def minimal_application_data() -> dict:
    """An application to the minimal call (tests/fixtures/minimal_call.yaml) that breaks no rule: Bergen
    kommune's organisation number, a made-up bank account that passes MOD11. A fresh dict each time."""
    return json.loads((FIXTURES / "minimal_application.json").read_text(encoding="utf-8"))


@pytest.fixture
def minimal_call():
    from tilskudd.rules import load_call_file

    return load_call_file(FIXTURES / "minimal_call.yaml")


def oslo(*args) -> dt.datetime:
    from tilskudd.rules.schema import OSLO

    return dt.datetime(*args, tzinfo=OSLO)


# --- clients and the clock (the one home of these fixtures) ------------------------------


class HttpsClient(Client):
    """Every request over HTTPS: with DEBUG off, plain HTTP is redirected (SECURE_SSL_REDIRECT)."""

    def generic(self, *args, **kwargs):
        kwargs["secure"] = True
        return super().generic(*args, **kwargs)


@pytest.fixture
def client():
    """A client over HTTPS, as on the public pages (plain HTTP is redirected)."""
    return HttpsClient()


@pytest.fixture
def english(client):
    """The client after choosing English with the language switch."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


@pytest.fixture
def freeze_now(monkeypatch):
    """Set the server's clock as views and services read it (``django.utils.timezone.now``)."""

    def freeze(instant: dt.datetime) -> dt.datetime:
        monkeypatch.setattr("django.utils.timezone.now", lambda: instant)
        return instant

    return freeze


# --- worlds (tests/builders.py) ---------------------------------------------------------------


def _casework_world():
    from tests.staff_world import build_world

    return build_world()


casework_world_built = shared_world(_casework_world, name="casework_world_built")


@pytest.fixture
def casework_world(casework_world_built, db):
    """C0 and C2 with submitted demo applications and the grantors' staff (see tests/staff_world.py).

    Built once per module; the test gets the world's objects read again from the database.
    """
    return fresh(casework_world_built)


#: The casework world as first built by this worker on a given day and database: (world, snapshot of every table).
_CASEWORK_SNAPSHOTS: dict[tuple, tuple] = {}


@pytest.fixture
def fresh_casework_world(db):
    """The casework world for this test alone: for tests that commit (``transaction=True``).

    Built once per worker, database and day; every later test gets the same rows back (``restore_snapshot``, as
    the browser walks do: about a second instead of the whole build) and its own copy of the world's objects read
    from them, so what a test adds to its world (``world.frames = …``) stays with that test (issue #9, point 7).
    """
    from django.core.cache import cache
    from django.utils import timezone

    from tests.builders import restore_snapshot, take_snapshot
    from tests.staff_world import build_world

    cache.clear()  # rate-limit counters in the database cache are left alone by the flush between tests
    key = (connection.settings_dict["NAME"], timezone.localdate())
    if key in _CASEWORK_SNAPSHOTS:
        world, snapshot = _CASEWORK_SNAPSHOTS[key]
        restore_snapshot(snapshot)
    else:
        world = build_world()
        _CASEWORK_SNAPSHOTS[key] = (world, take_snapshot())
    return fresh(world)


def _commits(item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in names or "live_server" in names


#: The modules (or folders) that take longest, longest first: they run before all others (issue #9 point 7).
#: The workers share the tests by --dist worksteal (pyproject addopts): each starts on its half of the
#: list and, when done, takes the second half of what another has not started. A long test late in a
#: worker's half would run alone at the end while the other worker waits; at the front it runs while
#: the short tests fill in around it. Measured with --durations (whole modules: their worlds are built
#: once); a folder keeps its modules together (tests/browser: one Chromium).
LONG_FIRST = (
    "tests/web/test_form_fuzz.py",
    "tests/browser/",
    "tests/api/test_openapi_conformance.py",
    "tests/demo/test_demo.py",
    "tests/cli/test_malformed_calls.py",
    "tests/receipts/test_receipts.py",
    "tests/test_production_defaults.py",
    "tests/test_access_matrix_staff.py",
    "tests/test_standalone.py",
    "tests/test_examples.py",
    "tests/applications/test_published_decision.py",
    "tests/test_access_matrix.py",
    "tests/casework/test_facts.py",
    "tests/cli/test_real_calls.py",
)


def _rank(item) -> int:
    """Where the item's module stands in LONG_FIRST; after all of them when it is not there."""
    try:
        path = Path(str(item.path)).resolve().relative_to(ROOT).as_posix()
    except ValueError:  # a test file outside the repository
        return len(LONG_FIRST)
    for rank, prefix in enumerate(LONG_FIRST):
        if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
            return rank
    return len(LONG_FIRST)


#: The fixtures through which a test reaches the database (pytest-django refuses any other access).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="leave out the tests that cannot reach the database (no django_db mark, no database fixture, not "
        "marked postgres): scripts/test's second pass, after the first ran them all (issue #9)",
    )


def _is_browser_test(item) -> bool:
    return "/tests/browser/" in str(item.path)


def _reaches_the_database(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(
        item.get_closest_marker("django_db") or item.get_closest_marker("postgres") or names & DATABASE_FIXTURES
    )


def pytest_collection_modifyitems(config, items):
    """Mark the browser tests, so the fast lane for development can leave them out (-m "not browser"); skip the
    PostgreSQL-only tests (marker `postgres`) on SQLite before their fixtures run;
    in each module, run the tests that use no shared world before those that do (tests/builders.py);
    run the long modules first (LONG_FIRST), the others in their order; with --database-tests-only, leave out
    the tests that cannot reach the database."""
    if config.getoption("--database-tests-only"):
        # A test without the database gives the same answer whatever DATABASE_URL says: it ran in the first pass
        # (the browser tests, which the first pass leaves out, all stay).
        kept, left_out = [], []
        for item in items:
            (kept if _is_browser_test(item) or _reaches_the_database(item) else left_out).append(item)
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
    on_postgres = connection.vendor == "postgresql"
    needs_postgres = pytest.mark.skip(reason="needs PostgreSQL; run with DATABASE_URL=postgres://…")
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.browser)
        if not on_postgres and item.get_closest_marker("postgres"):
            # Skipped before its fixtures: a world built only to skip cost up to a minute per test (issue #9).
            item.add_marker(needs_postgres)
    modules: dict[object, list] = {}
    for item in items:
        modules.setdefault(item.module if hasattr(item, "module") else None, []).append(item)
    ordered = []
    for module, module_items in modules.items():
        worlds = {item: SHARED_WORLDS & set(getattr(item, "fixturenames", ())) for item in module_items}
        used = set().union(*worlds.values())
        if len(used) > 1:
            raise pytest.UsageError(f"{module.__name__} uses several shared worlds ({sorted(used)}): one per module")
        for item, names in worlds.items():
            if names and _commits(item):
                raise pytest.UsageError(f"{item.nodeid} commits: it cannot use the shared world {sorted(names)}")
        ordered += sorted(module_items, key=lambda item: bool(worlds[item]))
    items[:] = sorted(ordered, key=_rank)  # stable: each module's order stays


@pytest.fixture(autouse=True)
def _case_number_sequences_emptied(request):
    """After a test that commits, the database is emptied: on PostgreSQL its case-number series
    (one sequence per year, tilskudd.applications.case_numbers) go too, so the next test starts at 1."""
    yield
    if _commits(request.node):
        from tilskudd.applications.case_numbers import drop_sequences

        with request.getfixturevalue("django_db_blocker").unblock():
            drop_sequences()


# --- the flush after a test that commits, on PostgreSQL ----------------------------------------


def _quick_flush(original):
    """Django empties the database after a test that commits with one TRUNCATE of every table; on PostgreSQL that
    takes 1–2 s each time (a new file per table, measured with 68 tables), about as long as many such tests.
    DELETE of every table with the session's triggers off (``session_replication_role = replica``: no foreign-key
    checks, so any order; the audit trail's guards that refuse a DELETE are off for this one transaction) takes
    15–70 ms and leaves the same empty tables (issue #9: the suite's time). Only for a superuser, who may set it;
    otherwise, or when sequences are to be reset, Django's TRUNCATE as before."""

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or not _superuser(self.connection):
            return original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # SET LOCAL: for the flush's own transaction (execute_sql_flush runs the list in one atomic block)
        return ["SET LOCAL session_replication_role = replica"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables
        ]

    return sql_flush


def _superuser(connection_) -> bool:
    known = getattr(connection_, "_tilskudd_superuser", None)
    if known is None:
        with connection_.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
        known = connection_._tilskudd_superuser = bool(row and row[0])
    return known


def _no_wait_for_the_disk(sender, connection, **kwargs):
    """A commit in the tests does not wait for the write-ahead log to reach the disk (``synchronous_commit = off``,
    for this session only): ~3 ms a commit on this machine, and a test that commits (the browser walks' every
    request, a demo loaded, a snapshot put back) commits hundreds of times. A crash of the test database loses
    nothing anyone needs; what a transaction sees is unchanged (issue #9: the suite's time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")


if connection.vendor == "postgresql":
    from django.db.backends.postgresql.operations import DatabaseOperations

    DatabaseOperations.sql_flush = _quick_flush(DatabaseOperations.sql_flush)

    from django.db.backends.signals import connection_created

    connection_created.connect(_no_wait_for_the_disk, dispatch_uid="tests.no_wait_for_the_disk")
