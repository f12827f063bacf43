"""The application exchange format (*søknad*), version 2.

This is what the rule engine reads, what the API accepts and what
``tilskudd check`` reads from a JSON file. It is documented in
``docs/application-format.md``; its JSON Schema is generated from these
models (``tilskudd schema application``).

Money is whole NOK as integers (X-R03): a float or a string with decimals is
refused by validation, never rounded.

Version 2 (issue #10, point 9) adds what the seeds ask and version 1 could not say: the
applicant type of each member of a joint application (C0-R02, C3-R02), the grantor and status
(applied for or granted) of a funding source (C2-R07), and the project's period (C0-R06, C0-R04).
Every key it adds is optional, so a version-1 document is a valid version-2 document:
:func:`upgrade` reads one as version 2 (its ``format`` becomes ``tilskudd.application/2``), and
applications stored as version 1 still load.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

from tilskudd.rules.validators import org_number_digits

FORMAT_VERSION = "tilskudd.application/2"
#: The versions read: the current one and those :func:`upgrade` brings up to it.
FORMAT_VERSIONS = ("tilskudd.application/1", FORMAT_VERSION)

#: The largest amount in any budget (a thousand billion NOK): far above any grant, far below what the
#: database's 64-bit integers hold, so that sums of amounts never overflow either.
MAX_NOK = 10**12
#: Whole Norwegian kroner; strict so that 10.5 or "10" is an error, not a guess.
Nok = Annotated[StrictInt, Field(ge=0, le=MAX_NOK, description="Whole NOK")]
#: A date in the application (founded, registered): within 1800–2100, so that date arithmetic on it
#: (an organisation's age, C4-R02) cannot overflow; 9999-12-31 plus two years was a 500.
Date = Annotated[dt.date, Field(ge=dt.date(1800, 1, 1), le=dt.date(2100, 12, 31))]


#: An organisation number as people write it, read as its nine digits (issue #10, point 5).
OrgNumber = Annotated[str, AfterValidator(org_number_digits)]
#: A budget year; strict so that ``false`` or ``2030.0`` is an error, not year 0 or a guess.
Year = Annotated[StrictInt, Field(ge=2000, le=2100, description="The budget year")]


class ApplicantType(str, Enum):
    """Kinds of applicant a call may admit (X-R02)."""

    MUNICIPALITY = "municipality"  # kommune
    CITY_DISTRICT = "city_district"  # bydel (Oslo)
    COUNTY_AUTHORITY = "county_authority"  # fylkeskommune
    VOLUNTARY_ORGANISATION = "voluntary_organisation"  # frivillig organisasjon
    SOCIAL_ENTERPRISE = "social_enterprise"  # sosial entreprenør
    COMPANY = "company"  # foretak (AS, ENK …)
    FOUNDATION = "foundation"  # stiftelse
    STATE_AGENCY = "state_agency"  # statlig virksomhet


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class VoluntaryRegistration(_Model):
    """Registration in the Register of Non-Profit Organisations (*Frivillighetsregisteret*)."""

    registered: StrictBool
    registered_on: Date | None = None


class CountyPresence(_Model):
    """County numbers (2024 division) where a national organisation is present (C4-R04)."""

    activity: list[str] = Field(default_factory=list, description="Main activity aimed at the target group")
    members: list[str] = Field(default_factory=list, description="Counties where it counts members")
    branches: list[str] = Field(default_factory=list, description="Counties with regional or local branches")


class Applicant(_Model):
    """The applying organisation (*søker*)."""

    org_number: OrgNumber = Field(description="Organisation number, 9 digits (MOD11)")
    name: str = ""
    applicant_type: ApplicantType
    org_form: str | None = Field(default=None, description="Enhetsregisteret code: KOMM, FYLK, FLI, STI, AS …")
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    phone: str | None = None
    email: str | None = None
    bank_account: str | None = Field(default=None, description="Bank account, 11 digits (MOD11)")
    county: str | None = Field(default=None, description="County number of the applicant's seat (routing)")
    municipality_number: str | None = None
    founded_on: Date | None = None
    voluntary_register: VoluntaryRegistration | None = None
    counties: CountyPresence = Field(default_factory=CountyPresence)


class Contact(_Model):
    """A contact person (*kontaktperson*)."""

    name: str
    email: str | None = None
    phone: str | None = None
    role: str | None = None


class JointMember(_Model):
    """Another applicant of a joint application, with its applicant type (version 2; C0-R02, C3-R02)."""

    org_number: OrgNumber
    name: str = ""
    applicant_type: ApplicantType | None = Field(default=None, description="What kind of applicant the member is")


class JointApplication(_Model):
    """A joint application (*felles søknad*): the lead takes project responsibility and signs."""

    lead_org_number: OrgNumber
    members: list[JointMember] = Field(min_length=1)


class Partner(_Model):
    """A partner in the project: a social entrepreneur, professional supervisor, asylum centre …"""

    kind: str
    name: str
    org_number: OrgNumber | None = None
    org_form: str | None = None
    contact_person: str | None = None
    description: str | None = None
    #: Facts the call asks to be confirmed about the partner, e.g. ``no_dividend_statutes``.
    confirmations: dict[str, StrictBool] = Field(default_factory=dict)


class BudgetLine(_Model):
    """One cost line: a category from the call, what it is, the amount in NOK."""

    category: str
    description: str = ""
    amount: Nok
    year: Year | None = None


class FundingStatus(str, Enum):
    """Where a grant from another grantor stands (C2-R07)."""

    APPLIED = "applied"  # søkt om
    GRANTED = "granted"  # fått (innvilget)


class FundingSource(_Model):
    """Where the rest of the money comes from (*finansieringskilde*).

    A grant from another public grantor for the same activity names the grantor's organisation
    number and whether it is applied for or granted (version 2; C2-R07).
    """

    name: str
    amount: Nok
    grantor_org_number: OrgNumber | None = Field(
        default=None, description="Org. number of the grantor, where the source is a grant"
    )
    status: FundingStatus | None = Field(default=None, description="applied (søkt) or granted (innvilget)")


class ProjectPeriod(_Model):
    """When the project runs (version 2): its first and last day (C0-R06 at most 3 years; C0-R04 by June 2019)."""

    starts_on: Date | None = None
    ends_on: Date | None = None

    @model_validator(mode="after")
    def _in_order(self) -> ProjectPeriod:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("the project cannot end before it starts (ends_on is before starts_on)")
        return self


class OwnContribution(_Model):
    """The applicant's own share (*egenandel*); work in kind quantified in NOK (C0-R09)."""

    amount: Nok = 0
    in_kind_amount: Nok = 0
    description: str | None = None

    @property
    def total(self) -> int:
        return self.amount + self.in_kind_amount


