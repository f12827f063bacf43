"""Frames and allocation lines: the frame holds, overrides are kept, C2's 60/40 split, audit events."""

from __future__ import annotations

import pytest

from tilskudd.audit.models import AuditEvent
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.facts import applied_for
from tilskudd.grants.allocation import caps, frames
from tilskudd.grants.models import AllocationLine, Frame
from tests.grants.test_allocation_helpers import area, in_assessment
from tests.staff_world import C0, C2

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(casework_world):
    return casework_world


def c0(world):
    call = world.calls[C0]
    return call, call.definition.year, world.applications[C0]


def test_frames_come_from_the_call_file_where_it_names_amounts(world):
    call, year, _ = c0(world)
    frames.ensure_frames(call)
    frames.ensure_frames(call)  # twice: nothing new
    (frame,) = Frame.objects.filter(call=call)
    assert (frame.grantor_org_number, frame.area, frame.year, frame.amount) == (world.imdi.org_number, "", year, 52_300_000)
    assert AuditEvent.objects.filter(action="frame.created", subject_id=str(frame.pk)).count() == 1
    frames.ensure_frames(world.calls[C2])  # C2 names no amount
    assert not Frame.objects.filter(call=world.calls[C2]).exists()


def test_an_allocation_that_would_exceed_the_frame_is_refused_and_changes_nothing(world):
    call, year, apps = c0(world)
    first, second = apps[2], apps[3]  # areas 3 and 4
    for app in (first, second):
        in_assessment(app, 5)
    frames.set_frame(world.staff["administrator"], call, world.imdi.org_number, "", year, 1_000_000)
    frames.set_allocation(world.staff["caseworker"], first.pk, year, 700_000)
    with pytest.raises(frames.FrameExceeded) as refused:
        frames.set_allocation(world.staff["caseworker"], second.pk, year, 400_000)
    assert refused.value.left == 300_000 and refused.value.asked == 400_000
    assert refused.value.reason_nb == (
        "Det er bare 300\u00a0000 kr igjen i rammen for hele utlysningen i 2019, og det ble bedt om 400\u00a0000 kr. "
        "Ingenting er endret."
    )
    assert "the frame for the whole call in 2019" in refused.value.reason_en
    assert not AllocationLine.objects.filter(application=second).exists()
    # Exactly what is left is fine; changing one's own line counts only the others'.
    frames.set_allocation(world.staff["caseworker"], second.pk, year, 300_000)
    frames.set_allocation(world.staff["caseworker"], first.pk, year, 650_000)
    assert sum(AllocationLine.objects.filter(application__call=call).values_list("amount", flat=True)) == 950_000
    event = AuditEvent.objects.filter(action="allocation.set", subject_id=str(first.pk)).order_by("pk").last()
    assert (event.from_state, event.to_state, event.actor) == ("700000", "650000", world.staff["caseworker"])


def test_an_area_frame_holds_too(world):
    call, year, apps = c0(world)
    five_a, five_b = apps[4], apps[5]
    assert area(five_a) == area(five_b) == "5"
    for app in (five_a, five_b):
        in_assessment(app, 5)
    frames.set_frame(world.staff["approver"], call, world.imdi.org_number, "5", year, 1_000_000)
    frames.set_allocation(world.staff["caseworker"], five_a.pk, year, 900_000)
    with pytest.raises(frames.FrameExceeded) as refused:
        frames.set_allocation(world.staff["caseworker"], five_b.pk, year, 200_000)
    assert "prioritert område 5" in refused.value.reason_nb


def test_bad_amounts_wrong_state_and_wrong_role_are_refused(world):
    call, year, apps = c0(world)
    app = apps[2]
    with pytest.raises(frames.AllocationRefused) as not_yet:
        frames.set_allocation(world.staff["caseworker"], app.pk, year, 1000)  # still SUBMITTED
    assert "til vurdering" in not_yet.value.reason_nb
    in_assessment(app, 5)
    with pytest.raises(frames.AllocationRefused) as too_much:
        frames.set_allocation(world.staff["caseworker"], app.pk, year, 750_001)
    assert "søknadsbeløpet" in too_much.value.reason_nb
    with pytest.raises(frames.AllocationRefused):
        frames.set_allocation(world.staff["caseworker"], app.pk, year, -1)
    with pytest.raises(RoleMissing):
        frames.set_allocation(world.staff["assessor1"], app.pk, year, 1000)
    with pytest.raises(RoleMissing):
        frames.set_allocation(world.bergen_staff["caseworker"], app.pk, year, 1000)
    with pytest.raises(RoleMissing):
        frames.set_frame(world.staff["caseworker"], call, world.imdi.org_number, "", year, 1)
    assert not AllocationLine.objects.exists()


