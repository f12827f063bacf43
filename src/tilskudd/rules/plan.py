"""A call definition worked out once: the plan the rule engine follows for each application.

Much of checking an application is reading the call definition: splitting each
field's path (``answers.participants``), finding which fields and checks the
application's priority areas (*prioriterte områder*) bring in, writing the messages
that do not depend on the answer («Antall deltakere» må fylles ut.), looking up
labels and budget categories. That work is the same for every application to a
call, so :func:`plan_for` does it once per call definition and keeps the result
(a :class:`CallPlan`) for as long as the definition object lives. Evaluating an
application then only reads the application.

The plan gives exactly the findings of the plain reading of the call, in the same
order with the same messages. ``resolve`` in :mod:`tilskudd.rules.engine` states
that reading for paths, and :mod:`tilskudd.rules.conditions` for conditions;
``tests/rules/test_engine_plan.py`` holds the plan to it.

**A plan belongs to one call definition object** (found by identity, never by the
call's id or by comparing content), so two definitions with the same id and
different content never share a plan. :class:`~tilskudd.rules.schema.CallDefinition`
is a frozen model; do not change the lists inside one after it has been evaluated —
validate a new definition instead. :func:`clear_plans` forgets every plan.

Pure Python, no Django.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
import weakref
from collections.abc import Callable
from fractions import Fraction
from functools import lru_cache
from typing import Any

from tilskudd.rules import messages as msg
from tilskudd.rules.application import ApplicantType, Application
from tilskudd.rules.conditions import is_empty, names_partner, value_test
from tilskudd.rules.findings import Finding, Severity
from tilskudd.rules.reference import county_codes, g_on
from tilskudd.rules.registry import Registry
from tilskudd.rules.schema import (
    CHECK_KINDS,
    OSLO,
    AmountCheck,
    AttachmentCheck,
    BudgetBalanceCheck,
    BudgetTotalCheck,
    CallDefinition,
    Condition,
    ConfirmationCheck,
    FieldType,
    FormField,
    FundingSourcesCheck,
    OwnContributionCheck,
    PartnerCheck,
    ProjectPeriodCheck,
    RangeCheck,
    StipendCapCheck,
    Text,
)
from tilskudd.rules.validators import (
    is_valid_bank_account,
    is_valid_email,
    is_valid_org_number,
    is_valid_phone,
)

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

CASE_NUMBER = re.compile(r"^\d{2,4}[-/]\d{1,6}(-\d+)?$")
#: One part of a path with a key: ``attachments[statutes]``.
INDEXED = re.compile(r"^(?P<name>[a-z_]+)\[(?P<key>[^\]]+)\]$")

ERROR = Severity.ERROR

Getter = Callable[[Application], Any]
Predicate = Callable[[Application], bool]
Out = list[Finding]


def finding(rule: str, text: msg.Message, field: str = "", severity: str = "error") -> Finding:
    return Finding(rule, ERROR if severity == "error" else Severity(severity), text.nb, text.en, field)


def once(make: Callable[[], Finding]) -> Callable[[], Finding]:
    """The finding ``make()`` gives, made the first time it is asked for and then kept.

    Most of a call's fixed findings («Antall deltakere» må fylles ut.) are never
    needed by most applications; making them all ahead would cost more than the
    first check of an application saves.
    """
    made: list[Finding] = []

    def get() -> Finding:
        if not made:
            made.append(make())
        return made[0]

    return get


def custom_message(check) -> msg.Message | None:
    """The call's own message for a check (``message:``), or None for the engine's standard one."""
    return msg.Message(check.message.nb, check.message.en or check.message.nb) if check.message else None


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def is_iso_date(value: Any) -> bool:
    if isinstance(value, dt.date):
        return True
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


# --- identifiers (X-R02), the common case without the regular expression ------------------

# The weighted sums of the character code of '0' (48): subtracted, they leave the sum of the digits.
_ORG_OFFSET = 48 * (3 + 2 + 7 + 6 + 5 + 4 + 3 + 2)
_BANK_OFFSET = 48 * (5 + 4 + 3 + 2 + 7 + 6 + 5 + 4 + 3 + 2)


def valid_org_number(value: Any) -> bool:
    """:func:`~tilskudd.rules.validators.is_valid_org_number`, without its work for 9 plain digits.

    Nine ASCII digits have no separators to remove; the MOD11 sum (weights 3 2 7 6 5
    4 3 2) is taken over the character codes. Anything else goes to the validator.
    """
    if value.__class__ is str and len(value) == 9 and value.isdigit() and value.isascii():
        c = value.encode()
        total = c[0] * 3 + c[1] * 2 + c[2] * 7 + c[3] * 6 + c[4] * 5 + c[5] * 4 + c[6] * 3 + c[7] * 2
        check = 11 - (total - _ORG_OFFSET) % 11
        return (0 if check == 11 else check) == c[8] - 48  # a remainder of 1 (check 10) never matches
    return is_valid_org_number(value)


def valid_bank_account(value: Any) -> bool:
    """:func:`~tilskudd.rules.validators.is_valid_bank_account`, the same way for 11 plain digits.

    Weights 5 4 3 2 7 6 5 4 3 2.
    """
    if value.__class__ is str and len(value) == 11 and value.isdigit() and value.isascii():
        c = value.encode()
        total = (
            c[0] * 5 + c[1] * 4 + c[2] * 3 + c[3] * 2 + c[4] * 7 + c[5] * 6 + c[6] * 5 + c[7] * 4 + c[8] * 3 + c[9] * 2
        )
        check = 11 - (total - _BANK_OFFSET) % 11
        return (0 if check == 11 else check) == c[10] - 48
    return is_valid_bank_account(value)


# --- paths and conditions ------------------------------------------------------


@lru_cache(maxsize=4096)
def parse_path(path: str) -> tuple[tuple[str, ...], str | None]:
    """``path`` split into the names walked, and the attachment kind where a part is ``attachments[kind]``.

    Parts after ``attachments[kind]`` are not read (nor by ``engine.resolve``).
    """
    walk: list[str] = []
    for part in path.split("."):
        indexed = INDEXED.match(part)
        if indexed and indexed["name"] == "attachments":
            return tuple(walk), indexed["key"]
        walk.append(part)
    return tuple(walk), None


@lru_cache(maxsize=4096)
def compile_path(path: str) -> Getter:
    """A function that gives the value at ``path`` in an application, as ``engine.resolve`` does.

    The path is split and matched here, once: ``answers.x`` looks ``x`` up in the
    answers, ``applicant.bank_account`` reads attributes, ``attachments[kind]`` gives
    the application's attachments of that kind. A missing step gives None. The
    function depends on the path alone, so plans share it.
    """
    walk, kind = parse_path(path)
    if kind is not None:
        return _attachments_getter(_walker(walk) if walk else None, kind)
    return _walker(walk)


def _walker(parts: tuple[str, ...]) -> Getter:
    if len(parts) == 1:
        (name,) = parts

        def get_one(application: Application) -> Any:
            return getattr(application, name, None)

        return get_one
    if len(parts) == 2:
        first, second = parts

        def get_two(application: Application) -> Any:
            current = getattr(application, first, None)
            if current is None:
                return None
            return current.get(second) if isinstance(current, dict) else getattr(current, second, None)

        return get_two

    def get_many(application: Application) -> Any:
        current: Any = application
        for part in parts:
            current = current.get(part) if isinstance(current, dict) else getattr(current, part, None)
            if current is None:
                return None
        return current

    return get_many


def _attachments_getter(before: Getter | None, kind: str) -> Getter:
    def get_attachments(application: Application) -> Any:
        if before is not None and before(application) is None:
            return None
        return [a for a in application.attachments if a.kind == kind]

    return get_attachments


def compile_condition(condition: Condition) -> tuple[frozenset[str] | None, Predicate | None]:
    """A condition in two parts: the areas it names (None: any), and a test of the rest (None: none).

    The areas part depends only on the application's areas; the plan settles it once
    per set of areas (:meth:`CallPlan.steps_for`).
    """
    areas = frozenset(condition.areas) if condition.areas is not None else None
    tests: list[Predicate] = []
    if condition.partner is not None:
        kind = condition.partner

        def names_partner_of_kind(application: Application) -> bool:
            return names_partner(application.partners, kind)

        tests.append(names_partner_of_kind)
    if condition.field is not None:
        tests.append(_field_test(compile_path(condition.field), value_test(condition)))
    if not tests:
        return areas, None
    if len(tests) == 1:
        return areas, tests[0]
    first, second = tests
    return areas, lambda application: first(application) and second(application)


def _field_test(get: Getter, test: Callable[[Any], bool]) -> Predicate:
    """The field part of a condition on an application: ``test`` (:func:`conditions.value_test`) of the value."""
    return lambda application: test(get(application))


# --- the form ------------------------------------------------------------------

#: How a field's value is checked: appends its findings.
ValueCheck = Callable[[Any, Out], None]


#: Where a field's value is read from (the first item of a field step).
FROM_PATH = 0  # the compiled path (``get``)
FROM_ANSWERS = 1  # ``answers.<key>``, read from the answers dict
FROM_APPLICANT = 2  # ``applicant.<key>``
FROM_ATTACHMENTS = 3  # ``attachments[<key>]`` of a field with no value check: only whether one is there


class _FieldSpec:
    """One form field, worked out: where its value is, when it is shown and required, its messages."""

    __slots__ = (
        "source",
        "key",
        "get",
        "shown_areas",
        "shown",
        "required",
        "required_when",
        "required_areas",
        "required_rest",
        "missing",
        "check",
        "ok",
    )

    def __init__(self, field: FormField, path: str):
        self.get = compile_path(path)
        self.shown_areas, self.shown = compile_condition(field.shown_when) if field.shown_when else (None, None)
        self.required = field.required
        self.required_when = field.required_when is not None
        self.required_areas, self.required_rest = (
            compile_condition(field.required_when) if field.required_when else (None, None)
        )
        rule = field.rule
        self.missing = once(lambda: finding(rule, msg.required(field.label), path)) if rule else None
        self.check = _value_check(field, path)
        #: A value of exactly this type passes the check (a blank text is still empty).
        self.ok = _passing_type(field) if self.check is not None else str
        self.source, self.key = _source(path, self.check)

    def step(self, areas: frozenset[str]) -> tuple | None:
        """(source, key, get, shown, required, missing, check, ok) for an application naming ``areas``.

        None: the field is not shown for these areas. ``shown`` is None (always) or a
        test of the application; ``required`` is True, False or a test, as
        ``required or (required_when and holds(required_when))``.
        """
        if self.shown_areas is not None and self.shown_areas.isdisjoint(areas):
            return None
        required: bool | Predicate
        if self.required:
            required = True
        elif not self.required_when:
            required = False
        elif self.required_areas is not None and self.required_areas.isdisjoint(areas):
            required = False
        elif self.required_rest is None:
            required = True
        else:
            required = self.required_rest
        return (self.source, self.key, self.get, self.shown, required, self.missing, self.check, self.ok)


def _source(path: str, check: ValueCheck | None) -> tuple[int, str | None]:
    """Where the field loop reads the value at ``path`` without calling its getter."""
    walk, kind = parse_path(path)
    if kind is not None:
        return (FROM_ATTACHMENTS, kind) if not walk and check is None else (FROM_PATH, None)
    if len(walk) == 2 and walk[0] == "answers":
        return FROM_ANSWERS, walk[1]
    if len(walk) == 2 and walk[0] == "applicant":
        return FROM_APPLICANT, walk[1]
    return FROM_PATH, None


def _passing_type(field: FormField) -> type | None:
    """The type whose every (non-blank) value passes the field's check, where there is one."""
    if field.type in (FieldType.TEXT, FieldType.TEXTAREA):
        return str
    if field.type is FieldType.BOOLEAN:
        return bool
    if field.type in (FieldType.INTEGER, FieldType.MONEY) and field.min is None and field.max is None:
        return int  # exactly int: a bool is not a whole number here
    return None


