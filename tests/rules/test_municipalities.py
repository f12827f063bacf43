"""The reference list of C2's 20 municipalities (src/tilskudd/rules/reference/municipalities.yaml)."""

import pytest

from tilskudd.rules.reference import county_codes
from tilskudd.rules.reference.municipalities import by_key, by_name, by_org_number, municipalities
from tilskudd.rules.validators import is_valid_org_number

# The names as the call text lists them (shared/seeds/002_…, C2-R02).
C2_NAMES = {
    "Arendal", "Bergen", "Bodø", "Bærum", "Drammen", "Fredrikstad", "Gjøvik", "Hamar", "Kristiansand",
    "Lillestrøm", "Oslo", "Sandefjord", "Sandnes", "Sarpsborg", "Skien", "Stavanger", "Tromsø",
    "Trondheim", "Tønsberg", "Ålesund",
}


def test_the_list_has_exactly_the_twenty_municipalities_of_the_call():
    names = [m.name for m in municipalities()]
    assert len(names) == 20
    assert set(names) == C2_NAMES


@pytest.mark.parametrize("municipality", municipalities(), ids=lambda m: m.key)
def test_every_organisation_number_passes_mod11(municipality):
    assert is_valid_org_number(municipality.org_number), municipality.name


@pytest.mark.parametrize("municipality", municipalities(), ids=lambda m: m.key)
def test_every_row_has_numbers_of_the_right_shape_and_a_source(municipality):
    assert len(municipality.municipality_number) == 4 and municipality.municipality_number.isdigit()
    assert len(municipality.municipality_number_2024) == 4 and municipality.municipality_number_2024.isdigit()
    # The county number (2024) is the first two digits of the 2024 municipality number.
    assert municipality.county == municipality.municipality_number_2024[:2]
    assert municipality.county in county_codes()
    assert municipality.source.strip()


def test_organisation_numbers_and_keys_are_unique():
    assert len({m.org_number for m in municipalities()}) == 20
    assert len({m.key for m in municipalities()}) == 20


def test_look_up_by_organisation_number():
    bergen = by_org_number("964338531")
    assert bergen is not None and bergen.name == "Bergen"
    assert by_org_number("964 338 531") == bergen  # as people write it
    assert by_org_number("987879696") is None  # IMDi is not a municipality
    assert by_org_number("") is None


def test_look_up_by_name():
    assert by_name("Tromsø").org_number == "940101808"
    assert by_name("ålesund kommune").key == "alesund"
    assert by_name("  Bærum   kommune ").municipality_number == "3024"
    assert by_name("Asker") is None  # not one of the 20


def test_look_up_by_key_and_grantor_ref():
    assert by_key("oslo").org_number == "958935420"
    assert by_key("c2:oslo") == by_key("oslo")
    assert by_key("c2:oslo").ref == "c2:oslo"
    assert by_key("c2:oslo").full_name == "Oslo kommune"


def test_municipalities_merged_in_2020_carry_a_note():
    for name in ("Drammen", "Kristiansand", "Lillestrøm", "Tønsberg", "Ålesund"):
        assert "2020" in by_name(name).note, name
