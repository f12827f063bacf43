"""Duplicate funding (C2-R07): the same activity may not be funded by both IMDi and a municipality.

In a call with local grantors (C2), a case is flagged when

* the same organisation has another case in the same call addressed to a
  different grantor (any status but draft and withdrawn), or
* the applicant answered yes to ``answers.same_activity_other_grantor``
  (with ``same_activity_other_grantor_details``).

Both grantors see the flag. About the other grantor's case each sees only
the minimum (:class:`OtherCase`): the other grantor's name, the case number,
the project title and the amount applied for — nothing else of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from tilskudd.applications.models import Application
from tilskudd.applications.states import Status
from tilskudd.casework.models import Case

#: Cases in these states do not count as another application.
NOT_COUNTED = (Status.DRAFT, Status.WITHDRAWN)


@dataclass(frozen=True)
class OtherCase:
    """The minimum one grantor sees of another grantor's case."""

    grantor_name: str
    case_number: str
    title: str
    amount_applied: int | None


@dataclass(frozen=True)
class DuplicateFlag:
    other_cases: list[OtherCase] = field(default_factory=list)
    #: The applicant said they have received or applied for a grant for the same activity elsewhere.
    declared: bool = False
    declared_details: str = ""

    @property
    def flagged(self) -> bool:
        return bool(self.other_cases) or self.declared


def has_local_grantors(call) -> bool:
    if not call.current_version_id:
        return False
    return bool(call.definition.local_grantors)


def _content(application: Application) -> dict:
    return application.submitted_content or application.content or {}


def _title(application: Application) -> str:
    answers = _content(application).get("answers") or {}
    return str(answers.get("title") or answers.get("project_title") or application.title or "")


def _declared(application: Application) -> tuple[bool, str]:
    answers = _content(application).get("answers") or {}
    declared = answers.get("same_activity_other_grantor") is True
    return declared, str(answers.get("same_activity_other_grantor_details") or "") if declared else ""


def _counted(call):
    return Case.objects.filter(application__call=call).exclude(application__status__in=NOT_COUNTED)


#: What a flag reads of each case and its application (issue #14, point 4: the application's other columns —
#: dates, findings, signatures — cost C2's queue ~7 ms of Python a page, for the page's ~70 cases, to build).
_FLAG_FIELDS = (
    "grantor_name",
    "grantor_org_number",
    "amount_applied",
    "application__organisation_id",
    "application__case_number",
    "application__title",
    "application__content",
    "application__submitted_content",
)


def flags_for_call(call, cases: Iterable[Case] | None = None) -> dict[int, DuplicateFlag]:
    """Case id → flag for the cases of ``call`` (all, or those given); empty for calls without local grantors.

    Given cases (a page of the queue, one case page), only their organisations' cases in the call are read:
    one query on the (organisation, call) index, however many cases the call has.
    """
    if not has_local_grantors(call):
        return {}
    counted = _counted(call)
    if cases is not None:
        cases = list(cases)
        organisations = {case.application.organisation_id for case in cases}
        counted = counted.filter(application__organisation_id__in=organisations)
    everyone = list(counted.select_related("application").only(*_FLAG_FIELDS))
    by_organisation: dict[int, list[Case]] = defaultdict(list)
    for case in everyone:
        by_organisation[case.application.organisation_id].append(case)
    wanted = {c.pk for c in cases} if cases is not None else {c.pk for c in everyone}
    flags: dict[int, DuplicateFlag] = {}
    for case in everyone:
        if case.pk not in wanted:
            continue
        others = [
            OtherCase(
                other.grantor_name,
                other.application.case_number or "",
                _title(other.application),
                other.amount_applied,
            )
            for other in by_organisation[case.application.organisation_id]
            if other.pk != case.pk and other.grantor_org_number != case.grantor_org_number
        ]
        declared, details = _declared(case.application)
        flags[case.pk] = DuplicateFlag(sorted(others, key=lambda o: o.case_number), declared, details)
    return flags


def flagged_filter() -> Q:
    """The condition on a Case query that keeps the flagged cases (the queue's filter, in the database).

    Flagged: counted (not a draft or withdrawn) and either declared by the applicant, or with another
    counted case of the same organisation in the same call at a different grantor.
    """
    other = (
        Case.objects.filter(
            application__call_id=OuterRef("application__call_id"),
            application__organisation_id=OuterRef("application__organisation_id"),
        )
        .exclude(grantor_org_number=OuterRef("grantor_org_number"))
        .exclude(application__status__in=NOT_COUNTED)
    )
    declared = Q(application__submitted_content__answers__same_activity_other_grantor=True) | Q(
        application__submitted_content__isnull=True, application__content__answers__same_activity_other_grantor=True
    )
    return ~Q(application__status__in=NOT_COUNTED) & (Exists(other) | declared)


def flag_for(case: Case) -> DuplicateFlag | None:
    """The flag of one case (None when its call has no local grantors, so C2-R07 does not apply)."""
    if not has_local_grantors(case.application.call):
        return None
    return flags_for_call(case.application.call, [case]).get(case.pk, DuplicateFlag())


def flagged_case_ids(call, cases: Iterable[Case] | None = None) -> set[int]:
    """The ids of the flagged cases of ``call`` (for the queue's filter)."""
    return {case_id for case_id, flag in flags_for_call(call, cases).items() if flag.flagged}
