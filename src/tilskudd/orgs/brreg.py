"""A small client for Brønnøysundregistrene's open Enhetsregisteret API.

``GET {BRREG_BASE_URL}/enhetsregisteret/api/enheter/{orgnr}`` gives a main
entity (*hovedenhet*) as JSON. We read the fields an applicant needs and map
them to :class:`tilskudd.orgs.models.Organisation`'s fields.

The response shape follows the API's documentation
(https://data.brreg.no/enhetsregisteret/api/dokumentasjon/no/index.html; the
OpenAPI file in github.com/brreg/openAPI, ``specs/enhetsregisteret.json``) and
the recorded responses in the python-brreg client's tests
(github.com/crdbrd/python-brreg, ``tests/data/enheter-details-response.json``).

Answers:

* 200 → :class:`RegistryEntity` (with ``deleted_on`` set when the registry
  says the entity is deleted, *slettet*);
* 404, 410 (*fjernet*) → ``None``: not found;
* anything else, a timeout, a refused connection or JSON we cannot read →
  :class:`RegistryUnavailable`. The person then types the data themselves and
  it is stored as not confirmed against the registry.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings

from tilskudd.rules.application import ApplicantType
from tilskudd.rules.reference import county_codes
from tilskudd.rules.validators import digits_only, is_valid_org_number

T = TypeVar("T")

DEFAULT_BASE_URL = "https://data.brreg.no"
DEFAULT_TIMEOUT = 3.0
USER_AGENT = "tilskudd/0.1 (grant administration; Python urllib)"


class RegistryUnavailable(Exception):
    """Enhetsregisteret could not be asked: unreachable, too slow, or it answered with an error."""


#: Organisation form code (*organisasjonsformkode*) → applicant type.
#: ORGL (*organisasjonsledd*) is decided by the name: see :func:`applicant_type_for`.
ORG_FORM_APPLICANT_TYPES: dict[str, ApplicantType] = {
    "KOMM": ApplicantType.MUNICIPALITY,  # kommune
    "FYLK": ApplicantType.COUNTY_AUTHORITY,  # fylkeskommune
    "FLI": ApplicantType.VOLUNTARY_ORGANISATION,  # forening/lag/innretning
    "STI": ApplicantType.FOUNDATION,  # stiftelse
    "AS": ApplicantType.COMPANY,  # aksjeselskap
    "ASA": ApplicantType.COMPANY,  # allmennaksjeselskap
    "ENK": ApplicantType.COMPANY,  # enkeltpersonforetak
    "ANS": ApplicantType.COMPANY,  # ansvarlig selskap
    "DA": ApplicantType.COMPANY,  # selskap med delt ansvar
    "SA": ApplicantType.COMPANY,  # samvirkeforetak
    "STAT": ApplicantType.STATE_AGENCY,  # staten
}

#: Plain names of the forms we map, for the pages (bokmål, English).
ORG_FORM_NAMES: dict[str, tuple[str, str]] = {
    "KOMM": ("Kommune", "Municipality"),
    "FYLK": ("Fylkeskommune", "County authority"),
    "FLI": ("Forening/lag/innretning", "Association"),
    "STI": ("Stiftelse", "Foundation"),
    "AS": ("Aksjeselskap", "Limited company"),
    "ASA": ("Allmennaksjeselskap", "Public limited company"),
    "ENK": ("Enkeltpersonforetak", "Sole proprietorship"),
    "ANS": ("Ansvarlig selskap", "General partnership"),
    "DA": ("Selskap med delt ansvar", "Partnership with shared liability"),
    "SA": ("Samvirkeforetak", "Cooperative"),
    "STAT": ("Staten", "The state"),
    "ORGL": ("Organisasjonsledd", "Organisational unit"),
}


def applicant_type_for(org_form: str, name: str) -> ApplicantType | None:
    """The applicant type for an organisation form code, or None when the form does not tell.

    Oslo's city districts (*bydeler*) are organisational units (ORGL) of Oslo
    kommune; we recognise them by a name that starts with «Bydel» (also after
    «Oslo kommune»). unverified: the exact form of the districts' registered
    names; the registry's own data was not available to check.
    """
    code = (org_form or "").strip().upper()
    if code == "ORGL":
        words = " ".join((name or "").upper().split())
        if words.startswith("OSLO KOMMUNE "):
            words = words.removeprefix("OSLO KOMMUNE ").lstrip(", -")
        return ApplicantType.CITY_DISTRICT if words.startswith("BYDEL") else None
    return ORG_FORM_APPLICANT_TYPES.get(code)


@dataclass(frozen=True)
class RegistryAddress:
    lines: tuple[str, ...] = ()
    postal_code: str = ""
    city: str = ""
    municipality_number: str = ""
    municipality: str = ""
    country_code: str = ""

    @property
    def street(self) -> str:
        return ", ".join(self.lines)

    @property
    def is_empty(self) -> bool:
        return not (self.lines or self.postal_code or self.city or self.municipality_number)


@dataclass(frozen=True)
class RegistryEntity:
    """What Enhetsregisteret says about a main entity (*hovedenhet*)."""

    org_number: str
    name: str
    org_form: str
    org_form_description: str
    applicant_type: ApplicantType | None
    business_address: RegistryAddress
    postal_address: RegistryAddress
    founded_on: dt.date | None
    registered_on: dt.date | None
    voluntary_registered: bool
    parent_org_number: str = ""
    deleted_on: dt.date | None = None
    bankrupt: bool = False
    under_liquidation: bool = False
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def address(self) -> RegistryAddress:
        """The business address (*forretningsadresse*), else the postal address."""
        return self.business_address if not self.business_address.is_empty else self.postal_address

    @property
    def county(self) -> str:
        """The county number: the first two digits of the municipality number, when that is a county."""
        number = self.address.municipality_number or self.postal_address.municipality_number
        prefix = number[:2]
        return prefix if len(number) == 4 and prefix in county_codes() else ""

    def organisation_fields(self) -> dict[str, Any]:
        """The :class:`Organisation` fields the registry gives (only those it has a value for)."""
        address = self.address
        values: dict[str, Any] = {
            "name": self.name,
            "org_form": self.org_form,
            "applicant_type": self.applicant_type.value if self.applicant_type else "",
            "address": address.street,
            "postal_code": address.postal_code,
            "city": address.city,
            "municipality_number": address.municipality_number or self.postal_address.municipality_number,
            "county": self.county,
            "founded_on": self.founded_on,
        }
        fields = {key: value for key, value in values.items() if value not in ("", None)}
        # The registry says yes or no; only a yes is worth filling in (a no may be out of date).
        if self.voluntary_registered:
            fields["voluntary_registered"] = True
        return fields


# --- reading the JSON --------------------------------------------------------------


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _address(data: Any) -> RegistryAddress:
    if not isinstance(data, dict):
        return RegistryAddress()
    lines = tuple(line.strip() for line in data.get("adresse") or [] if isinstance(line, str) and line.strip())
    return RegistryAddress(
        lines=lines,
        postal_code=_text(data.get("postnummer")),
        city=_text(data.get("poststed")),
        municipality_number=_text(data.get("kommunenummer")),
        municipality=_text(data.get("kommune")),
        country_code=_text(data.get("landkode")),
    )


def parse_entity(data: dict[str, Any]) -> RegistryEntity:
    """Map the API's JSON for one entity. Raises ValueError when it is not an entity."""
    if not isinstance(data, dict) or not _text(data.get("organisasjonsnummer")):
        raise ValueError("the response is not an entity")
    form = data.get("organisasjonsform") if isinstance(data.get("organisasjonsform"), dict) else {}
    name = _text(data.get("navn"))
    code = _text(form.get("kode")).upper()
    return RegistryEntity(
        org_number=_text(data.get("organisasjonsnummer")),
        name=name,
        org_form=code,
        org_form_description=_text(form.get("beskrivelse")),
        applicant_type=applicant_type_for(code, name),
        business_address=_address(data.get("forretningsadresse")),
        postal_address=_address(data.get("postadresse")),
        founded_on=_date(data.get("stiftelsesdato")),
        registered_on=_date(data.get("registreringsdatoEnhetsregisteret")),
        voluntary_registered=data.get("registrertIFrivillighetsregisteret") is True,
        parent_org_number=_text(data.get("overordnetEnhet")),
        deleted_on=_date(data.get("slettedato")),
        bankrupt=data.get("konkurs") is True,
        under_liquidation=data.get("underAvvikling") is True
        or data.get("underTvangsavviklingEllerTvangsopplosning") is True,
        raw=data,
    )