def test_a_frame_cannot_be_lowered_below_what_is_allocated(world):
    call, year, apps = c0(world)
    app = in_assessment(apps[3], 5)
    frame = frames.set_frame(world.staff["administrator"], call, world.imdi.org_number, "", year, 2_000_000)
    frames.set_allocation(world.staff["caseworker"], app.pk, year, 800_000)
    with pytest.raises(frames.AllocationRefused) as refused:
        frames.set_frame(world.staff["administrator"], call, world.imdi.org_number, "", year, 799_999)
    assert "kan ikke bli lavere enn det som allerede er fordelt (800\u00a0000 kr)" in refused.value.reason_nb
    frame.refresh_from_db()
    assert frame.amount == 2_000_000
    frames.set_frame(world.staff["administrator"], call, world.imdi.org_number, "", year, 800_000)
    frame.refresh_from_db()
    assert frame.amount == 800_000
    events = AuditEvent.objects.filter(action="frame.set", subject_id=str(frame.pk)).order_by("pk")
    assert [(e.from_state, e.to_state) for e in events] == [("", "2000000"), ("2000000", "800000")]


def test_the_assistant_keeps_a_caseworkers_line_and_allocates_the_rest(world):
    call, year, apps = c0(world)
    # areas 1, 2, 3, 4, 5, 5; applied 1 800 000, 1 300 000, 750 000, 1 000 000, 950 000, 260 000
    totals = [4.5, 3.5, 5.5, 5.0, 4.8, None]
    for app, total in zip(apps, totals, strict=True):
        in_assessment(app, total, locked=total is not None)
    frames.ensure_frames(call)
    frames.set_frame(world.staff["administrator"], call, world.imdi.org_number, "", year, 3_000_000)
    frames.set_allocation(world.staff["caseworker"], apps[0].pk, year, 500_000, "Skjønn.", "Judgement.")
    result = frames.apply_proposal(world.staff["caseworker"], call, world.imdi.org_number)
    lines = {line.application_id: line for line in AllocationLine.objects.filter(application__call=call)}
    assert lines[apps[0].pk].amount == 500_000 and lines[apps[0].pk].source == "caseworker"
    assert lines[apps[0].pk].explanation_nb == "Skjønn."
    assert lines[apps[1].pk].amount == 0 and "kvalitetsterskelen 4,0" in lines[apps[1].pk].explanation_nb
    assert lines[apps[5].pk].amount == 0 and lines[apps[5].pk].explanation_nb.startswith("Ikke ferdig vurdert")
    # 2 500 000 left: 5.5 (750 000), 5.0 (1 000 000), 4.8 gets the remaining 750 000 of 950 000.
    assert lines[apps[2].pk].amount == 750_000
    assert lines[apps[3].pk].amount == 1_000_000
    assert lines[apps[4].pk].amount == 750_000
    assert lines[apps[4].pk].explanation_nb.startswith("Delvis: rammen for hele utlysningen i 2019 er brukt opp")
    assert all(lines[a.pk].source == "assistant" for a in apps[1:])
    assert sum(line.amount for line in lines.values()) == 3_000_000
    assert (result.written, result.kept) == (5, 1)
    assert AuditEvent.objects.filter(action="allocation.proposed").count() == 5
    assert AuditEvent.objects.filter(action="allocation.assistant_run", subject_id=str(call.pk)).exists()
    # Running it again proposes the same.
    frames.apply_proposal(world.staff["caseworker"], call, world.imdi.org_number)
    assert {l.application_id: l.amount for l in AllocationLine.objects.filter(application__call=call)} == {
        pk: line.amount for pk, line in lines.items()
    }
    with pytest.raises(RoleMissing):
        frames.apply_proposal(world.staff["assessor1"], call, world.imdi.org_number)


def test_usage_per_frame_and_area(world):
    call, year, apps = c0(world)
    for app in apps:
        in_assessment(app, 5)
    frames.ensure_frames(call)
    frames.set_allocation(world.staff["caseworker"], apps[2].pk, year, 700_000)
    found = frames.usage(call, world.imdi.org_number)
    whole = found.rows[0]
    assert (whole.frame, whole.applied, whole.proposed, whole.left) == (52_300_000, 6_060_000, 700_000, 51_600_000)
    by_area = {row.area: row for row in found.rows if row.area}
    assert by_area["3"].proposed == 700_000 and by_area["3"].applied == 750_000 and by_area["3"].frame is None
    assert by_area["5"].applied == 1_210_000


