"""Assessment operations (*faglig vurdering*). Each one transaction with an audit event.

Who may do what (asked of :mod:`tilskudd.casework.scope`):

* the case's grantor's **caseworkers** assign and unassign assessors;
* the **assigned assessor** (still holding the assessor role at the grantor)
  declares disqualification (*inhabilitet*, Public Administration Act §6) once,
  then — only if not disqualified — scores and marks the assessment completed;
* a **caseworker or approver** of the grantor moderates and locks; after the
  lock nothing more is scored.

Failures raise :class:`~tilskudd.casework.access.RoleMissing` (a role is
missing), :class:`NotAssigned` (not the person's assignment) or
:class:`AssessmentError` with bokmål and English reasons per field.

The read functions :func:`locked_total` and :func:`summary` check nothing:
callers have already decided the person may see the case.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tilskudd.applications.models import Application
from tilskudd.applications.states import Status
from tilskudd.assessment import scoring
from tilskudd.assessment.models import AssessmentLock, Assignment, Score
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import facts, scope
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.facts import applied_for
from tilskudd.casework.models import Case, Role, StaffRole
from tilskudd.core.refusals import Refusal


@dataclass(frozen=True)
class Problem:
    """One reason an action was refused; ``field`` names the form field it belongs to ("" = the whole form)."""

    field: str
    nb: str
    en: str


class AssessmentError(Refusal):
    """The action is refused; ``problems`` say why, each for its form field (the reasons join them)."""

    def __init__(self, *problems: Problem):
        self.problems = list(problems)
        super().__init__(" ".join(p.nb for p in problems), " ".join(p.en for p in problems))

    @classmethod
    def of(cls, nb: str, en: str, field: str = "") -> AssessmentError:
        return cls(Problem(field, nb, en))


class NotAssigned(AssessmentError):
    """The assignment is not the person's (pages answer 404)."""

    def __init__(self):
        super().__init__(
            Problem("", "Denne vurderingen er ikke tildelt deg.", "This assessment is not assigned to you.")
        )


# --- what the call asks -------------------------------------------------------------------------------------------


def criteria_of(application: Application) -> list:
    """The criteria ``application`` is assessed by: its area's own criteria, else the call's (``criteria_for``)."""
    definition = application.call_version.parsed()
    areas = facts.areas_of(application)
    for area_id in areas:
        area = definition.area(area_id)
        if area is not None and area.criteria:
            return definition.criteria_for(area_id)
    return definition.criteria_for(areas[0] if areas else None)


def co_assessors_of(application: Application) -> list[str]:
    """Who assesses besides the grantor (C0-R22: Kompetanse Norge in C0's area 3)."""
    definition = application.call_version.parsed()
    areas = facts.areas_of(application)
    names: list[str] = []
    for area_id in areas:
        area = definition.area(area_id)
        for name in area.co_assessors if area else []:
            if name not in names:
                names.append(name)
    return names


# --- permissions --------------------------------------------------------------------------------------------------


def _case(application: Application) -> Case:
    return Case.objects.get(application=application)


def _require(user, case: Case, *roles: str) -> None:
    if not scope.can_see_case(user, case, *roles):
        raise RoleMissing(*roles)


def _locked(application: Application) -> bool:
    return AssessmentLock.objects.filter(application=application).exists()


def _refuse_if_locked(application: Application) -> None:
    if _locked(application):
        raise AssessmentError.of(
            "Vurderingen er låst; det kan ikke vurderes mer.", "The assessment is locked; no more scoring is possible."
        )


def _in_assessment(application: Application) -> None:
    if application.status != Status.IN_ASSESSMENT:
        raise AssessmentError.of("Søknaden er ikke til vurdering.", "The application is not in assessment.")


def _own_assignment(user, assignment_id: int, *, for_update: bool = True) -> Assignment:
    queryset = Assignment.objects.select_related("application")
    if for_update:
        queryset = queryset.select_for_update()
    assignment = queryset.filter(pk=assignment_id).first()
    if assignment is None or assignment.assessor_id != getattr(user, "pk", None):
        raise NotAssigned()
    _require(user, _case(assignment.application), Role.ASSESSOR)
    return assignment


def assessors_of(grantor_org_number: str):
    """The people holding the assessor role at a grantor, by name."""
    ids = StaffRole.objects.filter(
        grantor__org_number=grantor_org_number, role=Role.ASSESSOR, removed_at__isnull=True
    ).values("user")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("full_name", "email")


# --- assigning ----------------------------------------------------------------------------------------------------


