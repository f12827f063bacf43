"""The queue's search finds a name in part and, on PostgreSQL, misspelt or without its accents (issue #13, point 9).

On SQLite (the fast lane) the search is ``icontains``; run the PostgreSQL half with
``DATABASE_URL=postgres://…``.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests.accounts.helpers import login_verified
from tests.casework.conftest import visible_text
from tests.casework.helpers import queue_rows
from tests.staff_world import C0, C2
from tilskudd.casework import search, services
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


@pytest.mark.parametrize("wildcard", ["%", "_", "%%", "\\"])
def test_a_wildcard_is_searched_for_as_itself(desk, wildcard):
    """LIKE's % and _ are the characters themselves: no name or title here holds one, so nothing is found
    (unescaped, «%» found every case in the queue)."""
    world, client = desk
    assert _found(client, world, C0, wildcard) == []


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


def test_nine_digits_are_an_organisation_number_and_find_that_organisation_only(desk):
    world, client = desk
    (row,) = _found(client, world, C0, "964965226")
    assert "Stavanger kommune" in row
    assert _found(client, world, C0, " 964 965 226 ") == [row]  # as it is often written
    rows = _found(client, world, C0, "958935420")
    assert rows and all("Oslo kommune 958935420" in r for r in rows)
    assert _found(client, world, C0, "999999999") == []  # no organisation has it: nothing, not a fuzzy match


def _capped(monkeypatch, cap: int) -> None:
    monkeypatch.setattr(search, "CAP", cap)


@needs_postgres
def test_a_common_word_walks_the_queue_and_finds_what_the_index_lookup_finds(casework_world, monkeypatch):
    world = casework_world
    user = world.staff["caseworker"]
    searches = ["kommune", "trondh", "stavnger", "introduksjon", "delmal", "26/", "9649", "xyzzy"]

    def found() -> dict:
        return {
            (slug, s): [case.pk for case in services.queue_cases(user, world.calls[slug], {"q": s})]
            for slug in (C0, C2)
            for s in searches
        }

    looked_up = found()
    assert not any(search.capped(services.queue_cases(user, world.calls[C0], {"q": s})) for s in searches)
    _capped(monkeypatch, 0)  # every word is «common»: each row is tested, in case-number order
    assert search.capped(services.queue_cases(user, world.calls[C0], {"q": "kommune"}))
    assert found() == looked_up
    assert sum(bool(cases) for cases in looked_up.values()) >= 6


@needs_postgres
def test_a_common_words_count_stops_at_the_cap_and_says_so(desk, monkeypatch):
    world, client = desk
    everyone = _found(client, world, C0, "kommune")
    assert len(everyone) > 3
    _capped(monkeypatch, 3)
    response = client.get(f"/saksbehandling/utlysninger/{world.calls[C0].slug}/", {"q": "kommune"})
    text = visible_text(response.content.decode())
    assert "Over 3 søknader passer til søket. Vi teller ikke videre" in text
    assert queue_rows(response.content.decode()) == everyone[:3]  # the first of them, in order
    # a rare word is still counted exactly
    response = client.get(f"/saksbehandling/utlysninger/{world.calls[C0].slug}/", {"q": "stavanger"})
    assert "1 søknad passer til filtrene." in visible_text(response.content.decode())