def test_c2_the_municipalities_share_60_and_imdi_40_of_the_scheme(world):
    call = world.calls[C2]
    year = call.definition.year
    apps = world.applications[C2]
    bergen_app = next(a for a in apps if a.case.grantor_org_number == world.bergen.org_number)
    imdi_apps = [a for a in apps if a.case.grantor_org_number == world.imdi.org_number]
    tromso_app = next(a for a in apps if a.case.grantor_org_number not in {world.bergen.org_number, world.imdi.org_number})
    for app in apps:
        in_assessment(app, 5)
    # Only IMDi sets the scheme's total; a municipality may not.
    with pytest.raises(RoleMissing):
        frames.set_frame(world.bergen_staff["approver"], call, "", "", year, 200_000)
    frames.set_frame(world.staff["administrator"], call, "", "", year, 200_000)  # IMDi 80 000, municipalities 120 000
    frames.set_allocation(world.staff["caseworker"], imdi_apps[0].pk, year, 80_000)
    with pytest.raises(frames.FrameExceeded) as imdi_over:
        frames.set_allocation(world.staff["caseworker"], imdi_apps[1].pk, year, 10_000)
    assert "IMDis andel (40 %) av ordningens ramme for 2020" in imdi_over.value.reason_nb
    assert "IMDi's share (40 %) of the scheme's frame for 2020" in imdi_over.value.reason_en
    # Bergen's own frame caps Bergen (Bergen's approver sets it).
    frames.set_frame(world.bergen_staff["approver"], call, world.bergen.org_number, "", year, 60_000)
    with pytest.raises(frames.FrameExceeded) as bergen_over:
        frames.set_allocation(world.bergen_staff["caseworker"], bergen_app.pk, year, 85_000)
    assert "rammen til Bergen kommune" in bergen_over.value.reason_nb
    frames.set_frame(world.bergen_staff["approver"], call, world.bergen.org_number, "", year, 90_000)
    frames.set_allocation(world.bergen_staff["caseworker"], bergen_app.pk, year, 85_000)
    with pytest.raises(frames.AllocationRefused):  # below what Bergen has allocated
        frames.set_frame(world.bergen_staff["approver"], call, world.bergen.org_number, "", year, 84_999)
    # The municipalities together: 85 000 + 42 000 > 120 000.
    tromso_caseworker = _caseworker_at(tromso_app.case.grantor_org_number)
    with pytest.raises(frames.FrameExceeded) as shared_over:
        frames.set_allocation(tromso_caseworker, tromso_app.pk, year, 42_000)
    assert "kommunenes andel (60 %)" in shared_over.value.reason_nb and shared_over.value.left == 35_000
    frames.set_allocation(tromso_caseworker, tromso_app.pk, year, 35_000)
    # Lowering the total so that a share falls below what is allocated is refused.
    with pytest.raises(frames.AllocationRefused) as lowered:
        frames.set_frame(world.staff["administrator"], call, "", "", year, 199_999)
    assert lowered.value.reason_nb.startswith("IMDis andel (40 %) av ordningens ramme for 2020 kan ikke bli lavere")
    usage = frames.usage(call, world.bergen.org_number)
    shares = {row.key: row for row in usage.rows}
    assert shares[f"share:local:{year}"].frame == 120_000 and shares[f"share:local:{year}"].proposed == 120_000
    assert usage.rows[0].frame == 90_000 and usage.rows[0].proposed == 85_000


def test_c2_the_assistant_respects_the_minimum_and_the_imdi_share(world):
    call = world.calls[C2]
    year = call.definition.year
    imdi_apps = [a for a in world.applications[C2] if a.case.grantor_org_number == world.imdi.org_number]
    best = next(a for a in imdi_apps if applied_for(a) == 640_000)
    other = next(a for a in imdi_apps if a is not best)
    in_assessment(best, 5)
    in_assessment(other, 4)
    # IMDi's share is 40 % of 1 612 500 = 645 000. Greedy: 640 000 to the best and 5 000 nobody may take
    # (minimum 10 000, C2-R04); the optimum: 635 000 and 10 000.
    frames.set_frame(world.staff["administrator"], call, "", "", year, 1_612_500)
    frames.apply_proposal(world.staff["caseworker"], call, world.imdi.org_number)
    got = {l.application_id: l for l in AllocationLine.objects.filter(application__in=imdi_apps)}
    assert (got[best.pk].amount, got[other.pk].amount) == (635_000, 10_000)


def _caseworker_at(org_number):
    from django.contrib.auth import get_user_model

    from tilskudd.casework.models import Role, StaffRole
    from tilskudd.orgs.models import Organisation

    org, _ = Organisation.objects.get_or_create(org_number=org_number, defaults={"name": "Tromsø kommune"})
    user = get_user_model().objects.create_user(email="tilskudd@tromso.example", password="x")
    StaffRole.objects.create(user=user, grantor=org, role=Role.CASEWORKER)
    return user


