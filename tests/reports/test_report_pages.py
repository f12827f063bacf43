"""The report pages (issue #12, point 3): the grantee's duties and form, delivery by the signatory, the receipt,
and the caseworker's reading of a delivered report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.helpers import login_verified
from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.reports.helpers import DECIDED, accepted_grant, frozen_clock
from tests.staff_world import C0, C2, build_world
from tilskudd.orgs.models import Membership
from tilskudd.reports.models import Report, ReportingDuty
from tilskudd.reports.states import DutyStatus


def _world():
    """C0 and C2, and the C0 grant every test reads, decided and accepted once for the module (issue #9 point 7)."""
    world = build_world((C0, C2))
    with frozen_clock() as freeze:
        grant = accepted_grant(world, freeze, C0, 200_000)
    return {"world": world, "grant": grant}


report_pages_world_built = shared_world(_world, name="report_pages_world_built")


@pytest.fixture
def built(report_pages_world_built, db):
    return fresh(report_pages_world_built)


@pytest.fixture
def world(built):
    return built["world"]


@pytest.fixture
def grant(built, freeze_now):
    """A C0 grant of NOK 200 000 accepted on 3 June 2019 (the clock stands there); the status report is due
    1 September 2019."""
    freeze_now(DECIDED[C0])
    return built["grant"]


def _url(grant, duty=None, tail=""):
    base = f"/soknader/{grant.application.pk}/rapporter/"
    return base + (f"{duty.pk}/{tail}" if duty else "")


def _status_report(grant):
    return ReportingDuty.objects.get(grant=grant, kind="status_report")


def test_the_duties_list_shows_each_duty_its_due_day_and_status(client, grant):
    client.force_login(applicant_of(grant.application))
    page = client.get(_url(grant)).content.decode()
    assert "Statusrapport om gjennomføringen av prosjektet" in page and "01.09.2019" in page
    assert "Tilskuddsrapport" in page and "01.02.2020" in page and "Ikke levert" in page


def test_an_overdue_duty_says_so_from_the_oslo_day(client, grant, freeze_now):
    freeze_now(dt.datetime(2019, 9, 2, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))))  # 2 September in Oslo
    client.force_login(applicant_of(grant.application))
    assert "fristen er passert" in client.get(_url(grant)).content.decode()


def test_the_signatory_fills_in_and_delivers_and_gets_the_receipt(client, grant):
    duty = _status_report(grant)
    client.force_login(applicant_of(grant.application))
    page = client.get(_url(grant, duty)).content.decode()
    assert "Hvordan går gjennomføringen av prosjektet?" in page and "Antall deltakere" in page
    response = client.post(
        _url(grant, duty),
        {"answers.progress": "Kursene er i gang.", "answers.participants": "32", "answers.activities": ""},
    )
    assert response.status_code == 302
    report = Report.objects.get(duty=duty)
    assert report.answers == {"progress": "Kursene er i gang.", "participants": 32}
    page = client.get(_url(grant, duty)).content.decode()
    assert report.content_hash in page and "Levert" in page
    receipt = client.get(_url(grant, duty, "kvittering.pdf"))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert b"".join(receipt.streaming_content).startswith(b"%PDF")
    # Posting the same again (a double click) makes no second report.
    client.post(_url(grant, duty), {"answers.progress": "Kursene er i gang.", "answers.participants": "32"})
    assert Report.objects.filter(duty=duty).count() == 1


def test_a_number_that_is_not_one_is_a_400_beside_the_field_and_nothing_is_delivered(client, grant):
    duty = _status_report(grant)
    client.force_login(applicant_of(grant.application))
    response = client.post(_url(grant, duty), {"answers.progress": "Bra.", "answers.participants": "mange"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Skriv et helt tall." in page and 'id="error-summary"' in page and 'value="mange"' in page
    assert not Report.objects.exists() and _status_report(grant).status == DutyStatus.OPEN


def test_a_missing_required_answer_is_a_400_with_its_label(client, grant):
    duty = _status_report(grant)
    client.force_login(applicant_of(grant.application))
    response = client.post(_url(grant, duty), {"answers.progress": "", "answers.participants": "3"})
    assert response.status_code == 400
    assert "«Hvordan går gjennomføringen av prosjektet?» må fylles ut." in response.content.decode()


def test_a_member_sees_why_and_cannot_deliver(client, grant, django_user_model):
    member = django_user_model.objects.create_user(email="m@kommune.example", password="x" * 16, full_name="M")
    Membership.objects.create(
        user=member, organisation=grant.application.organisation, role="member", confirmed_at=timezone.now()
    )
    duty = _status_report(grant)
    client.force_login(member)
    page = client.get(_url(grant, duty)).content.decode()
    assert "Bare den som har signaturrett" in page and 'id="report-form"' not in page
    response = client.post(_url(grant, duty), {"answers.progress": "Bra.", "answers.participants": "3"})
    assert response.status_code == 403 and not Report.objects.exists()


def test_another_organisation_gets_404(client, grant, world):
    other = next(a for a in world.applications[C2] if a.organisation_id != grant.application.organisation_id)
    client.force_login(applicant_of(other))
    duty = _status_report(grant)
    assert client.get(_url(grant)).status_code == 404
    assert client.get(_url(grant, duty)).status_code == 404


def test_the_caseworker_reads_the_delivered_report_and_another_grantor_gets_404(client, grant, world):
    duty = _status_report(grant)
    client.force_login(applicant_of(grant.application))
    client.post(_url(grant, duty), {"answers.progress": "Kursene er i gang.", "answers.participants": "32"})
    report = Report.objects.get(duty=duty)
    client.logout()
    login_verified(client, world.staff["caseworker"])
    page = client.get(f"/saksbehandling/rapporter/{report.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kursene er i gang." in text and report.content_hash in text and "Antall deltakere" in text
    client.logout()
    login_verified(client, world.bergen_staff["caseworker"])
    assert client.get(f"/saksbehandling/rapporter/{report.pk}/").status_code == 404


def test_the_grant_timeline_shows_the_duties_due(client, grant):
    client.force_login(applicant_of(grant.application))
    page = client.get(f"/soknader/{grant.application.pk}/tilskudd/").content.decode()
    assert "Frist: Statusrapport om gjennomføringen av prosjektet" in page