def _value_check(field: FormField, path: str) -> ValueCheck | None:
    """What the engine checks on a given value of this field's type (``FieldType``)."""
    rule = field.rule or GENERAL_RULE_IDENTIFIERS
    label = field.label
    kind = field.type
    if kind in (FieldType.INTEGER, FieldType.MONEY):
        not_whole = once(lambda: finding(rule, msg.must_be_whole_number(label), path))
        low, high = field.min, field.max
        too_small = once(lambda: finding(rule, msg.too_small(label, low), path))
        too_large = once(lambda: finding(rule, msg.too_large(label, high), path))

        def check_number(value: Any, out: Out) -> None:
            if isinstance(value, bool) or not isinstance(value, int):
                out.append(not_whole())
                return
            if low is not None and value < low:
                out.append(too_small())
            if high is not None and value > high:
                out.append(too_large())

        return check_number
    if kind is FieldType.BOOLEAN:
        return _unless(_is_bool, rule, msg.must_be_yes_or_no, label, path)
    if kind is FieldType.DATE:
        return _unless(is_iso_date, rule, msg.must_be_date, label, path)
    if kind is FieldType.EMAIL:
        return _unless(is_valid_email, rule, msg.must_be_email, label, path)
    if kind is FieldType.PHONE:
        return _unless(is_valid_phone, rule, msg.must_be_phone, label, path)
    if kind is FieldType.CASE_NUMBER:
        return _unless(_matches(CASE_NUMBER), rule, msg.must_be_case_number, label, path)
    if kind is FieldType.ORG_NUMBER:
        if path == "applicant.org_number":
            # The identifier check (X-R02) has already given this finding, word for word; the
            # applicant sees it once (evaluate drops repeats), so it is not worked out twice.
            return None

        def check_org_number(value: Any, out: Out) -> None:
            if not (isinstance(value, str) and valid_org_number(value)):
                out.append(finding(GENERAL_RULE_IDENTIFIERS, msg.bad_org_number(str(value)), path))

        return check_org_number
    if kind is FieldType.BANK_ACCOUNT:
        if path == "applicant.bank_account":
            return None  # as for applicant.org_number: a given account is an identifier check (X-R02)

        def check_bank_account(value: Any, out: Out) -> None:
            if not (isinstance(value, str) and valid_bank_account(value)):
                out.append(finding(GENERAL_RULE_IDENTIFIERS, msg.bad_bank_account(str(value)), path))

        return check_bank_account
    if kind is FieldType.CHOICE:
        values = frozenset(choice.value for choice in field.choices)

        def check_choice(value: Any, out: Out) -> None:
            if not isinstance(value, str) or value not in values:
                out.append(finding(rule, msg.not_a_choice(label, value), path))

        return check_choice
    if kind is FieldType.MULTICHOICE:
        values = frozenset(choice.value for choice in field.choices)

        def check_choices(value: Any, out: Out) -> None:
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value) and set(value) <= values):
                out.append(finding(rule, msg.not_a_choice(label, value), path))

        return check_choices
    if kind in (FieldType.TEXT, FieldType.TEXTAREA):
        return _unless(_is_str, rule, msg.must_be_text, label, path)
    return None  # contacts, partners, budget …: their content is checked by the call's checks


