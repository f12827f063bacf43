"""Issue #8, point 1: the address is verified by a signed, expiring link before the account can do anything;
point 8: sign-up never says an address is taken (the e-mail to the address says it); changing the address."""

from __future__ import annotations

import re

import pytest
from django.core import signing

from tests.accounts.helpers import PASSWORD, make_user
from tests.web.conftest import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    """Run the e-mails queued for after the commit."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def sign_up(client, email="ola@example.no", **extra):
    data = {"full_name": "Ola Nordmann", "email": email, "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post("/konto/registrer/", data)


def link_in(mail, kind="bekreft") -> str:
    return re.search(rf"https?://[^/\s]+(/konto/e-post/{kind}/[^\s]+/)", mail.body).group(1)


def log_in(client, email="ola@example.no", password=PASSWORD):
    return client.post("/konto/logg-inn/", {"email": email, "password": password})


# --- sign-up and the link ------------------------------------------------------------------------


def test_sign_up_sends_a_link_and_following_it_verifies_the_address(client, mailoutbox, send_now):
    from tilskudd.accounts.models import User
    from tilskudd.audit.models import AuditEvent

    send_now(sign_up, client)
    [mail] = mailoutbox
    assert mail.to == ["ola@example.no"]
    assert "Bekreft e-postadressen" in mail.subject
    link = link_in(mail)

    # Opening the link shows a button (mail scanners only GET); the POST verifies.
    page = client.get(link)
    assert page.status_code == 200 and "Bekreft adressen" in visible_text(page.content.decode())
    assert not User.objects.get().email_verified
    response = client.post(link)

    assert response.status_code == 302 and response["Location"].startswith("/konto/logg-inn/")
    assert User.objects.get().email_verified
    assert "E-postadressen er bekreftet" in visible_text(client.get(response["Location"]).content.decode())
    assert AuditEvent.objects.filter(action="account.email_verified").count() == 1
    # Now the account works.
    log_in(client)
    assert client.get("/min-side/").status_code == 200


def test_an_unverified_account_can_only_ask_for_the_link_again_or_log_out(client, mailoutbox, send_now):
    send_now(sign_up, client)
    response = log_in(client)
    assert response.status_code == 302

    for path in ("/min-side/", "/organisasjoner/", "/organisasjoner/ny/", "/konto/sikkerhet/", "/konto/sikkerhet/e-post/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/konto/e-post/bekreft/?next="), path
    # A POST anywhere is turned away as well.
    assert client.post("/organisasjoner/ny/", {})["Location"] == "/konto/e-post/bekreft/"

    page = visible_text(client.get("/konto/e-post/bekreft/").content.decode())
    assert "Bekreft e-postadressen" in page and "Send lenken på nytt" in page and "Logg ut" in page
    response = send_now(client.post, "/konto/e-post/bekreft/")
    assert "Vi har sendt en ny lenke til ola@example.no" in visible_text(response.content.decode())
    assert len(mailoutbox) == 2 and mailoutbox[1].to == ["ola@example.no"]
    assert client.post("/konto/logg-ut/").status_code == 302


def test_the_link_is_void_when_altered_expired_or_for_an_old_address(client, mailoutbox, send_now, monkeypatch):
    from tilskudd.accounts import verification
    from tilskudd.accounts.models import User

    send_now(sign_up, client)
    link = link_in(mailoutbox[0])

    assert client.post(link[:-3] + "xx/").status_code == 400
    # Expired: three days and a bit later.
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + verification.LINK_MAX_AGE.total_seconds() + 60)
    response = client.post(link)
    assert response.status_code == 400 and "Lenken virker ikke" in visible_text(response.content.decode())
    monkeypatch.setattr(signing.time, "time", real_time)
    # The address changed since: the link for the old one is void.
    User.objects.update(email="annen@example.no")
    assert client.post(link).status_code == 400
    assert not User.objects.get().email_verified


def test_a_taken_address_gets_the_same_page_and_an_e_mail_with_a_password_link(client, mailoutbox, send_now):
    from tilskudd.accounts.models import User

    kari = make_user(email="kari@example.no")
    free = send_now(sign_up, client, email="ny@example.no")
    taken = send_now(sign_up, client, email="Kari@Example.no")

    assert free.status_code == taken.status_code == 302
    assert free["Location"] == taken["Location"] == "/konto/registrer/sjekk-e-posten/"
    assert User.objects.filter(email__iexact="kari@example.no").get() == kari
    assert User.objects.get(pk=kari.pk).check_password(PASSWORD)  # nothing changed on the account
    mail = mailoutbox[-1]
    assert mail.to == ["kari@example.no"]
    assert "Noen prøvde å lage en konto med adressen din" in mail.subject
    assert "/konto/passord/nytt/" in mail.body
    # The password link in it works.
    path = re.search(r"https?://[^/\s]+(/konto/passord/nytt/[^\s]+/)", mail.body).group(1)
    assert client.get(path, follow=True).status_code == 200


def test_a_new_password_by_e_mail_verifies_the_address(client, mailoutbox, send_now):
    """The true owner of an address a stranger signed up with takes the account over by the reset link."""
    from tilskudd.accounts.models import User

    stranger = make_user(email="eier@example.no", email_verified=False)
    send_now(client.post, "/konto/passord/glemt/", {"email": "eier@example.no"})
    path = re.search(r"https?://[^/\s]+(/konto/passord/nytt/[^\s]+/)", mailoutbox[-1].body).group(1)
    form_page = client.get(path, follow=True)
    new = "en-helt-ny-og-lang-setning"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})

    owner = User.objects.get(pk=stranger.pk)
    assert owner.email_verified and owner.check_password(new)


def test_accounts_made_by_code_and_the_demo_are_verified_but_sign_up_is_not():
    from tilskudd.accounts.services import register

    assert make_user(email="kode@example.no").email_verified
    assert not register(full_name="Ny", email="ny@example.no", password=PASSWORD).email_verified


# --- changing the address ------------------------------------------------------------------------


def test_changing_the_address_takes_effect_only_through_the_link_and_tells_the_old_address(client, mailoutbox, send_now):
    from tilskudd.accounts.models import User

    kari = make_user(email="kari@example.no")
    client.force_login(kari)
    response = client.post("/konto/sikkerhet/e-post/", {"email": "feil", "password": PASSWORD})
    assert response.status_code == 200 and "Skriv en gyldig e-postadresse" in visible_text(response.content.decode())
    response = client.post("/konto/sikkerhet/e-post/", {"email": "kari@ny.example", "password": "feil-passord"})
    assert "Passordet er feil." in visible_text(response.content.decode())

    response = send_now(client.post, "/konto/sikkerhet/e-post/", {"email": "Kari@Ny.example", "password": PASSWORD})
    assert "Vi har sendt en lenke til kari@ny.example" in visible_text(response.content.decode())
    assert User.objects.get(pk=kari.pk).email == "kari@example.no"  # not yet
    to_new = next(m for m in mailoutbox if m.to == ["kari@ny.example"])
    to_old = next(m for m in mailoutbox if m.to == ["kari@example.no"])
    assert "kari@ny.example" not in to_old.body  # the old address is told, not where to
    link = link_in(to_new, "bytt")

    assert "Bytt adressen" in visible_text(client.get(link).content.decode())
    response = client.post(link)
    assert "Nå logger du inn med kari@ny.example" in visible_text(response.content.decode())
    kari.refresh_from_db()
    assert kari.email == "kari@ny.example" and kari.email_verified
    # Spent: the link was for the old address.
    assert client.post(link).status_code == 400


def test_the_new_address_cannot_be_one_another_account_has_and_the_page_does_not_tell(client, mailoutbox, send_now):
    kari = make_user(email="kari@example.no")
    make_user(email="ola@example.no")
    client.force_login(kari)

    response = send_now(client.post, "/konto/sikkerhet/e-post/", {"email": "ola@example.no", "password": PASSWORD})
    free = send_now(client.post, "/konto/sikkerhet/e-post/", {"email": "ny@example.no", "password": PASSWORD})

    # The same answer as for a free address: a stranger with an account learns nothing of who has one.
    assert response.status_code == free.status_code == 200
    assert "En annen konto" not in visible_text(response.content.decode())
    assert response.templates[0].name == free.templates[0].name
    # The owner of the address is told; no link goes anywhere, and Kari keeps her address.
    to_ola = [m for m in mailoutbox if m.to == ["ola@example.no"]]
    assert len(to_ola) == 1 and "ingenting er endret" in to_ola[0].body and "http" not in to_ola[0].body
    kari.refresh_from_db()
    assert kari.email == "kari@example.no"


def test_existing_accounts_are_verified_only_where_someone_vouched():
    """The data migration: superusers, grantor staff and confirmed members count as verified."""
    import importlib

    from django.apps import apps
    from django.utils import timezone

    from tilskudd.accounts.models import User
    from tilskudd.casework.models import Role, StaffRole
    from tilskudd.orgs.models import Membership, Organisation

    migration = importlib.import_module("tilskudd.accounts.migrations.0002_email_verified")
    stranger = make_user(email="fremmed@example.no", email_verified=False)
    member = make_user(email="medlem@example.no", email_verified=False)
    unconfirmed = make_user(email="ubekreftet@example.no", email_verified=False)
    staff = make_user(email="ansatt@imdi.example", email_verified=False)
    User.objects.create_superuser(email="drift@example.no", password=PASSWORD, email_verified_at=None)
    org = Organisation.objects.create(org_number="910000000", name="Lag", applicant_type="voluntary")
    Membership.objects.create(user=member, organisation=org, role="member", confirmed_at=timezone.now())
    Membership.objects.create(user=unconfirmed, organisation=org, role="member")
    StaffRole.objects.create(user=staff, grantor=org, role=Role.CASEWORKER)

    migration.mark_trusted_accounts_verified(apps, None)

    verified = set(User.objects.filter(email_verified_at__isnull=False).values_list("email", flat=True))
    assert {"medlem@example.no", "ansatt@imdi.example", "drift@example.no"} <= verified
    assert not {"fremmed@example.no", "ubekreftet@example.no"} & verified
