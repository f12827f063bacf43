"""Duplicate funding (C2-R07): the same activity may not be funded by both IMDi and a municipality.

In a call with local grantors (C2), a case is flagged when

* the same organisation has another case in the same call addressed to a
  different grantor (any status but draft and withdrawn), or
* the applicant answered yes to ``answers.same_activity_other_grantor``
  (with ``same_activity_other_grantor_details``): the case's column
  ``declared_other_funding``, written at submission (``casework.facts``).

Both grantors see the flag. About the other grantor's case each sees only
the minimum (:class:`OtherCase`): the other grantor's name, the case number,
the project title and the amount applied for — nothing else of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.fields.json import KeyTransform

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


#: The answers a flag shows (C2-R07), read by the database from the answer documents: a page's flags do not decode
#: the whole documents (issue #14: ~250 documents a page of C2's queue). Whether the applicant declared other
#: funding is the case's fact (``Case.declared_other_funding``), not read from the documents here.
_ANSWERS = ("title", "project_title", "same_activity_other_grantor_details")


@dataclass(frozen=True)
class _Row:
    """What a flag reads of one counted case: its grantor, amount, declaration and the few answers it shows."""

    pk: int
    grantor_name: str
    grantor_org_number: str
    amount_applied: int | None
    organisation_id: int
    case_number: str | None
    stored_title: str
    #: The applicant declared other funding (the case's fact, written at submission).
    declared: bool
    answers: dict[str, object]

    @property
    def title(self) -> str:
        return str(self.answers["title"] or self.answers["project_title"] or self.stored_title or "")


def _counted(call):
    return Case.objects.filter(application__call=call).exclude(application__status__in=NOT_COUNTED)


def _rows(counted) -> list[_Row]:
    """The rows of ``counted`` with each answer shown from the document as submitted, or as drafted where nothing
    (or an empty document) was submitted: ``submitted_content or content``, as the flag always read it."""
    documents = {"submitted": "application__submitted_content", "drafted": "application__content"}
    extracted = {
        f"{document}__{key}": KeyTransform(key, KeyTransform("answers", column))
        for document, column in documents.items()
        for key in _ANSWERS
    }
    submitted = Q(application__submitted_content__isnull=False) & ~Q(application__submitted_content={})
    rows = []
    for values in (
        counted.annotate(has_submitted=ExpressionWrapper(submitted, output_field=BooleanField()), **extracted)
        .order_by()
        .values(
            "pk",
            "grantor_name",
            "grantor_org_number",
            "amount_applied",
            "application__organisation_id",
            "application__case_number",
            "application__title",
            "declared_other_funding",
            "has_submitted",
            *extracted,
        )
    ):
        document = "submitted" if values["has_submitted"] else "drafted"
        rows.append(
            _Row(
                values["pk"],
                values["grantor_name"],
                values["grantor_org_number"],
                values["amount_applied"],
                values["application__organisation_id"],
                values["application__case_number"],
                values["application__title"],
                values["declared_other_funding"],
                {key: values[f"{document}__{key}"] for key in _ANSWERS},
            )
        )
    return rows


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
    everyone = _rows(counted)
    by_organisation: dict[int, list[_Row]] = defaultdict(list)
    for row in everyone:
        by_organisation[row.organisation_id].append(row)
    wanted = {c.pk for c in cases} if cases is not None else {row.pk for row in everyone}
    flags: dict[int, DuplicateFlag] = {}
    for row in everyone:
        if row.pk not in wanted:
            continue
        others = [
            OtherCase(other.grantor_name, other.case_number or "", other.title, other.amount_applied)
            for other in by_organisation[row.organisation_id]
            if other.pk != row.pk and other.grantor_org_number != row.grantor_org_number
        ]
        details = str(row.answers["same_activity_other_grantor_details"] or "") if row.declared else ""
        flags[row.pk] = DuplicateFlag(sorted(others, key=lambda o: o.case_number), row.declared, details)
    return flags


def flagged_filter() -> Q:
    """The condition on a Case query that keeps the flagged cases (the queue's filter, in the database).

    Flagged: counted (not a draft or withdrawn) and either declared by the applicant (the case's column, no answer
    document read), or with another counted case of the same organisation in the same call at a different grantor.
    """
    other = (
        Case.objects.filter(
            application__call_id=OuterRef("application__call_id"),
            application__organisation_id=OuterRef("application__organisation_id"),
        )
        .exclude(grantor_org_number=OuterRef("grantor_org_number"))
        .exclude(application__status__in=NOT_COUNTED)
    )
    return ~Q(application__status__in=NOT_COUNTED) & (Exists(other) | Q(declared_other_funding=True))


def flag_for(case: Case) -> DuplicateFlag | None:
    """The flag of one case (None when its call has no local grantors, so C2-R07 does not apply)."""
    if not has_local_grantors(case.application.call):
        return None
    return flags_for_call(case.application.call, [case]).get(case.pk, DuplicateFlag())


def flagged_case_ids(call, cases: Iterable[Case] | None = None) -> set[int]:
    """The ids of the flagged cases of ``call`` (for the queue's filter)."""
    return {case_id for case_id, flag in flags_for_call(call, cases).items() if flag.flagged}