def _unless(
    good: Callable[[Any], Any], rule: str, message: Callable[[Text], msg.Message], label: Text, path: str
) -> ValueCheck:
    """A check that gives the finding ``message(label)`` unless ``good(value)``."""
    bad = once(lambda: finding(rule, message(label), path))

    def check(value: Any, out: Out) -> None:
        if not good(value):
            out.append(bad())

    return check


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _matches(pattern: re.Pattern) -> Callable[[Any], Any]:
    match = pattern.match
    return lambda value: isinstance(value, str) and match(value)


# --- the call's checks ---------------------------------------------------------

#: A check of the call, ready to run: appends its findings.
CheckRun = Callable[[Application, Out], None]


class _Labels:
    """Field labels by path (``call.field_label``), the fallback label made when first needed."""

    def __init__(self, call: CallDefinition, paths: list[str]):
        self.by_path: dict[str, Text] = {}
        for field, path in zip(call.fields, paths, strict=True):
            self.by_path.setdefault(path, field.label)

    def __call__(self, path: str) -> Text:
        label = self.by_path.get(path)
        return label if label is not None else Text(nb=path, en=path)


#: How a check's finding is made: the message and the path it concerns.
Make = Callable[[msg.Message, str], Finding]
#: How a kind of check is compiled: the check, the call, the labels, ``make`` and the
#: call file's own message (None: the standard one) in; the check, ready to run, out.
Compile = Callable[[Any, CallDefinition, _Labels, Make, "msg.Message | None"], CheckRun]

