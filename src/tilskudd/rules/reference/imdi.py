"""IMDi's regional offices (*regionkontorer*) and routing of applications (C0-R27).

``imdi.yaml`` says which counties (2024 numbers) each office covers, with its
sources and the reading it takes where coverage after the county reform cannot
be verified. :func:`route` picks the contact person (*kontaktperson*) for an
application: the office of the applicant's county, then the contact for the
application's priority area, or the office's contact for every area (``"*"``).

Pure Python, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from tilskudd.rules.application import Application
from tilskudd.rules.reference import _load, county_codes
from tilskudd.rules.schema import CallDefinition, RoutingContact

#: The key of a routing contact that covers every area not named.
ANY_AREA = "*"


@dataclass(frozen=True)
class RegionalOffice:
    name: str
    counties: frozenset[str]


@cache
def regional_offices() -> tuple[RegionalOffice, ...]:
    rows = _load("imdi.yaml")["offices"]
    return tuple(RegionalOffice(str(row["name"]), frozenset(str(code) for code in row["counties"])) for row in rows)


@cache
def _office_by_county() -> dict[str, str]:
    table: dict[str, str] = {}
    for office in regional_offices():
        for code in office.counties:
            if code in table:
                raise ValueError(f"imdi.yaml: county {code} is under both {table[code]} and {office.name}")
            table[code] = office.name
    return table


def regional_office_for_county(code: str) -> str:
    """The name of the IMDi office that covers county ``code`` (2024 number, e.g. ``"46"``).

    Raises ``KeyError`` for a code that is not a county.
    """
    code = str(code).strip()
    if code.isdigit() and len(code) == 1:
        code = f"0{code}"
    try:
        return _office_by_county()[code]
    except KeyError:
        raise KeyError(f"'{code}' is not a county number (known: {', '.join(sorted(county_codes()))})") from None


def route(call: CallDefinition, application: Application) -> RoutingContact | None:
    """The contact who handles ``application`` under ``call`` (C0-R27), or None.

    The office is that of ``applicant.county``; within the office, the contact
    for the application's area (key = area id), else the contact for every
    area (``"*"``). None where the call routes by regional office but the
    application gives no known county, the call has no such office, or the
    office names no contact for the area.
    """
    routing = call.routing
    if routing is None or routing.by != "regional_office":
        return None
    county = application.applicant.county
    if not county:
        return None
    try:
        office_name = regional_office_for_county(county)
    except KeyError:
        return None
    office = next((o for o in routing.offices if o.office == office_name), None)
    if office is None:
        return None
    for area in application.areas:
        if area in office.contacts:
            return office.contacts[area]
    return office.contacts.get(ANY_AREA)
