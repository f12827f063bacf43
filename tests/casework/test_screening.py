"""Screening services: accept, ask for completion (X-R04), propose rejection, assign a caseworker."""

import datetime as dt

import pytest
from django.utils import timezone

from tilskudd.applications import services as application_services
from tilskudd.applications.models import Application
from tilskudd.applications.states import Status
from tilskudd.audit.services import history
from tilskudd.casework import services
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.models import Case, ScreeningOutcome
from tilskudd.orgs.models import Membership
from tests.casework.helpers import applicant_of
from tests.staff_world import C0, C2


def _case(world, slug=C0, index=0) -> Case:
    return Case.objects.get(pk=world.applications[slug][index].case.pk)


def _actions(subject) -> list[str]:
    return list(history(subject).order_by("at", "id").values_list("action", flat=True))


def test_accept_moves_the_application_into_assessment_once(casework_world):
    caseworker = casework_world.staff["caseworker"]
    case = _case(casework_world)
    services.accept(caseworker, case.pk, note="Komplett.")
    case.refresh_from_db()
    assert case.application.status == Status.IN_ASSESSMENT
    assert (case.screening, case.screened_by, case.screening_note) == (ScreeningOutcome.ACCEPTED, caseworker, "Komplett.")
    assert case.screened_at is not None
    services.accept(caseworker, case.pk)  # a double click changes nothing and writes nothing
    assert _actions(case.application).count("application.accepted") == 1
    assert _actions(case).count("case.accepted") == 1
    event = history(case.application).get(action="application.accepted")
    assert (event.from_state, event.to_state, event.actor) == (Status.SUBMITTED, Status.IN_ASSESSMENT, caseworker)


def test_only_the_grantors_caseworkers_may_screen(casework_world):
    case = _case(casework_world)
    for person in (casework_world.staff["assessor1"], casework_world.staff["approver"], casework_world.bergen_staff["caseworker"]):
        with pytest.raises(RoleMissing):
            services.accept(person, case.pk)
        with pytest.raises(RoleMissing):
            services.request_completion(person, case.pk, "Mangler budsjett.", timezone.now() + dt.timedelta(days=7))
    case.refresh_from_db()
    assert case.application.status == Status.SUBMITTED and case.screening == ""


def test_a_withdrawn_application_cannot_be_accepted(casework_world):
    case = _case(casework_world)
    Application.objects.filter(pk=case.application_id).update(status=Status.WITHDRAWN)
    with pytest.raises(services.CaseworkRefused) as refused:
        services.accept(casework_world.staff["caseworker"], case.pk)
    assert "trukket" in refused.value.reason_nb and "withdrawn" in refused.value.reason_en


