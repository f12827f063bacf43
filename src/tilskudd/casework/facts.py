"""A case's facts: what the queue, assessment, letters and grants need of the submitted application.

Each fact is one function of the rule engine's typed model of the submitted application
(``Application.submitted()``) — the only code that knows where in the application a fact is.
:func:`write` stores them on the :class:`~tilskudd.casework.models.Case` (columns, and one
:class:`~tilskudd.casework.models.CaseArea` row per area) when the application is submitted and
again when it is resubmitted after completion; everything else reads the columns, so the queue
filters and the grants sum in the database instead of decoding every application's JSON.
"""

from __future__ import annotations

from tilskudd.applications.models import Application
from tilskudd.casework.models import Case, CaseArea
from tilskudd.rules import Application as Submitted


def amount_applied(submitted: Submitted) -> int | None:
    """The amount applied for (whole NOK); None when the application does not state one."""
    budget = submitted.budget
    return budget.amount_applied if "amount_applied" in budget.model_fields_set else None


def areas(submitted: Submitted) -> list[str]:
    """The priority areas or sub-goals applied under, in the application's order, each once."""
    return list(dict.fromkeys(str(area) for area in submitted.areas))


def county(submitted: Submitted) -> str:
    """The county number of the applicant's seat, as the application states it ('' when it does not)."""
    return submitted.applicant.county or ""


def org_form(submitted: Submitted) -> str:
    """The applicant's organisation form (Enhetsregisteret code: KOMM, FLI, AS …), '' when not stated."""
    return submitted.applicant.org_form or ""


def applicant_type(submitted: Submitted) -> str:
    """The kind of applicant (``ApplicantType`` value: municipality, voluntary_organisation …)."""
    return submitted.applicant.applicant_type.value


def declared_other_funding(submitted: Submitted) -> bool:
    """The applicant declared the same activity funded or applied for at another grantor (C2-R07): only a JSON
    ``true`` to ``answers.same_activity_other_grantor`` is a yes (not ``1``, not ``"ja"``)."""
    return submitted.answers.get("same_activity_other_grantor") is True


def write(case: Case, application: Application) -> None:
    """Store the facts of ``application``'s submission on ``case`` (saved when it has a pk) and its area rows.

    The county falls back to the organisation's, as the queue always showed it.
    """
    submitted = application.submitted()
    if submitted is None:
        case.amount_applied, case.county, case.org_form, case.applicant_type = None, "", "", ""
        case.declared_other_funding = False
        codes: list[str] = []
    else:
        case.amount_applied = amount_applied(submitted)
        case.county = county(submitted)
        case.org_form = org_form(submitted)
        case.applicant_type = applicant_type(submitted)
        case.declared_other_funding = declared_other_funding(submitted)
        codes = areas(submitted)
    if not case.county:
        case.county = application.organisation.county or ""
    if case.pk is None:
        case.save()  # a new case has no area rows to replace (one query and one trigger run less per submission)
    else:
        case.save(update_fields=["amount_applied", "county", "org_form", "applicant_type", "declared_other_funding"])
        case.areas.all().delete()
    CaseArea.objects.bulk_create(
        [CaseArea(case=case, area=code, position=position) for position, code in enumerate(codes)]
    )


# --- reading: one way for every other app -------------------------------------------------------------------------


def _case_of(application: Application) -> Case | None:
    try:
        return application.case
    except Case.DoesNotExist:
        return None


def applied_for(application: Application) -> int:
    """The amount ``application`` applies for, to compute with (0 when none is stated or it is not submitted).

    The case's column; the submitted application itself when no case is open yet. Never the draft.
    """
    case = _case_of(application)
    if case is not None:
        return case.amount_applied or 0
    submitted = application.submitted()
    return (amount_applied(submitted) or 0) if submitted is not None else 0


def areas_of(application: Application) -> list[str]:
    """The areas ``application`` is made under: the case's rows, or the submitted application's without a case."""
    case = _case_of(application)
    if case is not None:
        return case.area_codes
    submitted = application.submitted()
    return areas(submitted) if submitted is not None else []


def is_joint(application: Application) -> bool:
    """The submitted application is a joint one (*felles søknad*, C0-R02, C3-R02): it names members beside the lead."""
    submitted = application.submitted()
    return submitted is not None and submitted.joint is not None and bool(submitted.joint.members)


def bank_account(application: Application) -> str:
    """The account the applicant asked to be paid to: the submitted application's, else the organisation's ('' if none)."""
    submitted = application.submitted()
    if submitted is not None and submitted.applicant.bank_account:
        return submitted.applicant.bank_account
    return application.organisation.bank_account or ""
