"""Issue #11's «Done when», walked on the demo data with the services and the pages each person reads.

The demo (``load_demo``: IMDi's and Bergen kommune's staff, the passing examples submitted) is loaded with the
clock at 20 April 2020, Oslo time, so C2 (year 2020) is open and its autumn term falls due on 1 September:

* IMDi grants Foreningen Trygg Oppvekst (C2, sub-goals A and C) NOK 150 000; the chair accepts on the grant page;
  term 1 and, from 1 September, term 2 each go through a batch prepared by the caseworker and approved by the
  approver, a pain.001.001.09 valid against the official XSD, and a camt.054 that marks them paid: «Utbetalt».
* Bergen kommune refuses Landås Nabolagsforening (C2); a member complains in the portal, Bergen's second
  caseworker (who did not decide) forwards it to IMDi, IMDi records «upheld»; the applicant sees each step.
* IMDi grants a C3 municipality, which accepts and is paid in one term; a C3 refusal has no complaint button and
  says why (C3-R10).
"""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from tests.accounts.helpers import login_verified
from tests.builders import fresh, shared_world
from tests.complaints.helpers import C3, decide
from tests.payments.conftest import assert_valid
from tests.payments.test_camt054 import camt_from
from tests.staff_world import C2, build_world
from tests.web.conftest import visible_text
from tilskudd.applications.models import Application
from tilskudd.casework import services as casework
from tilskudd.casework.access import RoleMissing
from tilskudd.complaints import services as complaints
from tilskudd.complaints.models import Complaint
from tilskudd.complaints.states import ComplaintStatus
from tilskudd.grants.awards import acceptance
from tilskudd.grants.models import Grant
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.payments import services as payments
from tilskudd.payments.iso20022 import pain001
from tilskudd.payments.models import PaymentBatch
from tilskudd.payments.states import BatchStatus

OSLO = ZoneInfo("Europe/Oslo")
NBSP = "\u00a0"
LOADED = dt.datetime(2020, 4, 20, 9, 0, tzinfo=OSLO)
KUNNSKAPSUTVEKSLING = "Delmål A og C: foreldrekurs i Oslo med kunnskapsutveksling i opprinnelseslandet"
CHAIR = "styreleder@tryggoppvekst.example"
MEMBER = "medlem@tryggoppvekst.example"
LANDAAS = "935172322"


def _demo_in_spring_2020():
    with mock.patch("django.utils.timezone.now", lambda: LOADED):
        return build_world((C2, C3))


after_the_decision_world = shared_world(_demo_in_spring_2020, name="after_the_decision_world")


@pytest.fixture
def world(after_the_decision_world, db):
    return fresh(after_the_decision_world)


def kr(amount: int) -> str:
    """An amount as the pages write it: «150 000 kr» with non-breaking spaces."""
    return f"{amount:,}".replace(",", NBSP) + f"{NBSP}kr"


def at(freeze_now, day: dt.date, hour: int = 10) -> None:
    freeze_now(dt.datetime.combine(day, dt.time(hour, 0), tzinfo=OSLO))


def person(email: str):
    return get_user_model().objects.get(email=email)


def text_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return visible_text(response.content.decode())


def pay_due_terms(world, freeze_now, client, grantor, grant: Grant, day: dt.date) -> PaymentBatch:
    """On ``day``: the caseworker batches the grant's due terms, the approver approves and downloads the pain.001
    (valid against the XSD), and the bank's camt.054 of the next day marks them paid. The batch back."""
    caseworker, approver = world.staff["caseworker"], world.staff["approver"]
    at(freeze_now, day, 9)
    due = list(payments.due_terms(grantor, day).filter(grant=grant))
    assert due, f"nothing of the grant is due on {day}"
    execution = day + dt.timedelta(days=2)
    batch = payments.prepare_batch(caseworker, grantor, [t.pk for t in due], execution)
    # four eyes: the caseworker who prepared it cannot approve it (no approver), IMDi's approver does
    with pytest.raises(RoleMissing):
        payments.approve_batch(caseworker, batch.pk)
    payments.approve_batch(approver, batch.pk)

    login_verified(client, approver)
    page = text_of(client, f"/saksbehandling/utbetalinger/oppdrag/{batch.pk}/")
    assert "Godkjent" in page and grant.application.case_number in page
    response = client.get(f"/saksbehandling/utbetalinger/oppdrag/{batch.pk}/pain001.xml")
    assert response.status_code == 200
    document = response.content
    assert_valid("pain.001.001.09", document)
    for term in due:
        assert (
            f"<EndToEndId>{pain001.end_to_end_id(grant.application.case_number, term.number)}</EndToEndId>".encode()
            in document
        )
        assert f'<InstdAmt Ccy="NOK">{term.amount}.00</InstdAmt>'.encode() in document
    assert b"<IBAN>NO9386011117947</IBAN>" in document  # IMDi's account (settings.PAYMENT_DEBTORS)

    at(freeze_now, execution + dt.timedelta(days=1), 8)
    report = payments.import_camt054(caseworker, grantor, camt_from(document, execution))
    assert report.paid == len(due) and report.problems == []
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SETTLED
    return batch