def test_the_stipend_part_is_capped_where_the_engine_caps_it(world):
    import copy

    from tilskudd.rules import Application as Exchange
    from tilskudd.rules import evaluate
    from tilskudd.rules.schema import StipendCapCheck

    call, year, apps = c0(world)
    area_one = apps[0]
    assert area(area_one) == "1"
    definition = area_one.call_version.parsed()
    check = next(c for c in definition.checks if isinstance(c, StipendCapCheck) and c.when.areas == ["1"])
    content = copy.deepcopy(area_one.submitted_content)
    stipend = Exchange.model_validate(content).budget.stipend
    most = caps.stipend_cap(check, definition, stipend)

    def r18(amount):
        changed = copy.deepcopy(content)
        changed["budget"]["stipend"]["amount_applied"] = amount
        findings = evaluate(definition, Exchange.model_validate(changed), definition.deadline.instant)
        return [f for f in findings if f.rule_id == "C0-R18"]

    assert not r18(most) and r18(most + 1)  # the same cap as the rule engine's
    content["budget"]["stipend"]["amount_applied"] = most + 100_000
    area_one.submitted_content = content
    cap = caps.cap_of(area_one)
    assert cap.amount == content["budget"]["amount_applied"] - 100_000
    assert "C0-R18" in cap.reason_nb and "C0-R18" in cap.reason_en
    in_assessment(area_one, 6)
    area_one.save(update_fields=["submitted_content"])
    frames.apply_proposal(world.staff["caseworker"], call, world.imdi.org_number)
    line = AllocationLine.objects.get(application=area_one)
    assert line.amount == cap.amount and "C0-R18" in line.explanation_nb
    with pytest.raises(frames.AllocationRefused) as refused:
        frames.set_allocation(world.staff["caseworker"], area_one.pk, year, cap.amount + 1)
    assert "taket" in refused.value.reason_nb


def test_the_assistant_caps_the_stipend_at_one_g_a_participant_for_one_year_and_the_projects_head_count(world):
    """C0-R18 (issue #10 point 1): under-25s count a full G; more years or heads than allowed do not raise the cap."""
    import copy

    from tilskudd.rules.reference import g_on
    from tilskudd.rules.schema import OSLO

    call, year, apps = c0(world)
    area_one = apps[0]
    definition = area_one.call_version.parsed()
    g = g_on(definition.deadline.instant.astimezone(OSLO).date()).amount
    content = copy.deepcopy(area_one.submitted_content)
    content["answers"]["participants"] = 5
    content["budget"]["stipend"] = {
        "participants_25_or_over": 0,
        "participants_under_25": 8,
        "years": 2,
        "amount_applied": 5 * g + 100_000,
    }
    area_one.submitted_content = content
    cap = caps.cap_of(area_one)
    assert cap.amount == content["budget"]["amount_applied"] - 100_000  # 5 participants × 1 G × 1 year
    assert "C0-R18" in cap.reason_nb


def test_the_assistant_proposes_no_more_than_the_assessors_proposed_on_average(world):
    """Issue #13, point 8: the mean of the completed assessors' proposals caps the line, and the line says so;
    an assessor who has not finished does not count."""
    from django.utils import timezone

    from tilskudd.assessment.models import Assignment

    call, year, apps = c0(world)
    third = apps[2]  # area 3, applied 750 000
    in_assessment(third, 5.5)
    now = timezone.now()
    by = {"assigned_by": world.staff["caseworker"], "disqualified": False}
    Assignment.objects.create(
        application=third, assessor=world.staff["assessor1"], proposed_amount=500_000, completed_at=now, **by
    )
    Assignment.objects.create(
        application=third, assessor=world.staff["assessor2"], proposed_amount=600_001, completed_at=now, **by
    )
    Assignment.objects.create(
        application=third, assessor=world.staff["caseworker"], proposed_amount=10_000, completed_at=None, **by
    )
    frames.ensure_frames(call)
    frames.set_frame(world.staff["administrator"], call, world.imdi.org_number, "", year, 3_000_000)
    frames.apply_proposal(world.staff["caseworker"], call, world.imdi.org_number)
    line = AllocationLine.objects.get(application=third, year=year)
    assert line.amount == 550_000
    assert "(fagvurdererne foreslo i snitt 550\xa0000\xa0kr)" in line.explanation_nb
    assert frames.proposed_by_assessors([third.pk]) == {third.pk: 550_000}
