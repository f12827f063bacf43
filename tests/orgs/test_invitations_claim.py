"""Issue #8, point 1: an invitation is claimed only through the link sent to the address, by a
verified account whose address matches. Inviting an address that has an account adds nobody at once."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import PASSWORD
from tests.orgs.conftest import make_user
from tests.web.conftest import visible_text
from tilskudd.orgs import services
from tilskudd.orgs.models import Invitation, Membership, Role

pytestmark = pytest.mark.django_db


def sign_up(client, email: str):
    data = {"full_name": "Frank Fremmed", "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/konto/registrer/", data)


def log_in(client, email: str):
    return client.post("/konto/logg-inn/", {"email": email, "password": PASSWORD})


def test_inviting_an_address_with_an_account_sends_the_link_and_adds_nobody(people, mailoutbox, django_capture_on_commit_callbacks):
    kari, organisation = people["kari"], people["organisation"]
    anne = make_user("anne@example.no", "Anne Berg")

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(kari, organisation, "anne@example.no", can_sign=True, site_url="https://t.test")

    assert isinstance(invitation, Invitation) and invitation.role == Role.SIGNATORY
    assert not Membership.objects.filter(user=anne).exists()
    [mail] = mailoutbox
    assert mail.to == ["anne@example.no"] and f"/organisasjoner/invitasjon/{invitation.token}/" in mail.body


def test_a_stranger_who_signed_up_with_the_address_cannot_claim_the_signatory_invitation(people, client):
    """The takeover of the issue: Frank signs up with Anne's future address before she does."""
    kari, organisation = people["kari"], people["organisation"]
    sign_up(client, "anne@example.no")
    invitation = services.invite(kari, organisation, "anne@example.no", can_sign=True)

    # Even holding the link (say it was forwarded), the unverified account can do nothing with it.
    response = log_in(client, "anne@example.no")
    assert response.status_code == 302
    link = f"/organisasjoner/invitasjon/{invitation.token}/"
    response = client.get(link)
    assert response.status_code == 302 and response["Location"].startswith("/konto/e-post/bekreft/")
    response = client.post(link)
    assert response.status_code == 302 and response["Location"].startswith("/konto/e-post/bekreft/")

    assert not Membership.objects.filter(organisation=organisation, user__email="anne@example.no").exists()
    invitation.refresh_from_db()
    assert invitation.is_open()


def test_claim_invitations_refuses_an_unverified_account_even_with_the_token(people):
    kari, organisation = people["kari"], people["organisation"]
    stranger = make_user("anne@example.no", email_verified_at=None)
    invitation = services.invite(kari, organisation, "anne@example.no")

    assert services.claim_invitations(stranger, tokens=[invitation.token]) == []
    assert services.claim_invitations(stranger) == []
    assert not Membership.objects.filter(user=stranger).exists()


def test_a_verified_account_claims_through_the_link(people, client):
    kari, organisation = people["kari"], people["organisation"]
    anne = make_user("anne@example.no", "Anne Berg")
    invitation = services.invite(kari, organisation, "anne@example.no", can_sign=True)
    link = f"/organisasjoner/invitasjon/{invitation.token}/"

    client.force_login(anne)
    page = visible_text(client.get(link).content.decode())
    assert "Ta imot invitasjonen" in page
    response = client.post(link)

    assert response.status_code == 302
    member = Membership.objects.get(user=anne, organisation=organisation)
    assert member.role == Role.SIGNATORY and member.is_confirmed


def test_logging_in_alone_does_not_claim_an_invitation_whose_link_was_not_opened(people, client):
    kari, organisation = people["kari"], people["organisation"]
    anne = make_user("anne@example.no", "Anne Berg")
    services.invite(kari, organisation, "anne@example.no")

    log_in(client, "anne@example.no")

    assert not Membership.objects.filter(user=anne).exists()


def test_an_account_with_another_address_cannot_claim_the_link(people, client):
    kari, organisation = people["kari"], people["organisation"]
    invitation = services.invite(kari, organisation, "anne@example.no")
    client.force_login(people["per"])

    response = client.post(f"/organisasjoner/invitasjon/{invitation.token}/")

    assert response.status_code == 404
    assert not Membership.objects.filter(organisation=organisation, user__email="anne@example.no").exists()


def test_signing_up_from_the_link_and_verifying_claims_it(people, client, mailoutbox, django_capture_on_commit_callbacks):
    """The honest path: the new person opens the invitation, signs up, follows the verification link, logs in."""
    import re

    kari, organisation = people["kari"], people["organisation"]
    invitation = services.invite(kari, organisation, "ny@example.no")
    link = f"/organisasjoner/invitasjon/{invitation.token}/"
    client.get(link)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "ny@example.no")
    verify = re.search(r"https?://[^/\s]+(/konto/e-post/bekreft/[^\s]+/)", mailoutbox[-1].body).group(1)

    response = client.post(verify)
    assert response.status_code == 302 and response["Location"].startswith("/konto/logg-inn/")
    assert not Membership.objects.filter(user__email="ny@example.no").exists()  # not logged in yet
    log_in(client, "ny@example.no")

    member = Membership.objects.get(user__email="ny@example.no")
    assert member.organisation == organisation
