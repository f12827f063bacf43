"""Issue #11's browser walks on the demo: the chair of Foreningen Trygg Oppvekst accepts IMDi's grant and a member
sees why she cannot; IMDi's caseworker prepares a payment batch, the approver approves it and downloads the
pain.001 (valid against the official XSD); the refused applicant of Bergen kommune complains and Bergen's second
caseworker forwards the complaint to IMDi. axe-core checks every page visited.

The decisions are made with the services beforehand (the casework walks are in test_issue_4_walks.py); each test
gets the demo back from its snapshot, so nothing here reaches another walk.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.browser.casework_steps import follow, press, staff_page, visit
from tests.browser.conftest import log_in
from tests.browser.walks import C2, CHAIR, demo_world, trygg_grant
from tests.complaints.helpers import decide
from tests.payments.conftest import assert_valid
from tilskudd.applications.models import Application
from tilskudd.complaints.models import Complaint
from tilskudd.demo import casework
from tilskudd.demo.data import DEMO_PASSWORD
from tilskudd.grants.awards import acceptance
from tilskudd.grants.models import Grant
from tilskudd.grants.states import GrantStatus
from tilskudd.payments import services as payments
from tilskudd.payments.models import PaymentBatch
from tilskudd.payments.states import BatchStatus

pytestmark = pytest.mark.django_db(transaction=True)

LANDAAS = "935172322"
MEMBER = "medlem@tryggoppvekst.example"


def test_the_chair_accepts_the_grant_and_a_member_sees_why_she_cannot(demo, page, new_page):
    grant = trygg_grant(demo_world())
    path = f"/soknader/{grant.application_id}/tilskudd/"

    # The member reads the offer, who can answer, and finds no form to accept with.
    log_in(page, MEMBER, DEMO_PASSWORD)
    visit(page, path)
    refused = page.locator("#answer-refused")
    assert "Bare den som har signaturrett" in refused.inner_text()
    assert page.locator("#signatories").get_by_text("Tale Trygg").is_visible()
    assert page.get_by_role("button", name="Aksepter tilskuddet og vilkårene").count() == 0

    # The chair opens the grant, ticks the box and accepts.
    chair = new_page()
    log_in(chair, CHAIR, DEMO_PASSWORD)
    visit(chair, path)
    assert chair.locator("#grant-amount").inner_text() == "150\u00a0000\u00a0kr"
    press(chair, "Aksepter tilskuddet og vilkårene")  # without the box: told so, nothing changes
    assert "Kryss av for at du har lest vilkårene" in chair.get_by_role("main").inner_text()
    assert Grant.objects.get(pk=grant.pk).status == GrantStatus.OFFERED
    chair.get_by_label("Jeg har lest vilkårene og aksepterer dem på vegne av Foreningen Trygg Oppvekst").check()
    press(chair, "Aksepter tilskuddet og vilkårene")
    assert chair.get_by_role("heading", name="Akseptert", exact=True).is_visible()
    assert chair.get_by_text("Tale Trygg (styreleder)").is_visible()
    assert Grant.objects.get(pk=grant.pk).status == GrantStatus.ACCEPTED


def test_the_approver_approves_a_payment_batch_and_downloads_the_pain001(demo, new_page, live_server):
    world = demo_world()
    grant = trygg_grant(world)
    chair = get_user_model().objects.get(email=CHAIR)
    acceptance.accept(chair, grant.pk, acceptance.terms_hash(grant))
    # The terms due today: the first on acceptance; the autumn term only when the demo's C2 year (which moves with
    # the demo deadline, issue #13 point 11) has reached 1 September.
    terms = list(payments.due_terms(world.imdi.org_number, timezone.localdate()).filter(grant=grant))
    later = [term for term in grant.terms.order_by("number") if term not in terms]
    assert terms and terms[0].number == 1
    case_number = grant.application.case_number

    # IMDi's caseworker chooses the due terms and prepares a batch; she cannot approve it.
    siri = staff_page(new_page, live_server, "saksbehandler@imdi.example")
    visit(siri, f"/saksbehandling/utbetalinger/{world.imdi.pk}/")
    for term in terms:
        siri.get_by_label(f"Velg termin {term.number} {case_number}").check()
    press(siri, "Klargjør betalingsoppdrag")
    batch = PaymentBatch.objects.get()
    assert siri.get_by_role("heading", level=1).inner_text() == f"Betalingsoppdrag {batch.message_id}"
    assert siri.get_by_role("button", name="Godkjenn").count() == 0

    # The approver approves it and downloads the bank's file: valid pain.001.001.09, the due terms and their sum.
    bjorn = staff_page(new_page, live_server, "beslutter@imdi.example")
    visit(bjorn, f"/saksbehandling/utbetalinger/oppdrag/{batch.pk}/")
    press(bjorn, "Godkjenn")
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.APPROVED
    with bjorn.expect_download() as download:
        bjorn.get_by_role("link", name="Last ned betalingsfil (ISO 20022 pain.001)").click()
    assert download.value.suggested_filename == f"{batch.message_id}.xml"
    document = open(download.value.path(), "rb").read()  # noqa: SIM115 - Playwright's temporary file
    assert_valid("pain.001.001.09", document)
    assert f"<CtrlSum>{sum(term.amount for term in terms)}.00</CtrlSum>".encode() in document
    for term in terms:
        assert f"<EndToEndId>{case_number}-T{term.number}</EndToEndId>".encode() in document
    for term in later:
        assert f"<EndToEndId>{case_number}-T{term.number}</EndToEndId>".encode() not in document
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.EXPORTED


def test_the_refused_applicant_complains_and_bergens_other_caseworker_forwards_it(demo, page, new_page, live_server):
    application = Application.objects.get(call__slug=C2, organisation__org_number=LANDAAS)
    decide(demo_world(), application, kind="refusal")

    # Landås Nabolagsforening's signatory reads the refusal and complains.
    log_in(page, f"signatar.{LANDAAS}@demo.example", DEMO_PASSWORD)
    visit(page, f"/soknader/{application.pk}/signer/")
    follow(page, page.locator("#complain-button"))
    page.get_by_label("Hva mener dere er feil i vedtaket, og hvorfor?").fill("Bergen har misforstått målgruppen.")
    press(page, "Send klagen")
    complaint = Complaint.objects.get()
    assert page.url.endswith(f"/soknader/{application.pk}/klage/{complaint.pk}/")
    assert "Mottatt" in page.get_by_role("main").inner_text()

    # Bergen's caseworker who prepared the refusal cannot handle it; Kari, who did not decide, forwards it to IMDi.
    tone = staff_page(new_page, live_server, "tilskudd@bergen.example")
    visit(tone, f"/saksbehandling/klager/{complaint.pk}/")
    assert tone.locator("#decided-yourself").is_visible()
    assert tone.get_by_role("button", name="Send til klageinstansen").count() == 0
    kari = staff_page(new_page, live_server, "klage@bergen.example")
    visit(kari, "/saksbehandling/klager/")
    follow(kari, kari.get_by_role("link", name=application.case_number, exact=True))
    kari.get_by_label("Forvaltningens vurdering: hvorfor vedtaket ikke endres").fill("Vurdert etter kriteriene.")
    press(kari, "Send til klageinstansen")
    assert kari.locator("#complaint-bundle").is_visible()
    complaint.refresh_from_db()
    assert complaint.status == "forwarded" and complaint.appeal_body_org_number == casework.IMDI_ORG_NUMBER

    # The applicant sees the step on the complaint's page.
    visit(page, f"/soknader/{application.pk}/klage/{complaint.pk}/")
    assert "Klagen ble sendt til klageinstansen" in page.get_by_role("main").inner_text()