def assign(user, case_id: int, assessor_ids) -> list[Assignment]:
    """Give the case's application to each of ``assessor_ids`` (idempotent per assessor)."""
    with transaction.atomic():
        case = Case.objects.select_related("application").select_for_update().get(pk=case_id)
        _require(user, case, Role.CASEWORKER)
        application = case.application
        _in_assessment(application)
        _refuse_if_locked(application)
        if not assessor_ids:
            raise AssessmentError.of("Velg minst én fagvurderer.", "Choose at least one assessor.", "assessors")
        allowed = {a.pk: a for a in assessors_of(case.grantor_org_number)}
        unknown = [i for i in assessor_ids if int(i) not in allowed]
        if unknown:
            raise AssessmentError.of(
                "Bare personer med rollen fagvurderer hos tilskuddsforvalteren kan få vurderingen.",
                "Only people with the assessor role at the grantor can be assigned.",
                "assessors",
            )
        assignments = []
        for assessor_id in dict.fromkeys(int(i) for i in assessor_ids):
            assignment, created = Assignment.objects.get_or_create(
                application=application, assessor=allowed[assessor_id], defaults={"assigned_by": user}
            )
            if created:
                record(
                    user,
                    assignment,
                    AuditAction.ASSESSMENT_ASSIGNED,
                    data={"case": case.pk, "assessor": assessor_id},
                    audience=Audience.INTERNAL,
                )
            assignments.append(assignment)
        return assignments


def unassign(user, assignment_id: int) -> None:
    """Take an assignment back while nothing is scored."""
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update().select_related("application").filter(pk=assignment_id).first()
        )
        if assignment is None:
            raise AssessmentError.of("Tildelingen finnes ikke.", "No such assignment.")
        case = _case(assignment.application)
        _require(user, case, Role.CASEWORKER)
        _refuse_if_locked(assignment.application)
        if assignment.scores.exists() or assignment.completed_at:
            raise AssessmentError.of(
                "Fagvurdereren har begynt å vurdere; tildelingen kan ikke tas tilbake.",
                "The assessor has started scoring; the assignment cannot be taken back.",
            )
        record(
            user,
            assignment,
            AuditAction.ASSESSMENT_UNASSIGNED,
            data={"case": case.pk, "assessor": assignment.assessor_id},
            audience=Audience.INTERNAL,
        )
        assignment.delete()


# --- the assessor -------------------------------------------------------------------------------------------------


def declare(user, assignment_id: int, disqualified: bool, reason: str = "") -> Assignment:
    """The assessor's declaration of (dis)qualification (*habilitetserklæring*), once."""
    with transaction.atomic():
        assignment = _own_assignment(user, assignment_id)
        _refuse_if_locked(assignment.application)
        if assignment.disqualified is not None:
            raise AssessmentError.of("Du har allerede erklært habilitet.", "You have already made your declaration.")
        reason = (reason or "").strip()
        if disqualified and not reason:
            raise AssessmentError.of(
                "Skriv hvorfor du er inhabil.", "Write why you are disqualified.", "disqualification_reason"
            )
        assignment.disqualified = bool(disqualified)
        assignment.disqualification_reason = reason if disqualified else ""
        assignment.declared_at = timezone.now()
        assignment.save(update_fields=["disqualified", "disqualification_reason", "declared_at"])
        record(
            user,
            assignment,
            AuditAction.ASSESSMENT_DECLARED,
            from_state="undeclared",
            to_state="disqualified" if disqualified else "not_disqualified",
            reason=assignment.disqualification_reason,
            audience=Audience.INTERNAL,
        )
        return assignment


def _may_score(assignment: Assignment) -> None:
    if assignment.disqualified is None:
        raise AssessmentError.of(
            "Du må erklære habilitet før du kan vurdere.", "You must make your declaration before scoring."
        )
    if assignment.disqualified:
        raise AssessmentError.of(
            "Du har erklært deg inhabil og kan ikke vurdere denne søknaden.",
            "You have declared yourself disqualified and cannot assess this application.",
        )
    _refuse_if_locked(assignment.application)
    if assignment.completed_at:
        raise AssessmentError.of(
            "Du har markert vurderingen som fullført.", "You have marked the assessment completed."
        )


