"""IMDi's regional offices and routing of applications to a contact (C0-R27)."""

import json
import re

import pytest

from tilskudd.rules import Application, load_call_file
from tilskudd.rules.reference import counties
from tilskudd.rules.reference.imdi import ANY_AREA, regional_office_for_county, regional_offices, route
from tests.conftest import CALLS_DIR, FIXTURES, ROOT, SPEC_DIR

C0_FILE = CALLS_DIR / "kommunale-integreringstiltak-2019.yaml"
C0_SEED = SPEC_DIR.parent / "seeds" / "000_bba4e28718609ce5.txt"
OFFICE_NAMES = {"IMDi Øst", "IMDi Indre Øst", "IMDi Sør", "IMDi Vest", "IMDi Midt-Norge", "IMDi Nord"}


@pytest.fixture(scope="module")
def c0():
    return load_call_file(C0_FILE)


def application(county: str | None, areas: list[str]) -> Application:
    data = json.loads((ROOT / "examples" / "kommunale-integreringstiltak-2019" / "omrade-5-godkjent.json").read_text())
    data["applicant"]["county"] = county
    data["areas"] = areas
    return Application.model_validate(data)


# --- the table of offices -------------------------------------------------------


def test_the_six_offices_of_the_call():
    assert {office.name for office in regional_offices()} == OFFICE_NAMES


def test_every_county_has_exactly_one_office():
    codes = [code for office in regional_offices() for code in office.counties]
    assert len(codes) == len(set(codes)), "a county is under two offices"
    assert set(codes) == {county.code for county in counties()}


@pytest.mark.parametrize(
    ("code", "office"),
    [
        ("03", "IMDi Øst"),  # Oslo
        ("32", "IMDi Øst"),  # Akershus
        ("34", "IMDi Indre Øst"),  # Innlandet = Hedmark + Oppland
        ("33", "IMDi Indre Øst"),  # Buskerud
        ("42", "IMDi Sør"),  # Agder
        ("46", "IMDi Vest"),  # Vestland = Hordaland + Sogn og Fjordane
        ("50", "IMDi Midt-Norge"),  # Trøndelag
        ("56", "IMDi Nord"),  # Finnmark
    ],
)
def test_office_for_county(code, office):
    assert regional_office_for_county(code) == office


def test_a_one_digit_oslo_code_is_read_as_03():
    assert regional_office_for_county("3") == "IMDi Øst"


@pytest.mark.parametrize("code", ["12", "99", "", "Vestland"])
def test_a_code_that_is_not_a_2024_county_is_refused(code):
    # 12 was Hordaland before 2020; the table uses the 2024 numbers only.
    with pytest.raises(KeyError):
        regional_office_for_county(code)


# --- routing under C0 -----------------------------------------------------------


def test_area_1_goes_to_the_area_1_contact_of_the_office(c0):
    contact = route(c0, application("46", ["1"]))
    vest = next(o for o in c0.routing.offices if o.office == "IMDi Vest")
    assert contact == vest.contacts["1"]
    assert contact.email == "lja@imdi.no"


@pytest.mark.parametrize("area", ["2", "3", "4", "5"])
def test_areas_2_to_5_go_to_the_other_contact(c0, area):
    contact = route(c0, application("03", [area]))
    ost = next(o for o in c0.routing.offices if o.office == "IMDi Øst")
    assert contact == ost.contacts[ANY_AREA]
    assert contact != ost.contacts["1"]


@pytest.mark.parametrize("area", ["1", "3"])
def test_nord_has_one_contact_for_every_area(c0, area):
    assert route(c0, application("18", [area])).name == "Carl Georg Næss"


@pytest.mark.parametrize("county", [None, "", "12", "99"])
def test_no_contact_without_a_known_county(c0, county):
    assert route(c0, application(county, ["1"])) is None


def test_no_contact_when_the_call_has_no_routing():
    call = load_call_file(FIXTURES / "minimal_call.yaml")
    assert call.routing is None
    assert route(call, application("03", ["1"])) is None


def test_every_office_of_the_call_is_in_the_table_and_covers_every_area(c0):
    assert {office.office for office in c0.routing.offices} == OFFICE_NAMES
    for office in c0.routing.offices:
        assert ANY_AREA in office.contacts, office.office
        expected = {ANY_AREA} if office.office == "IMDi Nord" else {"1", ANY_AREA}
        assert set(office.contacts) == expected, office.office


@pytest.mark.skipif(not C0_SEED.exists(), reason=f"{C0_SEED} is absent (the seed texts are not part of the repository)")
def test_every_contact_is_as_printed_in_the_call_text(c0):
    text = re.sub(r"\s+", " ", C0_SEED.read_text(encoding="utf-8"))
    contacts = [c for office in c0.routing.offices for c in office.contacts.values()]
    for contact in contacts:
        assert f"{contact.name}, tlf. {contact.phone}, {contact.email}" in text, contact
    assert f"IMDis sentralbord: {c0.routing.switchboard}" in text
