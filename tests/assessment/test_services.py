"""Assessment services: who may assign, declare, score and lock, and what is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tilskudd.applications.states import Status
from tilskudd.assessment import services
from tilskudd.assessment.models import Assignment, Score
from tilskudd.assessment.services import AssessmentError, NotAssigned
from tilskudd.audit.models import AuditEvent
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.facts import applied_for
from tests.assessment.conftest import ALL_FOUR, c0

pytestmark = pytest.mark.django_db


def assigned(world, index=0, *who):
    people = [world.staff[w] for w in (who or ("assessor1", "assessor2"))]
    return services.assign(world.staff["caseworker"], c0(world, index).case.pk, [p.pk for p in people])


def scored(world, assignment, values, amount=500_000, complete=True):
    person = assignment.assessor
    services.declare(person, assignment.pk, disqualified=False)
    services.save_scores(person, assignment.pk, values, amount, "Samlet sett bra")
    if complete:
        services.complete(person, assignment.pk)


def test_the_caseworker_assigns_the_grantors_assessors_idempotently_with_an_audit_event(world):
    first = assigned(world)
    again = assigned(world)
    assert [a.pk for a in first] == [a.pk for a in again]
    assert Assignment.objects.filter(application=c0(world)).count() == 2
    assert AuditEvent.objects.filter(action="assessment.assigned").count() == 2


def test_only_a_caseworker_assigns_and_only_the_grantors_assessors(world):
    case = c0(world).case
    with pytest.raises(RoleMissing):
        services.assign(world.staff["approver"], case.pk, [world.staff["assessor1"].pk])
    with pytest.raises(RoleMissing):  # Bergen's caseworker does not work for IMDi
        services.assign(world.bergen_staff["caseworker"], case.pk, [world.staff["assessor1"].pk])
    with pytest.raises(AssessmentError) as refused:  # Bergen's assessor is not IMDi's
        services.assign(world.staff["caseworker"], case.pk, [world.bergen_staff["assessor"].pk])
    assert "assessor role at the grantor" in refused.value.reason_en
    with pytest.raises(AssessmentError):  # the approver holds no assessor role
        services.assign(world.staff["caseworker"], case.pk, [world.staff["approver"].pk])


def test_an_application_not_in_assessment_cannot_be_assigned(world):
    application = c0(world)
    application.status = Status.SUBMITTED
    application.save(update_fields=["status"])
    with pytest.raises(AssessmentError) as refused:
        services.assign(world.staff["caseworker"], application.case.pk, [world.staff["assessor1"].pk])
    assert refused.value.reason_nb == "Søknaden er ikke til vurdering."


def test_only_the_assigned_assessor_declares_and_only_once(world):
    one, _two = assigned(world)
    with pytest.raises(NotAssigned):
        services.declare(world.staff["assessor2"], one.pk, disqualified=False)
    services.declare(world.staff["assessor1"], one.pk, disqualified=False)
    with pytest.raises(AssessmentError):
        services.declare(world.staff["assessor1"], one.pk, disqualified=True, reason="Husket noe")


def test_disqualification_needs_a_reason_and_a_disqualified_assessor_can_never_score(world):
    one, _two = assigned(world)
    person = world.staff["assessor1"]
    with pytest.raises(AssessmentError) as refused:
        services.declare(person, one.pk, disqualified=True)
    assert refused.value.problems[0].field == "disqualification_reason"
    services.declare(person, one.pk, disqualified=True, reason="Søkerens prosjektleder er min søster.")
    with pytest.raises(AssessmentError) as refused:
        services.save_scores(person, one.pk, ALL_FOUR, 100, "")
    assert "disqualified" in refused.value.reason_en
    with pytest.raises(AssessmentError):
        services.complete(person, one.pk)
    assert not Score.objects.filter(assignment=one).exists()
    assert services.summary(c0(world))["assessors"][0]["state"] == "disqualified"


def test_scoring_before_declaring_is_refused(world):
    one, _two = assigned(world)
    with pytest.raises(AssessmentError) as refused:
        services.save_scores(world.staff["assessor1"], one.pk, ALL_FOUR, 100, "")
    assert "declaration" in refused.value.reason_en


def test_values_outside_the_scale_and_missing_reasons_are_refused_and_nothing_is_saved(world):
    one, _two = assigned(world)
    person = world.staff["assessor1"]
    services.declare(person, one.pk, disqualified=False)
    with pytest.raises(AssessmentError) as refused:
        services.save_scores(
            person,
            one.pk,
            {"purpose": (7, "For bra"), "capacity": (0, "x"), "transfer_value": (None, "  ")},
            100,
            "",
        )
    fields = [p.field for p in refused.value.problems]
    assert fields == ["purpose", "capacity", "transfer_value_reason"]
    assert "from 1 to 6" in refused.value.problems[0].en
    assert not Score.objects.filter(assignment=one).exists()


def test_the_proposed_amount_lies_between_zero_and_the_amount_applied(world):
    one, _two = assigned(world)
    person = world.staff["assessor1"]
    services.declare(person, one.pk, disqualified=False)
    applied = applied_for(c0(world))
    assert applied > 0
    for wrong in (-1, applied + 1):
        with pytest.raises(AssessmentError) as refused:
            services.save_scores(person, one.pk, ALL_FOUR, wrong, "")
        assert refused.value.problems[0].field == "proposed_amount"
    services.save_scores(person, one.pk, ALL_FOUR, applied, "")
    one.refresh_from_db()
    assert one.proposed_amount == applied


def test_completing_needs_every_criterion_scored(world):
    one, _two = assigned(world)
    person = world.staff["assessor1"]
    services.declare(person, one.pk, disqualified=False)
    services.save_scores(person, one.pk, {"purpose": (5, "God")}, None, "")
    with pytest.raises(AssessmentError) as refused:
        services.complete(person, one.pk)
    assert [p.field for p in refused.value.problems] == ["capacity", "transfer_value"]
    services.save_scores(person, one.pk, ALL_FOUR, None, "")
    assert services.complete(person, one.pk).completed_at is not None


def test_two_assessors_disagreeing_is_visible_in_the_summary(world):
    one, two = assigned(world)
    scored(world, one, {"purpose": (5, "a"), "capacity": (2, "b"), "transfer_value": (None, "c")}, 400_000)
    scored(world, two, {"purpose": (4, "a"), "capacity": (4, "b"), "transfer_value": (3, "c")}, 600_000)
    result = services.summary(c0(world))
    assert [(d.kind, d.criterion) for d in result["disagreements"]] == [
        ("points", "capacity"),
        ("applicability", "transfer_value"),
        ("amount", None),
    ]
    assert [row["total"] for row in result["assessors"]] == [Decimal("3.500"), Decimal("3.667")]
    assert result["combined"].means == {"purpose": Decimal("4.500"), "capacity": Decimal("3.000"), "transfer_value": Decimal("3.000")}


def test_the_lock_total_is_the_weighted_mean_without_not_applicable_and_stops_scoring(world):
    one, two = assigned(world)
    scored(world, one, {"purpose": (5, "a"), "capacity": (3, "b"), "transfer_value": (None, "c")})
    scored(world, two, {"purpose": (6, "a"), "capacity": (4, "b"), "transfer_value": (None, "c")}, complete=False)
    application = c0(world)
    result = services.lock(world.staff["approver"], application.case.pk, None, "Moderert i møte")
    # only the completed assessment counts: (5 + 3) / 2, transfer value left out
    assert result.total == Decimal("4.000")
    assert result.moderated_scores == {"purpose": 5, "capacity": 3, "transfer_value": None}
    assert services.locked_total(application) == Decimal("4.000")
    with pytest.raises(AssessmentError) as refused:
        services.save_scores(world.staff["assessor2"], two.pk, {"purpose": (1, "x")}, None, "")
    assert "locked" in refused.value.reason_en
    with pytest.raises(AssessmentError):
        services.lock(world.staff["caseworker"], application.case.pk, None, "")
    assert AuditEvent.objects.filter(action="assessment.locked").count() == 1


def test_moderated_values_override_the_means_and_must_lie_on_the_scale(world):
    one, two = assigned(world)
    scored(world, one, {"purpose": (5, "a"), "capacity": (2, "b"), "transfer_value": (6, "c")})
    scored(world, two, {"purpose": (4, "a"), "capacity": (3, "b"), "transfer_value": (6, "c")})
    case = c0(world).case
    with pytest.raises(AssessmentError):
        services.lock(world.staff["caseworker"], case.pk, {"capacity": "7"}, "")
    with pytest.raises(AssessmentError):
        services.lock(world.staff["caseworker"], case.pk, {"capacity": "mye"}, "")
    result = services.lock(world.staff["caseworker"], case.pk, {"capacity": "3", "transfer_value": ""}, "Kapasitet drøftet")
    assert result.total == Decimal("3.750")  # (4.5 + 3) / 2 with transfer value not applicable
    assert result.moderated_scores == {"purpose": 4.5, "capacity": 3, "transfer_value": None}


def test_locking_needs_a_completed_not_disqualified_assessment_and_the_right_role(world):
    one, two = assigned(world)
    services.declare(world.staff["assessor1"], one.pk, disqualified=True, reason="Nær venn av søker")
    case = c0(world).case
    with pytest.raises(RoleMissing):
        services.lock(world.staff["assessor2"], case.pk, None, "")
    with pytest.raises(RoleMissing):
        services.lock(world.staff["administrator"], case.pk, None, "")
    with pytest.raises(AssessmentError) as refused:
        services.lock(world.staff["caseworker"], case.pk, None, "")
    assert "completed" in refused.value.reason_en


def test_unassign_only_while_nothing_is_scored(world):
    one, two = assigned(world)
    services.unassign(world.staff["caseworker"], two.pk)
    assert not Assignment.objects.filter(pk=two.pk).exists()
    services.declare(world.staff["assessor1"], one.pk, disqualified=False)
    services.save_scores(world.staff["assessor1"], one.pk, {"purpose": (5, "God")}, None, "")
    with pytest.raises(AssessmentError):
        services.unassign(world.staff["caseworker"], one.pk)


def test_after_a_disqualification_the_caseworker_assigns_another(world):
    (one,) = assigned(world, 0, "assessor1")
    services.declare(world.staff["assessor1"], one.pk, disqualified=True, reason="Styremedlem hos søker")
    (two,) = assigned(world, 0, "assessor2")
    scored(world, two, ALL_FOUR)
    assert services.lock(world.staff["caseworker"], c0(world).case.pk, None, "").total == Decimal("4.500")


def test_co_assessors_of_area_3(world):
    from tests.staff_world import C0

    by_area = {tuple(a.submitted_content["areas"]): a for a in world.applications[C0]}
    assert services.co_assessors_of(by_area[("3",)]) == ["Kompetanse Norge"]
    assert services.co_assessors_of(by_area[("1",)]) == []
