"""What the applicant sees of casework (issue #8, point 2): a whole case, step by step.

After each step the applicant's history, application page, Min side, e-mails and API are read
together; none shows the screening note, the assessors' scores or reasons, the lock's note, the
allocation's explanation or the decision's reasons before the decision is published, nor an
outcome. After publication the outcome is there. The grantor's casework page still shows it all.
"""

from __future__ import annotations

import json

import pytest
from django.core import mail

from tilskudd.api.auth import issue_token
from tilskudd.assessment import services as assessment
from tilskudd.audit.models import AuditEvent
from tilskudd.audit.services import Audience
from tilskudd.casework import services as casework
from tilskudd.grants.allocation import frames
from tilskudd.grants.decisions import services as grants
from tilskudd.orgs.models import Membership
from tests.accounts.helpers import login_verified
from tests.casework.helpers import applicant_of
from tests.staff_world import C0
from tests.web.conftest import visible_text

SCREENING_NOTE = "Screeningnotat-internt-7Q"
SCORE_REASON = "Skårbegrunnelse-intern-7Q"
ASSESSOR_COMMENT = "Vurdererkommentar-intern-7Q"
LOCK_NOTE = "Låsenotat-internt-7Q"
ALLOCATION_NOTE = "Fordelingsforklaring-intern-7Q"
REFUSAL_REASONS = "Avslagsgrunn-7Q: tiltaket når ikke målgruppen."
INTERNAL_ACTIONS = ("case.", "assessment.", "allocation.", "frame.", "decision.prepared", "decision.approved")


