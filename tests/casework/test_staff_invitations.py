"""Issue #8, point 1 (staff roles) and point 7 (two-factor from the roles).

A grantor's role is offered by a link sent to the address and claimed only by a verified account
with that address; a stranger who signed up with a future employee's address gets nothing.
Two-factor authentication is required of everyone holding a grantor role, whatever ``is_staff`` says.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.accounts.helpers import PASSWORD, login_verified
from tests.orgs.conftest import make_grantor_staff, make_user
from tests.web.conftest import visible_text
from tilskudd.casework import services
from tilskudd.casework.models import Role, StaffInvitation, StaffRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_grantor_staff("admin@imdi.example", "Ada Admin", role=Role.ADMINISTRATOR)


def imdi(admin):
    return StaffRole.objects.get(user=admin).grantor


def staff_url(admin) -> str:
    return f"/saksbehandling/tilskuddsforvaltere/{imdi(admin).pk}/personer/"


def invite(client, admin, email="nina@imdi.example", role="caseworker", mailoutbox=None):
    login_verified(client, admin)
    return client.post(staff_url(admin), {"email": email, "role": role}, follow=True)


def test_giving_a_role_to_an_address_with_an_account_sends_a_link_and_gives_nothing_yet(
    admin, client, mailoutbox, django_capture_on_commit_callbacks
):
    nina = make_user("nina@imdi.example", "Nina Ny")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, admin)

    assert "Invitasjonen til rollen saksbehandler er sendt til nina@imdi.example." in visible_text(response.content.decode())
    assert not StaffRole.objects.filter(user=nina).exists()
    invitation = StaffInvitation.objects.get()
    [mail] = mailoutbox
    assert mail.to == ["nina@imdi.example"]
    assert f"/saksbehandling/invitasjon/{invitation.token}/" in mail.body
    # The administrator sees it waiting, and can withdraw it.
    page = visible_text(client.get(staff_url(admin)).content.decode())
    assert "Invitasjoner som venter" in page and "nina@imdi.example" in page


def test_a_stranger_who_signed_up_with_the_address_does_not_get_the_caseworker_role(admin, client):
    """The takeover of the issue: Frank signs up with Nina's future address before she does."""
    stranger = client  # Frank's browser
    stranger.post(
        "/konto/registrer/",
        {"full_name": "Frank Fremmed", "email": "nina@imdi.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    invitation = services.invite_staff(admin, imdi(admin), "nina@imdi.example", Role.CASEWORKER)
    frank = get_user_model().objects.get(email="nina@imdi.example")

    stranger.post("/konto/logg-inn/", {"email": "nina@imdi.example", "password": PASSWORD})
    link = f"/saksbehandling/invitasjon/{invitation.token}/"
    for response in (stranger.get(link), stranger.post(link)):
        assert response.status_code == 302 and response["Location"].startswith("/konto/e-post/bekreft/")
    with pytest.raises(services.CaseworkRefused):
        services.claim_staff_invitation(frank, invitation.token)

    assert not StaffRole.objects.filter(user=frank).exists()
    frank.refresh_from_db()
    assert not frank.is_staff


def test_the_invited_verified_account_takes_the_role_through_the_link_and_must_set_up_two_factor(admin, client):
    nina = make_user("nina@imdi.example", "Nina Ny")
    invitation = services.invite_staff(admin, imdi(admin), "nina@imdi.example", Role.CASEWORKER)
    link = f"/saksbehandling/invitasjon/{invitation.token}/"
    client.force_login(nina)

    assert "Ta imot rollen" in visible_text(client.get(link).content.decode())
    response = client.post(link)

    assert response.status_code == 302
    role = StaffRole.objects.get(user=nina, removed_at=None)
    assert role.role == Role.CASEWORKER and role.added_by == admin
    invitation.refresh_from_db()
    assert invitation.claimed_by == nina and not invitation.is_open()
    # With a role, every page asks for two-factor set-up first.
    response = client.get("/saksbehandling/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/sikkerhet/tofaktor/")


def test_another_account_cannot_take_the_role_and_a_used_link_is_spent(admin, client):
    nina, per = make_user("nina@imdi.example"), make_user("per@example.no")
    invitation = services.invite_staff(admin, imdi(admin), "nina@imdi.example", Role.APPROVER)
    link = f"/saksbehandling/invitasjon/{invitation.token}/"

    client.force_login(per)
    assert client.post(link).status_code == 404
    assert not StaffRole.objects.filter(user=per).exists()

    services.claim_staff_invitation(nina, invitation.token)
    with pytest.raises(services.CaseworkRefused):
        services.claim_staff_invitation(nina, invitation.token)
    assert StaffRole.objects.filter(user=nina).count() == 1


def test_a_withdrawn_or_expired_invitation_gives_nothing(admin, client):
    nina = make_user("nina@imdi.example")
    withdrawn = services.invite_staff(admin, imdi(admin), "nina@imdi.example", Role.APPROVER)
    login_verified(client, admin)
    client.post(f"{staff_url(admin)[:-len('personer/')]}invitasjoner/{withdrawn.pk}/trekk-tilbake/")
    expired = services.invite_staff(admin, imdi(admin), "nina@imdi.example", Role.ASSESSOR)
    StaffInvitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    client.force_login(nina)
    for invitation in (withdrawn, expired):
        response = client.post(f"/saksbehandling/invitasjon/{invitation.token}/")
        assert response.status_code == 409
        assert "Invitasjonen gjelder ikke lenger" in visible_text(response.content.decode())
    assert not StaffRole.objects.filter(user=nina).exists()


def test_a_new_person_signs_up_from_the_link_verifies_and_takes_the_role(
    admin, client, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = services.invite_staff(admin, imdi(admin), "ny@imdi.example", Role.ASSESSOR)
    link = f"/saksbehandling/invitasjon/{invitation.token}/"
    page = visible_text(client.get(link).content.decode())
    assert "Lag en konto" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/konto/registrer/?next={link}",
            {"full_name": "Ny Person", "email": "ny@imdi.example", "password1": PASSWORD, "password2": PASSWORD, "next": link},
        )
    verify = re.search(r"https?://[^/\s]+(/konto/e-post/bekreft/[^\s]+/)", mailoutbox[-1].body).group(1)
    response = client.post(verify)
    # Verified, then to the login page, and from there back to the invitation.
    login_page = urlparse(response["Location"])
    assert login_page.path == "/konto/logg-inn/"
    next_url = parse_qs(login_page.query)["next"][0]
    assert next_url == link
    response = client.post("/konto/logg-inn/", {"email": "ny@imdi.example", "password": PASSWORD, "next": next_url})
    assert response["Location"] == link
    client.post(link)

    assert StaffRole.objects.filter(user__email="ny@imdi.example", role=Role.ASSESSOR).exists()


# --- two-factor from the roles (point 7) -----------------------------------------------------------


def test_two_factor_is_required_from_a_grantor_role_even_without_is_staff(admin, client):
    """Someone given a role by any path (here straight in the database, is_staff left off) must still use two-factor."""
    holder = make_user("rolle@imdi.example", "Rolf Rolle")
    StaffRole.objects.create(user=holder, grantor=imdi(admin), role=Role.ASSESSOR)
    assert not holder.is_staff
    client.force_login(holder)

    response = client.get("/min-side/")

    assert response.status_code == 302 and response["Location"].startswith("/konto/sikkerhet/tofaktor/")


def test_a_person_without_any_grantor_role_is_not_forced_to_two_factor(client):
    person = make_user("soker@example.no")
    client.force_login(person)
    assert client.get("/min-side/").status_code == 200


def test_a_removed_role_no_longer_requires_two_factor(admin, client):
    holder = make_user("tidligere@imdi.example")
    role = StaffRole.objects.create(user=holder, grantor=imdi(admin), role=Role.ASSESSOR)
    StaffRole.objects.filter(pk=role.pk).update(removed_at=timezone.now())
    client.force_login(holder)
    assert client.get("/min-side/").status_code == 200
