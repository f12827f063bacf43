"""Issue #8, point 8: sign-up, new password and verification links are limited per address and per
client; password spraying across many accounts from one client is locked out (besides per account)."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import PASSWORD, make_user
from tests.web.conftest import visible_text

pytestmark = pytest.mark.django_db

SPRAYER = "203.0.113.7"
NEIGHBOUR = "198.51.100.9"


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def sign_up(client, email, ip=SPRAYER):
    data = {"full_name": "Ola Nordmann", "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/konto/registrer/", data, REMOTE_ADDR=ip)


def test_sign_ups_from_one_client_are_limited(client, settings):
    from tilskudd.accounts.models import User

    settings.ACCOUNT_REQUESTS_PER_CLIENT = 3
    for n in range(3):
        assert sign_up(client, f"person{n}@example.no").status_code == 302

    response = sign_up(client, "person3@example.no")

    assert response.status_code == 429
    assert "For mange forsøk" in visible_text(response.content.decode())
    assert not User.objects.filter(email="person3@example.no").exists()
    # Another client is not held back.
    assert sign_up(client, "person4@example.no", ip=NEIGHBOUR).status_code == 302


def test_e_mails_to_one_address_are_limited_and_the_page_does_not_tell(client, settings, mailoutbox, send_now):
    settings.ACCOUNT_EMAILS_PER_ADDRESS = 2
    make_user(email="kari@example.no")

    answers = [send_now(sign_up, client, "kari@example.no", ip=f"192.0.2.{n}") for n in range(4)]

    assert {answer["Location"] for answer in answers} == {"/konto/registrer/sjekk-e-posten/"}
    assert [m.to for m in mailoutbox] == [["kari@example.no"]] * 2


def test_new_password_e_mails_are_limited_per_address_and_per_client(client, settings, mailoutbox, send_now):
    settings.ACCOUNT_EMAILS_PER_ADDRESS = 2
    settings.ACCOUNT_REQUESTS_PER_CLIENT = 5
    make_user(email="kari@example.no")

    for n in range(4):
        response = send_now(
            client.post, "/konto/passord/glemt/", {"email": "kari@example.no"}, REMOTE_ADDR=f"192.0.2.{n}"
        )
        assert response["Location"] == "/konto/passord/glemt/sendt/"
    assert len(mailoutbox) == 2

    for n in range(5):
        client.post("/konto/passord/glemt/", {"email": f"x{n}@example.no"}, REMOTE_ADDR=SPRAYER)
    assert client.post("/konto/passord/glemt/", {"email": "y@example.no"}, REMOTE_ADDR=SPRAYER).status_code == 429


def test_re_sending_the_verification_link_is_limited(client, settings, mailoutbox, send_now):
    settings.ACCOUNT_EMAILS_PER_ADDRESS = 3
    person = make_user(email="ny@example.no", email_verified=False)
    client.force_login(person)

    for _ in range(6):
        send_now(client.post, "/konto/e-post/bekreft/")

    assert len(mailoutbox) == 3


def test_password_spraying_across_thirty_accounts_from_one_client_is_locked_out(client):
    """One wrong password each for 30 accounts stays under the per-account limit (5) but not the per-client one."""
    people = [make_user(email=f"person{n}@example.no") for n in range(31)]

    answers = [
        client.post("/konto/logg-inn/", {"email": p.email, "password": "Sommer2026!"}, REMOTE_ADDR=SPRAYER).status_code
        for p in people[:30]
    ]

    assert answers[0] == 200  # the ordinary «wrong e-mail or password»
    assert answers[-1] == 429
    # Locked: even the right password for the 31st account is not tried from this client ...
    response = client.post("/konto/logg-inn/", {"email": people[30].email, "password": PASSWORD}, REMOTE_ADDR=SPRAYER)
    assert response.status_code == 429
    assert "For mange mislykte innlogginger fra nettverket ditt" in visible_text(response.content.decode())
    assert "_auth_user_id" not in client.session
    # ... while the owner logs in from elsewhere.
    response = client.post("/konto/logg-inn/", {"email": people[30].email, "password": PASSWORD}, REMOTE_ADDR=NEIGHBOUR)
    assert response.status_code == 302


def test_the_per_account_lockout_still_applies(client):
    make_user(email="kari@example.no")
    for _ in range(5):
        client.post("/konto/logg-inn/", {"email": "kari@example.no", "password": "feil"}, REMOTE_ADDR=SPRAYER)

    response = client.post("/konto/logg-inn/", {"email": "kari@example.no", "password": PASSWORD}, REMOTE_ADDR=SPRAYER)

    assert response.status_code == 429
