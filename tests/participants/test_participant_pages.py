"""The participant pages (C0-R12): the grantee adds participants; the case's caseworker reads them with a reason."""

from __future__ import annotations

from django.urls import reverse

from tests.accounts.helpers import login_verified
from tests.casework.helpers import applicant_of
from tests.participants.helpers import area_1_duty, kari
from tests.staff_world import C0
from tilskudd.audit.models import AuditEvent
from tilskudd.participants import services
from tilskudd.participants.models import ParticipantRecord
from tilskudd.reports import services as report_services


def _grantee_url(duty):
    return reverse("participants:grantee", args=[duty.grant.application.pk, duty.pk])


def test_the_signatory_adds_a_participant_and_bad_input_is_a_400_that_stores_nothing(world, freeze_now, client):
    duty = area_1_duty(world, freeze_now)
    login_verified(client, applicant_of(duty.grant.application))
    page = client.get(_grantee_url(duty))
    assert page.status_code == 200 and "Legg til en deltaker" in page.content.decode()
    bad = client.post(_grantee_url(duty), {"name": "", "birth_year": "nitten", "activity": "x", "outcome": "y"})
    assert bad.status_code == 400 and not ParticipantRecord.objects.exists()
    body = bad.content.decode()
    assert 'id="name-error"' in body and 'id="birth_year-error"' in body and 'id="informed_at-error"' in body
    good = client.post(
        _grantee_url(duty),
        {
            "name": "Kari Nordmann",
            "birth_year": "1990",
            "activity": "Språkpraksis",
            "outcome": "Jobb",
            "informed_at": "2019-06-01",
        },
    )
    assert good.status_code == 302 and ParticipantRecord.objects.filter(duty=duty).count() == 1
    assert "Registrerte deltakere: 1" in client.get(_grantee_url(duty)).content.decode()
    assert report_services.can_deliver(applicant_of(duty.grant.application), duty)
    report_page = client.get(reverse("reports:duty", args=[duty.grant.application.pk, duty.pk])).content.decode()
    assert f'href="{_grantee_url(duty)}"' in report_page


def test_the_caseworker_reads_with_a_reason_that_is_logged_and_others_are_kept_out(world, freeze_now, client):
    duty = area_1_duty(world, freeze_now)
    services.add_participant(applicant_of(duty.grant.application), duty.pk, kari())
    url = reverse("participants:staff", args=[duty.pk])
    login_verified(client, world.staff["caseworker"])
    page = client.get(url)
    assert page.status_code == 200 and "Kari" not in page.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    shown = client.post(url, {"reason": "Kontroll av individrapporten"})
    assert shown.status_code == 200 and "Kari Nordmann" in shown.content.decode()
    event = AuditEvent.objects.get(action="participant.data_read")
    assert event.reason == "Kontroll av individrapporten" and event.actor_id == world.staff["caseworker"].pk
    client.logout()
    login_verified(client, world.staff["approver"])  # IMDi's staff, not the case's caseworker
    assert client.post(url, {"reason": "Kontroll av individrapporten"}).status_code == 403
    client.logout()
    other = next(a for a in world.applications[C0] if a.organisation_id != duty.grant.application.organisation_id)
    login_verified(client, applicant_of(other))  # a third party
    assert client.get(_grantee_url(duty)).status_code == 404
    assert client.post(_grantee_url(duty), {"reason": "Jeg vil se hvem som deltar"}).status_code == 404
    assert AuditEvent.objects.filter(action="participant.data_read").count() == 1
