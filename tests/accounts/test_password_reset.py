"""A new password by e-mail: the link works once, and the new password logs in."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.accounts.helpers import PASSWORD, make_user
from tests.web.conftest import visible_text
from tilskudd.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "blå-fjord-kaffe-lampe"


def reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/konto/passord/nytt/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_e_mail_has_a_link_that_sets_a_new_password(client):

    user = make_user()

    response = client.post("/konto/passord/glemt/", {"email": "KARI.nordmann@example.no"})

    assert response["Location"] == "/konto/passord/glemt/sendt/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari.nordmann@example.no"]
    assert message.subject == "Nytt passord i tilskudd / New password in tilskudd"
    assert message.body.startswith("Hei Kari Nordmann,")
    assert "https://testserver/konto/passord/nytt/" in message.body  # the link is over HTTPS

    # The link leads to the form (Django moves the token into the session first).
    form_page = client.get(reset_link(message), follow=True)
    assert "Lag nytt passord" in visible_text(form_page.content.decode())
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == "/konto/passord/nytt/ferdig/"

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.post("/konto/logg-inn/", {"email": user.email, "password": PASSWORD}).status_code == 200
    assert client.post("/konto/logg-inn/", {"email": user.email, "password": NEW_PASSWORD}).status_code == 302
    assert AuditEvent.objects.filter(actor=user, action="account.password_reset").exists()


def test_the_link_works_only_once(client):
    make_user()
    client.post("/konto/passord/glemt/", {"email": "kari.nordmann@example.no"})
    link = reset_link(mail.outbox[0])
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = client.get(link, follow=True)
    assert "Lenken virker ikke lenger." in visible_text(again.content.decode())


def test_the_new_password_must_be_strong(client):
    make_user()
    client.post("/konto/passord/glemt/", {"email": "kari.nordmann@example.no"})
    set_url = client.get(reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]

    response = client.post(set_url, {"new_password1": "kort", "new_password2": "kort"})
    assert "Passordet er for kort. Det må ha minst 12 tegn." in visible_text(response.content.decode())


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client):
    response = client.post("/konto/passord/glemt/", {"email": "finnes.ikke@example.no"}, follow=True)
    assert "Hvis adressen har en konto hos oss, har vi sendt en lenke dit." in visible_text(response.content.decode())
    assert mail.outbox == []


def test_a_new_password_by_e_mail_ends_a_lockout(client):
    make_user()
    for _ in range(5):
        client.post("/konto/logg-inn/", {"email": "kari.nordmann@example.no", "password": "feil-passord-her"})
    assert (
        client.post("/konto/logg-inn/", {"email": "kari.nordmann@example.no", "password": PASSWORD}).status_code == 429
    )

    client.post("/konto/passord/glemt/", {"email": "kari.nordmann@example.no"})
    set_url = client.get(reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.post("/konto/logg-inn/", {"email": "kari.nordmann@example.no", "password": NEW_PASSWORD})
    assert response.status_code == 302
    # The lockout was lifted with a trace: the reset's audit event counts the deleted records of failures.
    event = AuditEvent.objects.get(action="account.password_reset")
    assert event.data["failed_login_records_deleted"] >= 1
