"""Sign-up: name, e-mail and a strong password; then «check your e-mail» (tests/accounts/test_verification.py)."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import PASSWORD, make_user
from tests.web.conftest import visible_text

pytestmark = pytest.mark.django_db


def sign_up(client, **changes):
    data = {"full_name": "Ola Nordmann", "email": "ola@example.no", "password1": PASSWORD, "password2": PASSWORD}
    data.update(changes)
    return client.post("/konto/registrer/", data)


def test_sign_up_creates_an_unverified_account_and_asks_to_check_the_e_mail(client):
    from tilskudd.accounts.models import User
    from tilskudd.audit.models import AuditEvent

    response = sign_up(client, email="  Ola@Example.NO ")

    assert response.status_code == 302
    assert response["Location"] == "/konto/registrer/sjekk-e-posten/"
    user = User.objects.get()
    assert (user.email, user.full_name, user.is_staff) == ("ola@example.no", "Ola Nordmann", False)
    assert user.check_password(PASSWORD)
    assert not user.email_verified
    page = visible_text(client.get(response["Location"]).content.decode())
    assert "Sjekk e-posten din" in page and "ola@example.no" in page
    # Not logged in: the account is of no use until the address is confirmed.
    assert client.get("/konto/sikkerhet/")["Location"].startswith("/konto/logg-inn/")
    assert AuditEvent.objects.filter(actor=user, action="account.registered").count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort-ord", "Passordet er for kort. Det må ha minst 12 tegn."),
        ("123456789012345", "Dette passordet inneholder bare tall."),
        ("qwerty123456", "Dette passordet er for vanlig."),
        ("ola.nordmann@example.no", "Passordet er for likt e-post."),
    ],
)
def test_a_weak_password_is_refused_with_a_message_in_bokmal(client, password, message):
    from tilskudd.accounts.models import User

    response = sign_up(client, email="ola.nordmann@example.no", password1=password, password2=password)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in visible_text(html)
    # The error summary at the top links to the password field.
    assert '<a class="ds-link" href="#id_password1">' in html
    assert 'aria-describedby="id_password1-help id_password1-error"' in html
    assert "<title>Feil: Lag en konto – tilskudd</title>" in html
    assert not User.objects.exists()


def test_the_two_passwords_must_match(client):
    response = sign_up(client, password2=PASSWORD + "x")
    assert "De to passordene er ikke like." in visible_text(response.content.decode())


def test_the_password_messages_are_in_english_when_english_is_chosen(english):
    response = sign_up(english, password1="short", password2="short")
    assert "The password is too short. It must have at least 12 characters." in visible_text(response.content.decode())


def test_an_e_mail_address_can_have_only_one_account_whatever_the_case(client):
    from tilskudd.accounts.models import User

    make_user(email="kari@example.no")

    response = sign_up(client, email="KARI@example.no")

    # The same page as for a free address (tests/accounts/test_verification.py: the e-mail says it).
    assert response.status_code == 302
    assert response["Location"] == "/konto/registrer/sjekk-e-posten/"
    assert User.objects.count() == 1


def test_missing_fields_are_named(client):
    response = client.post("/konto/registrer/", {})
    text = visible_text(response.content.decode())
    for message in ("Skriv navnet ditt.", "Skriv e-postadressen din.", "Lag et passord."):
        assert message in text