def score_problems(
    application: Application, scores: dict[str, tuple[int | None, str]], proposed_amount: int | None
) -> list[Problem]:
    """What is wrong with ``scores`` and ``proposed_amount`` for ``application`` (empty when nothing is)."""
    criteria = {c.id: c for c in criteria_of(application)}
    problems: list[Problem] = []
    for criterion_id, (value, reason) in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            problems.append(Problem(criterion_id, "Ukjent kriterium.", "Unknown criterion."))
            continue
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append(Problem(criterion_id, "Verdien må være et heltall.", "The value must be a whole number."))
        elif not scoring.in_scale(criterion, value):
            problems.append(
                Problem(
                    criterion_id,
                    f"Verdien må være fra {criterion.scale.min} til {criterion.scale.max}, eller «ikke relevant».",
                    f"The value must be from {criterion.scale.min} to {criterion.scale.max}, or “not applicable”.",
                )
            )
        if not (reason or "").strip():
            problems.append(
                Problem(
                    f"{criterion_id}_reason",
                    f"Skriv en begrunnelse for «{criterion.label.nb}».",
                    f"Write a reason for “{criterion.label.en or criterion.label.nb}”.",
                )
            )
    applied = applied_for(application)
    if proposed_amount is not None:
        if isinstance(proposed_amount, bool) or not isinstance(proposed_amount, int) or proposed_amount < 0:
            problems.append(
                Problem(
                    "proposed_amount",
                    "Foreslått beløp må være hele kroner, 0 eller mer.",
                    "The proposed amount must be whole NOK, 0 or more.",
                )
            )
        elif applied and proposed_amount > applied:
            problems.append(
                Problem(
                    "proposed_amount",
                    f"Foreslått beløp kan ikke være mer enn søknadsbeløpet ({applied} kr).",
                    f"The proposed amount cannot be more than the amount applied for (NOK {applied}).",
                )
            )
    return problems


def save_scores(
    user,
    assignment_id: int,
    scores: dict[str, tuple[int | None, str]],
    proposed_amount: int | None,
    comment: str,
) -> Assignment:
    """Store the assessor's values (None = not applicable) with reasons, proposed amount and comment.

    Criteria left out of ``scores`` keep what they had. Nothing is stored if anything is wrong.
    """
    with transaction.atomic():
        assignment = _own_assignment(user, assignment_id)
        _may_score(assignment)
        problems = score_problems(assignment.application, scores, proposed_amount)
        if problems:
            raise AssessmentError(*problems)
        for criterion_id, (value, reason) in scores.items():
            Score.objects.update_or_create(
                assignment=assignment, criterion=criterion_id, defaults={"value": value, "reason": reason.strip()}
            )
        assignment.proposed_amount = proposed_amount
        assignment.comment = (comment or "").strip()
        assignment.save(update_fields=["proposed_amount", "comment"])
        record(
            user,
            assignment,
            AuditAction.ASSESSMENT_SCORED,
            data={
                "scores": {cid: value for cid, (value, _) in scores.items()},
                "proposed_amount": proposed_amount,
            },
            audience=Audience.INTERNAL,
        )
        return assignment


def complete(user, assignment_id: int) -> Assignment:
    """Mark the assessment completed once every criterion has a value or is not applicable."""
    with transaction.atomic():
        assignment = _own_assignment(user, assignment_id)
        _may_score(assignment)
        scored = set(assignment.scores.values_list("criterion", flat=True))
        missing = [c for c in criteria_of(assignment.application) if c.id not in scored]
        if missing:
            raise AssessmentError(
                *(
                    Problem(
                        c.id,
                        f"«{c.label.nb}» er ikke vurdert.",
                        f"“{c.label.en or c.label.nb}” is not scored.",
                    )
                    for c in missing
                )
            )
        assignment.completed_at = timezone.now()
        assignment.save(update_fields=["completed_at"])
        record(
            user,
            assignment,
            AuditAction.ASSESSMENT_COMPLETED,
            from_state="scoring",
            to_state="completed",
            audience=Audience.INTERNAL,
        )
        return assignment


# --- the lock -----------------------------------------------------------------------------------------------------


def _values(assignment: Assignment) -> dict[str, int | None]:
    return {s.criterion: s.value for s in assignment.scores.all()}


def _counted(application: Application) -> list[Assignment]:
    """The assignments the combined view is made of: completed and not disqualified."""
    return list(
        application.assignments.filter(completed_at__isnull=False, disqualified=False)
        .select_related("assessor")
        .prefetch_related("scores")
    )