class Stipend(_Model):
    """Participant stipend applied for (*deltakerstønad*), counted in participant-years."""

    participants_25_or_over: Annotated[StrictInt, Field(ge=0, le=1_000_000)] = 0
    participants_under_25: Annotated[StrictInt, Field(ge=0, le=1_000_000)] = 0
    years: Annotated[float, Field(gt=0, le=10, strict=True)] = 1
    amount_applied: Nok


class Budget(_Model):
    lines: list[BudgetLine] = Field(default_factory=list)
    own_contribution: OwnContribution | None = None
    funding_sources: list[FundingSource] = Field(default_factory=list)
    amount_applied: Nok = 0
    stipend: Stipend | None = None

    @property
    def total_costs(self) -> int:
        return sum(line.amount for line in self.lines)

    def totals_by_year(self) -> dict[int | None, int]:
        totals: dict[int | None, int] = {}
        for line in self.lines:
            totals[line.year] = totals.get(line.year, 0) + line.amount
        return totals


class Attachment(_Model):
    """An attached document, by the kind the call asks for (e.g. ``cooperation_agreement``)."""

    kind: str
    filename: str
    content_type: str | None = None
    sha256: str | None = None


class Application(_Model):
    """An application to one call, as exchanged between systems."""

    format: str = Field(default=FORMAT_VERSION, pattern=r"^tilskudd\.application/2$")
    call: str = Field(description="The call's id, e.g. c0-2019")
    grantor: str | None = Field(
        default=None, description="Org. number of the grantor applied to, where a call has several (C2)"
    )
    areas: list[str] = Field(default_factory=list, description="Priority areas or sub-goals applied under")
    applicant: Applicant
    joint: JointApplication | None = None
    contacts: list[Contact] = Field(default_factory=list)
    answers: dict[str, Any] = Field(default_factory=dict, description="Answers keyed by the call's field ids")
    partners: list[Partner] = Field(default_factory=list)
    project: ProjectPeriod | None = Field(default=None, description="The project's period (version 2)")
    budget: Budget = Field(default_factory=Budget)
    attachments: list[Attachment] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: Any) -> Any:
        return upgrade(data)


def upgrade(data: Any) -> Any:
    """A document of an earlier version of the format, as the current version (other input unchanged).

    Version 1 → 2: every key version 2 adds is optional, so only ``format`` changes.
    """
    if isinstance(data, dict) and data.get("format") == "tilskudd.application/1":
        return {**data, "format": FORMAT_VERSION}
    return data


def application_json_schema() -> dict:
    return Application.model_json_schema()
