"""Carry-over of unused funds in a C1 multi-year grant (issue #12, point 6; C1-R12).

The grantee's signatory asks on /soknader/<pk>/tilskudd/endring/ (signed with a content hash); a caseworker of
the grantor consents or refuses on /saksbehandling/endringer/<id>/ with a letter the grantee downloads. Consent
changes the grant: a C1 carry-over is held in next year's allocation line and commitment (within next year's
frame), a C2 change of use is written into the conditions on the grant page.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.accounts.helpers import login_verified
from tests.amendments.helpers import grant_events, pdf_text, request_page, visible_text
from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.grants.grant_helpers import publish_decision, staff_of
from tests.payments.payment_helpers import accept
from tests.staff_world import C0, build_world
from tilskudd.amendments import services
from tilskudd.amendments.models import AmendmentRequest
from tilskudd.amendments.states import AmendmentStatus
from tilskudd.grants.allocation import frames
from tilskudd.grants.models import AllocationLine, Grant

C1 = "fag-og-yrkesopplaering-2025"


def _c1_world():
    """C0 and C1, and the C1 grant every test reads, decided and accepted once for the module (issue #9 point 7)."""
    world = build_world((C0, C1))
    application = world.applications[C1][0]
    decision = publish_decision(world, application, amount=100_000, later_years={"2026": 80_000})
    return {"world": world, "grant": accept(decision.grant, dt.date(2025, 3, 1))}


c1_built = shared_world(_c1_world, name="c1_built")


@pytest.fixture
def built(c1_built, db):
    return fresh(c1_built)


@pytest.fixture
def c1_grant(built):
    """An accepted C1 grant of NOK 100 000 for 2025, a multi-year project with a commitment of 80 000 for 2026."""
    grant = built["grant"]
    grant.staff = staff_of(built["world"], grant.application)
    return grant


def test_c1_carry_over_consented_is_held_in_next_years_line_with_a_letter(c1_grant, client):
    signatory = applicant_of(c1_grant.application)
    client.force_login(signatory)
    text = visible_text(client.get(request_page(c1_grant)).content.decode())
    assert "Flerårige prosjekter kan søke om å overføre ubrukte midler fra 2025 til 2026." in text  # the call's words

    response = client.post(
        request_page(c1_grant), {"kind": "carry_over", "amount": "25 000", "reason": "Kurset ble flyttet."}
    )
    assert response.status_code == 302
    amendment = AmendmentRequest.objects.get(grant=c1_grant)
    assert (amendment.status, amendment.amount, amendment.to_year) == (AmendmentStatus.REQUESTED, 25_000, 2026)
    assert amendment.requested_by == signatory and amendment.capacity == "signatory"
    assert len(amendment.content_hash) == 64
    assert grant_events(c1_grant, "grant.amendment_requested").get().data["hash"] == amendment.content_hash
    line_before = AllocationLine.objects.get(application=c1_grant.application, year=2026).amount

    caseworker = c1_grant.staff["caseworker"]
    login_verified(client, caseworker)
    staff_page = visible_text(client.get(f"/saksbehandling/endringer/{amendment.pk}/").content.decode())
    assert "Kurset ble flyttet." in staff_page and "25 000" in staff_page
    response = client.post(
        f"/saksbehandling/endringer/{amendment.pk}/svar/",
        {"answer": "consent", "answer_reason": "Prosjektet er flerårig, og beløpet står i regnskapet for 2025."},
    )
    assert response.status_code == 302
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.CONSENTED and amendment.decided_by == caseworker
    assert AllocationLine.objects.get(application=c1_grant.application, year=2026).amount == line_before + 25_000
    grant = Grant.objects.get(pk=c1_grant.pk)
    assert grant.later_years == {"2026": 105_000} and grant.amount == 100_000
    assert services.carried_over(grant, 2026) == 25_000
    event = grant_events(grant, "grant.amendment_consented").get()
    assert event.audience == "applicant" and event.data["line_after"] == line_before + 25_000

    client.force_login(signatory)
    page = client.get(f"/soknader/{grant.application_id}/tilskudd/").content.decode()
    assert "105 000" in visible_text(page)  # next year's commitment on the grant page
    letter = client.get(request_page(grant) + f"{amendment.pk}/brev.pdf")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    pdf = pdf_text(b"".join(letter.streaming_content))
    assert "Vedtak om overføring av ubrukte midler" in pdf
    assert "Vi gir samtykke" in pdf and "25 000" in pdf and "2026" in pdf
    assert "beløpet står i regnskapet for 2025" in pdf
    assert caseworker.get_full_name() in pdf
    assert "Klagerett" in pdf


def test_a_carry_over_beyond_next_years_frame_is_refused_with_the_frames_words(c1_grant, client):
    signatory = applicant_of(c1_grant.application)
    amendment = services.request_carry_over(signatory, c1_grant.pk, 25_000, "Kurset ble flyttet.")
    application = c1_grant.application
    used = AllocationLine.objects.get(application=application, year=2026).amount
    frames.set_frame(
        c1_grant.staff["approver"], application.call, application.case.grantor_org_number, "", 2026, used + 10_000
    )
    login_verified(client, c1_grant.staff["caseworker"])
    response = client.post(
        f"/saksbehandling/endringer/{amendment.pk}/svar/", {"answer": "consent", "answer_reason": "Greit."}
    )
    assert response.status_code == 409
    text = visible_text(response.content.decode())
    # The application's own 80 000 for 2026 is its room too: 90 000 left for it, 105 000 asked.
    assert "Det er bare 90 000 kr igjen i rammen for hele utlysningen i 2026, og det ble bedt om 105 000 kr." in text
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.REQUESTED and not amendment.letter
    assert AllocationLine.objects.get(application=application, year=2026).amount == used
    assert Grant.objects.get(pk=c1_grant.pk).later_years == {"2026": 80_000}


def test_bad_input_is_a_400_beside_the_field_and_saves_nothing(c1_grant, client):
    client.force_login(applicant_of(c1_grant.application))
    for data, field in (
        ({"kind": "carry_over", "amount": "12,50", "reason": "x"}, "carry_over-amount-error"),
        ({"kind": "carry_over", "amount": "900000", "reason": "x"}, "carry_over-amount-error"),
        ({"kind": "carry_over", "amount": "1000", "reason": ""}, "carry_over-reason-error"),
        ({"kind": "nonsense"}, ""),
    ):
        response = client.post(request_page(c1_grant), data)
        assert response.status_code == 400, data
        assert field in response.content.decode()
    assert not AmendmentRequest.objects.filter(grant=c1_grant).exists()