#: How each kind of check is compiled (one entry per kind in :data:`~tilskudd.rules.schema.CHECK_KINDS`).
COMPILERS: Registry[Compile] = Registry("compiled by the rule engine (rules/plan.py)", CHECK_KINDS)


def _compile_check(check, call: CallDefinition, labels: _Labels) -> CheckRun:
    rule, severity, own = check.rule, Severity(check.severity), custom_message(check)

    def make(text: msg.Message, field: str) -> Finding:
        return Finding(rule, severity, text.nb, text.en, field)

    return COMPILERS.for_(check)(check, call, labels, make, own)


@COMPILERS.register(RangeCheck)
def _compile_range(check: RangeCheck, call: CallDefinition, labels: _Labels, make: Make, own) -> CheckRun:
    get, path, low, high = compile_path(check.field), check.field, check.min, check.max

    def run_range(application: Application, out: Out) -> None:
        value = get(application)
        if isinstance(value, bool) or not isinstance(value, int):
            return  # a missing value is the field's own 'required' finding; a wrong type too
        if low is not None and value < low:
            out.append(make(own or msg.range_min(labels(path), low, value), path))
        if high is not None and value > high:
            out.append(make(own or msg.range_max(labels(path), high, value), path))

    return run_range


@COMPILERS.register(AttachmentCheck)
def _compile_attachment(check: AttachmentCheck, call: CallDefinition, labels: _Labels, make: Make, own) -> CheckRun:
    kind = check.attachment_kind
    missing = once(lambda: make(own or msg.attachment_missing(check.label), f"attachments[{kind}]"))

    def run_attachment(application: Application, out: Out) -> None:
        if not any(a.kind == kind for a in application.attachments):
            out.append(missing())

    return run_attachment


@COMPILERS.register(AmountCheck)
def _compile_amount(check: AmountCheck, call: CallDefinition, labels: _Labels, make: Make, own) -> CheckRun:
    low, high = check.min, check.max

    def run_amount(application: Application, out: Out) -> None:
        amount = application.budget.amount_applied
        if low is not None and amount < low:
            out.append(make(own or msg.amount_below(low, amount), "budget.amount_applied"))
        if high is not None and amount > high:
            out.append(make(own or msg.amount_above(high, amount), "budget.amount_applied"))

    return run_amount


@COMPILERS.register(BudgetTotalCheck)
def _compile_budget_total(check: BudgetTotalCheck, call: CallDefinition, labels: _Labels, make: Make, own) -> CheckRun:
    low, high, per_year = check.min, check.max, check.per_year

    def run_budget_total(application: Application, out: Out) -> None:
        budget = application.budget
        totals = budget.totals_by_year() if per_year else {None: budget.total_costs}
        for year, total in sorted(totals.items(), key=lambda item: item[0] or 0):
            if high is not None and total > high:
                out.append(make(own or msg.budget_above(high, total, year), "budget.lines"))
            if low is not None and total < low:
                out.append(make(own or msg.budget_below(low, total, year), "budget.lines"))

    return run_budget_total


@COMPILERS.register(OwnContributionCheck)
def _compile_own_contribution(
    check: OwnContributionCheck, call: CallDefinition, labels: _Labels, make: Make, own
) -> CheckRun:
    minimum, quantified = check.min_amount, check.in_kind_must_be_quantified
    missing = once(lambda: make(own or msg.own_contribution_missing(), "budget.own_contribution"))
    in_kind = once(lambda: make(msg.in_kind_not_quantified(), "budget.own_contribution.in_kind_amount"))

    def run_own_contribution(application: Application, out: Out) -> None:
        contribution = application.budget.own_contribution
        if contribution is None or contribution.total < minimum:
            out.append(missing())
        elif quantified and contribution.description and contribution.in_kind_amount == 0 and contribution.amount == 0:
            out.append(in_kind())

    return run_own_contribution


@COMPILERS.register(FundingSourcesCheck)
def _compile_funding_sources(
    check: FundingSourcesCheck, call: CallDefinition, labels: _Labels, make: Make, own
) -> CheckRun:
    count = check.min_count
    missing = once(lambda: make(own or msg.funding_sources_missing(), "budget.funding_sources"))

    def run_funding_sources(application: Application, out: Out) -> None:
        if len(application.budget.funding_sources) < count:
            out.append(missing())

    return run_funding_sources


