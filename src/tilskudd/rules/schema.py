"""The call definition format (*utlysning* as data), validated by pydantic.

One YAML file per call in ``calls/``. Every element that carries a rule of
``shared/spec/calls.md`` names it in ``rule`` (or ``rules``), so that each
rule id can be traced to the file. ``docs/call-format.md`` documents the
format with a full example.

The rule engine (:mod:`tilskudd.rules.engine`) interprets the parts that can
be checked on an application (eligibility, fields, checks, budget, deadline);
the rest (criteria, payment, reporting, complaints …) is data for the later
steps of the lifecycle and for the letters.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from fractions import Fraction
from typing import Annotated, Any, ClassVar, Literal, get_args
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationInfo, field_validator, model_validator

from tilskudd.rules.application import ApplicantType
from tilskudd.rules.validators import is_valid_email, is_valid_org_number, is_valid_phone

OSLO = ZoneInfo("Europe/Oslo")
RULE_ID = r"^(C\d+|X)-R\d{2}$"

RuleId = Annotated[str, Field(pattern=RULE_ID)]
Nok = Annotated[StrictInt, Field(ge=0)]


#: Validation context of a definition read back from the database (``CallDefinition.model_validate(data,
#: context={STORED_DEFINITION: True})``): keys an earlier format wrote and this one retired are dropped, not refused.
STORED_DEFINITION = "stored_definition"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """A text in Norwegian bokmål and English; bokmål is required."""

    nb: str = Field(min_length=1)
    en: str = ""

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") and self.en else self.nb


class Note(_Model):
    """A rule that is stated as text: shown on the call page and in letters."""

    rule: RuleId | None = None
    rules: list[RuleId] = Field(default_factory=list)
    text: Text

    def rule_ids(self) -> list[str]:
        return ([self.rule] if self.rule else []) + list(self.rules)


class Reading(_Model):
    """Where a call text is unclear: which reading this file takes (calls.md **Reading:**)."""

    rule: RuleId
    text: Text


# --- who grants ----------------------------------------------------------------


class GrantorKind(str, Enum):
    DIRECTORATE = "directorate"  # direktorat (IMDi)
    MUNICIPALITY = "municipality"  # kommune


class Grantor(_Model):
    """The body that grants (*tilskuddsforvalter*)."""

    name: Text
    org_number: str
    kind: GrantorKind
    #: Key into the reference data, e.g. ``imdi`` or ``c2:bergen``.
    ref: str | None = None

    @field_validator("org_number")
    @classmethod
    def _valid_org_number(cls, value: str) -> str:
        if not is_valid_org_number(value):
            raise ValueError(f"'{value}' is not a valid organisation number (9 digits, MOD11)")
        return value


class LocalOnly(_Model):
    """What only the local grantors may fund; applied for from the call's own grantor, it is an error.

    C2-R04: only the municipalities give operating grants to local immigrant organisations; IMDi funds
    projects, single measures and activities. ``field`` with ``values``: an answer that asks for it;
    ``categories``: budget categories only the local grantors fund. ``message`` says why, and what to do.
    """

    rule: RuleId
    field: str | None = None
    values: list[Any] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    message: Text

    @model_validator(mode="after")
    def _something(self) -> LocalOnly:
        if not (self.field and self.values) and not self.categories:
            raise ValueError("local_only needs a field with values, or categories")
        return self


class LocalGrantors(_Model):
    """Municipalities that run their own local calls under this call's rules (C2-R02)."""

    rule: RuleId
    share_percent: Annotated[int, Field(ge=0, le=100)]
    municipalities: list[Grantor] = Field(min_length=1)
    note: Text | None = None
    local_only: LocalOnly | None = None
    #: The same activity may not be funded by both the call's own grantor and a local one (C2-R07): a
    #: funding source from one of them, in an application to the other, is an error under this rule.
    one_grantor_per_activity: RuleId | None = None


# --- money ---------------------------------------------------------------------


class Frame(_Model):
    """The call's frame (*ramme*) in whole NOK, and per area where the call splits it."""

    rule: RuleId
    amount: Nok | None = Field(default=None, description="None where the call names only a share")
    up_to: bool = Field(default=False, description="The text says 'up to' (inntil)")
    previous_year_amount: Nok | None = None
    area_amounts: dict[str, Nok] = Field(default_factory=dict)
    note: Text | None = None