def everything_the_applicant_sees(application, applicant_client, api_client, secret) -> dict[str, str]:
    """The applicant's pages, API answer and e-mails, as text, by where they were seen."""
    pages = {
        "history": f"/soknader/{application.pk}/historikk/",
        "application": f"/soknader/{application.pk}/signer/",
        "min side": "/min-side/",
    }
    seen = {}
    for name, url in pages.items():
        response = applicant_client.get(url, follow=True)
        assert response.status_code == 200, (name, response.status_code)
        seen[name] = visible_text(response.content.decode())
    answer = api_client.get(f"/api/v1/applications/{application.pk}", secure=True, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200
    seen["api"] = json.dumps(answer.json(), ensure_ascii=False)
    people = set(
        Membership.objects.filter(organisation=application.organisation).values_list("user__email", flat=True)
    ) | {application.organisation.email}
    seen["e-mail"] = "\n".join(
        f"{message.subject}\n{message.body}" for message in mail.outbox if set(message.to) & people
    )
    return seen


def assert_nothing_internal(seen: dict[str, str], *, also: tuple[str, ...] = ()):
    for where, text in seen.items():
        for secret in (SCREENING_NOTE, SCORE_REASON, ASSESSOR_COMMENT, LOCK_NOTE, ALLOCATION_NOTE, *also):
            assert secret not in text, f"{secret!r} shown to the applicant in {where}"
    for action in INTERNAL_ACTIONS:
        assert action not in seen["history"], f"{action} in the applicant's history"


def assert_no_outcome(seen: dict[str, str]):
    assert_nothing_internal(seen, also=(REFUSAL_REASONS,))
    for where in ("history", "application", "min side"):
        for outcome in ("Avslått", "Avslag", "Innvilget", "Vedtak:"):
            assert outcome not in seen[where], f"{outcome!r} shown in {where} before publication"
    assert '"status": "in_assessment"' in seen["api"] and '"decision": null' in seen["api"]


@pytest.mark.django_db
def test_the_applicant_sees_no_casework_until_the_decision_is_published(
    casework_world, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.test import Client

    settings.MEDIA_ROOT = tmp_path
    world = casework_world
    staff = world.staff
    application = world.applications[C0][0]
    case = application.case
    call = world.calls[C0]
    administrator = Membership.objects.get(organisation=application.organisation, role="administrator").user
    secret = issue_token(administrator, application.organisation, "Sak/arkiv").secret
    client.force_login(applicant_of(application))
    api_client = Client()
    mail.outbox.clear()

    def sees():
        return everything_the_applicant_sees(application, client, api_client, secret)

    # Submitted (by the demo, through the portal's services): the applicant's own steps are there.
    seen = sees()
    assert "Søknaden ble sendt inn" in seen["history"]
    assert_nothing_internal(seen)

    # Screening: accepted with a note of the caseworker's own.
    with django_capture_on_commit_callbacks(execute=True):
        casework.accept(staff["caseworker"], case.pk, note=SCREENING_NOTE)
    seen = sees()
    assert "Søknaden ble tatt til vurdering" in seen["history"]
    assert '"status": "in_assessment"' in seen["api"]
    assert_nothing_internal(seen)

    # Assessment: two assessors score with reasons; the approver locks with a note.
    with django_capture_on_commit_callbacks(execute=True):
        assignments = assessment.assign(staff["caseworker"], case.pk, [staff["assessor1"].pk, staff["assessor2"].pk])
        for assignment, purpose in zip(assignments, (5, 3), strict=True):
            person = assignment.assessor
            assessment.declare(person, assignment.pk, disqualified=False)
            values = {"purpose": (purpose, SCORE_REASON), "capacity": (4, SCORE_REASON), "transfer_value": (None, SCORE_REASON)}
            assessment.save_scores(person, assignment.pk, values, 400_000, ASSESSOR_COMMENT)
            assessment.complete(person, assignment.pk)
        assessment.lock(staff["approver"], case.pk, None, LOCK_NOTE)
    assert_nothing_internal(sees())

    # Allocation within a frame, with the caseworker's explanation.
    year = grants.call_year(application)
    with django_capture_on_commit_callbacks(execute=True):
        frames.set_frame(staff["administrator"], call, world.imdi.org_number, "", year, 5_000_000)
        frames.set_allocation(staff["caseworker"], application.pk, year, 300_000, explanation_nb=ALLOCATION_NOTE)
    assert_no_outcome(sees())

    # A refusal prepared with its reasons, then approved: still nothing for the applicant.
    with django_capture_on_commit_callbacks(execute=True):
        decision = grants.prepare_decision(staff["caseworker"], application.pk, kind="refusal", reasons=REFUSAL_REASONS)
    assert_no_outcome(sees())
    with django_capture_on_commit_callbacks(execute=True):
        grants.approve(staff["approver"], decision.pk)
    assert_no_outcome(sees())

    # Published: the outcome is in the history, the pages, the e-mail and the API.
    with django_capture_on_commit_callbacks(execute=True):
        grants.publish(staff["approver"], call, world.imdi.org_number)
    seen = sees()
    assert_nothing_internal(seen)
    assert "Vedtak: søknaden ble avslått" in seen["history"]
    assert "Avslått" in seen["application"]
    assert '"status": "refused"' in seen["api"] and '"kind": "refusal"' in seen["api"]
    assert seen["e-mail"], "the applicant is told of the decision by e-mail"
    outcome = AuditEvent.objects.get(subject_type="application", subject_id=str(application.pk), action="application.refused")
    assert outcome.audience == Audience.APPLICANT and outcome.data["kind"] == "refusal"

    # The grantor's caseworker still sees the whole case history.
    staff_client = Client()
    login_verified(staff_client, staff["caseworker"])
    page = visible_text(staff_client.get(f"/saksbehandling/saker/{case.pk}/", secure=True, follow=True).content.decode())
    assert SCREENING_NOTE in page


@pytest.mark.django_db
def test_internal_events_are_marked_internal_where_they_are_written(casework_world):
    application = casework_world.applications[C0][1]
    casework.accept(casework_world.staff["caseworker"], application.case.pk, note=SCREENING_NOTE)
    events = AuditEvent.objects.filter(reason=SCREENING_NOTE)
    assert events.exists()
    assert set(events.values_list("audience", flat=True)) == {Audience.INTERNAL}
    accepted = AuditEvent.objects.get(subject_type="application", subject_id=str(application.pk), action="application.accepted")
    assert accepted.audience == Audience.APPLICANT and accepted.reason == ""
