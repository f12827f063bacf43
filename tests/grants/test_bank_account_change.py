"""Changing the grant's bank account by a signed request (*endring av kontonummer*, issue #11 point 4).

The grantee's signatory (or a delegate) asks on the grant page; the request is signed by a content hash over
(grant, old account, new account) and changes nothing until a caseworker of the grantor confirms it. Then the
terms not yet ordered are paid to the new account; an order already in a batch keeps its own.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.helpers import login_verified
from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.docs.state_tables import moves, table_after
from tests.payments.payment_helpers import accepted_grant, imdi_c2
from tests.staff_world import build_world
from tests.web.conftest import visible_text
from tilskudd.audit.models import AuditEvent
from tilskudd.core.refusals import NotAllowed
from tilskudd.grants.awards import bank_account
from tilskudd.grants.awards.bank_states import BANK_CHANGE_TRANSITIONS, BankChangeStatus
from tilskudd.grants.models import BankAccountChange, Grant
from tilskudd.orgs.models import Delegation, Membership
from tilskudd.payments import services as payments
from tilskudd.rules.validators import format_bank_account

#: Valid Norwegian account numbers (MOD11 check digits); the test takes one the grant does not already use.
VALID = ("86011117947", "15030522238", "96200510043", "12345678903")


def _bank_world():
    """The casework world and an accepted C2 grant of IMDi of NOK 150 000 in two terms, both due (days long past).

    Built once for the module (issue #9 point 7): publishing the decision renders its letter.
    """
    world = build_world()
    return world, accepted_grant(world, imdi_c2(world), 150_000, dt.date(2000, 1, 1), dt.date(2000, 9, 1))


bank_world_built = shared_world(_bank_world, name="bank_world_built")


@pytest.fixture
def bank_world(bank_world_built, db):
    """The test's own copy of the world and its grant, read again from the database."""
    return fresh(bank_world_built)


@pytest.fixture
def casework_world(bank_world):
    """The casework world (tests/staff_world.py) the grant is in; this module's, not the conftest's."""
    return bank_world[0]


@pytest.fixture
def grant(bank_world):
    """An accepted C2 grant of IMDi of NOK 150 000 in two terms, both due (days long past)."""
    return bank_world[1]


def _new_for(grant) -> str:
    return next(account for account in VALID if account != grant.bank_account)


def _url(grant) -> str:
    return f"/soknader/{grant.application_id}/tilskudd/"


def _events(grant, action: str):
    return AuditEvent.objects.filter(subject_type="grant", subject_id=str(grant.pk), action=action)


def _request(client, grant, new: str, **extra):
    data = {"new_account": new, "old_account": grant.bank_account, "confirm_bank": "yes", **extra}
    return client.post(_url(grant) + "kontonummer/", data)


def test_the_signatory_asks_for_a_new_account_signed_and_nothing_is_paid_there_yet(grant, client):
    signatory = applicant_of(grant.application)
    old, new = grant.bank_account, _new_for(grant)
    client.force_login(signatory)
    page = client.get(_url(grant)).content.decode()
    assert "Be om utbetaling til et annet kontonummer" in visible_text(page)
    assert 'id="bank-new_account"' in page and 'for="bank-new_account"' in page

    response = _request(client, grant, format_bank_account(new))  # dots are fine
    assert response.status_code == 302
    change = BankAccountChange.objects.get(grant=grant)
    assert (change.status, change.old_account, change.new_account) == (BankChangeStatus.REQUESTED, old, new)
    assert change.requested_by == signatory and change.capacity == "signatory"
    assert change.content_hash == bank_account.change_hash(grant, old, new)
    assert len(change.content_hash) == 64
    assert Grant.objects.get(pk=grant.pk).bank_account == old  # not until a caseworker confirms
    event = _events(grant, "grant.bank_account_requested").get()
    assert event.audience == "applicant" and event.data["new_account"] == new
    assert event.data["hash"] == change.content_hash

    text = visible_text(client.get(_url(grant)).content.decode())
    assert f"Dere har bedt om utbetaling til {format_bank_account(new)}" in text
    assert "gjelder først når en saksbehandler" in text
    assert "Be om utbetaling til et annet kontonummer" not in text  # one request at a time


def test_the_signed_content_names_the_grant_and_both_accounts(grant):
    old, new = grant.bank_account, _new_for(grant)
    document = bank_account.change_document(grant, old, new)
    assert document["grant"] == grant.pk and document["old_account"] == old and document["new_account"] == new
    assert document["case_number"] == grant.application.case_number
    assert bank_account.change_hash(grant, old, new) != bank_account.change_hash(
        grant, old, VALID[-1] if new != VALID[-1] else VALID[0]
    )


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("86011117948", "kontrollsifferet stemmer ikke"),
        ("1234", "må ha 11 siffer"),
        ("", "Skriv det nye kontonummeret"),
    ],
)
def test_a_bad_number_is_refused_beside_the_field_and_changes_nothing(grant, client, typed, says):
    client.force_login(applicant_of(grant.application))
    response = _request(client, grant, typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="bank-new_account-error"' in page and 'aria-invalid="true"' in page
    assert says in visible_text(page)
    assert 'href="#bank-new_account"' in page  # the error summary points to the field
    assert not BankAccountChange.objects.exists()
    assert not _events(grant, "grant.bank_account_requested").exists()


def test_the_same_account_and_a_missing_confirmation_are_refused(grant, client):
    client.force_login(applicant_of(grant.application))
    if grant.bank_account:
        response = _request(client, grant, grant.bank_account)
        assert response.status_code == 400 and "allerede utbetales til" in visible_text(response.content.decode())
    response = _request(client, grant, _new_for(grant), confirm_bank="")
    assert response.status_code == 400
    assert 'id="bank-confirm_bank-error"' in response.content.decode()
    assert not BankAccountChange.objects.exists()


def test_a_second_request_while_one_waits_is_refused(grant):
    signatory = applicant_of(grant.application)
    bank_account.request_change(signatory, grant.pk, VALID[0] if grant.bank_account != VALID[0] else VALID[1])
    with pytest.raises(bank_account.BankChangeRefused, match="already waiting"):
        bank_account.request_change(signatory, grant.pk, VALID[2] if grant.bank_account != VALID[2] else VALID[3])
    assert BankAccountChange.objects.filter(grant=grant).count() == 1


def test_a_page_opened_before_the_account_changed_is_refused(grant):
    signatory = applicant_of(grant.application)
    with pytest.raises(bank_account.BankChangeRefused, match="changed after you opened"):
        bank_account.request_change(signatory, grant.pk, _new_for(grant), shown_account="99999999999")
    assert not BankAccountChange.objects.exists()


def test_a_member_without_authority_sees_no_form_and_is_refused(grant, client, django_user_model):
    member = django_user_model.objects.create_user(email="medlem@example.no", password="x" * 16, full_name="M M")
    Membership.objects.create(
        user=member, organisation=grant.application.organisation, role="member", confirmed_at=timezone.now()
    )
    client.force_login(member)
    page = client.get(_url(grant)).content.decode()
    assert 'name="new_account"' not in page
    assert "kan be om et annet kontonummer" in visible_text(page)
    assert _request(client, grant, _new_for(grant)).status_code == 403
    assert not BankAccountChange.objects.exists()


def test_a_delegate_for_the_call_may_ask(grant, django_user_model):
    organisation = grant.application.organisation
    delegate = django_user_model.objects.create_user(email="fullmektig@example.no", password="x" * 16)
    Membership.objects.create(user=delegate, organisation=organisation, role="member", confirmed_at=timezone.now())
    with pytest.raises(NotAllowed):
        bank_account.request_change(delegate, grant.pk, _new_for(grant))
    delegation = Delegation.objects.create(
        organisation=organisation,
        granted_by=applicant_of(grant.application),
        delegate=delegate,
        call=grant.application.call,
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )
    change = bank_account.request_change(delegate, grant.pk, _new_for(grant))
    assert change.capacity == "delegate" and change.delegation == delegation


def test_an_offered_grant_has_no_account_change_yet(grant):
    Grant.objects.filter(pk=grant.pk).update(status="offered")
    with pytest.raises(bank_account.BankChangeRefused, match="no longer being paid"):
        bank_account.request_change(applicant_of(grant.application), grant.pk, _new_for(grant))


def test_the_caseworker_confirms_and_only_terms_not_yet_ordered_go_to_the_new_account(grant, client, casework_world):
    staff = casework_world.staff
    signatory = applicant_of(grant.application)
    old, new = grant.bank_account, _new_for(grant)
    first, second = grant.terms.order_by("number")
    batch = payments.prepare_batch(staff["caseworker"], casework_world.imdi.org_number, [first.pk], dt.date(2100, 1, 4))
    change = bank_account.request_change(signatory, grant.pk, new)

    login_verified(client, staff["caseworker"])
    page = client.get(f"/saksbehandling/tilskudd/{grant.pk}/").content.decode()
    text = visible_text(page)
    assert "Endring av kontonummer" in text
    assert f"Nytt kontonummer {format_bank_account(new)}" in text
    assert signatory.get_full_name() in text and change.content_hash in text
    assert "Terminer allerede sendt til utbetaling: 1" in text and "beholder kontonummeret" in text
    confirm = f"/saksbehandling/tilskudd/{grant.pk}/kontonummer/{change.pk}/bekreft/"
    assert f'action="{confirm}"' in page

    # without the box ticked: refused, nothing changed
    assert client.post(confirm, {}).status_code == 400
    assert Grant.objects.get(pk=grant.pk).bank_account == old

    response = client.post(confirm, {"checked": "yes"})
    assert response.status_code == 302
    assert Grant.objects.get(pk=grant.pk).bank_account == new
    change.refresh_from_db()
    assert change.status == BankChangeStatus.CONFIRMED and change.decided_by == staff["caseworker"]
    event = _events(grant, "grant.bank_account_changed").get()
    assert event.audience == "applicant" and (event.data["old_account"], event.data["new_account"]) == (old, new)
    assert event.data["orders_keeping_old_account"] == 1

    # the order already in a batch keeps its account; the next term is ordered to the new one
    later = payments.prepare_batch(
        staff["caseworker"], casework_world.imdi.org_number, [second.pk], dt.date(2100, 1, 4)
    )
    assert new not in batch.orders.get().creditor_account.replace(" ", "")
    assert new[4:] in later.orders.get().creditor_account.replace(" ", "")

    client.force_login(signatory)
    text = visible_text(client.get(_url(grant)).content.decode())
    assert f"Tilskuddet utbetales til {format_bank_account(new)}" in text
    assert "Kontonummeret ble endret" in text and "Kontonummeret for utbetaling ble endret" in text  # and the timeline


def test_the_caseworker_refuses_with_a_reason_the_grantee_reads(grant, client, casework_world):
    signatory = applicant_of(grant.application)
    old, new = grant.bank_account, _new_for(grant)
    change = bank_account.request_change(signatory, grant.pk, new)
    login_verified(client, casework_world.staff["caseworker"])
    refuse = f"/saksbehandling/tilskudd/{grant.pk}/kontonummer/{change.pk}/avvis/"
    response = client.post(refuse, {"reason": " "})
    assert response.status_code == 400 and 'href="#bank-refuse-reason"' in response.content.decode()
    assert BankAccountChange.objects.get(pk=change.pk).status == BankChangeStatus.REQUESTED

    assert client.post(refuse, {"reason": "Kontoen tilhører ikke organisasjonen."}).status_code == 302
    change.refresh_from_db()
    assert change.status == BankChangeStatus.REFUSED
    assert Grant.objects.get(pk=grant.pk).bank_account == old
    assert _events(grant, "grant.bank_account_refused").get().audience == "applicant"
    # handled once: confirming afterwards is refused
    response = client.post(f"/saksbehandling/tilskudd/{grant.pk}/kontonummer/{change.pk}/bekreft/", {"checked": "yes"})
    assert response.status_code == 409 and Grant.objects.get(pk=grant.pk).bank_account == old

    client.force_login(signatory)
    text = visible_text(client.get(_url(grant)).content.decode())
    assert "ble avvist" in text and "Kontoen tilhører ikke organisasjonen." in text
    assert "Be om utbetaling til et annet kontonummer" in text  # may ask again


def test_only_the_grantors_caseworker_may_confirm(grant, client, casework_world):
    change = bank_account.request_change(applicant_of(grant.application), grant.pk, _new_for(grant))
    confirm = f"/saksbehandling/tilskudd/{grant.pk}/kontonummer/{change.pk}/bekreft/"
    login_verified(client, casework_world.staff["approver"])
    assert client.post(confirm, {"checked": "yes"}).status_code == 403
    login_verified(client, casework_world.bergen_staff["caseworker"])
    assert client.post(confirm, {"checked": "yes"}).status_code == 404
    # a change of another grant under this grant's address: 404
    login_verified(client, casework_world.staff["caseworker"])
    assert (
        client.post(f"/saksbehandling/tilskudd/{grant.pk}/kontonummer/999999/bekreft/", {"checked": "yes"}).status_code
        == 404
    )
    assert Grant.objects.get(pk=grant.pk).bank_account == grant.bank_account
    assert BankAccountChange.objects.get(pk=change.pk).status == BankChangeStatus.REQUESTED


def test_the_state_table_is_in_the_doc():
    assert table_after("A change of bank account (`grants/awards/bank_states.py`") == moves(BANK_CHANGE_TRANSITIONS)