# --- deadline ------------------------------------------------------------------


class Deadline(_Model):
    """The deadline as an instant. ``at`` is a full date-time with zone.

    Where the call text gives only a date, write the date alone and set
    ``time_given: false``: the loader fills in 23:59:59 Europe/Oslo (the reading
    of calls.md) and the call page says so.
    """

    rule: RuleId
    at: dt.datetime | dt.date
    time_given: bool = True

    @field_validator("at", mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if isinstance(value, str) and len(value) == 10:
            return dt.date.fromisoformat(value)
        return value

    @model_validator(mode="after")
    def _zoned(self) -> Deadline:
        at = self.at
        if isinstance(at, dt.datetime):
            if at.tzinfo is None:
                raise ValueError("the deadline needs a time zone offset, e.g. 2019-02-28T12:00:00+01:00")
            # 23:59:59 Oslo is what the loader fills in for a date alone, so a stored
            # definition (dumped to JSON and read back) validates again.
            end_of_day = at.astimezone(OSLO).time() == dt.time(23, 59, 59)
            if not self.time_given and not end_of_day:
                raise ValueError("time_given is false but 'at' has a time; give the date alone")
        elif self.time_given:
            raise ValueError("'at' is a date without a time; give the time, or set time_given: false")
        else:
            object.__setattr__(self, "at", dt.datetime.combine(at, dt.time(23, 59, 59), tzinfo=OSLO))
        return self

    @property
    def instant(self) -> dt.datetime:
        assert isinstance(self.at, dt.datetime)
        return self.at


# --- who may apply -------------------------------------------------------------


class ApplicantTypes(_Model):
    rule: RuleId
    allowed: list[ApplicantType] = Field(min_length=1)


class AllowList(_Model):
    """Only these organisations may apply (C1-R02)."""

    rule: RuleId
    org_numbers: list[str] = Field(min_length=1)
    names: dict[str, str] = Field(default_factory=dict, description="org number → name, for messages")
    note: Text | None = None

    @field_validator("org_numbers")
    @classmethod
    def _valid(cls, values: list[str]) -> list[str]:
        bad = [value for value in values if not is_valid_org_number(value)]
        if bad:
            raise ValueError(f"not valid organisation numbers: {', '.join(bad)}")
        return values


class RuleFlag(_Model):
    rule: RuleId
    required: bool = True


class MinimumAge(_Model):
    """The organisation must have existed this many years on the date of application (C4-R03)."""

    rule: RuleId
    years: Annotated[int, Field(ge=1)]


class PresenceKind(str, Enum):
    ACTIVITY = "activity"
    MEMBERS = "members"
    BRANCHES = "branches"


class NationalPresence(_Model):
    """A national organisation: present in at least ``min_counties`` counties in one of the ways (C4-R04)."""

    rule: RuleId
    min_counties: Annotated[int, Field(ge=1)]
    any_of: list[PresenceKind] = Field(min_length=1)


class JointRule(_Model):
    """Whether several applicants may apply together (C0-R02, C3-R02)."""

    rule: RuleId
    allowed: bool = True
    #: The lead applicant takes project responsibility, signs and submits.
    lead_signs: bool = True
    member_types: list[ApplicantType] = Field(default_factory=list)


class Eligibility(_Model):
    applicant_types: ApplicantTypes
    allow_list: AllowList | None = None
    voluntary_register: RuleFlag | None = None
    minimum_age: MinimumAge | None = None
    national_presence: NationalPresence | None = None
    joint: JointRule | None = None
    #: Conditions stated as text (non-profit, earlier projects …), checked by people.
    notes: list[Note] = Field(default_factory=list)


# --- priority areas ------------------------------------------------------------


class Area(_Model):
    """A priority area (*prioritert område*) or sub-goal (*delmål*)."""

    id: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    title: Text
    description: Text | None = None
    target_group: Text | None = None
    themes: list[Text] = Field(default_factory=list)
    #: Area-specific rules stated as text, with their ids.
    notes: list[Note] = Field(default_factory=list)
    #: Minimum weighted score (on the criteria's scale) for any grant in this area (C0-R15).
    quality_threshold: float | None = None
    #: Area-specific assessment criteria; when empty the call's criteria apply.
    criteria: list[Criterion] = Field(default_factory=list)
    #: Who assesses besides the grantor (C0-R22: Kompetanse Norge).
    co_assessors: list[str] = Field(default_factory=list)


class AreaSelection(str, Enum):
    EXACTLY_ONE = "exactly_one"
    ONE_OR_MORE = "one_or_more"


class Areas(_Model):
    rule: RuleId
    label: Text = Text(nb="Prioritert område", en="Priority area")
    select: AreaSelection = AreaSelection.EXACTLY_ONE
    items: list[Area] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Areas:
        ids = [area.id for area in self.items]
        duplicates = sorted({area_id for area_id in ids if ids.count(area_id) > 1})
        if duplicates:
            raise ValueError(f"area ids must be unique; repeated: {', '.join(duplicates)}")
        return self


# --- conditions ----------------------------------------------------------------


class Condition(_Model):
    """When a field or check applies. Every part given must hold.

    ``areas``: the application names at least one of these areas.
    ``field`` with ``equals`` / ``in_`` / ``truthy``: an answer (a path into the
    application, e.g. ``answers.needs_exemption``) has that value.
    ``partner``: the application names a partner of this kind.
    """

    areas: list[str] | None = None
    field: str | None = None
    equals: Any = None
    in_: list[Any] | None = Field(default=None, alias="in")
    truthy: bool | None = None
    partner: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _complete(self) -> Condition:
        if self.field is None and (self.equals is not None or self.in_ is not None or self.truthy is not None):
            raise ValueError("equals, in and truthy need a field")
        if self.field is not None and self.equals is None and self.in_ is None and self.truthy is None:
            raise ValueError("a field condition needs equals, in or truthy")
        return self


# --- the form ------------------------------------------------------------------


class FieldType(str, Enum):
    TEXT = "text"
    TEXTAREA = "textarea"
    INTEGER = "integer"
    MONEY = "money"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    EMAIL = "email"
    PHONE = "phone"
    ORG_NUMBER = "org_number"
    BANK_ACCOUNT = "bank_account"
    CASE_NUMBER = "case_number"
    CONTACTS = "contacts"
    PARTNERS = "partners"
    BUDGET = "budget"
    FUNDING_SOURCES = "funding_sources"
    OWN_CONTRIBUTION = "own_contribution"
    ATTACHMENT = "attachment"
    COUNTIES = "counties"


class Choice(_Model):
    value: str
    label: Text


class FormField(_Model):
    """One item of required content, shown on the form and checked by the engine.

    ``path`` says where the value lives in the application; by default
    ``answers.<id>``. Profile data binds elsewhere, e.g. ``applicant.bank_account``.
    For ``attachment`` fields the value is an attachment of kind ``attachment_kind``.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    section: str
    type: FieldType
    label: Text
    help: Text | None = None
    path: str | None = None
    required: bool = False
    required_when: Condition | None = None
    shown_when: Condition | None = None
    rule: RuleId | None = None
    choices: list[Choice] = Field(default_factory=list)
    attachment_kind: str | None = None
    min: int | None = None
    max: int | None = None

    @property
    def value_path(self) -> str:
        if self.path:
            return self.path
        if self.type is FieldType.ATTACHMENT:
            return f"attachments[{self.attachment_kind or self.id}]"
        return f"answers.{self.id}"

    @model_validator(mode="after")
    def _consistent(self) -> FormField:
        if (self.required or self.required_when) and not self.rule:
            raise ValueError(f"field '{self.id}' is required but names no rule id")
        if self.type in (FieldType.CHOICE, FieldType.MULTICHOICE) and not self.choices:
            raise ValueError(f"field '{self.id}' of type {self.type.value} needs choices")
        return self


class Section(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    help: Text | None = None


# --- checks the engine runs ----------------------------------------------------


class _Check(_Model):
    rule: RuleId
    when: Condition | None = None
    severity: Literal["error", "warning"] = "error"
    #: Overrides the engine's standard message.
    message: Text | None = None


class RangeCheck(_Check):
    """A number in the application lies within bounds (C0-R20: at least 15 participants)."""

    kind: Literal["range"]
    field: str
    min: int | None = None
    max: int | None = None


class PartnerCheck(_Check):
    """The application names a partner of a kind, with what the call asks about it (C0-R19, C0-R22, C2-R09)."""

    kind: Literal["partner"]
    partner_kind: str
    label: Text
    min_count: Annotated[int, Field(ge=1)] = 1
    require_fields: list[Literal["org_number", "org_form", "contact_person", "description"]] = Field(
        default_factory=list
    )
    require_confirmations: dict[str, Text] = Field(default_factory=dict)
    allowed_org_forms: list[str] = Field(default_factory=list)


class AttachmentCheck(_Check):
    """The application attaches a document of a kind (C1-R04 cooperation agreements, C0-R14 exemption)."""

    kind: Literal["attachment"]
    attachment_kind: str
    label: Text


class AmountCheck(_Check):
    """The amount applied for lies within bounds (C2-R04: at least NOK 10 000)."""

    kind: Literal["amount_applied"]
    min: Nok | None = None
    max: Nok | None = None


class BudgetTotalCheck(_Check):
    """A project's total budget per year lies within bounds (C2-R04: at most NOK 1 000 000)."""

    kind: Literal["budget_total"]
    min: Nok | None = None
    max: Nok | None = None
    per_year: bool = True


class OwnContributionCheck(_Check):
    """An own share (*egenandel*) is present; work in kind is quantified in NOK (C0-R09, C0-R17)."""

    kind: Literal["own_contribution"]
    min_amount: Nok = 1
    in_kind_must_be_quantified: bool = True


class FundingSourcesCheck(_Check):
    """The application names at least one funding source (C0-R09)."""

    kind: Literal["funding_sources"]
    min_count: Annotated[int, Field(ge=1)] = 1


class BudgetBalanceCheck(_Check):
    """The budget adds up (issue #10, point 7): the amount applied for is within the costs, and the
    financing plan — amount applied for, own contribution and funding sources — adds up to the costs.

    ``sources`` says what the call's funding-source list holds: ``other`` (money from others than
    this grantor and the applicant: the plan is amount applied + own contribution + sources) or
    ``all`` (the whole financing plan, the grant applied for and the own share among its lines: the
    sources add up to the costs and hold at least the amount applied for and the own contribution).
    ``financing: false`` checks only that the amount applied for is within the costs, for a call whose
    form asks for no financing plan.
    """

    kind: Literal["budget_balance"]
    financing: bool = True
    sources: Literal["other", "all"] = "other"


class ProjectPeriodCheck(_Check):
    """The project's period (``project`` in the application, version 2) is within the call's limits.

    ``max_years``: the project lasts at most so many years (C0-R06: 3); ``ends_by``: it ends on that day
    at the latest (C0-R04: a transition project finishes by June 2019). A period not given is the
    fields' own finding.
    """

    kind: Literal["project_period"]
    max_years: Annotated[int, Field(ge=1, le=50)] | None = None
    ends_by: dt.date | None = None

    @model_validator(mode="after")
    def _something(self) -> ProjectPeriodCheck:
        if self.max_years is None and self.ends_by is None:
            raise ValueError("project_period needs max_years or ends_by")
        return self


class StipendCapCheck(_Check):
    """Stipend applied for ≤ G × cap per participant per year (C0-R18, C0-R19), whatever the participant's age."""

    kind: Literal["stipend_cap"]
    g_per_participant_year: Fraction
    #: The most years a stipend counts (C0-R18: an offer lasts up to one year); none: as applied for.
    max_years: Fraction | None = None
    #: The field holding the project's number of participants: the stipend counts at most that many.
    participants_field: str | None = None
    #: Keys an earlier format had (until 2026-12-02: a smaller cap for participants under 25, a misreading of
    #: C0-R18). A call file may not use them; a definition stored in the database by that format may still
    #: hold them, and they are dropped when it is read back (``STORED_DEFINITION``).
    RETIRED_KEYS: ClassVar[frozenset[str]] = frozenset({"under_age", "under_age_factor"})

    @model_validator(mode="before")
    @classmethod
    def _drop_retired_keys(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, dict) and (info.context or {}).get(STORED_DEFINITION):
            return {key: value for key, value in data.items() if key not in cls.RETIRED_KEYS}
        return data

    @field_validator("g_per_participant_year", "max_years", mode="before")
    @classmethod
    def _fraction(cls, value: Any) -> Any:
        return Fraction(str(value)) if value is not None else None

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class ConfirmationCheck(_Check):
    """A yes/no answer must be yes: the applicant confirms a condition of the call (*bekreftelse*).

    E.g. C0-R16: the participants have completed the third year of the
    introduction programme. A missing answer is the field's own ``required``
    finding; a ``false`` gives this check's finding.
    """

    kind: Literal["confirmation"]
    field: str


Check = Annotated[
    RangeCheck
    | PartnerCheck
    | AttachmentCheck
    | AmountCheck
    | BudgetTotalCheck
    | OwnContributionCheck
    | FundingSourcesCheck
    | BudgetBalanceCheck
    | ProjectPeriodCheck
    | StipendCapCheck
    | ConfirmationCheck,
    Field(discriminator="kind"),
]

#: Every kind of check, in the order of :data:`Check`: each registry of a concern
#: (:mod:`tilskudd.rules.registry`) has an entry for every one.
CHECK_KINDS: tuple[type[_Check], ...] = get_args(get_args(Check)[0])


# --- budget --------------------------------------------------------------------


class CostCategory(_Model):
    """A budget-line category; an ineligible one (*ikke tilskuddsberettiget*) is refused."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    eligible: bool = True
    rule: RuleId
    #: Ineligible categories give this severity when used (C1-R14: error).
    severity: Literal["error", "warning"] = "error"


class BudgetRules(_Model):
    rule: RuleId | None = None
    categories: list[CostCategory] = Field(min_length=1)
    notes: list[Note] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> BudgetRules:
        ids = [category.id for category in self.categories]
        if len(ids) != len(set(ids)):
            raise ValueError("cost category ids must be unique")
        return self


# --- assessment ----------------------------------------------------------------


class Scale(_Model):
    min: int = 1
    max: int = 6
    labels: dict[int, Text] = Field(default_factory=dict)


class Criterion(_Model):
    """An assessment criterion (*vurderingskriterium*)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: Text
    description: Text | None = None
    scale: Scale = Scale()
    weight: Annotated[float, Field(gt=0)] = 1.0
    rule: RuleId


class Assessment(_Model):
    criteria: list[Criterion] = Field(min_length=1)
    #: The grant's size: the grantor's overall assessment of need (C0-R25, C4-R09).
    grant_size: Note | None = None
    #: Further things the grantor may weigh (C4-R08: variety …).
    notes: list[Note] = Field(default_factory=list)


# --- signing -------------------------------------------------------------------


class Signing(_Model):
    """Who must sign (*signere*) or confirm the application (C0-R10, C1-R08, C3-R07)."""

    rule: RuleId
    roles: list[Text] = Field(min_length=1)
    delegation_allowed: bool = True
    verb: Literal["sign", "confirm", "approve"] = "sign"


# --- after the decision ----------------------------------------------------------


class PaymentTrigger(str, Enum):
    ON_ACCEPTANCE = "on_acceptance"  # after the grantee accepts (*aksept*)
    ON_DECISION = "on_decision"


class Payment(_Model):
    """Payment terms (*utbetaling*)."""

    rule: RuleId
    trigger: PaymentTrigger = PaymentTrigger.ON_ACCEPTANCE
    terms: Annotated[int, Field(ge=1)] = 1
    #: Grants above this amount are paid in ``terms_above_threshold`` terms (C2-R10).
    two_terms_threshold: Nok | None = None
    terms_above_threshold: int = 2
    schedule: list[Literal["spring", "autumn"]] = Field(default_factory=list)
    #: The call leaves the payment plan to the grant letter (C1, C4): the caseworker sets the number of terms
    #: (at most ``MAX_DECIDED_TERMS``) and the first day of each later term in the decision; ``terms`` is the
    #: form's default.
    plan_in_decision: bool = False
    note: Text | None = None


class ReportKind(str, Enum):
    STATUS_REPORT = "status_report"  # statusrapport
    GRANT_REPORT = "grant_report"  # tilskuddsrapport
    ANNUAL_REPORT = "annual_report"  # årsrapport
    FINAL_REPORT = "final_report"  # sluttrapport
    INDIVIDUAL_REPORT = "individual_report"  # individrapportering
    ACCOUNTS = "accounts"  # regnskap


class ReportingDuty(_Model):
    """A report or accounts the grantee owes (*rapporteringsplikt*)."""

    rule: RuleId
    kind: ReportKind
    title: Text
    due: dt.date | None = None
    content: list[Text] = Field(default_factory=list)
    accounts: bool = False
    accounts_period: Text | None = None
    #: Grants of at least this amount need an auditor's attestation (C2-R11).
    auditor_threshold: Nok | None = None
    auditor_required: bool | None = None
    approved_by: list[Text] = Field(default_factory=list)
    areas: list[str] | None = None
    personal_data: bool = False
    #: Months the participants' personal data are kept (C0-R12), counted from the report's approval (see
    #: ``tilskudd.participants.retention``); required where ``personal_data`` is true.
    retention_months: int | None = Field(default=None, ge=1, le=240)

    @model_validator(mode="after")
    def _retention(self) -> ReportingDuty:
        if self.personal_data and self.retention_months is None:
            raise ValueError(f"{self.rule} {self.kind.value}: a duty with personal_data needs retention_months")
        if self.retention_months is not None and not self.personal_data:
            raise ValueError(f"{self.rule} {self.kind.value}: retention_months only for a duty with personal_data")
        return self


#: The field types a report form may use: plain answers (the accounts are a part of their own, not fields).
REPORT_FIELD_TYPES = frozenset(
    {
        FieldType.TEXT,
        FieldType.TEXTAREA,
        FieldType.INTEGER,
        FieldType.MONEY,
        FieldType.BOOLEAN,
        FieldType.CHOICE,
        FieldType.DATE,
    }
)


class ReportSection(Section):
    """A section of the report form; ``kinds`` limits it to duties of those kinds (none: every duty)."""

    kinds: list[ReportKind] | None = None


class ReportField(FormField):
    """A field of the report form; ``beside`` names the application's fields whose answers are shown beside it
    (issue #12 point 2: goal achievement beside the goals the application stated)."""

    beside: list[str] = Field(default_factory=list)


class ReportForm(_Model):
    """The report form (*rapportskjema*, issue #12 point 2): sections and fields like the application's.

    Answers are kept under their field ids; ``path`` and attachment fields are not used here (the
    accounts and the auditor's statement are parts of their own).
    """

    sections: list[ReportSection] = Field(min_length=1)
    fields: list[ReportField] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> ReportForm:
        problems: list[str] = []
        section_ids = {section.id for section in self.sections}
        field_ids = [field.id for field in self.fields]
        for field in self.fields:
            if field.section not in section_ids:
                problems.append(f"report field '{field.id}' names unknown section '{field.section}'")
            if field.type not in REPORT_FIELD_TYPES:
                problems.append(f"report field '{field.id}' has type {field.type.value}, not one a report form uses")
            if field.path or field.required_when or field.shown_when:
                problems.append(f"report field '{field.id}': path, required_when and shown_when are not used here")
        for repeated in sorted({f for f in field_ids if field_ids.count(f) > 1}):
            problems.append(f"report field id '{repeated}' is used twice")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def sections_for(self, kind: str) -> list[ReportSection]:
        return [s for s in self.sections if s.kinds is None or any(k.value == kind for k in s.kinds)]

    def fields_for(self, kind: str) -> list[FormField]:
        shown = {s.id for s in self.sections_for(kind)}
        return [f for f in self.fields if f.section in shown]


class Reporting(_Model):
    duties: list[ReportingDuty] = Field(min_length=1)
    notes: list[Note] = Field(default_factory=list)
    #: The report form the grantee fills in (optional; without it a report is the accounts and attachments).
    form: ReportForm | None = None


class DecisionKind(str, Enum):
    ALLOCATION = "allocation"  # tildeling (grant, also partial)
    REFUSAL = "refusal"  # avslag
    REJECTION = "rejection"  # avvisning


class ComplaintRight(_Model):
    """Whether a decision of this kind can be appealed (*klageadgang*), and how."""

    rule: RuleId
    allowed: bool
    deadline_weeks: int | None = None
    legal_reference: Text
    sent_to: Text | None = None
    decided_by: Text | None = None

    @model_validator(mode="after")
    def _deadline(self) -> ComplaintRight:
        if self.allowed and not self.deadline_weeks:
            raise ValueError("a complaint right needs deadline_weeks")
        return self


class Complaints(_Model):
    """Complaint rights per decision kind; a missing kind means the call says nothing of it."""

    allocation: ComplaintRight
    refusal: ComplaintRight
    rejection: ComplaintRight
    #: Different bodies for different grantors (C2-R13), by grantor kind.
    decided_by_grantor_kind: dict[GrantorKind, Text] = Field(default_factory=dict)


class MultiYear(_Model):
    """Multi-year projects (*flerårige prosjekter*) (C0-R06, C1-R10, C3-R06, C4-R09)."""

    rule: RuleId
    allowed: bool = True
    max_years: int | None = None
    normal_years: int | None = None
    granted_one_year_at_a_time: bool = True
    subject_to_appropriation: bool = True
    yearly_reevaluation: bool = False
    note: Text | None = None


class CarryOver(_Model):
    """Carrying unused funds into next year (*overføring av ubrukte midler*)."""

    rule: RuleId
    allowed: bool
    conditions: list[Text] = Field(default_factory=list)


class Repayment(_Model):
    """Repayment (*tilbakebetaling*) of funds not used as granted."""

    rule: RuleId
    text: Text
    use_by: dt.date | None = None


class Condition_(_Model):
    """A condition a grant letter may carry (C0-R23 extra deliverables, C4-R05 statutes)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    rule: RuleId
    text: Text
    areas: list[str] | None = None
    default: bool = False
    #: Only for a joint application (*felles søknad*, C3-R02): a single applicant's letter does not carry it.
    joint_only: bool = False


class RoutingContact(_Model):
    name: str
    phone: str | None = None
    email: str | None = None


class RoutingOffice(_Model):
    """A regional office (*regionkontor*) and its contacts per area."""

    office: str
    #: area ids → contact; the key ``"*"`` covers every area not named.
    contacts: dict[str, RoutingContact]


class Routing(_Model):
    """Routing of applications to the office and contact that handles them (C0-R27)."""

    rule: RuleId
    by: Literal["regional_office", "grantor"] = "regional_office"
    offices: list[RoutingOffice] = Field(default_factory=list)
    switchboard: str | None = None
    other_contacts: list[RoutingContact] = Field(default_factory=list)


class Transition(_Model):
    """Applications that finish a project granted under an earlier scheme (C0-R04)."""

    rule: RuleId
    text: Text
    finish_by: dt.date | None = None


# --- what a decision letter states that the call gives only as prose ----------------


class LetterContact(_Model):
    """Whom the applicant asks about the decision: a person or a mailbox, with how to reach it."""

    name: str = Field(min_length=1)
    email: str | None = None
    phone: str | None = None

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_email(value):
            raise ValueError(f"'{value}' is not an e-mail address")
        return value

    @field_validator("phone")
    @classmethod
    def _valid_phone(cls, value: str | None) -> str | None:
        if value is not None and not is_valid_phone(value):
            raise ValueError(f"'{value}' is not a phone number")
        return value


class LetterNote(_Model):
    """A sentence the grant letter carries (control, reporting), for the named areas only if any."""

    text: Text
    areas: list[str] | None = None


class Acceptance(_Model):
    """How the grantee accepts the grant (*aksept*), by when, and what follows if it does not.

    ``deadline_weeks`` counts from the date of the letter; None where the call sets no deadline
    (the letter says so). ``if_not_accepted``: what the call says follows; None where it says nothing.
    """

    how: Text | None = None
    deadline_weeks: Annotated[int, Field(ge=1)] | None = None
    if_not_accepted: Text | None = None


class LetterTerms(_Model):
    """What the decision letters state that the call gives only in prose (issue #10, points 12–14).

    ``legal_basis``: the regulation or circular the grant is given under, as the letter names it.
    ``contact``: whom to ask where the case names no routed contact (C0-R27 routes C0's).
    ``repayment``: the call's repayment terms in the letter's words (without «the letter says»).
    ``notes``: the reporting and control sentences the letter carries; no readings, no rule ids.
    ``two_terms_split``: how a grant paid in two terms is divided (C2-R10): ``equal`` halves.
    ``carry_over_in_letter``: false where the call's carry-over rule concerns earlier funds, not this grant.
    """

    legal_basis: Text
    contact: LetterContact | None = None
    acceptance: Acceptance | None = None
    repayment: Text | None = None
    notes: list[LetterNote] = Field(default_factory=list)
    two_terms_split: Literal["equal"] | None = None
    carry_over_in_letter: bool = True


# --- the call ------------------------------------------------------------------


#: A call's id (``c0-2019``): lower-case letters, digits and hyphens. The API refuses other ids as input.
CALL_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class CallDefinition(_Model):
    """A call for applications (*utlysning*) as data."""

    format: Literal["tilskudd.call/1"] = "tilskudd.call/1"
    id: str = Field(pattern=CALL_ID_PATTERN)
    version: Annotated[int, Field(ge=1)] = 1
    year: int
    title: Text
    summary: Text | None = None
    purpose: Text | None = None
    source: str | None = Field(default=None, description="The published text this file encodes")
    grantor: Grantor
    local_grantors: LocalGrantors | None = None
    legal_basis: list[Note] = Field(default_factory=list)
    circular: str | None = None
    frame: Frame
    deadline: Deadline
    answer_expected: Text | None = None
    eligibility: Eligibility
    target_groups: list[Note] = Field(default_factory=list)
    areas: Areas | None = None
    transition: Transition | None = None
    sections: list[Section] = Field(min_length=1)
    fields: list[FormField] = Field(min_length=1)
    checks: list[Check] = Field(default_factory=list)
    budget: BudgetRules
    assessment: Assessment
    signing: Signing
    payment: Payment
    reporting: Reporting
    complaints: Complaints
    multi_year: MultiYear
    carry_over: CarryOver | None = None
    repayment: Repayment | None = None
    grant_conditions: list[Condition_] = Field(default_factory=list)
    routing: Routing | None = None
    #: What the decision letters need beyond the keys above (None: the letters use those alone).
    letters: LetterTerms | None = None
    notes: list[Note] = Field(default_factory=list)
    readings: list[Reading] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> CallDefinition:
        problems: list[str] = []
        section_ids = {section.id for section in self.sections}
        field_ids = [field.id for field in self.fields]
        area_ids = {area.id for area in self.areas.items} if self.areas else set()
        for field in self.fields:
            if field.section not in section_ids:
                problems.append(f"field '{field.id}' names unknown section '{field.section}'")
        for repeated in sorted({f for f in field_ids if field_ids.count(f) > 1}):
            problems.append(f"field id '{repeated}' is used twice")
        for where, areas in self._area_references():
            for area in areas:
                if area not in area_ids:
                    problems.append(f"{where} names unknown area '{area}'")
        for report_field in self.reporting.form.fields if self.reporting.form else []:
            for named in report_field.beside:
                if named not in field_ids:
                    problems.append(f"report field '{report_field.id}' is shown beside unknown field '{named}'")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _area_references(self):
        for field in self.fields:
            for condition in (field.required_when, field.shown_when):
                if condition and condition.areas:
                    yield f"field '{field.id}'", condition.areas
        for check in self.checks:
            if check.when and check.when.areas:
                yield f"check {check.rule} ({check.kind})", check.when.areas
        for condition in self.grant_conditions:
            if condition.areas:
                yield f"grant condition '{condition.id}'", condition.areas
        for duty in self.reporting.duties:
            if duty.areas:
                yield f"reporting duty {duty.rule}", duty.areas
        for index, note in enumerate(self.letters.notes if self.letters else []):
            if note.areas:
                yield f"letters.notes[{index}]", note.areas
        if self.frame.area_amounts:
            yield "frame.area_amounts", list(self.frame.area_amounts)

    # --- conveniences used by the engine and the pages ---

    def area(self, area_id: str) -> Area | None:
        if not self.areas:
            return None
        return next((area for area in self.areas.items if area.id == area_id), None)

    def category(self, category_id: str) -> CostCategory | None:
        return next((c for c in self.budget.categories if c.id == category_id), None)

    def criteria_for(self, area_id: str | None) -> list[Criterion]:
        area = self.area(area_id) if area_id else None
        return list(area.criteria) if area and area.criteria else list(self.assessment.criteria)

    def field_label(self, path: str) -> Text:
        """The label of the form field at ``path``, or the path itself."""
        field = next((f for f in self.fields if f.value_path == path), None)
        return field.label if field else Text(nb=path, en=path)

    def grantor_org_numbers(self) -> set[str]:
        numbers = {self.grantor.org_number}
        if self.local_grantors:
            numbers |= {g.org_number for g in self.local_grantors.municipalities}
        return numbers


Area.model_rebuild()
