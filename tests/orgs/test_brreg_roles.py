"""The Enhetsregisteret roles client (``/enheter/{orgnr}/roller``) against a real HTTP server on
loopback serving a recorded answer (tests/orgs/recorded/roller/): the chair, the general manager and
who signs, with timeouts and a clear failure when the registry does not answer (issue #13, point 4)."""

from __future__ import annotations

import time

import pytest

from tests.orgs.conftest import CLIENT_TIMEOUT, FAILING, MUNICIPALITY, NOT_FOUND, SLEEP, SLOW, VOLUNTARY
from tilskudd.orgs import brreg


def test_the_chair_the_manager_and_who_signs_are_read(registry):
    roles = brreg.lookup_roles(VOLUNTARY)

    assert registry.requests == [f"/enhetsregisteret/api/enheter/{VOLUNTARY}/roller"]
    assert [(role.kind, role.name) for role in roles.roles] == [
        ("LEDE", "Kari Prøve Nordmann"),
        ("DAGL", "Per Prøvesen"),
        ("SIGN", "Kari Prøve Nordmann"),
        ("SIGN", "Ali Hassan"),
        ("PROK", "Per Prøvesen"),
    ]
    assert roles.of("LEDE")[0].label == ("Styreleder", "Chair of the board")
    # Prokura comes as its own role type (hver for seg) inside the PROK group; the group decides.
    assert roles.of("PROK")[0].description == "Prokura hver for seg"


def test_board_members_who_stepped_down_and_roles_held_by_entities_are_left_out(registry):
    names = {role.name for role in brreg.lookup_roles(VOLUNTARY).roles}
    assert "Gamle Leder" not in names  # fratraadt
    assert "PRØVEREVISJON AS" not in names  # the auditor signs nothing
    assert "Ali Hassan" in names  # as a signatory, not as deputy chair (NEST is not shown)


def test_a_name_matches_with_or_without_the_middle_name(registry):
    roles = brreg.lookup_roles(VOLUNTARY)
    assert [role.kind for role in roles.roles_of("Kari Nordmann")] == ["LEDE", "SIGN"]
    assert [role.kind for role in roles.roles_of("kari  prøve NORDMANN")] == ["LEDE", "SIGN"]
    assert roles.roles_of("Kari Hansen") == ()
    assert roles.roles_of("Nordmann") == ()  # one word is not a name to match
    assert roles.roles_of("Kari Annen Nordmann") == ()  # a different middle name is a different person


def test_an_entity_with_no_roles_recorded_answers_with_no_roles(registry):
    # The municipality's entity is recorded but not its roles: the registry's 404 for the roles.
    assert brreg.lookup_roles(MUNICIPALITY) is None
    assert brreg.lookup_roles(NOT_FOUND) is None


def test_an_empty_list_of_groups_is_no_roles():
    roles = brreg.parse_roles(VOLUNTARY, {"rollegrupper": []})
    assert roles.is_empty


def test_a_slow_registry_times_out_with_a_clear_error(registry):
    started = time.monotonic()
    with pytest.raises(brreg.RegistryUnavailable, match="could not be reached"):
        brreg.lookup_roles(SLOW)
    assert time.monotonic() - started < SLEEP
    assert time.monotonic() - started >= CLIENT_TIMEOUT * 0.9


def test_a_failing_or_unreachable_registry_is_unavailable(registry):
    with pytest.raises(brreg.RegistryUnavailable, match="HTTP 500"):
        brreg.lookup_roles(FAILING)


def test_a_registry_where_nothing_listens_is_unavailable(registry_down):
    with pytest.raises(brreg.RegistryUnavailable, match="could not be reached"):
        brreg.lookup_roles(VOLUNTARY)


def test_an_answer_that_is_not_roles_is_unavailable():
    with pytest.raises(ValueError):
        brreg.parse_roles(VOLUNTARY, {"rollegrupper": "nei"})


def test_an_invalid_number_is_never_asked(registry):
    with pytest.raises(ValueError):
        brreg.lookup_roles("123456789")
    assert registry.requests == []
