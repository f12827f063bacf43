"""The payment pages (issue #11, point 4): what the caseworker and the approver see and do, and bad input refused."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.accounts.helpers import login_verified
from tests.payments.conftest import assert_valid
from tests.payments.payment_helpers import accepted_grant, imdi_c2
from tests.payments.test_camt054 import camt_from
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.payments.models import PaymentBatch
from tilskudd.payments.states import BatchStatus

SPRING = dt.date(2026, 3, 2)


def at_spring(freeze_now):
    freeze_now(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))


def test_the_caseworker_prepares_and_the_approver_approves_and_downloads_the_pain001(
    casework_world, client, freeze_now
):
    world = casework_world
    at_spring(freeze_now)
    grant = accepted_grant(world, imdi_c2(world), 20_000, SPRING)
    term = grant.terms.get()
    grantor_page = f"/saksbehandling/utbetalinger/{world.imdi.pk}/"

    login_verified(client, world.staff["caseworker"])
    page = client.get(grantor_page, secure=True).content.decode()
    assert grant.application.case_number in page and 'name="terms"' in page
    # Nothing chosen: a 400 with the reason, nothing made.
    response = client.post(f"{grantor_page}oppdrag/", {"execution_date": "2026-03-04"}, secure=True)
    assert response.status_code == 400 and "Velg minst én termin" in response.content.decode()
    assert not PaymentBatch.objects.exists()
    response = client.post(f"{grantor_page}oppdrag/", {"terms": [term.pk], "execution_date": "2026-03-04"}, secure=True)
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/saksbehandling/utbetalinger/oppdrag/{batch.pk}/"
    page = client.get(response["Location"], secure=True).content.decode()
    assert "Til godkjenning" in page and 'id="approve"' not in page and "download-pain001" not in page

    client.logout()
    login_verified(client, world.staff["approver"])
    page = client.get(f"/saksbehandling/utbetalinger/oppdrag/{batch.pk}/", secure=True).content.decode()
    assert 'id="approve"' in page and "20 000" in page.replace("\xa0", " ")
    response = client.post(f"/saksbehandling/utbetalinger/oppdrag/{batch.pk}/godkjenn/", secure=True)
    assert response.status_code == 302
    page = client.get(f"/saksbehandling/utbetalinger/oppdrag/{batch.pk}/", secure=True).content.decode()
    assert "Godkjent" in page and "download-pain001" in page
    response = client.get(f"/saksbehandling/utbetalinger/oppdrag/{batch.pk}/pain001.xml", secure=True)
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    assert f'filename="{batch.message_id}.xml"' in response["Content-Disposition"]
    assert_valid("pain.001.001.09", response.content)
    again = client.get(f"/saksbehandling/utbetalinger/oppdrag/{batch.pk}/pain001.xml", secure=True)
    assert again.content == response.content
    batch.refresh_from_db()
    assert batch.status == BatchStatus.EXPORTED
    csv = client.get(f"/saksbehandling/utbetalinger/oppdrag/{batch.pk}/betalinger.csv", secure=True)
    assert csv.status_code == 200 and f"{grant.application.case_number}-T1".encode() in csv.content

    # The bank's file: a bad one is a 400 with the reason beside the field; the right one pays.
    upload = f"{grantor_page}bankfil/"
    bad = client.post(upload, {"file": SimpleUploadedFile("x.xml", b"<not xml")}, secure=True)
    body = bad.content.decode()
    assert bad.status_code == 400 and "ikke gyldig XML" in body and 'aria-invalid="true"' in body
    missing = client.post(upload, {}, secure=True)
    assert missing.status_code == 400 and "Velg filen fra banken" in missing.content.decode()
    good = client.post(
        upload, {"file": SimpleUploadedFile("camt.xml", camt_from(response.content, SPRING))}, secure=True
    )
    assert good.status_code == 200 and 'data-outcome="paid"' in good.content.decode()
    grant.refresh_from_db()
    term.refresh_from_db()
    assert grant.status == GrantStatus.PAID_OUT and term.status == TermStatus.PAID


def test_the_preparer_who_is_also_an_approver_is_told_why_she_cannot_approve(casework_world, client, freeze_now):
    from tilskudd.casework.models import Role, StaffRole  # noqa: PLC0415
    from tilskudd.payments import services  # noqa: PLC0415

    world = casework_world
    at_spring(freeze_now)
    grant = accepted_grant(world, imdi_c2(world), 20_000, SPRING)
    caseworker = world.staff["caseworker"]
    StaffRole.objects.create(user=caseworker, grantor=world.imdi, role=Role.APPROVER)
    batch = services.prepare_batch(caseworker, world.imdi.org_number, [grant.terms.get().pk], SPRING)
    login_verified(client, caseworker)
    page = client.get(f"/saksbehandling/utbetalinger/oppdrag/{batch.pk}/", secure=True).content.decode()
    assert 'id="own-batch"' in page and 'id="approve"' not in page
    response = client.post(f"/saksbehandling/utbetalinger/oppdrag/{batch.pk}/godkjenn/", secure=True)
    assert response.status_code == 409 and "fire øyne" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREPARED


def test_hold_and_release_redirect_back_and_a_hold_without_reason_is_a_400(casework_world, client, freeze_now):
    world = casework_world
    at_spring(freeze_now)
    grant = accepted_grant(world, imdi_c2(world), 20_000, SPRING)
    term = grant.terms.get()
    login_verified(client, world.staff["caseworker"])
    hold = f"/saksbehandling/utbetalinger/terminer/{term.pk}/hold-tilbake/"
    back = f"/saksbehandling/utbetalinger/{world.imdi.pk}/"
    assert client.post(hold, {"reason": " ", "next": back}, secure=True).status_code == 400
    term.refresh_from_db()
    assert term.status == TermStatus.PLANNED
    response = client.post(hold, {"reason": "Vilkår 2 er ikke oppfylt.", "next": back}, secure=True)
    assert response.status_code == 302 and response["Location"] == back
    page = client.get(back, secure=True).content.decode()
    assert "Vilkår 2 er ikke oppfylt." in page and 'id="nothing-due"' in page
    # A redirect elsewhere than this site is not followed.
    release = f"/saksbehandling/utbetalinger/terminer/{term.pk}/frigi/"
    response = client.post(release, {"next": "https://evil.example/"}, secure=True)
    assert response.status_code == 302 and response["Location"] == "/saksbehandling/utbetalinger/"
    term.refresh_from_db()
    assert term.status == TermStatus.PLANNED
