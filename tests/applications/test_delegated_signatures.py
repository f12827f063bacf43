"""A signature counts only while its maker may still sign: a revoked or expired delegation, or a
signatory who left, makes it count no more — at submission and on the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.applications.conftest import oslo, visible_text
from tilskudd.applications.models import Application
from tilskudd.audit.models import AuditEvent
from tilskudd.orgs import services as orgs
from tilskudd.orgs.models import Delegation, Membership

pytestmark = pytest.mark.django_db


def _delegate_signs(client, municipality, draft, valid_until=dt.date(2019, 3, 31)) -> Delegation:
    delegation = Delegation.objects.create(
        organisation=municipality.organisation,
        granted_by=municipality.signatory,
        delegate=municipality.delegate,
        valid_until=valid_until,
    )
    client.force_login(municipality.delegate)
    draft.refresh_from_db()
    assert client.post(f"/soknader/{draft.pk}/signer/", {"revision": draft.revision}).status_code == 302
    assert draft.signatures.get().capacity == "delegate"
    return delegation


def _submit(client, draft):
    return client.post(f"/soknader/{draft.pk}/send-inn/")


def test_revoking_a_delegation_voids_what_the_delegate_signed_and_submission_is_refused(client, municipality, draft):
    delegation = _delegate_signs(client, municipality, draft)

    orgs.revoke_delegation(municipality.signatory, delegation.pk, reason="Sluttet i prosjektet")

    signature = draft.signatures.get()
    assert signature.voided_at is not None
    assert AuditEvent.objects.filter(
        subject_type="application", subject_id=str(draft.pk), action="signature.voided"
    ).exists()
    client.force_login(municipality.delegate)
    text = visible_text(client.get(f"/soknader/{draft.pk}/signer/").content.decode())
    assert "Signaturen gjelder ikke lenger fordi den som signerte, ikke lenger har signaturrett eller fullmakt." in text
    assert "Send inn søknaden" not in text
    response = _submit(client, draft)
    assert response.status_code in (403, 409)
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.case_number is None
    assert not Application.objects.exclude(case_number=None).exists()


@pytest.mark.parametrize("who_leaves", ["delegate", "signatory"])
def test_when_the_delegate_or_the_grantor_leaves_the_organisation_the_signature_is_voided_at_once(
    client, municipality, draft, who_leaves
):
    _delegate_signs(client, municipality, draft)
    leaving = getattr(municipality, who_leaves)
    membership = leaving.memberships.get(organisation=municipality.organisation)

    orgs.remove_member(leaving, membership.pk, reason="Sluttet")  # leaves of their own accord

    assert draft.signatures.get().voided_at is not None
    assert AuditEvent.objects.filter(
        subject_type="application", subject_id=str(draft.pk), action="signature.voided"
    ).exists()
    client.force_login(municipality.lead)
    text = visible_text(client.get(f"/soknader/{draft.pk}/signer/").content.decode())
    assert "Signaturen gjelder ikke lenger" in text


def test_a_signature_under_a_delegation_that_expired_does_not_count_at_submission(
    client, municipality, draft, freeze_now
):
    _delegate_signs(client, municipality, draft, valid_until=dt.date(2019, 2, 21))
    freeze_now(oslo(2019, 2, 25, 9, 0))  # before the call's deadline, after the delegation's last day

    client.force_login(municipality.signatory)
    text = visible_text(client.get(f"/soknader/{draft.pk}/signer/").content.decode())
    assert "Signaturen gjelder ikke lenger" in text
    response = _submit(client, draft)
    assert response.status_code == 409
    assert "Den som signerte, har ikke lenger signaturrett eller fullmakt." in visible_text(response.content.decode())
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.case_number is None


def test_a_signature_by_a_signatory_who_has_left_does_not_count(client, municipality, draft):
    client.force_login(municipality.signatory)
    draft.refresh_from_db()
    assert client.post(f"/soknader/{draft.pk}/signer/", {"revision": draft.revision}).status_code == 302
    Membership.objects.filter(user=municipality.signatory, organisation=municipality.organisation).update(
        removed_at=timezone.now()
    )
    client.force_login(municipality.lead)
    response = _submit(client, draft)
    assert response.status_code in (403, 409)
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.case_number is None


def test_a_valid_delegated_signature_still_submits(client, municipality, draft):
    _delegate_signs(client, municipality, draft)
    response = _submit(client, draft)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.case_number