@COMPILERS.register(BudgetBalanceCheck)
def _compile_budget_balance(
    check: BudgetBalanceCheck, call: CallDefinition, labels: _Labels, make: Make, own
) -> CheckRun:
    financing, whole_plan = check.financing, check.sources == "all"

    def run_budget_balance(application: Application, out: Out) -> None:
        budget = application.budget
        if not budget.lines:
            return  # no costs yet: the budget field's own 'required' finding
        costs, applied = budget.total_costs, budget.amount_applied
        if applied > costs:
            out.append(make(own or msg.applied_above_costs(applied, costs), "budget.amount_applied"))
        stipend = budget.stipend
        if stipend is not None and applied and stipend.amount_applied > applied:
            out.append(make(own or msg.stipend_above_applied(stipend.amount_applied, applied), "budget.stipend"))
        if not financing:
            return
        contribution = budget.own_contribution.total if budget.own_contribution else 0
        sources = sum(source.amount for source in budget.funding_sources)
        if not whole_plan:
            if applied + contribution + sources != costs:
                text = own or msg.financing_does_not_add_up(costs, applied, contribution, sources)
                out.append(make(text, "budget.funding_sources"))
            return
        if not budget.funding_sources:
            return  # no financing plan yet: the funding-sources field's own 'required' finding
        if sources != costs:
            out.append(make(own or msg.sources_do_not_add_up(costs, sources), "budget.funding_sources"))
        elif applied + contribution > sources:
            out.append(make(own or msg.sources_leave_out(applied, contribution, sources), "budget.funding_sources"))

    return run_budget_balance


@COMPILERS.register(ProjectPeriodCheck)
def _compile_project_period(
    check: ProjectPeriodCheck, call: CallDefinition, labels: _Labels, make: Make, own
) -> CheckRun:
    years, ends_by = check.max_years, check.ends_by

    def run_project_period(application: Application, out: Out) -> None:
        project = application.project
        if project is None or project.ends_on is None:
            return  # not given: the fields' own 'required' finding
        if years is not None and project.starts_on is not None:
            if project.ends_on >= add_years(project.starts_on, years):
                text = own or msg.project_too_long(years, project.starts_on, project.ends_on)
                out.append(make(text, "project.ends_on"))
        if ends_by is not None and project.ends_on > ends_by:
            out.append(make(own or msg.project_ends_too_late(ends_by, project.ends_on), "project.ends_on"))

    return run_project_period


@COMPILERS.register(ConfirmationCheck)
def _compile_confirmation(check: ConfirmationCheck, call: CallDefinition, labels: _Labels, make: Make, own) -> CheckRun:
    get, path = compile_path(check.field), check.field
    not_confirmed = once(lambda: make(own or msg.not_confirmed(labels(path)), path))

    def run_confirmation(application: Application, out: Out) -> None:
        if get(application) is False:
            # Missing is the field's own 'required' finding; a non-yes/no value is reported there too.
            out.append(not_confirmed())

    return run_confirmation


@COMPILERS.register(PartnerCheck)
def _compile_partner(check: PartnerCheck, call: CallDefinition, labels: _Labels, make: Make, own) -> CheckRun:
    kind, count, label, allowed = check.partner_kind, check.min_count, check.label, check.allowed_org_forms
    missing = once(lambda: make(own or msg.partner_missing(label), "partners"))
    fields = [(name, msg.partner_field_missing(label, name)) for name in check.require_fields]
    confirmations = [
        (key, msg.partner_confirmation_missing(label, text)) for key, text in check.require_confirmations.items()
    ]

    def run_partner(application: Application, out: Out) -> None:
        partners = [(i, p) for i, p in enumerate(application.partners) if p.kind == kind]
        if len(partners) < count:
            out.append(missing())
            return
        for index, partner in partners:
            for name, text in fields:
                if is_empty(getattr(partner, name)):
                    out.append(make(text, f"partners[{index}].{name}"))
            for key, text in confirmations:
                if partner.confirmations.get(key) is not True:
                    out.append(make(text, f"partners[{index}].confirmations.{key}"))
            if allowed and partner.org_form and partner.org_form.upper() not in allowed:
                out.append(make(msg.partner_org_form(label, partner.org_form, allowed), f"partners[{index}].org_form"))

    return run_partner


def stipend_cap(check: StipendCapCheck, stipend, g_amount: int, participants: Any = None) -> int:
    """The largest participant stipend a call accepts (C0-R18, C0-R19): G × participant-years, whole NOK.

    Every participant counts in full, whatever the age (C0-R18: the 2/3 for under-25s is what they
    receive, not the cap). The years count at most ``check.max_years``; the head count at most
    ``participants`` (the project's number of participants, when the call names that field and the
    application gives it). Shared by the engine's check and the allocation assistant's caps, so both
    use one formula.
    """
    heads = stipend.participants_25_or_over + stipend.participants_under_25
    if isinstance(participants, int) and not isinstance(participants, bool):
        heads = min(heads, max(participants, 0))
    years = Fraction(str(stipend.years))
    if check.max_years is not None:
        years = min(years, check.max_years)
    return math.floor(g_amount * check.g_per_participant_year * heads * years)


def stipend_participants(check: StipendCapCheck, application: Application) -> Any:
    """The project's number of participants the stipend may count (``check.participants_field``), or None."""
    return compile_path(check.participants_field)(application) if check.participants_field else None


