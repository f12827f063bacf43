"""The queue's search finds a name in part and, on PostgreSQL, misspelt or without its accents (issue #13, point 9).

On SQLite (the fast lane) the search is ``icontains``; run the PostgreSQL half with
``DATABASE_URL=postgres://…``.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.accounts.helpers import login_verified
from tests.casework.helpers import queue_rows
from tests.staff_world import C0, C2
from tilskudd.casework.search import has_unaccent

needs_postgres = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="pg_trgm and unaccent; run with DATABASE_URL=postgres://…"
)


def _found(client, world, slug, search):
    response = client.get(f"/saksbehandling/utlysninger/{world.calls[slug].slug}/", {"q": search})
    assert response.status_code == 200
    return queue_rows(response.content.decode())


@pytest.fixture
def desk(casework_world, client):
    login_verified(client, casework_world.staff["caseworker"])
    return casework_world, client


def test_part_of_a_name_or_title_finds_the_case_in_any_case(desk):
    world, client = desk
    assert len(_found(client, world, C0, "trondh")) == 2
    (row,) = _found(client, world, C0, "STAVANG")
    assert "Stavanger kommune" in row
    (row,) = _found(client, world, C0, "introduksjon")
    assert "Oslo kommune" in row


def test_a_word_like_no_name_finds_nothing(desk):
    world, client = desk
    assert _found(client, world, C0, "finnes-ikke") == []
    assert _found(client, world, C0, "xyzzy") == []


@needs_postgres
def test_a_misspelt_name_is_found_on_postgresql(desk):
    world, client = desk
    assert connection.vendor == "postgresql"
    rows = _found(client, world, C0, "trondhiem")
    assert len(rows) == 2 and all("Trondheim kommune" in row for row in rows)
    (row,) = _found(client, world, C0, "stavnger")  # one row: a misspelt word finds only what is like it
    assert "Stavanger kommune" in row


@needs_postgres
def test_a_name_without_its_accents_is_found_on_postgresql(desk):
    world, client = desk
    if not has_unaccent():
        pytest.skip("this PostgreSQL has no unaccent extension")
    seen = _found(client, world, C2, "")
    with_ring = [row for row in seen if "Delmål" in row]  # both titles begin «Delmål A …»
    assert len(with_ring) == 2
    assert _found(client, world, C2, "delmal") == with_ring
    assert _found(client, world, C2, "DELMÅL") == with_ring
