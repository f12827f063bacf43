"""Acceptance of a grant (*aksept*, issue #11 point 2): who may answer, what is answered, declining, lapsing."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.grants.grant_helpers import publish_decision
from tests.staff_world import C0, build_world
from tilskudd.audit.models import AuditEvent
from tilskudd.core.refusals import NotAllowed
from tilskudd.grants.allocation import frames
from tilskudd.grants.awards import acceptance
from tilskudd.grants.awards.changes import reopen_lapsed
from tilskudd.grants.decisions.letters import letter_facts
from tilskudd.grants.models import Acceptance, AllocationLine, Grant
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.orgs.models import Delegation, Membership

OSLO = dt.timezone(dt.timedelta(hours=1))
NOON = dt.datetime(2019, 6, 3, 12, 0, tzinfo=OSLO)


def _offered_world():
    """The casework world and a C0 grant of NOK 200 000 offered on 3 June 2019, to be accepted by 24 June (the
    caseworker's date); built once for the module (issue #9 point 7)."""
    world = build_world()
    with mock.patch("django.utils.timezone.now", lambda: NOON):
        application = world.applications[C0][0]
        frames.ensure_frames(application.call)
        grant = publish_decision(world, application, amount=200_000).grant
        grant.acceptance_due = dt.date(2019, 6, 24)
        grant.save(update_fields=["acceptance_due"])
    return world, grant


offered_world_built = shared_world(_offered_world, name="offered_world_built")


@pytest.fixture
def offered_world(offered_world_built, db):
    """The test's own copy of the world and its offered grant, read again from the database."""
    return fresh(offered_world_built)


@pytest.fixture
def casework_world(offered_world):
    """The casework world (tests/staff_world.py) the offered grant is in; this module's, not the conftest's."""
    return offered_world[0]


@pytest.fixture
def offered(offered_world, freeze_now):
    """A C0 grant of NOK 200 000 offered on 3 June 2019, to be accepted by 24 June (the caseworker's date); the
    clock stands at its offer (noon, 3 June 2019)."""
    freeze_now(NOON)
    return offered_world[1]


def _person(django_user_model, organisation, email, role="member"):
    user = django_user_model.objects.create_user(email=email, password="x" * 16, full_name=email.split("@")[0])
    Membership.objects.create(user=user, organisation=organisation, role=role, confirmed_at=timezone.now())
    return user


def _left(grant) -> int:
    return frames.usage(grant.application.call, grant.application.case.grantor_org_number).rows[0].left


def test_the_terms_document_is_what_the_grantee_answers_and_its_hash_is_stable(offered):
    document = acceptance.terms_document(offered)
    assert document["case_number"] == offered.application.case_number
    assert document["amount"] == 200_000 and document["acceptance_due"] == "2019-06-24"
    assert document["payment_plan"] == [{"number": 1, "amount": 200_000, "season": "", "earliest": None}]
    assert document["letter_sha256"] == offered.decision.letter.sha256
    assert document["organisation"]["org_number"] == offered.application.organisation.org_number
    shown = acceptance.terms_hash(offered)
    assert shown == acceptance.terms_hash(Grant.objects.get(pk=offered.pk))
    offered.extra_conditions = "Prosjektet skal ha en styringsgruppe."
    offered.save(update_fields=["extra_conditions"])
    assert acceptance.terms_hash(Grant.objects.get(pk=offered.pk)) != shown
    assert acceptance.terms_document(offered)["extra_conditions"] == "Prosjektet skal ha en styringsgruppe."


def test_the_signatory_accepts_and_the_terms_fall_due_that_day(offered, freeze_now):
    freeze_now(dt.datetime(2019, 6, 10, 9, 0, tzinfo=OSLO))
    signatory = applicant_of(offered.application)
    answer = acceptance.accept(signatory, offered.pk, acceptance.terms_hash(offered))
    grant = Grant.objects.get(pk=offered.pk)
    assert grant.status == GrantStatus.ACCEPTED
    assert (answer.answer, answer.capacity, answer.signed_by) == ("accepted", "signatory", signatory)
    assert answer.content_hash == acceptance.terms_hash(grant)
    assert [t.due_on for t in grant.terms.all()] == [dt.date(2019, 6, 10)]
    event = AuditEvent.objects.get(subject_type="grant", subject_id=str(grant.pk), action="grant.accepted")
    assert event.audience == "applicant" and event.data["capacity"] == "signatory"
    assert event.actor_id == signatory.pk


def test_a_delegate_within_a_delegation_for_the_call_accepts(offered, django_user_model):
    application = offered.application
    delegate = _person(django_user_model, application.organisation, "fullmektig@example.no")
    assert not acceptance.can_answer(delegate, offered)
    delegation = Delegation.objects.create(
        organisation=application.organisation,
        granted_by=applicant_of(application),
        delegate=delegate,
        call=application.call,
        valid_until=dt.date(2019, 12, 31),
    )
    assert acceptance.can_answer(delegate, offered)
    answer = acceptance.accept(delegate, offered.pk, acceptance.terms_hash(offered))
    assert answer.capacity == "delegate" and answer.delegation == delegation


def test_a_plain_member_is_refused_with_a_reason_and_nothing_changes(offered, django_user_model):
    member = _person(django_user_model, offered.application.organisation, "medlem@example.no")
    permission = acceptance.can_answer(member, offered)
    assert not permission and "signaturrett" in permission.reason_nb
    with pytest.raises(NotAllowed):
        acceptance.accept(member, offered.pk, acceptance.terms_hash(offered))
    assert Grant.objects.get(pk=offered.pk).status == GrantStatus.OFFERED
    assert not Acceptance.objects.exists()


def test_another_organisations_signatory_is_refused(offered, casework_world):
    other = next(a for a in casework_world.applications[C0] if a.organisation_id != offered.application.organisation_id)
    with pytest.raises(NotAllowed) as refused:
        acceptance.decline(applicant_of(other), offered.pk, acceptance.terms_hash(offered))
    assert "ikke med i organisasjonen" in refused.value.reason_nb
    assert Grant.objects.get(pk=offered.pk).status == GrantStatus.OFFERED


def test_a_hash_of_other_terms_is_refused(offered):
    signatory = applicant_of(offered.application)
    shown = acceptance.terms_hash(offered)
    offered.extra_conditions = "Et vilkår lagt til etter at siden ble vist."
    offered.save(update_fields=["extra_conditions"])
    with pytest.raises(acceptance.TermsChanged) as refused:
        acceptance.accept(signatory, offered.pk, shown)
    assert refused.value.status == 409 and "endret" in refused.value.reason_nb
    with pytest.raises(acceptance.TermsChanged):
        acceptance.accept(signatory, offered.pk, "0" * 64)
    assert not Acceptance.objects.exists()
    assert Grant.objects.get(pk=offered.pk).status == GrantStatus.OFFERED


def test_a_double_accept_gives_one_acceptance_and_one_event(offered):
    signatory = applicant_of(offered.application)
    shown = acceptance.terms_hash(offered)
    first = acceptance.accept(signatory, offered.pk, shown)
    again = acceptance.accept(signatory, offered.pk, shown)
    assert first.pk == again.pk and Acceptance.objects.count() == 1
    assert AuditEvent.objects.filter(subject_type="grant", action="grant.accepted").count() == 1
    with pytest.raises(acceptance.AcceptanceRefused) as refused:
        acceptance.decline(signatory, offered.pk, shown)
    assert "allerede besvart" in refused.value.reason_nb


def test_declining_cancels_every_term_and_frees_the_frame_at_once(offered):
    application = offered.application
    left_before = _left(offered)
    assert AllocationLine.objects.get(application=application, year=offered.year).amount == 200_000
    signatory = applicant_of(application)
    answer = acceptance.decline(signatory, offered.pk, acceptance.terms_hash(offered), reason="Prosjektet er avlyst.")
    grant = Grant.objects.get(pk=offered.pk)
    assert (
        grant.status == GrantStatus.DECLINED
        and answer.answer == "declined"
        and answer.reason == "Prosjektet er avlyst."
    )
    assert [t.status for t in grant.terms.all()] == [TermStatus.CANCELLED]
    assert AllocationLine.objects.get(application=application, year=offered.year).amount == 0
    assert _left(grant) == left_before + 200_000
    event = AuditEvent.objects.get(subject_type="grant", subject_id=str(grant.pk), action="grant.declined")
    assert event.reason == "Prosjektet er avlyst." and event.data["amount_before"] == 200_000


def test_past_the_deadline_the_offer_lapses_once_and_frees_the_frame(offered, freeze_now, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    left_before = _left(offered)
    assert acceptance.lapse_overdue(dt.date(2019, 6, 24)) == []  # the deadline day itself is still open
    freeze_now(dt.datetime(2019, 6, 25, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    lapsed = acceptance.lapse_overdue()
    assert [g.pk for g in lapsed] == [offered.pk]
    grant = Grant.objects.get(pk=offered.pk)
    assert grant.status == GrantStatus.LAPSED
    assert _left(grant) == left_before + 200_000
    event = AuditEvent.objects.get(subject_type="grant", subject_id=str(grant.pk), action="grant.lapsed")
    assert event.actor_id is None and event.audience == "applicant"
    assert acceptance.lapse_overdue() == []  # idempotent
    assert AuditEvent.objects.filter(subject_type="grant", action="grant.lapsed").count() == 1


def test_accepting_after_the_deadline_is_refused(offered, freeze_now):
    signatory = applicant_of(offered.application)
    freeze_now(dt.datetime(2019, 6, 24, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))))  # still the 24th in Oslo
    assert acceptance.offer_open(offered)
    freeze_now(dt.datetime(2019, 6, 25, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    with pytest.raises(acceptance.AcceptanceRefused) as refused:
        acceptance.accept(signatory, offered.pk, acceptance.terms_hash(offered))
    assert "24.06.2019" in refused.value.reason_nb
    acceptance.lapse_overdue()
    with pytest.raises(acceptance.AcceptanceRefused) as refused:
        acceptance.accept(signatory, offered.pk, acceptance.terms_hash(Grant.objects.get(pk=offered.pk)))
    assert "åpne tilbudet igjen" in refused.value.reason_nb
    assert not Acceptance.objects.exists()


def test_the_lapse_command_runs_it_and_the_caseworker_is_told(
    offered, casework_world, freeze_now, django_capture_on_commit_callbacks
):
    freeze_now(dt.datetime(2019, 7, 1, 12, 0, tzinfo=OSLO))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("lapse_offers", verbosity=0)
    assert Grant.objects.get(pk=offered.pk).status == GrantStatus.LAPSED
    assert len(mail.outbox) == 1 and offered.application.case_number in mail.outbox[0].subject
    assert mail.outbox[0].to == [casework_world.staff["caseworker"].email]


def test_the_caseworkers_deadline_is_the_grants_and_the_letters(casework_world, freeze_now):
    freeze_now(NOON)
    application = casework_world.applications[C0][1]
    decision = publish_decision(casework_world, application, amount=50_000, acceptance_due=dt.date(2019, 6, 28))
    assert decision.acceptance_due == dt.date(2019, 6, 28)
    assert decision.grant.acceptance_due == dt.date(2019, 6, 28)
    facts = letter_facts(decision)
    assert facts["acceptance_parts"]["deadline"] == "Fristen for aksept er 28.06.2019."
    assert "på Min side i tilskuddsportalen" in facts["acceptance"]


def test_a_reopened_offer_is_accepted_late(offered, casework_world, freeze_now):
    freeze_now(dt.datetime(2019, 7, 1, 12, 0, tzinfo=OSLO))
    acceptance.lapse_overdue()
    shown_before = acceptance.terms_hash(Grant.objects.get(pk=offered.pk))
    reopen_lapsed(casework_world.staff["caseworker"], offered.pk, dt.date(2019, 7, 15))
    grant = Grant.objects.get(pk=offered.pk)
    assert grant.status == GrantStatus.OFFERED
    signatory = applicant_of(grant.application)
    with pytest.raises(acceptance.TermsChanged):  # the new deadline is part of the terms
        acceptance.accept(signatory, grant.pk, shown_before)
    answer = acceptance.accept(signatory, grant.pk, acceptance.terms_hash(grant))
    assert answer.late is True and Grant.objects.get(pk=grant.pk).status == GrantStatus.ACCEPTED
