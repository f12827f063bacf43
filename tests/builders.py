"""Worlds built once for many tests (issue #9 point 7), and the helpers they are built with.

A *shared world* is built once per test module (per xdist worker) inside a transaction that stays
open while the module's tests run and is rolled back after the last one. Each test runs inside it
in its own savepoint (pytest-django's ``db``), so what a test changes is gone before the next one,
and each test gets the world's objects read again from the database (:func:`fresh`): tests change
model instances in memory too.

Declare one with :func:`shared_world`; a fixture of module scope::

    built = shared_world(build)              # build() -> anything holding model instances

    @pytest.fixture
    def thing(built, db):                    # the test's own copy, read again by primary key
        return fresh(built)

``pytest_collection_modifyitems`` (tests/conftest.py) runs a module's tests that do not use its
shared world before those that do, so that none of them sees the world. Tests that commit
(``transactional_db``, ``django_db(transaction=True)``) cannot run inside the open transaction;
they build their own world (``fresh_casework_world``) and asking for a shared one is an error.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Model

#: The names of the shared-world fixtures (filled by :func:`shared_world`).
SHARED_WORLDS: set[str] = set()


def shared_world(build: Callable[..., Any], name: str | None = None):
    """A module-scoped fixture holding what ``build`` made, in a transaction rolled back after the module.

    ``build`` may ask for ``django_user_model`` (the only fixture a builder gets).
    """
    fixture_name = name or build.__name__.lstrip("_")
    SHARED_WORLDS.add(fixture_name)

    @pytest.fixture(scope="module", name=fixture_name)
    def _fixture(django_db_setup, django_db_blocker) -> Iterator[Any]:
        yield from built_in_transaction(django_db_blocker, build)

    return _fixture


def built_in_transaction(django_db_blocker, build: Callable[..., Any]) -> Iterator[Any]:
    """Open a transaction, build, yield what was built; roll it all back afterwards.

    The database is unblocked only while building and rolling back: between the two the
    tests reach it through their own ``db`` fixture, as any test does.
    """
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        if connection.in_atomic_block:  # a test's transaction is open: the world would die with it
            raise RuntimeError("a shared world is set up before the test's db fixture: ask for it by name")
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build(get_user_model()) if _wants_user_model(build) else build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _wants_user_model(build: Callable[..., Any]) -> bool:
    import inspect

    return "django_user_model" in inspect.signature(build).parameters


def fresh(value: Any) -> Any:
    """``value`` with every model instance in it read again from the database (by primary key).

    Goes into dicts, lists, tuples and dataclasses; other values are kept as they are. One
    query per model.
    """
    wanted: dict[type[Model], set[Any]] = defaultdict(set)
    _collect(value, wanted)
    found = {model: model._base_manager.in_bulk(list(pks)) for model, pks in wanted.items()}
    return _rebuild(value, found)


def _collect(value: Any, wanted: dict[type[Model], set[Any]]) -> None:
    if isinstance(value, Model):
        wanted[type(value)].add(value.pk)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, wanted)
    elif isinstance(value, list | tuple):
        for item in value:
            _collect(item, wanted)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in vars(value).values():
            _collect(item, wanted)


def _rebuild(value: Any, found: dict[type[Model], dict[Any, Model]]) -> Any:
    if isinstance(value, Model):
        return found[type(value)][value.pk]
    if isinstance(value, dict):
        return {key: _rebuild(item, found) for key, item in value.items()}
    if isinstance(value, list):
        return [_rebuild(item, found) for item in value]
    if isinstance(value, tuple):
        return tuple(_rebuild(item, found) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        copy = dataclasses.replace(
            value, **{f.name: _rebuild(getattr(value, f.name), found) for f in dataclasses.fields(value) if f.init}
        )
        for name, item in vars(value).items():  # attributes a fixture added (world.frames …)
            if name not in {f.name for f in dataclasses.fields(value)}:
                setattr(copy, name, _rebuild(item, found))
        return copy
    return value


# --- calls ------------------------------------------------------------------------------


#: The folders whose call files tests never change: the real calls and the test fixtures.
STATIC_CALL_FOLDERS = (Path(__file__).resolve().parent.parent / "calls", Path(__file__).resolve().parent / "fixtures")


@cache
def _read_call_file(path: Path, digest: str):
    from tilskudd.calls.services import read_call_files

    [(_path, definition)] = read_call_files([path])
    return definition


def load_calls(paths: list[Path]) -> None:
    """``calls.services.load_call_files(paths)``; the real calls and the fixtures are read and validated
    once per test session (by content), any other file (a variant a test wrote) every time."""
    from tilskudd.calls.services import load_call, load_call_files

    paths = [Path(path) for path in paths]
    if not all(path.resolve().parent in STATIC_CALL_FOLDERS for path in paths):
        load_call_files(paths)
        return
    definitions = [(path, _read_call_file(path, hashlib.sha256(path.read_bytes()).hexdigest())) for path in paths]
    with transaction.atomic():
        for path, definition in definitions:
            load_call(definition, str(path))


# --- committed worlds: a snapshot of every table, put back for each test that commits -------------


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """Every row of every table, as model instances read with the base manager (the model order is Django's)."""

    rows: tuple[tuple[type[Model], tuple[Model, ...]], ...]


def _tables() -> list[type[Model]]:
    from django.apps import apps
    from django.db import router

    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.can_migrate(connection) and router.allow_migrate_model(connection.alias, model)
        # Rows the database's triggers write from the others (casework.totals): put back by those rows' inserts.
        and not getattr(model, "kept_by_database", False)
    ]


def take_snapshot() -> Snapshot:
    """What the database holds now, every table (for :func:`restore_snapshot`; the test database only)."""
    return Snapshot(tuple((model, tuple(model._base_manager.order_by("pk"))) for model in _tables()))


def restore_snapshot(snapshot: Snapshot) -> None:
    """Empty every table and put the snapshot's rows back, exactly (raw inserts: no ``save()``, no signals, no
    ``auto_now``), for a test that commits (``transactional_db``) and needs a world that takes long to build.

    What the test then changes is emptied by the flush after it, as for any such test. The sequences are set
    past the rows put back, so the test's own rows get new keys.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style

    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0, database=connection.alias)
    with transaction.atomic():
        for model, instances in snapshot.rows:
            if not instances:
                continue
            fields = list(model._meta.local_concrete_fields)
            batch = max(1, connection.ops.bulk_batch_size(fields, instances))
            for start in range(0, len(instances), batch):
                model._base_manager._insert(
                    instances[start : start + batch], fields=fields, raw=True, using=connection.alias
                )
        models = [model for model, instances in snapshot.rows if instances]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    ContentType.objects.clear_cache()
