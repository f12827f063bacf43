"""The demo organisations and people. Fictional people; e-mail addresses under .example.

Bergen kommune and Vestland fylkeskommune are real public bodies (Vestland is the
first county on C1's allow-list). The two voluntary organisations are made up;
their organisation numbers are only MOD11-valid, not looked up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

DEMO_PASSWORD = "Demo-passord-2026"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    role: str  # member, signatory, administrator
    title: str


@dataclass(frozen=True)
class DemoOrganisation:
    org_number: str
    name: str
    applicant_type: str
    org_form: str
    county: str
    municipality_number: str
    address: str
    postal_code: str
    city: str
    bank_account: str
    email: str
    phone: str
    people: tuple[DemoPerson, ...]
    founded_years_ago: int | None = None
    voluntary_register_years_ago: int | None = None
    counties_activity: tuple[str, ...] = field(default=())
    counties_members: tuple[str, ...] = field(default=())
    counties_branches: tuple[str, ...] = field(default=())

    def founded_on(self, today: dt.date) -> dt.date | None:
        return _years_before(today, self.founded_years_ago)

    def registered_on(self, today: dt.date) -> dt.date | None:
        return _years_before(today, self.voluntary_register_years_ago)


def _years_before(today: dt.date, years: int | None) -> dt.date | None:
    if years is None:
        return None
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


ORGANISATIONS = (
    DemoOrganisation(
        org_number="964338531",
        name="Bergen kommune",
        applicant_type="municipality",
        org_form="KOMM",
        county="46",
        municipality_number="4601",
        address="Rådhusgaten 10",
        postal_code="5014",
        city="Bergen",
        bank_account="12345678903",
        email="postmottak@bergen.example",
        phone="55 56 55 56",
        people=(
            DemoPerson("prosjektleder@bergen.example", "Ingrid Prosjektleder", "member", "prosjektleder"),
            DemoPerson("kommunedirektor@bergen.example", "Rolf Rådmann", "signatory", "kommunedirektør"),
            DemoPerson("admin@bergen.example", "Aina Administrator", "administrator", "rådgiver"),
        ),
    ),
    DemoOrganisation(
        org_number="821311632",
        name="Vestland fylkeskommune",
        applicant_type="county_authority",
        org_form="FYLK",
        county="46",
        municipality_number="4601",
        address="Agnes Mowinckels gate 5",
        postal_code="5008",
        city="Bergen",
        bank_account="86011117947",
        email="post@vestland.example",
        phone="55 63 90 00",
        people=(
            DemoPerson("radgiver@vestland.example", "Kari Rådgiver", "member", "rådgiver"),
            DemoPerson("fylkesdirektor@vestland.example", "Frode Fylkesdirektør", "signatory", "fylkeskommunedirektør"),
        ),
    ),
    DemoOrganisation(
        org_number="919900016",
        name="Flerkulturelt ressurssenter (demo)",
        applicant_type="voluntary_organisation",
        org_form="FLI",
        county="03",
        municipality_number="0301",
        address="Storgata 1",
        postal_code="0155",
        city="Oslo",
        bank_account="15030522238",
        email="post@ressurssenter.example",
        phone="22 00 00 00",
        founded_years_ago=5,
        voluntary_register_years_ago=5,
        counties_activity=("03", "32", "46", "50"),
        counties_members=("03", "32", "46", "50", "55"),
        people=(
            DemoPerson("styreleder@ressurssenter.example", "Samira Styreleder", "signatory", "styreleder"),
            DemoPerson("frivillig@ressurssenter.example", "Ola Frivillig", "member", "prosjektmedarbeider"),
        ),
    ),
    DemoOrganisation(
        org_number="919900024",
        name="Nabolagsvenner Tromsø (demo)",
        applicant_type="voluntary_organisation",
        org_form="FLI",
        county="55",
        municipality_number="5501",
        address="Storgata 50",
        postal_code="9008",
        city="Tromsø",
        bank_account="96200510043",
        email="post@nabolagsvenner.example",
        phone="77 00 00 00",
        founded_years_ago=1,
        voluntary_register_years_ago=1,
        counties_activity=("55",),
        people=(DemoPerson("leder@nabolagsvenner.example", "Nils Leder", "signatory", "styreleder"),),
    ),
)

STAFF = (DemoPerson("saksbehandler@imdi.example", "Siri Saksbehandler", "staff", "seniorrådgiver, IMDi"),)

#: Demo copies of the calls stay open this many days from the day the demo data is loaded.
DEMO_CALL_DAYS_OPEN = 60
#: The demo copy of a call has the real call's id with this after it (``c0-…-demo``).
DEMO_SUFFIX = "-demo"
