"""The Enhetsregisteret client against a real HTTP server on loopback serving recorded answers."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from tests.orgs.conftest import (
    CITY_DISTRICT,
    CLIENT_TIMEOUT,
    COUNTY_AUTHORITY,
    DELETED,
    FAILING,
    MUNICIPALITY,
    NOT_FOUND,
    SLEEP,
    SLOW,
    VOLUNTARY,
)
from tilskudd.orgs import brreg
from tilskudd.rules.application import ApplicantType
from tilskudd.rules.validators import is_valid_org_number


def test_the_recorded_numbers_are_valid_and_never_a_real_organisations():
    # Real organisation numbers start with 8 or 9 (brreg.no); ours start with 1–7.
    for number in (MUNICIPALITY, COUNTY_AUTHORITY, VOLUNTARY, CITY_DISTRICT, DELETED, NOT_FOUND, SLOW, FAILING):
        assert is_valid_org_number(number), number
        assert number[0] not in "89", number


def test_a_municipality_is_mapped_to_our_fields(registry):
    entity = brreg.lookup(MUNICIPALITY)

    assert registry.requests == [f"/enhetsregisteret/api/enheter/{MUNICIPALITY}"]
    assert entity.org_number == MUNICIPALITY
    assert entity.name == "PRØVESTAD KOMMUNE"
    assert entity.org_form == "KOMM"
    assert entity.applicant_type is ApplicantType.MUNICIPALITY
    assert entity.deleted_on is None
    assert entity.organisation_fields() == {
        "name": "PRØVESTAD KOMMUNE",
        "org_form": "KOMM",
        "applicant_type": "municipality",
        # The business address; its empty and null lines are left out.
        "address": "Rådhusgata 1",
        "postal_code": "5998",
        "city": "PRØVESTAD",
        "municipality_number": "4699",
        "county": "46",  # Vestland: the first two digits of the municipality number
    }


def test_a_county_authority_with_a_two_line_address_and_a_founding_date(registry):
    entity = brreg.lookup(COUNTY_AUTHORITY)

    assert entity.applicant_type is ApplicantType.COUNTY_AUTHORITY
    fields = entity.organisation_fields()
    assert fields["address"] == "Fylkeshuset, Prøvevegen 3"
    assert fields["county"] == "50"
    assert fields["founded_on"] == dt.date(2018, 1, 1)
    assert "voluntary_registered" not in fields  # the registry's «no» is not taken as a fact


def test_a_voluntary_organisation_registered_in_frivillighetsregisteret(registry):
    entity = brreg.lookup(VOLUNTARY)

    assert entity.applicant_type is ApplicantType.VOLUNTARY_ORGANISATION
    assert entity.voluntary_registered is True
    assert entity.founded_on == dt.date(2019, 3, 14)
    assert entity.postal_address.is_empty  # this one has only a business address
    fields = entity.organisation_fields()
    assert fields["voluntary_registered"] is True
    assert fields["founded_on"] == dt.date(2019, 3, 14)
    assert fields["address"] == "c/o Prøvehuset, Prøvegata 12"
    assert (fields["postal_code"], fields["city"], fields["county"]) == ("0150", "OSLO", "03")
    # The registry does not say since when: the person gives the date.
    assert "voluntary_registered_on" not in fields


def test_an_oslo_city_district_is_a_city_district(registry):
    entity = brreg.lookup(CITY_DISTRICT)

    assert entity.org_form == "ORGL"
    assert entity.applicant_type is ApplicantType.CITY_DISTRICT
    assert entity.parent_org_number == "958935420"  # Oslo kommune
    assert entity.organisation_fields()["county"] == "03"


def test_a_deleted_entity_is_found_but_marked_deleted(registry):
    entity = brreg.lookup(DELETED)

    assert entity.deleted_on == dt.date(2021, 6, 30)
    assert entity.name == "PRØVEFORENINGEN SOM BLE SLETTET"


def test_spaces_in_the_number_are_allowed(registry):
    entity = brreg.lookup("210 000 003")

    assert entity.org_number == MUNICIPALITY
    assert registry.requests == [f"/enhetsregisteret/api/enheter/{MUNICIPALITY}"]


def test_not_found_is_a_clear_none(registry):
    assert brreg.lookup(NOT_FOUND) is None
    assert registry.requests == [f"/enhetsregisteret/api/enheter/{NOT_FOUND}"]


def test_an_invalid_number_is_refused_without_asking_the_registry(registry):
    with pytest.raises(ValueError):
        brreg.lookup("210000004")  # wrong check digit
    assert registry.requests == []


def test_a_registry_slower_than_the_timeout_is_unavailable(registry):
    started = time.monotonic()
    with pytest.raises(brreg.RegistryUnavailable):
        brreg.lookup(SLOW)
    elapsed = time.monotonic() - started

    assert CLIENT_TIMEOUT * 0.9 <= elapsed < SLEEP
    assert registry.requests == [f"/enhetsregisteret/api/enheter/{SLOW}"]


def test_a_server_error_is_unavailable(registry):
    with pytest.raises(brreg.RegistryUnavailable, match="500"):
        brreg.lookup(FAILING)


def test_a_registry_nobody_answers_at_is_unavailable(registry_down):
    with pytest.raises(brreg.RegistryUnavailable):
        brreg.lookup(MUNICIPALITY)


def test_an_answer_that_is_not_json_is_unavailable(registry, settings):
    settings.BRREG_BASE_URL = registry.base_url + "/broken"
    with pytest.raises(brreg.RegistryUnavailable):
        brreg.lookup(MUNICIPALITY)


def test_json_that_is_not_an_entity_is_refused():
    with pytest.raises(ValueError):
        brreg.parse_entity({"status": 404, "error": "Not Found"})


def test_tests_never_reach_the_real_registry_by_default():
    from django.conf import settings

    assert settings.BRREG_BASE_URL.startswith("http://127.0.0.1")


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        ("KOMM", "PRØVESTAD KOMMUNE", ApplicantType.MUNICIPALITY),
        ("FYLK", "PRØVELAND FYLKESKOMMUNE", ApplicantType.COUNTY_AUTHORITY),
        ("FLI", "PRØVELAGET", ApplicantType.VOLUNTARY_ORGANISATION),
        ("STI", "PRØVESTIFTELSEN", ApplicantType.FOUNDATION),
        ("AS", "PRØVE AS", ApplicantType.COMPANY),
        ("ORGL", "BYDEL PRØVEBYEN", ApplicantType.CITY_DISTRICT),
        ("ORGL", "Oslo kommune bydel Prøvebyen", ApplicantType.CITY_DISTRICT),
        ("ORGL", "PRØVESTAD KOMMUNE SKOLEETATEN", None),
        ("XYZ", "UKJENT", None),
        ("", "", None),
    ],
)
def test_organisation_form_to_applicant_type(code, name, expected):
    assert brreg.applicant_type_for(code, name) is expected