def test_imdi_grants_150_000_the_chair_accepts_and_it_is_paid_in_two_terms(world, client, freeze_now):
    imdi = world.imdi.org_number
    application = Application.objects.get(call=world.calls[C2], title=KUNNSKAPSUTVEKSLING)
    assert application.case.grantor_org_number == imdi

    # IMDi screens, assesses (the lock), and grants NOK 150 000, approved and published by its approver.
    at(freeze_now, dt.date(2020, 5, 4))
    casework.accept(world.staff["caseworker"], application.case.pk, "Komplett.")
    decision = decide(world, application, kind="grant", amount=150_000)
    grant = Grant.objects.get(decision=decision)
    assert grant.status == GrantStatus.OFFERED and grant.amount == 150_000
    assert [(t.number, t.amount, t.season) for t in grant.terms.order_by("number")] == [
        (1, 75_000, "spring"),
        (2, 75_000, "autumn"),
    ]
    assert not payments.due_terms(imdi, dt.date(2020, 5, 4)).filter(grant=grant).exists()  # nothing before acceptance

    # A member of the organisation sees the offer and why she cannot accept it; the chair accepts on the page.
    at(freeze_now, dt.date(2020, 5, 11), 14)
    page = f"/soknader/{application.pk}/tilskudd/"
    client.force_login(person(MEMBER))
    seen = text_of(client, page)
    assert "Venter på aksept" in seen and "Bare den som har signaturrett" in seen and "Tale Trygg" in seen
    refused = client.post(
        f"{page}svar/", {"answer": "accept", "confirm": "yes", "content_hash": acceptance.terms_hash(grant)}
    )
    assert refused.status_code == 403
    client.force_login(person(CHAIR))
    shown = re.search(r'name="content_hash" value="([0-9a-f]{64})"', client.get(page).content.decode()).group(1)
    accepted = client.post(f"{page}svar/", {"answer": "accept", "confirm": "yes", "content_hash": shown})
    assert accepted.status_code == 302
    seen = text_of(client, page)
    assert "Tilskuddet og vilkårene er akseptert" in seen and kr(150_000) in seen
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACCEPTED and grant.acceptance.signed_by == person(CHAIR)
    assert grant.acceptance.title == "styreleder"
    assert [t.due_on for t in grant.terms.order_by("number")] == [dt.date(2020, 5, 11), dt.date(2020, 9, 1)]

    # Term 1 in May: batch, approval, pain.001, camt.054.
    first = pay_due_terms(world, freeze_now, client, imdi, grant, dt.date(2020, 5, 11))
    assert first.orders.get().amount == 75_000
    grant.refresh_from_db()
    assert grant.status == GrantStatus.IN_PAYMENT
    client.force_login(person(CHAIR))
    seen = text_of(client, page)
    assert "Under utbetaling" in seen and "Utbetalt" in seen  # the grant being paid, term 1 paid
    assert not payments.due_terms(imdi, dt.date(2020, 8, 31)).filter(grant=grant).exists()  # term 2 waits for autumn

    # Term 2 from 1 September: its own batch, and the grant is paid out.
    second = pay_due_terms(world, freeze_now, client, imdi, grant, dt.date(2020, 9, 1))
    assert second.pk != first.pk and second.orders.get().end_to_end_id.endswith("-T2")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PAID_OUT
    assert [(t.status, t.paid_on) for t in grant.terms.order_by("number")] == [
        (TermStatus.PAID, dt.date(2020, 5, 13)),
        (TermStatus.PAID, dt.date(2020, 9, 3)),
    ]
    client.force_login(person(CHAIR))
    seen = text_of(client, page)
    assert "Utbetalt" in seen and "Under utbetaling" not in seen
    login_verified(client, world.staff["caseworker"])
    staff_seen = text_of(client, f"/saksbehandling/tilskudd/{grant.pk}/")
    assert "Utbetalt" in staff_seen and application.case_number in staff_seen