# --- asking the registry -----------------------------------------------------------


def base_url() -> str:
    return (getattr(settings, "BRREG_BASE_URL", "") or DEFAULT_BASE_URL).rstrip("/")


def timeout() -> float:
    return float(getattr(settings, "BRREG_TIMEOUT", DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT)


def entity_url(org_number: str) -> str:
    return f"{base_url()}/enhetsregisteret/api/enheter/{org_number}"


def lookup(org_number: str) -> RegistryEntity | None:
    """The entity with this organisation number, or None when the registry does not know it.

    Raises ValueError for a number that fails the MOD11 check (we never ask
    the registry about those) and :class:`RegistryUnavailable` when the
    registry cannot answer.
    """
    number = _checked(org_number)
    return _ask(entity_url(number), parse_entity)


def _checked(org_number: str) -> str:
    """The 9 digits of ``org_number``, or ValueError when they fail the MOD11 check (never sent to the registry)."""
    number = digits_only(org_number)
    if not is_valid_org_number(number):
        raise ValueError(f"{org_number!r} is not a valid organisation number")
    return number


def _ask(url: str, parse: Callable[[dict[str, Any]], T]) -> T | None:
    """GET ``url`` from Enhetsregisteret and ``parse`` its JSON: None when it does not know the entity (404, 410),
    :class:`RegistryUnavailable` when it cannot be reached, answers with an error or an answer that cannot be read."""
    request = urllib.request.Request(  # noqa: S310 (https or test loopback)
        url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout()) as response:  # noqa: S310 (https or test loopback)
            body = response.read()
    except urllib.error.HTTPError as error:
        error.close()
        if error.code in (404, 410):
            return None
        raise RegistryUnavailable(f"Enhetsregisteret answered HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        raise RegistryUnavailable(f"Enhetsregisteret could not be reached: {error}") from error
    try:
        return parse(json.loads(body.decode("utf-8")))
    except (UnicodeDecodeError, ValueError) as error:
        raise RegistryUnavailable("Enhetsregisteret's answer could not be read") from error


# --- roles (*roller*) --------------------------------------------------------------
#
# ``GET {BRREG_BASE_URL}/enhetsregisteret/api/enheter/{orgnr}/roller`` gives the entity's roles in
# groups (``rollegrupper``): each group has a ``type`` (``kode``, ``beskrivelse``) and ``roller``, each
# role a ``type`` and either a ``person`` (``navn.fornavn``/``mellomnavn``/``etternavn``) or an
# ``enhet`` (another entity, e.g. the auditor), and ``fratraadt`` when the person has stepped down.
# We read the chair (LEDE, in the board group STYR), the general manager (DAGL) and who signs: the
# signature group (SIGN) and the procuration group (PROK, its roles POHV/POFE…) with their persons.

#: The role groups and roles we show the grantor, in the order shown (bokmål, English).
ROLE_LABELS: dict[str, tuple[str, str]] = {
    "LEDE": ("Styreleder", "Chair of the board"),
    "DAGL": ("Daglig leder", "General manager"),
    "SIGN": ("Signatur", "Signature"),
    "PROK": ("Prokura", "Procuration"),
}


@dataclass(frozen=True)
class RegistryRole:
    """One person in one role the registry names: ``kind`` is LEDE, DAGL, SIGN or PROK."""

    kind: str
    name: str
    description: str = ""

    @property
    def label(self) -> tuple[str, str]:
        return ROLE_LABELS.get(self.kind, (self.description, self.description))


@dataclass(frozen=True)
class RegistryRoles:
    """What Enhetsregisteret says about who leads and signs for an entity."""

    org_number: str
    roles: tuple[RegistryRole, ...] = ()

    def of(self, kind: str) -> tuple[RegistryRole, ...]:
        return tuple(role for role in self.roles if role.kind == kind)

    @property
    def is_empty(self) -> bool:
        return not self.roles

    def roles_of(self, full_name: str) -> tuple[RegistryRole, ...]:
        """The roles held by a person of this name (see :func:`same_name`)."""
        return tuple(role for role in self.roles if same_name(role.name, full_name))


def _words(name: str) -> list[str]:
    return [word for word in "".join(c if c.isalnum() else " " for c in (name or "").casefold()).split() if word]


def same_name(registered: str, given: str) -> bool:
    """Whether a name the person gave matches the registry's: same first and last name, case and
    punctuation aside; middle names may be left out («Kari Nordmann» is «Kari Prøve Nordmann»)."""
    a, b = _words(registered), _words(given)
    if len(a) < 2 or len(b) < 2:
        return False
    if a[0] != b[0] or a[-1] != b[-1]:
        return False
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return set(shorter[1:-1]) <= set(longer[1:-1])


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _person_name(data: Any) -> str:
    if not isinstance(data, dict):
        return ""
    names = _dict(data.get("navn"))
    parts = (_text(names.get("fornavn")), _text(names.get("mellomnavn")), _text(names.get("etternavn")))
    return " ".join(part for part in parts if part)


def _entity_name(data: Any) -> str:
    if not isinstance(data, dict):
        return ""
    names = data.get("navn")
    if isinstance(names, list):
        return " ".join(_text(part) for part in names if _text(part))
    return _text(names)


def parse_roles(org_number: str, data: dict[str, Any]) -> RegistryRoles:
    """Map the API's JSON for an entity's roles. Raises ValueError when it is not a roles answer."""
    if not isinstance(data, dict) or not isinstance(data.get("rollegrupper", []), list):
        raise ValueError("the response is not a list of role groups")
    found: list[RegistryRole] = []
    for group in data.get("rollegrupper") or []:
        if not isinstance(group, dict):
            continue
        group_code = _text(_dict(group.get("type")).get("kode")).upper()
        for role in group.get("roller") or []:
            if not isinstance(role, dict) or role.get("fratraadt") is True or role.get("avregistrert") is True:
                continue
            role_type = _dict(role.get("type"))
            code = _text(role_type.get("kode")).upper()
            kind = code if code in ("LEDE", "DAGL") else group_code if group_code in ("SIGN", "PROK") else ""
            if not kind:
                continue
            person = role.get("person")
            if isinstance(person, dict) and person.get("erDoed") is True:
                continue
            name = _person_name(person) or _entity_name(role.get("enhet"))
            if name:
                found.append(RegistryRole(kind, name, _text(role_type.get("beskrivelse"))))
    order = list(ROLE_LABELS)
    found.sort(key=lambda role: order.index(role.kind))
    return RegistryRoles(org_number=org_number, roles=tuple(found))


def roles_url(org_number: str) -> str:
    return f"{entity_url(org_number)}/roller"


def lookup_roles(org_number: str) -> RegistryRoles | None:
    """The chair, general manager and signatories the registry names, or None when it does not know
    the entity. Raises ValueError for a number that fails the MOD11 check and
    :class:`RegistryUnavailable` when the registry does not answer in time or answers with an error."""
    number = _checked(org_number)
    return _ask(roles_url(number), lambda data: parse_roles(number, data))