def test_request_completion_reopens_and_emails_the_confirmed_members(
    casework_world, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://tilskudd.example.no"
    caseworker = casework_world.staff["caseworker"]
    case = _case(casework_world)
    until = timezone.now() + dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_completion(caseworker, case.pk, "Budsjettet mangler lønnskostnader.", until)
    application = Application.objects.get(pk=case.application_id)
    assert application.status == Status.REOPENED
    assert application.reopened_until == until and application.reopened_message == "Budsjettet mangler lønnskostnader."
    case.refresh_from_db()
    assert case.screening == ScreeningOutcome.COMPLETION_REQUESTED
    event = history(application).get(action="application.reopened")
    assert (event.from_state, event.to_state, event.reason) == (Status.SUBMITTED, Status.REOPENED, "Budsjettet mangler lønnskostnader.")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    confirmed = Membership.objects.filter(organisation=application.organisation, removed_at=None).exclude(confirmed_at=None)
    assert sorted(mail.to) == sorted(m.user.email for m in confirmed)
    assert applicant_of(application).email in mail.to
    assert application.case_number in mail.subject
    assert mail.body.index("Dette mangler") < mail.body.index("What is missing")
    assert "Budsjettet mangler lønnskostnader." in mail.body
    assert f"https://tilskudd.example.no/soknader/{application.pk}/" in mail.body  # straight to the form


@pytest.mark.parametrize(
    ("message", "days", "expected"),
    [("", 7, "Skriv hva søkeren må komplettere."), ("Mangler vedlegg.", -1, "Fristen for komplettering må være fram i tid.")],
)
def test_request_completion_refuses_without_message_or_with_a_past_deadline(casework_world, message, days, expected):
    case = _case(casework_world)
    with pytest.raises(services.CaseworkRefused) as refused:
        services.request_completion(casework_world.staff["caseworker"], case.pk, message, timezone.now() + dt.timedelta(days=days))
    assert refused.value.reason_nb == expected
    assert Application.objects.get(pk=case.application_id).status == Status.SUBMITTED


def _resubmit(application):
    """The applicant edits, signs and submits the reopened application through the portal's services."""
    applicant = applicant_of(application)
    application.refresh_from_db()
    budget = dict(application.content["budget"])
    budget["lines"] = [*budget["lines"], {"category": budget["lines"][0]["category"], "description": "Lønn", "amount": 1}]
    budget["amount_applied"] += 1  # the financing plan still adds up to the costs (issue #10, point 7)
    application = application_services.save_draft(applicant, application.pk, {"budget": budget}, application.revision)
    application_services.sign(applicant, application.pk, application.revision)
    return application_services.submit(applicant, application.pk)


def test_completion_round_trip_after_the_calls_deadline(casework_world, monkeypatch):
    caseworker = casework_world.staff["caseworker"]
    case = _case(casework_world, C2, 1)
    call = case.application.call
    call.deadline = timezone.now() - dt.timedelta(days=1)  # the call has closed
    call.save(update_fields=["deadline"])
    services.request_completion(caseworker, case.pk, "Legg til lønnskostnader.", timezone.now() + dt.timedelta(days=5))
    result = _resubmit(Application.objects.get(pk=case.application_id))
    assert result.created and result.application.status == Status.SUBMITTED
    assert Case.objects.filter(application=result.application).count() == 1
    assert "case.completed" in _actions(case)
    services.accept(caseworker, case.pk)
    assert Application.objects.get(pk=case.application_id).status == Status.IN_ASSESSMENT


def test_completion_after_the_completion_deadline_is_refused(casework_world, monkeypatch):
    case = _case(casework_world, C2, 1)
    until = timezone.now() + dt.timedelta(days=5)
    services.request_completion(casework_world.staff["caseworker"], case.pk, "Legg til lønnskostnader.", until)
    later = until + dt.timedelta(minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    with pytest.raises(application_services.SubmissionRefused) as refused:
        _resubmit(Application.objects.get(pk=case.application_id))
    assert "Søknadsfristen gikk ut" in refused.value.reason_nb
    assert Application.objects.get(pk=case.application_id).status == Status.REOPENED


def test_propose_rejection_prepares_a_rejection_decision(casework_world):
    from tilskudd.grants.models import Decision

    caseworker = casework_world.staff["caseworker"]
    case = _case(casework_world)
    services.propose_rejection(caseworker, case.pk, "Søkeren er ikke en kommune.")
    case.refresh_from_db()
    assert (case.screening, case.screening_note) == (ScreeningOutcome.REJECTION_PROPOSED, "Søkeren er ikke en kommune.")
    decision = Decision.objects.get(application=case.application)
    assert (decision.kind, decision.reasons, decision.prepared_by) == ("rejection", "Søkeren er ikke en kommune.", caseworker)
    # not final until approved and published: the application is still submitted
    assert Application.objects.get(pk=case.application_id).status == Status.SUBMITTED
    assert "case.rejection_proposed" in _actions(case)
    with pytest.raises(services.CaseworkRefused):  # one active decision at a time; nothing changes
        services.propose_rejection(caseworker, case.pk, "Igjen.")
    assert Decision.objects.filter(application=case.application).count() == 1


def test_propose_rejection_needs_reasons(casework_world):
    case = _case(casework_world)
    with pytest.raises(services.CaseworkRefused) as refused:
        services.propose_rejection(casework_world.staff["caseworker"], case.pk, "  ")
    assert refused.value.reason_en == "Write why the application should be rejected."


def test_assign_caseworker_only_to_a_caseworker_of_the_grantor(casework_world):
    caseworker = casework_world.staff["caseworker"]
    case = _case(casework_world)
    services.assign_caseworker(casework_world.staff["administrator"], case.pk, caseworker)
    case.refresh_from_db()
    assert case.caseworker == caseworker
    services.assign_caseworker(caseworker, case.pk, caseworker)  # unchanged: no second event
    assert _actions(case).count("case.assigned") == 1
    with pytest.raises(services.CaseworkRefused):
        services.assign_caseworker(caseworker, case.pk, casework_world.staff["assessor1"])
    with pytest.raises(services.CaseworkRefused):
        services.assign_caseworker(caseworker, case.pk, casework_world.bergen_staff["caseworker"])
    with pytest.raises(RoleMissing):
        services.assign_caseworker(casework_world.staff["approver"], case.pk, caseworker)