def test_bergen_refuses_a_member_complains_bergen_forwards_and_imdi_upholds(world, client, freeze_now):
    application = Application.objects.get(call=world.calls[C2], organisation__org_number=LANDAAS)
    assert application.case.grantor_org_number == world.bergen.org_number
    at(freeze_now, dt.date(2020, 5, 4))
    casework.accept(world.bergen_staff["caseworker"], application.case.pk, "Komplett.")
    decision = decide(world, application, kind="refusal")

    # The applicant sees the refusal with the complaint button, and complains within three weeks.
    at(freeze_now, dt.date(2020, 5, 12))
    signatory = person(f"signatar.{LANDAAS}@demo.example")
    client.force_login(signatory)
    page = client.get(f"/soknader/{application.pk}/signer/").content.decode()
    assert 'id="complain-button"' in page and "Klag på vedtaket" in visible_text(page)
    response = client.post(f"/soknader/{application.pk}/klage/", {"reasons": "Bergen har misforstått målgruppen."})
    complaint = Complaint.objects.get(decision=decision)
    assert response.status_code == 302 and not complaint.late
    assert complaint.deadline == dt.date(2020, 5, 25)  # published 4 May + three weeks (C2-R13)
    own = f"/soknader/{application.pk}/klage/{complaint.pk}/"
    seen = text_of(client, own)
    assert "Mottatt" in seen and "Klage ble sendt" in seen

    # The Bergen caseworker who decided cannot handle it; Bergen's second caseworker forwards it to IMDi.
    with pytest.raises(complaints.ComplaintRefused):
        complaints.forward(world.bergen_staff["caseworker"], complaint.pk, "Står.")
    at(freeze_now, dt.date(2020, 5, 15))
    kari = person("klage@bergen.example")
    login_verified(client, kari)
    assert application.case_number in text_of(client, "/saksbehandling/klager/")
    forwarded = client.post(
        f"/saksbehandling/klager/{complaint.pk}/", {"action": "forward", "note": "Vurdert etter kriteriene."}
    )
    assert forwarded.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.FORWARDED and complaint.handled_by == kari
    assert complaint.appeal_body_org_number == world.imdi.org_number
    client.force_login(signatory)
    assert "Klagen ble sendt til klageinstansen" in text_of(client, own)

    # IMDi, the appeal body for a municipality's C2 decision, records «upheld»; the applicant reads it.
    at(freeze_now, dt.date(2020, 6, 2))
    login_verified(client, world.staff["caseworker"])
    assert "Som klageinstans" in text_of(client, "/saksbehandling/klager/")
    upheld = client.post(
        f"/saksbehandling/klager/{complaint.pk}/",
        {"action": "appeal", "outcome": "upheld", "text": "IMDi opprettholder vedtaket."},
    )
    assert upheld.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.UPHELD
    client.force_login(signatory)
    seen = text_of(client, own)
    assert "Vedtaket ble opprettholdt" in seen and "IMDi opprettholder vedtaket." in seen


def test_a_c3_grant_is_accepted_and_paid_in_one_term_and_a_c3_refusal_cannot_be_complained_about(
    world, client, freeze_now
):
    imdi = world.imdi.org_number
    granted = Application.objects.get(call=world.calls[C3], organisation__name__contains="Søndre Nordstrand")
    refused = Application.objects.get(call=world.calls[C3], organisation__name="Bærum kommune")
    at(freeze_now, dt.date(2020, 5, 4))
    for application in (granted, refused):
        casework.accept(world.staff["caseworker"], application.case.pk, "Komplett.")
    grant = Grant.objects.get(decision=decide(world, granted, kind="grant", amount=300_000))
    decide(world, refused, kind="refusal")
    assert [(t.number, t.amount) for t in grant.terms.all()] == [(1, 300_000)]  # C3-R08: one term

    at(freeze_now, dt.date(2020, 5, 6))
    grant = acceptance.accept(
        grant.application.organisation.memberships.get(role="signatory").user, grant.pk, acceptance.terms_hash(grant)
    ).grant
    assert grant.status == GrantStatus.ACCEPTED
    pay_due_terms(world, freeze_now, client, imdi, grant, dt.date(2020, 5, 6))
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PAID_OUT

    # The refused municipality: no complaint button, and why (C3-R10, forvaltningsloven §§ 3 and 28).
    member = refused.organisation.memberships.get(role="signatory").user
    client.force_login(member)
    page = client.get(f"/soknader/{refused.pk}/signer/").content.decode()
    text = visible_text(page)
    assert 'id="complain-button"' not in page and "Klag på vedtaket" not in text
    assert "Dere har ikke klagerett på dette vedtaket." in text
    assert "Kommunene har ikke rett til å klage på avslag på tilskudd" in text
    posted = client.post(f"/soknader/{refused.pk}/klage/", {"reasons": "Vi klager likevel."})
    assert posted.status_code == 400 and not Complaint.objects.filter(decision__application=refused).exists()
