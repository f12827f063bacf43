"""Login with e-mail and password, lockout after repeated failures, logout by POST only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.accounts.helpers import PASSWORD, make_user
from tests.web.conftest import visible_text

pytestmark = pytest.mark.django_db

WRONG = "E-postadressen eller passordet er feil. Sjekk begge og prøv igjen."


def log_in(client, email="kari.nordmann@example.no", password=PASSWORD, **extra):
    return client.post("/konto/logg-inn/", {"email": email, "password": password, **extra})


def logged_in_as(client) -> str:
    return client.session.get("_auth_user_id", "")


def test_login_with_the_right_password_goes_to_my_page(client):
    user = make_user()

    response = log_in(client, email="Kari.Nordmann@example.no ")

    assert response.status_code == 302
    assert response["Location"] == "/min-side/"
    assert logged_in_as(client) == str(user.pk)


def test_login_follows_next_on_this_site_only(client):
    make_user()
    assert log_in(client, next="/utlysninger/x/")["Location"] == "/utlysninger/x/"
    client.post("/konto/logg-ut/")
    assert log_in(client, next="https://angriper.example/")["Location"] == "/min-side/"


def test_a_wrong_password_and_an_unknown_address_get_the_same_message(client):
    make_user()

    wrong_password = log_in(client, password="feil-passord-her")
    unknown = log_in(client, email="finnes.ikke@example.no")

    for response in (wrong_password, unknown):
        assert response.status_code == 200
        assert WRONG in visible_text(response.content.decode())
    assert logged_in_as(client) == ""


def test_an_inactive_account_cannot_log_in_and_is_not_told_apart(client):
    make_user(is_active=False)
    response = log_in(client)
    assert WRONG in visible_text(response.content.decode())
    assert logged_in_as(client) == ""


def test_five_failures_lock_the_address_for_15_minutes_and_say_when_to_try_again(client):
    make_user()
    for _ in range(4):
        assert log_in(client, password="feil-passord-her").status_code == 200

    before = timezone.localtime()
    fifth = log_in(client, password="feil-passord-her")
    after = timezone.localtime()

    assert fifth.status_code == 429
    text = visible_text(fifth.content.decode())
    assert "Innloggingen er stengt en kort stund" in text
    assert "Det har vært for mange mislykte forsøk på å logge inn med denne e-postadressen herfra." in text
    # Oslo time, 15 minutes after the fifth failure.
    clocks = {f"{moment + dt.timedelta(minutes=15):%H:%M}" for moment in (before, after)}
    assert any(f"Du kan prøve igjen kl. {clock}." in text for clock in clocks), text

    # The right password does not help while locked, and trying does not prolong the lock.
    locked = log_in(client)
    assert locked.status_code == 429
    assert logged_in_as(client) == ""


def test_the_lockout_is_the_same_for_an_address_without_an_account(client):
    for _ in range(5):
        response = log_in(client, email="finnes.ikke@example.no", password="feil-passord-her")
    assert response.status_code == 429
    assert "Innloggingen er stengt en kort stund" in visible_text(response.content.decode())


def test_the_lockout_message_is_in_english_when_english_is_chosen(english):
    for _ in range(5):
        response = log_in(english, email="someone@example.no", password="wrong-password")
    text = visible_text(response.content.decode())
    assert "Logging in is closed for a short while" in text
    assert "You can try again at" in text


def test_the_lock_is_per_address_and_ends_after_the_cool_off(client):
    from axes.models import AccessAttempt

    make_user()
    for _ in range(5):
        log_in(client, password="feil-passord-her")
    assert log_in(client).status_code == 429

    # Another address from the same place is not locked.
    make_user(email="ola@example.no", full_name="Ola")
    assert log_in(client, email="ola@example.no").status_code == 302
    client.post("/konto/logg-ut/")

    # 15 minutes later.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=15, seconds=1))
    assert log_in(client).status_code == 302


def test_logout_is_post_only(client):
    make_user()
    log_in(client)

    assert client.get("/konto/logg-ut/").status_code == 405
    assert logged_in_as(client) != ""

    response = client.post("/konto/logg-ut/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_as(client) == ""


def test_the_login_page_of_a_logged_in_person_says_so(client):
    make_user()
    log_in(client)
    text = visible_text(client.get("/konto/logg-inn/").content.decode())
    assert "Du er logget inn som Kari Nordmann (kari.nordmann@example.no)." in text


def test_behind_a_proxy_the_lockout_counts_per_client_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user()
    for _ in range(5):
        client.post(
            "/konto/logg-inn/",
            {"email": "kari.nordmann@example.no", "password": "feil-passord-her"},
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    locked = client.post(
        "/konto/logg-inn/", {"email": "kari.nordmann@example.no", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    elsewhere = client.post(
        "/konto/logg-inn/", {"email": "kari.nordmann@example.no", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert (locked.status_code, elsewhere.status_code) == (429, 302)


def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_lockout(client):
    make_user()
    for number in range(5):
        client.post(
            "/konto/logg-inn/",
            {"email": "kari.nordmann@example.no", "password": "feil-passord-her"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
    response = client.post("/konto/logg-inn/", {"email": "kari.nordmann@example.no", "password": PASSWORD})
    assert response.status_code == 429


def test_changing_the_password_needs_the_current_one(client):
    user = make_user()
    client.force_login(user)

    wrong = client.post(
        "/konto/sikkerhet/passord/",
        {"old_password": "ikke-dette", "new_password1": "ny-lang-setning-her", "new_password2": "ny-lang-setning-her"},
    )
    assert "Det nåværende passordet er feil." in visible_text(wrong.content.decode())

    done = client.post(
        "/konto/sikkerhet/passord/",
        {"old_password": PASSWORD, "new_password1": "ny-lang-setning-her", "new_password2": "ny-lang-setning-her"},
    )
    assert done["Location"] == "/konto/sikkerhet/passord/endret/"
    user.refresh_from_db()
    assert user.check_password("ny-lang-setning-her")
    assert logged_in_as(client) == str(user.pk)  # still logged in here