@COMPILERS.register(StipendCapCheck)
def _compile_stipend_cap(check: StipendCapCheck, call: CallDefinition, labels: _Labels, make: Make, own) -> CheckRun:
    deadline_day = call.deadline.instant.astimezone(OSLO).date()
    g_found: list = []  # the G in force on the deadline, looked up the first time it is needed

    def run_stipend_cap(application: Application, out: Out) -> None:
        stipend = application.budget.stipend
        if stipend is None:
            return
        if not g_found:
            g_found.append(g_on(deadline_day))
        g = g_found[0]
        cap = stipend_cap(check, stipend, g.amount, stipend_participants(check, application))
        if stipend.amount_applied > cap:
            text = own or msg.stipend_above_cap(stipend.amount_applied, cap, g.amount, g.valid_from)
            out.append(make(text, "budget.stipend.amount_applied"))

    return run_stipend_cap


# --- the plan ------------------------------------------------------------------


class CallPlan:
    """Everything :func:`~tilskudd.rules.engine.evaluate` needs from one call definition, worked out once.

    :meth:`evaluate` checks, in this order: the deadline (X-R01), identifiers
    (X-R02), who may apply, the grantor, the priority areas, the form's fields in
    their order, the call's checks in their order, and the budget categories.

    A plan keeps parts of the definition but never the definition object itself:
    :func:`plan_for` holds plans strongly and definitions weakly, so a plan that
    referred to its definition would keep it alive for ever.
    """

    def __init__(self, call: CallDefinition):
        eligibility = call.eligibility
        paths = [field.value_path for field in call.fields]
        asked = set(paths)

        self.deadline = call.deadline.instant
        # who may apply
        self.applicant_types = eligibility.applicant_types
        self.allow_list = eligibility.allow_list
        self.allowed_org_numbers = frozenset(self.allow_list.org_numbers) if self.allow_list else frozenset()
        self.voluntary_register = eligibility.voluntary_register
        self.minimum_age = eligibility.minimum_age
        self.founding_date_asked = "applicant.founded_on" in asked
        self.national_presence = eligibility.national_presence
        self.presence_kinds = [kind.value for kind in self.national_presence.any_of] if self.national_presence else []
        self.joint = eligibility.joint
        # the grantor: a form field that asks for it reports it (one finding for one problem)
        self.grantor_checked = "grantor" not in asked
        self.grantor_numbers = frozenset(call.grantor_org_numbers())
        self.grantor_rule = call.local_grantors.rule if call.local_grantors else call.frame.rule
        # what only the local grantors fund, applied for from the call's own grantor (C2-R04)
        self.own_grantor = call.grantor.org_number
        self.local_only = call.local_grantors.local_only if call.local_grantors else None
        # the same activity from the call's own grantor and a local one (C2-R07)
        self.one_grantor_rule = call.local_grantors.one_grantor_per_activity if call.local_grantors else None
        self.grantor_names = {call.grantor.org_number: call.grantor.name}
        if call.local_grantors:
            self.grantor_names |= {g.org_number: g.name for g in call.local_grantors.municipalities}
        # the priority areas
        self.areas = call.areas
        self.area_ids = frozenset(area.id for area in call.areas.items) if call.areas else frozenset()
        self.area_ids_sorted = sorted(self.area_ids)
        # the form and the checks, and the areas their conditions name
        labels = _Labels(call, paths)
        self.fields = [_FieldSpec(field, path) for field, path in zip(call.fields, paths, strict=True)]
        self.checks = []
        for check in call.checks:
            areas, rest = compile_condition(check.when) if check.when else (None, None)
            self.checks.append((areas, rest, _compile_check(check, call, labels)))
        named = [spec.shown_areas for spec in self.fields] + [spec.required_areas for spec in self.fields]
        named += [areas for areas, _, _ in self.checks]
        #: Every area a condition names; only these decide which fields and checks apply.
        self.condition_areas = frozenset().union(*(areas for areas in named if areas is not None))
        self._steps: dict[frozenset[str], tuple[tuple, tuple]] = {}
        # budget categories
        self.categories = {category.id: category for category in reversed(call.budget.categories)}
        self.unknown_category_rule = call.budget.rule or call.budget.categories[0].rule

    def steps_for(self, areas: frozenset[str]) -> tuple[tuple, tuple]:
        """The fields and checks that apply to an application naming ``areas`` (of ``condition_areas``)."""
        steps = self._steps.get(areas)
        if steps is None:
            fields = tuple(step for step in (spec.step(areas) for spec in self.fields) if step is not None)
            checks = tuple((rest, run) for when, rest, run in self.checks if when is None or not when.isdisjoint(areas))
            # At most 2 ** len(condition_areas) entries: the key is a subset of those areas.
            steps = self._steps[areas] = (fields, checks)
        return steps

    def _local_only(self, application: Application, out: Out) -> None:
        """An application to the call's own grantor for what only the local grantors fund is an error (C2-R04)."""
        only = self.local_only
        assert only is not None
        text = custom_message(only)
        assert text is not None
        if only.field and only.values and compile_path(only.field)(application) in only.values:
            out.append(finding(only.rule, text, only.field))
        if only.categories:
            for index, line in enumerate(application.budget.lines):
                if line.category in only.categories:
                    out.append(finding(only.rule, text, f"budget.lines[{index}].category"))

    def _one_grantor_per_activity(self, application: Application, out: Out) -> None:
        """A grant from the call's own grantor and one from a local grantor for the same activity (C2-R07)."""
        rule, own, names = self.one_grantor_rule, self.own_grantor, self.grantor_names
        assert rule is not None
        applied_to = application.grantor or own
        for index, source in enumerate(application.budget.funding_sources):
            other = source.grantor_org_number
            if other is None or other == applied_to or other not in names or own not in (other, applied_to):
                continue
            first = names.get(applied_to)
            text = msg.same_activity_two_grantors(
                (first.nb, first.en or first.nb) if first else (applied_to, applied_to),
                (names[other].nb, names[other].en or names[other].nb),
                source.status.value if source.status else None,
            )
            out.append(finding(rule, text, f"budget.funding_sources[{index}].grantor_org_number"))

    def evaluate(self, application: Application, at: dt.datetime) -> list[Finding]:
        out: Out = []
        if at > self.deadline:
            out.append(finding(GENERAL_RULE_DEADLINE, msg.deadline_passed(self.deadline.astimezone(OSLO))))
        self._identifiers(application, out)
        self._eligibility(application, at, out)
        if self.grantor_checked:
            chosen = application.grantor
            if chosen is not None and chosen not in self.grantor_numbers:
                out.append(finding(self.grantor_rule, msg.unknown_grantor(chosen), "grantor"))
        if self.local_only is not None and application.grantor == self.own_grantor:
            self._local_only(application, out)
        if self.one_grantor_rule is not None and application.budget.funding_sources:
            self._one_grantor_per_activity(application, out)
        if self.areas is not None:
            self._areas(application, out)

        condition_areas = self.condition_areas
        fields, checks = self.steps_for(
            condition_areas.intersection(application.areas) if condition_areas else condition_areas
        )
        answers = application.answers
        if not isinstance(answers, dict):
            answers = None  # not as validated: read it by the path
        applicant = application.applicant
        if applicant is None or isinstance(applicant, dict):
            applicant = None
        attached = None  # the kinds of attachment the application has, collected when first needed
        for source, key, get, shown, required, missing, check, ok in fields:
            if shown is not None and not shown(application):
                continue
            if source == FROM_ANSWERS and answers is not None:
                value = answers.get(key)
            elif source == FROM_APPLICANT and applicant is not None:
                value = getattr(applicant, key, None)
            elif source == FROM_ATTACHMENTS:
                if attached is None:
                    attached = {a.kind for a in application.attachments}
                if key in attached:
                    continue  # there, and such a field has no value check
                value = None
            else:
                value = get(application)
            # is_empty(value), and no call at all for a value of the type the field asks for
            if value.__class__ is ok:
                if ok is not str or value.strip():
                    continue
                empty = True
            elif value is None:
                empty = True
            elif isinstance(value, str):
                empty = not value.strip()
            elif isinstance(value, (list, dict, tuple, set)):
                empty = len(value) == 0
            else:
                empty = False
            if empty:
                if required is True or (required is not False and required(application)):
                    out.append(missing())
                continue
            if check is not None:
                check(value, out)
        for when, run in checks:
            if when is None or when(application):
                run(application, out)

        self._budget_categories(application, out)
        # The same finding can come from two places; the applicant sees it once.
        return list(dict.fromkeys(out)) if len(out) > 1 else out

    # --- the parts that read little of the call ---

    def _identifiers(self, application: Application, out: Out) -> None:
        applicant = application.applicant
        if not valid_org_number(applicant.org_number):
            out.append(
                finding(GENERAL_RULE_IDENTIFIERS, msg.bad_org_number(applicant.org_number), "applicant.org_number")
            )
        if applicant.bank_account and not valid_bank_account(applicant.bank_account):
            out.append(
                finding(
                    GENERAL_RULE_IDENTIFIERS, msg.bad_bank_account(applicant.bank_account), "applicant.bank_account"
                )
            )
        allowed_types = ORG_FORM_TYPES.get((applicant.org_form or "").upper())
        if allowed_types and applicant.applicant_type not in allowed_types:
            out.append(
                finding(
                    GENERAL_RULE_IDENTIFIERS,
                    msg.org_form_mismatch(applicant.org_form or "", applicant.applicant_type.value),
                    "applicant.org_form",
                )
            )
        if application.joint:
            for index, member in enumerate(application.joint.members):
                if not valid_org_number(member.org_number):
                    out.append(
                        finding(
                            GENERAL_RULE_IDENTIFIERS,
                            msg.bad_org_number(member.org_number),
                            f"joint.members[{index}].org_number",
                        )
                    )
        for index, partner in enumerate(application.partners):
            if partner.org_number and not valid_org_number(partner.org_number):
                out.append(
                    finding(
                        GENERAL_RULE_IDENTIFIERS,
                        msg.bad_org_number(partner.org_number),
                        f"partners[{index}].org_number",
                    )
                )

    def _eligibility(self, application: Application, at: dt.datetime, out: Out) -> None:
        applicant = application.applicant
        types = self.applicant_types
        if applicant.applicant_type not in types.allowed:
            allowed = [t.value for t in types.allowed]
            out.append(
                finding(
                    types.rule,
                    msg.applicant_type_not_allowed(applicant.applicant_type.value, allowed),
                    "applicant.applicant_type",
                )
            )
        if self.allow_list and applicant.org_number not in self.allowed_org_numbers:
            out.append(finding(self.allow_list.rule, msg.not_on_allow_list(), "applicant.org_number"))
        register = self.voluntary_register
        if register and register.required:
            registration = applicant.voluntary_register
            if registration is None or not registration.registered:
                out.append(finding(register.rule, msg.not_in_voluntary_register(), "applicant.voluntary_register"))
            elif registration.registered_on is not None:
                today = at.astimezone(OSLO).date()  # the date of application, judged in Oslo (as the age check)
                if registration.registered_on > today:
                    out.append(
                        finding(
                            register.rule,
                            msg.registered_after_application(registration.registered_on, today),
                            "applicant.voluntary_register.registered_on",
                        )
                    )
        if self.minimum_age:
            self._minimum_age(applicant.founded_on, at, out)
        if self.national_presence:
            self._national_presence(application, out)
        if application.joint is not None:
            self._joint(application, out)

    def _minimum_age(self, founded: dt.date | None, at: dt.datetime, out: Out) -> None:
        assert self.minimum_age is not None  # called only when the call has the rule
        rule, years = self.minimum_age.rule, self.minimum_age.years
        if founded is None:
            if not self.founding_date_asked:
                out.append(finding(rule, msg.founding_date_missing(), "applicant.founded_on"))
            return
        today = at.astimezone(OSLO).date()  # the date of application, judged in Oslo
        if add_years(founded, years) > today:
            out.append(finding(rule, msg.too_young(years, founded, today), "applicant.founded_on"))

    def _national_presence(self, application: Application, out: Out) -> None:
        rule = self.national_presence
        assert rule is not None  # called only when the call has the rule
        presence = application.applicant.counties
        known = county_codes()
        best = 0
        for kind in self.presence_kinds:
            codes = set(getattr(presence, kind))
            if codes <= known:
                counted = len(codes)
            else:
                for unknown in sorted(codes - known):
                    out.append(finding(rule.rule, msg.unknown_county(unknown), f"applicant.counties.{kind}", "warning"))
                counted = len(codes & known)
            if counted > best:
                best = counted
        if best < rule.min_counties:
            out.append(
                finding(
                    rule.rule, msg.too_few_counties(rule.min_counties, best, self.presence_kinds), "applicant.counties"
                )
            )

    def _joint(self, application: Application, out: Out) -> None:
        joint, rule = application.joint, self.joint
        assert joint is not None  # called only for a joint application
        if rule is None or not rule.allowed:
            out.append(finding(rule.rule if rule else self.applicant_types.rule, msg.joint_not_allowed(), "joint"))
            return
        lead = application.applicant.org_number
        if rule.lead_signs and joint.lead_org_number != lead:
            out.append(finding(rule.rule, msg.joint_lead_must_apply(), "joint.lead_org_number"))
        if lead in {member.org_number for member in joint.members}:
            out.append(finding(rule.rule, msg.joint_lead_listed_as_member(), "joint.members"))
        if rule.member_types:  # each member says what kind of applicant it is (format version 2)
            allowed = [t.value for t in rule.member_types]
            for index, member in enumerate(joint.members):
                name = member.name or member.org_number
                where = f"joint.members[{index}].applicant_type"
                if member.applicant_type is None:
                    out.append(finding(rule.rule, msg.joint_member_type_missing(name), where))
                elif member.applicant_type not in rule.member_types:
                    text = msg.joint_member_type_not_allowed(name, member.applicant_type.value, allowed)
                    out.append(finding(rule.rule, text, where))

    def _areas(self, application: Application, out: Out) -> None:
        areas, chosen = self.areas, application.areas
        assert areas is not None  # called only when the call has areas
        if not chosen:
            out.append(finding(areas.rule, msg.area_missing(areas.label), "areas"))
            return
        for area in chosen:
            if area not in self.area_ids:
                out.append(finding(areas.rule, msg.unknown_area(area, self.area_ids_sorted), "areas"))
        if areas.select.value == "exactly_one" and len(chosen) > 1:
            out.append(finding(areas.rule, msg.exactly_one_area(areas.label), "areas"))

    def _budget_categories(self, application: Application, out: Out) -> None:
        categories = self.categories
        for index, line in enumerate(application.budget.lines):
            category = categories.get(line.category)
            if category is None:
                out.append(
                    finding(
                        self.unknown_category_rule,
                        msg.unknown_category(line.category),
                        f"budget.lines[{index}].category",
                    )
                )
            elif not category.eligible:
                out.append(
                    finding(
                        category.rule,
                        msg.ineligible_category(category.label, line.amount),
                        f"budget.lines[{index}].category",
                        category.severity,
                    )
                )


# --- one plan per call definition object -----------------------------------------

_plans: dict[int, tuple[weakref.ref, CallPlan]] = {}
_building = threading.Lock()


def plan_for(call: CallDefinition) -> CallPlan:
    """The plan for ``call``, worked out the first time this definition object is evaluated.

    Kept by the object's identity while it lives: never shared with another
    definition, even one with the same id, and forgotten when the object is.
    """
    entry = _plans.get(id(call))
    if entry is not None and entry[0]() is call:
        return entry[1]
    with _building:
        entry = _plans.get(id(call))
        if entry is not None and entry[0]() is call:
            return entry[1]
        plan = CallPlan(call)
        key = id(call)

        def forget(ref: weakref.ref, key: int = key, plans: dict = _plans) -> None:
            current = plans.get(key)
            if current is not None and current[0] is ref:
                del plans[key]

        _plans[key] = (weakref.ref(call, forget), plan)
        return plan


def clear_plans() -> None:
    """Forget every plan (tests; or after changing a definition in place, which you should not)."""
    _plans.clear()
