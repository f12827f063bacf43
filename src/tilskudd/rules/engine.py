"""The rule engine: a call definition and an application in, findings out.

Pure Python. Each ``_check_*`` function looks at one part of the call and
yields findings; :func:`evaluate` runs them all. The same function serves the
web form, the API, the CLI and the caseworker's screening, so an applicant
and a caseworker always see the same result.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from tilskudd.rules import messages as msg
from tilskudd.rules.application import ApplicantType, Application
from tilskudd.rules.findings import Finding, Severity
from tilskudd.rules.reference import county_codes, g_on
from tilskudd.rules.schema import (
    OSLO,
    AmountCheck,
    AttachmentCheck,
    BudgetTotalCheck,
    CallDefinition,
    Condition,
    ConfirmationCheck,
    FieldType,
    FormField,
    FundingSourcesCheck,
    OwnContributionCheck,
    PartnerCheck,
    RangeCheck,
    StipendCapCheck,
)
from tilskudd.rules.validators import is_valid_bank_account, is_valid_org_number

GENERAL_RULE_DEADLINE = "X-R01"
GENERAL_RULE_IDENTIFIERS = "X-R02"

#: Organisation forms in Enhetsregisteret and the applicant types they can be (X-R02).
ORG_FORM_TYPES: dict[str, set[ApplicantType]] = {
    "KOMM": {ApplicantType.MUNICIPALITY, ApplicantType.CITY_DISTRICT},
    "FYLK": {ApplicantType.COUNTY_AUTHORITY},
    "ORGL": {ApplicantType.CITY_DISTRICT, ApplicantType.STATE_AGENCY},
    "FLI": {ApplicantType.VOLUNTARY_ORGANISATION, ApplicantType.SOCIAL_ENTERPRISE},
    "STI": {ApplicantType.FOUNDATION, ApplicantType.VOLUNTARY_ORGANISATION, ApplicantType.SOCIAL_ENTERPRISE},
    "AS": {ApplicantType.COMPANY, ApplicantType.SOCIAL_ENTERPRISE},
    "SA": {ApplicantType.COMPANY, ApplicantType.SOCIAL_ENTERPRISE, ApplicantType.VOLUNTARY_ORGANISATION},
    "STAT": {ApplicantType.STATE_AGENCY},
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ]{8,15}$")
_CASE_NUMBER = re.compile(r"^\d{2,4}[-/]\d{1,6}(-\d+)?$")


@dataclass(frozen=True, slots=True)
class Context:
    call: CallDefinition
    application: Application
    at: dt.datetime

    @property
    def today(self) -> dt.date:
        """The date of application, judged in Oslo."""
        return self.at.astimezone(OSLO).date()


def evaluate(call: CallDefinition, application: Application, at: dt.datetime) -> list[Finding]:
    """Every finding for ``application`` under ``call`` at the instant ``at`` (aware)."""
    if at.tzinfo is None:
        raise ValueError("at must be an aware date-time")
    context = Context(call, application, at)
    findings: list[Finding] = []
    for check in _CHECKS:
        findings.extend(check(context))
    # The same finding can come from two places (a bank account is checked as an identifier,
    # X-R02, and again as a form field of type bank_account); the applicant sees it once.
    return list(dict.fromkeys(findings))


def _finding(rule: str, text: msg.Message, field: str = "", severity: str = "error") -> Finding:
    return Finding(rule, Severity(severity), text.nb, text.en, field)


def _custom(check, default: msg.Message) -> msg.Message:
    return msg.Message(check.message.nb, check.message.en or check.message.nb) if check.message else default


# --- the deadline and who may apply --------------------------------------------


def _check_deadline(ctx: Context) -> Iterator[Finding]:
    deadline = ctx.call.deadline.instant
    if ctx.at > deadline:
        yield _finding(GENERAL_RULE_DEADLINE, msg.deadline_passed(deadline.astimezone(OSLO)))


def _check_identifiers(ctx: Context) -> Iterator[Finding]:
    applicant = ctx.application.applicant
    if not is_valid_org_number(applicant.org_number):
        yield _finding(GENERAL_RULE_IDENTIFIERS, msg.bad_org_number(applicant.org_number), "applicant.org_number")
    if applicant.bank_account and not is_valid_bank_account(applicant.bank_account):
        yield _finding(
            GENERAL_RULE_IDENTIFIERS, msg.bad_bank_account(applicant.bank_account), "applicant.bank_account"
        )
    allowed_types = ORG_FORM_TYPES.get((applicant.org_form or "").upper())
    if allowed_types and applicant.applicant_type not in allowed_types:
        yield _finding(
            GENERAL_RULE_IDENTIFIERS,
            msg.org_form_mismatch(applicant.org_form or "", applicant.applicant_type.value),
            "applicant.org_form",
        )
    if ctx.application.joint:
        for index, member in enumerate(ctx.application.joint.members):
            if not is_valid_org_number(member.org_number):
                yield _finding(
                    GENERAL_RULE_IDENTIFIERS,
                    msg.bad_org_number(member.org_number),
                    f"joint.members[{index}].org_number",
                )
    for index, partner in enumerate(ctx.application.partners):
        if partner.org_number and not is_valid_org_number(partner.org_number):
            yield _finding(
                GENERAL_RULE_IDENTIFIERS, msg.bad_org_number(partner.org_number), f"partners[{index}].org_number"
            )


def _check_eligibility(ctx: Context) -> Iterator[Finding]:
    rules = ctx.call.eligibility
    applicant = ctx.application.applicant
    if applicant.applicant_type not in rules.applicant_types.allowed:
        allowed = [t.value for t in rules.applicant_types.allowed]
        yield _finding(
            rules.applicant_types.rule,
            msg.applicant_type_not_allowed(applicant.applicant_type.value, allowed),
            "applicant.applicant_type",
        )
    if rules.allow_list and applicant.org_number not in rules.allow_list.org_numbers:
        yield _finding(rules.allow_list.rule, msg.not_on_allow_list(), "applicant.org_number")
    if rules.voluntary_register and rules.voluntary_register.required:
        registration = applicant.voluntary_register
        if registration is None or not registration.registered:
            yield _finding(rules.voluntary_register.rule, msg.not_in_voluntary_register(), "applicant.voluntary_register")
    if rules.minimum_age:
        yield from _check_minimum_age(ctx, rules.minimum_age.rule, rules.minimum_age.years)
    if rules.national_presence:
        yield from _check_national_presence(ctx)
    yield from _check_joint(ctx)


def _check_minimum_age(ctx: Context, rule: str, years: int) -> Iterator[Finding]:
    founded = ctx.application.applicant.founded_on
    if founded is None:
        if not _asked_by_form(ctx, "applicant.founded_on"):
            yield _finding(rule, msg.founding_date_missing(), "applicant.founded_on")
        return
    if _add_years(founded, years) > ctx.today:
        yield _finding(rule, msg.too_young(years, founded, ctx.today), "applicant.founded_on")


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def _check_national_presence(ctx: Context) -> Iterator[Finding]:
    rule = ctx.call.eligibility.national_presence
    assert rule is not None
    presence = ctx.application.applicant.counties
    known = county_codes()
    best = 0
    for kind in rule.any_of:
        codes = set(getattr(presence, kind.value))
        for unknown in sorted(codes - known):
            yield _finding(rule.rule, msg.unknown_county(unknown), f"applicant.counties.{kind.value}", "warning")
        best = max(best, len(codes & known))
    if best < rule.min_counties:
        yield _finding(
            rule.rule, msg.too_few_counties(rule.min_counties, best, [k.value for k in rule.any_of]), "applicant.counties"
        )


def _check_joint(ctx: Context) -> Iterator[Finding]:
    joint = ctx.application.joint
    if joint is None:
        return
    rule = ctx.call.eligibility.joint
    if rule is None or not rule.allowed:
        yield _finding(
            rule.rule if rule else ctx.call.eligibility.applicant_types.rule, msg.joint_not_allowed(), "joint"
        )
        return
    if rule.lead_signs and joint.lead_org_number != ctx.application.applicant.org_number:
        yield _finding(rule.rule, msg.joint_lead_must_apply(), "joint.lead_org_number")
    if ctx.application.applicant.org_number in {member.org_number for member in joint.members}:
        yield _finding(rule.rule, msg.joint_lead_listed_as_member(), "joint.members")


def _check_grantor(ctx: Context) -> Iterator[Finding]:
    local = ctx.call.local_grantors
    chosen = ctx.application.grantor
    if chosen is None or _asked_by_form(ctx, "grantor"):
        return
    if chosen not in ctx.call.grantor_org_numbers():
        rule = local.rule if local else ctx.call.frame.rule
        yield _finding(rule, msg.unknown_grantor(chosen), "grantor")


def _asked_by_form(ctx: Context, path: str) -> bool:
    """Whether a form field asks for the value at ``path``.

    Then the field reports a missing or invalid value, and the eligibility
    check only judges a value that is there: one finding for one problem.
    """
    return any(field.value_path == path for field in ctx.call.fields)


def _check_areas(ctx: Context) -> Iterator[Finding]:
    areas = ctx.call.areas
    chosen = ctx.application.areas
    if areas is None:
        return
    known = {area.id for area in areas.items}
    if not chosen:
        yield _finding(areas.rule, msg.area_missing(areas.label), "areas")
        return
    for area in chosen:
        if area not in known:
            yield _finding(areas.rule, msg.unknown_area(area, sorted(known)), "areas")
    if areas.select.value == "exactly_one" and len(chosen) > 1:
        yield _finding(areas.rule, msg.exactly_one_area(areas.label), "areas")


# --- the form ------------------------------------------------------------------


def _check_fields(ctx: Context) -> Iterator[Finding]:
    for field in ctx.call.fields:
        if field.shown_when and not holds(field.shown_when, ctx):
            continue
        value = resolve(ctx.application, field.value_path)
        required = field.required or (field.required_when is not None and holds(field.required_when, ctx))
        if is_empty(value):
            if required:
                assert field.rule is not None
                yield _finding(field.rule, msg.required(field.label), field.value_path)
            continue
        yield from _check_field_value(field, value)


def _check_field_value(field: FormField, value: Any) -> Iterator[Finding]:
    rule = field.rule or GENERAL_RULE_IDENTIFIERS
    path = field.value_path
    kind = field.type
    if kind in (FieldType.INTEGER, FieldType.MONEY):
        if isinstance(value, bool) or not isinstance(value, int):
            yield _finding(rule, msg.must_be_whole_number(field.label), path)
            return
        if field.min is not None and value < field.min:
            yield _finding(rule, msg.too_small(field.label, field.min), path)
        if field.max is not None and value > field.max:
            yield _finding(rule, msg.too_large(field.label, field.max), path)
    elif kind is FieldType.BOOLEAN and not isinstance(value, bool):
        yield _finding(rule, msg.must_be_yes_or_no(field.label), path)
    elif kind is FieldType.DATE and not _is_iso_date(value):
        yield _finding(rule, msg.must_be_date(field.label), path)
    elif kind is FieldType.EMAIL and not (isinstance(value, str) and _EMAIL.match(value)):
        yield _finding(rule, msg.must_be_email(field.label), path)
    elif kind is FieldType.PHONE and not (isinstance(value, str) and _PHONE.match(value)):
        yield _finding(rule, msg.must_be_phone(field.label), path)
    elif kind is FieldType.ORG_NUMBER and not (isinstance(value, str) and is_valid_org_number(value)):
        yield _finding(GENERAL_RULE_IDENTIFIERS, msg.bad_org_number(str(value)), path)
    elif kind is FieldType.BANK_ACCOUNT and not (isinstance(value, str) and is_valid_bank_account(value)):
        yield _finding(GENERAL_RULE_IDENTIFIERS, msg.bad_bank_account(str(value)), path)
    elif kind is FieldType.CASE_NUMBER and not (isinstance(value, str) and _CASE_NUMBER.match(value)):
        yield _finding(rule, msg.must_be_case_number(field.label), path)
    elif kind is FieldType.CHOICE and value not in {choice.value for choice in field.choices}:
        yield _finding(rule, msg.not_a_choice(field.label, value), path)
    elif kind is FieldType.MULTICHOICE and not (
        isinstance(value, list) and set(value) <= {choice.value for choice in field.choices}
    ):
        yield _finding(rule, msg.not_a_choice(field.label, value), path)
    elif kind in (FieldType.TEXT, FieldType.TEXTAREA) and not isinstance(value, str):
        yield _finding(rule, msg.must_be_text(field.label), path)


def _is_iso_date(value: Any) -> bool:
    if isinstance(value, dt.date):
        return True
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


# --- the call's checks ---------------------------------------------------------


def _check_call_checks(ctx: Context) -> Iterator[Finding]:
    for check in ctx.call.checks:
        if check.when and not holds(check.when, ctx):
            continue
        yield from _CHECK_KINDS[type(check)](check, ctx)


def _range(check: RangeCheck, ctx: Context) -> Iterator[Finding]:
    value = resolve(ctx.application, check.field)
    if isinstance(value, bool) or not isinstance(value, int):
        # A missing value is the field's own 'required' finding; a wrong type is reported there too.
        return
    label = ctx.call.field_label(check.field)
    if check.min is not None and value < check.min:
        yield _finding(check.rule, _custom(check, msg.range_min(label, check.min, value)), check.field, check.severity)
    if check.max is not None and value > check.max:
        yield _finding(check.rule, _custom(check, msg.range_max(label, check.max, value)), check.field, check.severity)


def _partner(check: PartnerCheck, ctx: Context) -> Iterator[Finding]:
    partners = [(i, p) for i, p in enumerate(ctx.application.partners) if p.kind == check.partner_kind]
    if len(partners) < check.min_count:
        yield _finding(check.rule, _custom(check, msg.partner_missing(check.label)), "partners", check.severity)
        return
    for index, partner in partners:
        for name in check.require_fields:
            if is_empty(getattr(partner, name)):
                yield _finding(
                    check.rule, msg.partner_field_missing(check.label, name), f"partners[{index}].{name}", check.severity
                )
        for key, label in check.require_confirmations.items():
            if partner.confirmations.get(key) is not True:
                yield _finding(
                    check.rule,
                    msg.partner_confirmation_missing(check.label, label),
                    f"partners[{index}].confirmations.{key}",
                    check.severity,
                )
        if check.allowed_org_forms and partner.org_form and partner.org_form.upper() not in check.allowed_org_forms:
            yield _finding(
                check.rule,
                msg.partner_org_form(check.label, partner.org_form, check.allowed_org_forms),
                f"partners[{index}].org_form",
                check.severity,
            )


def _attachment(check: AttachmentCheck, ctx: Context) -> Iterator[Finding]:
    if not any(a.kind == check.attachment_kind for a in ctx.application.attachments):
        yield _finding(
            check.rule,
            _custom(check, msg.attachment_missing(check.label)),
            f"attachments[{check.attachment_kind}]",
            check.severity,
        )


def _amount_applied(check: AmountCheck, ctx: Context) -> Iterator[Finding]:
    amount = ctx.application.budget.amount_applied
    if check.min is not None and amount < check.min:
        yield _finding(check.rule, _custom(check, msg.amount_below(check.min, amount)), "budget.amount_applied", check.severity)
    if check.max is not None and amount > check.max:
        yield _finding(check.rule, _custom(check, msg.amount_above(check.max, amount)), "budget.amount_applied", check.severity)


def _budget_total(check: BudgetTotalCheck, ctx: Context) -> Iterator[Finding]:
    budget = ctx.application.budget
    totals = budget.totals_by_year() if check.per_year else {None: budget.total_costs}
    for year, total in sorted(totals.items(), key=lambda item: item[0] or 0):
        if check.max is not None and total > check.max:
            yield _finding(check.rule, _custom(check, msg.budget_above(check.max, total, year)), "budget.lines", check.severity)
        if check.min is not None and total < check.min:
            yield _finding(check.rule, _custom(check, msg.budget_below(check.min, total, year)), "budget.lines", check.severity)


def _own_contribution(check: OwnContributionCheck, ctx: Context) -> Iterator[Finding]:
    own = ctx.application.budget.own_contribution
    if own is None or own.total < check.min_amount:
        yield _finding(check.rule, _custom(check, msg.own_contribution_missing()), "budget.own_contribution", check.severity)
        return
    if check.in_kind_must_be_quantified and own.description and own.in_kind_amount == 0 and own.amount == 0:
        yield _finding(check.rule, msg.in_kind_not_quantified(), "budget.own_contribution.in_kind_amount", check.severity)


def _funding_sources(check: FundingSourcesCheck, ctx: Context) -> Iterator[Finding]:
    if len(ctx.application.budget.funding_sources) < check.min_count:
        yield _finding(check.rule, _custom(check, msg.funding_sources_missing()), "budget.funding_sources", check.severity)


def _stipend_cap(check: StipendCapCheck, ctx: Context) -> Iterator[Finding]:
    stipend = ctx.application.budget.stipend
    if stipend is None:
        return
    g = g_on(ctx.call.deadline.instant.astimezone(OSLO).date())
    factor = check.under_age_factor if check.under_age_factor is not None else 1
    participant_years = stipend.participants_25_or_over + stipend.participants_under_25 * factor
    cap = math.floor(g.amount * check.g_per_participant_year * participant_years * _fraction(stipend.years))
    if stipend.amount_applied > cap:
        yield _finding(
            check.rule,
            _custom(check, msg.stipend_above_cap(stipend.amount_applied, cap, g.amount, g.valid_from)),
            "budget.stipend.amount_applied",
            check.severity,
        )


def _fraction(value: float) -> Fraction:
    return Fraction(str(value))


def _confirmation(check: ConfirmationCheck, ctx: Context) -> Iterator[Finding]:
    value = resolve(ctx.application, check.field)
    if value is False:
        # Missing is the field's own 'required' finding; a non-yes/no value is reported there too.
        label = ctx.call.field_label(check.field)
        yield _finding(check.rule, _custom(check, msg.not_confirmed(label)), check.field, check.severity)


_CHECK_KINDS = {
    RangeCheck: _range,
    PartnerCheck: _partner,
    AttachmentCheck: _attachment,
    AmountCheck: _amount_applied,
    BudgetTotalCheck: _budget_total,
    OwnContributionCheck: _own_contribution,
    FundingSourcesCheck: _funding_sources,
    StipendCapCheck: _stipend_cap,
    ConfirmationCheck: _confirmation,
}


def _check_budget_categories(ctx: Context) -> Iterator[Finding]:
    rules = ctx.call.budget
    for index, line in enumerate(ctx.application.budget.lines):
        category = ctx.call.category(line.category)
        path = f"budget.lines[{index}].category"
        if category is None:
            rule = rules.rule or rules.categories[0].rule
            yield _finding(rule, msg.unknown_category(line.category), path)
        elif not category.eligible:
            yield _finding(category.rule, msg.ineligible_category(category.label, line.amount), path, category.severity)


# --- paths and conditions ------------------------------------------------------

_INDEXED = re.compile(r"^(?P<name>[a-z_]+)\[(?P<key>[^\]]+)\]$")


def resolve(application: Application, path: str) -> Any:
    """The value at ``path`` (``answers.x``, ``applicant.bank_account``, ``attachments[kind]``)."""
    current: Any = application
    for part in path.split("."):
        indexed = _INDEXED.match(part)
        if indexed and indexed["name"] == "attachments":
            kind = indexed["key"]
            return [a for a in application.attachments if a.kind == kind]
        if isinstance(current, dict):
            current = current.get(part)
        else:
            current = getattr(current, part, None)
        if current is None:
            return None
    return current


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict, tuple, set)):
        return len(value) == 0
    return False


def holds(condition: Condition, ctx: Context) -> bool:
    """Whether every part of ``condition`` holds for the application."""
    application = ctx.application
    if condition.areas is not None and not set(condition.areas) & set(application.areas):
        return False
    if condition.partner is not None and not any(p.kind == condition.partner for p in application.partners):
        return False
    if condition.field is not None:
        value = resolve(application, condition.field)
        if condition.equals is not None and value != condition.equals:
            return False
        if condition.in_ is not None and value not in condition.in_:
            return False
        if condition.truthy is not None and bool(value) is not condition.truthy:
            return False
    return True


_CHECKS: tuple = (
    _check_deadline,
    _check_identifiers,
    _check_eligibility,
    _check_grantor,
    _check_areas,
    _check_fields,
    _check_call_checks,
    _check_budget_categories,
)


def rule_ids_checked(call: CallDefinition) -> set[str]:
    """Rule ids the engine can produce findings for under ``call`` (for docs/rules.md and tests)."""
    ids = {GENERAL_RULE_DEADLINE, GENERAL_RULE_IDENTIFIERS}
    eligibility = call.eligibility
    for part in (
        eligibility.applicant_types,
        eligibility.allow_list,
        eligibility.voluntary_register,
        eligibility.minimum_age,
        eligibility.national_presence,
        eligibility.joint,
        call.areas,
        call.local_grantors,
    ):
        if part is not None:
            ids.add(part.rule)
    ids |= {field.rule for field in call.fields if field.rule and (field.required or field.required_when)}
    ids |= {check.rule for check in call.checks}
    ids |= {category.rule for category in call.budget.categories if not category.eligible}
    return ids