def _as_json(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def lock(user, case_id: int, moderated: dict[str, Any] | None, note: str) -> AssessmentLock:
    """Moderate and lock the assessment; its total (by the call's weights) feeds allocation.

    ``moderated`` maps criterion → value on its scale (may have decimals) or None (not
    applicable); criteria left out (or ``moderated`` None) take the combined mean of the
    completed, not-disqualified assessments.
    """
    with transaction.atomic():
        case = Case.objects.select_related("application").select_for_update().get(pk=case_id)
        _require(user, case, Role.CASEWORKER, Role.APPROVER)
        application = case.application
        _in_assessment(application)
        if _locked(application):
            raise AssessmentError.of("Vurderingen er allerede låst.", "The assessment is already locked.")
        counted = _counted(application)
        if not counted:
            raise AssessmentError.of(
                "Minst én habil fagvurderer må ha fullført vurderingen før den kan låses.",
                "At least one assessor who is not disqualified must have completed the assessment before it can be locked.",
            )
        criteria = criteria_of(application)
        means = scoring.combine(criteria, [_values(a) for a in counted]).means
        chosen = dict(means)
        problems: list[Problem] = []
        known = {c.id: c for c in criteria}
        for criterion_id, raw in (moderated or {}).items():
            criterion = known.get(criterion_id)
            if criterion is None:
                problems.append(Problem(criterion_id, "Ukjent kriterium.", "Unknown criterion."))
                continue
            try:
                value = None if raw is None or raw == "" else Decimal(str(raw))
            except InvalidOperation:
                value = Decimal("NaN")
            if value is not None and (not value.is_finite() or not scoring.in_scale(criterion, value)):
                problems.append(
                    Problem(
                        criterion_id,
                        f"«{criterion.label.nb}»: verdien må være fra {criterion.scale.min} til {criterion.scale.max}, eller tom for «ikke relevant».",
                        f"“{criterion.label.en or criterion.label.nb}”: the value must be from {criterion.scale.min} to {criterion.scale.max}, or empty for “not applicable”.",
                    )
                )
                continue
            chosen[criterion_id] = None if value is None else value.quantize(scoring.PLACES)
        if problems:
            raise AssessmentError(*problems)
        total = scoring.weighted_total(criteria, chosen)
        result = AssessmentLock.objects.create(
            application=application,
            locked_by=user,
            locked_at=timezone.now(),
            total=total,
            moderated_scores={cid: _as_json(chosen.get(cid)) for cid in known},
            note=(note or "").strip(),
        )
        record(
            user,
            result,
            AuditAction.ASSESSMENT_LOCKED,
            to_state="locked",
            reason=result.note,
            data={
                "case": case.pk,
                "total": str(total) if total is not None else None,
                "moderated": result.moderated_scores,
            },
            audience=Audience.INTERNAL,
        )
        return result


# --- reading ------------------------------------------------------------------------------------------------------


def locked_total(application: Application) -> Decimal | None:
    """The locked, moderated total of ``application`` (None while not locked, or if nothing was applicable)."""
    found = AssessmentLock.objects.filter(application=application).values_list("total", flat=True).first()
    return found


def state_of(assignment: Assignment, locked: bool | None = None) -> str:
    """to_declare / to_score / completed / disqualified / locked — what the assignment waits for."""
    if assignment.disqualified:
        return "disqualified"
    if locked is None:
        locked = _locked(assignment.application)
    if locked:
        return "locked"
    if assignment.disqualified is None:
        return "to_declare"
    return "completed" if assignment.completed_at else "to_score"


STATE_TEXT = {
    "to_declare": ("Erklær habilitet", "Declare (dis)qualification"),
    "to_score": ("Til vurdering", "To score"),
    "completed": ("Fullført", "Completed"),
    "disqualified": ("Inhabil", "Disqualified"),
    "locked": ("Låst", "Locked"),
}


def summary(application: Application) -> dict:
    """Everything about the assessment of ``application``, for the summary page and other areas.

    Keys: ``criteria`` (the call's Criterion objects), ``assessors`` (per assignment: assignment,
    assessor, state, values {criterion: value|None, missing = not scored}, reasons, total,
    proposed_amount, comment, counted), ``combined`` (scoring.Combined over the completed,
    not-disqualified assessors), ``disagreements`` (scoring.Disagreement list over the same),
    ``amount_applied``, ``co_assessors`` and ``lock`` (the AssessmentLock or None).
    """
    criteria = criteria_of(application)
    lock_row = AssessmentLock.objects.filter(application=application).select_related("locked_by").first()
    rows = []
    for assignment in application.assignments.select_related("assessor").prefetch_related("scores"):
        scores = list(assignment.scores.all())
        values = {s.criterion: s.value for s in scores}
        counted = bool(assignment.completed_at) and assignment.disqualified is False
        rows.append(
            {
                "assignment": assignment,
                "assessor": assignment.assessor,
                "state": state_of(assignment, locked=lock_row is not None),
                "values": values,
                "reasons": {s.criterion: s.reason for s in scores},
                "total": scoring.weighted_total(criteria, values) if assignment.disqualified is False else None,
                "proposed_amount": assignment.proposed_amount,
                "comment": assignment.comment,
                "counted": counted,
            }
        )
    counted_rows = [r for r in rows if r["counted"]]
    return {
        "criteria": criteria,
        "assessors": rows,
        "combined": scoring.combine(criteria, [r["values"] for r in counted_rows]),
        "disagreements": scoring.disagreements(
            criteria, [r["values"] for r in counted_rows], [r["proposed_amount"] for r in counted_rows]
        ),
        "amount_applied": applied_for(application),
        "co_assessors": co_assessors_of(application),
        "lock": lock_row,
    }
