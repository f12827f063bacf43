"""Continuation of a multi-year grant into next year (*videreføring*, issue #12 point 7; C4-R09).

A C4 grant for 2026 with commitments for 2027–2029: in the autumn the grantee's signatory confirms each
condition and files the plan and budget for 2027; IMDi's caseworker proposes 2027's amount within 2027's frame,
its approver approves it, and a grant for 2027 with its terms and its continuation letter is offered. A grant
whose conditions no longer hold is stopped with a letter, and its commitments are freed in the frames.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from tests.accounts.helpers import login_verified
from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.grants.grant_helpers import publish_decision
from tests.staff_world import build_world
from tests.web.conftest import visible_text
from tilskudd.audit.models import AuditEvent
from tilskudd.casework.access import RoleMissing
from tilskudd.core.refusals import NotAllowed
from tilskudd.grants.allocation import frames
from tilskudd.grants.awards import acceptance, continuation
from tilskudd.grants.awards.continuation_states import ContinuationStatus
from tilskudd.grants.decisions.services import active_decision
from tilskudd.grants.models import AllocationLine, Continuation, Grant
from tilskudd.grants.states import GrantStatus
from tilskudd.orgs.models import Membership

C4 = "nasjonale-ressurssentre-2026"
OSLO = dt.timezone(dt.timedelta(hours=1))
LATER = {"2027": 400_000, "2028": 400_000, "2029": 400_000}
PUBLISHED_AT = dt.datetime(2026, 5, 20, 10, 0, tzinfo=OSLO)
ACCEPTED_AT = dt.datetime(2026, 6, 2, 10, 0, tzinfo=OSLO)


def _c4_world():
    """The C4 world and a C4 grant of NOK 500 000 for 2026, commitments of 400 000 a year for 2027–2029, accepted
    in June 2026; the grant built once for the module with the world (issue #9 point 7)."""
    world = build_world((C4,))
    application = world.applications[C4][0]
    with mock.patch("django.utils.timezone.now", lambda: PUBLISHED_AT):
        offered = publish_decision(
            world, application, amount=500_000, later_years=LATER, period_end=dt.date(2029, 12, 31)
        ).grant
    with mock.patch("django.utils.timezone.now", lambda: ACCEPTED_AT):
        acceptance.accept(applicant_of(application), offered.pk, acceptance.terms_hash(offered))
    return world, Grant.objects.get(pk=offered.pk)


c4_world_built = shared_world(_c4_world, name="c4_world_built")


@pytest.fixture
def c4_world(c4_world_built, db):
    """The test's own copy of the world and its grant, read again from the database."""
    return fresh(c4_world_built)


@pytest.fixture
def world(c4_world):
    return c4_world[0]


@pytest.fixture
def grant(c4_world, freeze_now):
    """A C4 grant of NOK 500 000 for 2026, commitments of 400 000 a year for 2027–2029, accepted in June 2026; the
    clock stands at its acceptance."""
    freeze_now(ACCEPTED_AT)
    return c4_world[1]


def _text(response) -> str:
    """The page's visible text, spaces as typed (amounts are shown with a non-breaking space)."""
    return visible_text(response.content.decode()).replace("\xa0", " ").replace("\u202f", " ")


def _line(application, year):
    return AllocationLine.objects.get(application=application, year=year).amount


def _file(user, grant, total=420_000):
    lines = [{"text": "Lønn", "amount": 300_000}, {"text": "Aktiviteter", "amount": 120_000}]
    ids = [c["id"] for c in continuation.conditions(grant)]
    return continuation.file_plan(user, grant.pk, ids, "Vi fortsetter ressurssenteret i 2027.", lines, total)


def test_a_c4_grant_is_continued_into_its_second_year_within_next_years_frame(world, grant, freeze_now):
    application = grant.application
    assert continuation.next_year(grant) == 2027 and _line(application, 2027) == 400_000
    freeze_now(dt.datetime(2026, 11, 16, 9, 0, tzinfo=OSLO))
    signatory = applicant_of(application)
    filed = _file(signatory, grant)
    assert (filed.status, filed.year, filed.budget_total, filed.capacity) == ("filed", 2027, 420_000, "signatory")
    assert set(filed.confirmed) == {"statutes_representation", "yearly_conditions"}
    assert filed.content_hash == continuation.filing_hash(grant, 2027, filed.confirmed, filed.plan, filed.budget_lines)
    caseworker, approver = world.staff["caseworker"], world.staff["approver"]
    frames.set_frame(approver, application.call, application.case.grantor_org_number, "", 2027, 1_000_000)

    # Next year's frame is what limits the amount: above it, refused and nothing changes.
    with pytest.raises(frames.FrameExceeded):
        continuation.propose(caseworker, filed.pk, 1_200_000)
    assert Continuation.objects.get(pk=filed.pk).status == "filed" and _line(application, 2027) == 400_000

    continuation.propose(caseworker, filed.pk, 380_000)
    assert _line(application, 2027) == 380_000
    with pytest.raises(RoleMissing):  # four eyes: an approver approves it
        continuation.approve(caseworker, filed.pk)
    freeze_now(dt.datetime(2026, 12, 1, 9, 0, tzinfo=OSLO))
    done = continuation.approve(approver, filed.pk)

    assert done.status == ContinuationStatus.CONTINUED
    new = done.new_grant
    assert (new.year, new.amount, new.status) == (2027, 380_000, GrantStatus.OFFERED)
    assert new.later_years == {"2028": 400_000, "2029": 400_000}
    assert (new.period_start, new.period_end) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert sum(t.amount for t in new.terms.all()) == 380_000 and new.terms.count() >= 1
    assert new.decision.continues_id == grant.pk and new.decision.letter == done.letter
    assert done.letter.file.read().startswith(b"%PDF")
    # The old grant keeps its year; the application still has one decision of its own.
    assert Grant.objects.get(pk=grant.pk).amount == 500_000
    assert active_decision(application) == grant.decision
    # The grantee accepts next year's grant as any offer.
    acceptance.accept(signatory, new.pk, acceptance.terms_hash(new))
    assert Grant.objects.get(pk=new.pk).status == GrantStatus.ACCEPTED
    actions = set(
        AuditEvent.objects.filter(subject_type="grant", subject_id=str(grant.pk)).values_list("action", flat=True)
    )
    assert {"grant.continuation_filed", "grant.continuation_proposed", "grant.continued"} <= actions


def test_a_grant_whose_conditions_fail_is_stopped_and_its_commitments_freed(world, grant, freeze_now):
    application = grant.application
    freeze_now(dt.datetime(2026, 11, 16, 9, 0, tzinfo=OSLO))
    _file(applicant_of(application), grant)
    caseworker = world.staff["caseworker"]
    with pytest.raises(continuation.BadFiling):  # a reason is required, and nothing changes
        continuation.stop(caseworker, grant.pk, "  ")
    assert _line(application, 2027) == 400_000
    stopped = continuation.stop(caseworker, grant.pk, "Styret har ikke lenger personer med innvandrerbakgrunn.")
    assert stopped.status == ContinuationStatus.STOPPED
    assert [_line(application, y) for y in (2027, 2028, 2029)] == [0, 0, 0]
    assert stopped.letter.file.read().startswith(b"%PDF")
    html = continuation.stop_letter_html(grant, stopped, caseworker)
    assert "Vedtak om stans av tilskudd fra 2027" in html and "innvandrerbakgrunn" in html
    assert "Klagefristen er tre uker" in html  # the complaint right C4 gives for a grant decision
    event = AuditEvent.objects.get(subject_type="grant", subject_id=str(grant.pk), action="grant.stopped")
    assert event.audience == "applicant" and event.data["released"] == {
        "2027": 400_000,
        "2028": 400_000,
        "2029": 400_000,
    }
    with pytest.raises(continuation.ContinuationRefused):  # nothing more to propose
        continuation.propose(caseworker, stopped.pk, 100_000)


def test_only_the_signatory_or_a_delegate_confirms(world, grant, freeze_now, django_user_model):
    freeze_now(dt.datetime(2026, 11, 16, 9, 0, tzinfo=OSLO))
    member = django_user_model.objects.create_user(email="medlem@example.no", password="x" * 16, full_name="Medlem")
    Membership.objects.create(
        user=member, organisation=grant.application.organisation, role="member", confirmed_at=timezone.now()
    )
    with pytest.raises(NotAllowed):
        _file(member, grant)
    with pytest.raises(NotAllowed):
        _file(world.staff["caseworker"], grant)
    assert not Continuation.objects.exists()
    # Every condition must be confirmed, and the lines must add up to the total.
    signatory = applicant_of(grant.application)
    with pytest.raises(continuation.BadFiling):
        continuation.file_plan(signatory, grant.pk, [], "Plan", [{"text": "Lønn", "amount": 1}], 1)
    with pytest.raises(continuation.BadFiling):
        _file(signatory, grant, total=1)
    assert not Continuation.objects.exists()
    _file(signatory, grant)
    with pytest.raises(continuation.ContinuationRefused):  # once a year
        _file(signatory, grant)


# --- the pages ---------------------------------------------------------------------------------------------------


def test_the_pages_walk_a_filing_a_proposal_and_an_approval(world, grant, freeze_now, client):
    freeze_now(dt.datetime(2026, 11, 16, 9, 0, tzinfo=OSLO))
    application = grant.application
    url = f"/soknader/{application.pk}/tilskudd/videreforing/"
    client.force_login(applicant_of(application))
    response = client.get(url)
    page, text = response.content.decode(), _text(response)
    assert "Tilsagn for 2027" in text and "400 000" in text and 'for="confirm-yearly_conditions"' in page
    form = {
        "confirmed": ["statutes_representation", "yearly_conditions"],
        "plan": "Vi fortsetter.",
        "line_text": ["Lønn", "Aktiviteter", ""],
        "line_amount": ["300 000", "120 000", ""],
        "budget_total": "420 000",
    }
    bad = client.post(url, {**form, "line_amount": ["tre hundre", "120 000", ""]})
    assert bad.status_code == 400 and "ikke et beløp i hele kroner" in _text(bad)
    unconfirmed = client.post(url, {**form, "confirmed": ["yearly_conditions"]})
    assert unconfirmed.status_code == 400 and not Continuation.objects.exists()
    assert client.post(url, form).status_code == 302
    assert "Plan for neste år sendt" in _text(client.get(url))

    staff_url = f"/saksbehandling/tilskudd/{grant.pk}/videreforing/"
    login_verified(client, world.staff["caseworker"])
    staff_page = _text(client.get(staff_url))
    assert "Vi fortsetter." in staff_page and "420 000" in staff_page
    assert client.post(staff_url + "foresla/", {"amount": "mange"}).status_code == 400
    assert client.post(staff_url + "foresla/", {"amount": "390 000"}).status_code == 302
    assert client.post(staff_url + "godkjenn/").status_code == 403  # the caseworker is no approver
    login_verified(client, world.staff["approver"])
    assert client.post(staff_url + "godkjenn/").status_code == 302
    done = Continuation.objects.get()
    assert done.status == "continued" and done.new_grant.amount == 390_000
    client.force_login(applicant_of(application))
    assert client.get(f"{url}{done.pk}/brev.pdf").status_code == 200


def test_a_member_sees_why_not_and_a_post_changes_nothing(world, grant, freeze_now, client, django_user_model):
    freeze_now(dt.datetime(2026, 11, 16, 9, 0, tzinfo=OSLO))
    member = django_user_model.objects.create_user(email="medlem@example.no", password="x" * 16, full_name="Medlem")
    Membership.objects.create(
        user=member, organisation=grant.application.organisation, role="member", confirmed_at=timezone.now()
    )
    client.force_login(member)
    url = f"/soknader/{grant.application_id}/tilskudd/videreforing/"
    assert "signaturrett" in _text(client.get(url))
    assert client.post(url, {"plan": "x"}).status_code == 403
    assert not Continuation.objects.exists()


def test_the_caseworker_stops_the_grant_on_the_page(world, grant, freeze_now, client):
    freeze_now(dt.datetime(2026, 11, 16, 9, 0, tzinfo=OSLO))
    login_verified(client, world.staff["caseworker"])
    url = f"/saksbehandling/tilskudd/{grant.pk}/videreforing/"
    assert client.post(url + "stans/", {"reason": ""}).status_code == 400
    assert client.post(url + "stans/", {"reason": "Vedtektene sikrer ikke representasjon."}).status_code == 302
    assert _line(grant.application, 2027) == 0
    client.force_login(applicant_of(grant.application))
    text = _text(client.get(f"/soknader/{grant.application_id}/tilskudd/videreforing/"))
    assert "Vedtektene sikrer ikke representasjon." in text and "Les brevet (PDF)" in text


def test_both_grant_pages_lead_to_the_continuation(world, grant, client):
    client.force_login(applicant_of(grant.application))
    page = client.get(f"/soknader/{grant.application_id}/tilskudd/").content.decode()
    assert f'href="/soknader/{grant.application_id}/tilskudd/videreforing/"' in page
    login_verified(client, world.staff["caseworker"])
    page = client.get(f"/saksbehandling/tilskudd/{grant.pk}/").content.decode()
    assert f'href="/saksbehandling/tilskudd/{grant.pk}/videreforing/"' in page
