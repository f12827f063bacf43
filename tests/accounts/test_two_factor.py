"""Two-factor login with an authenticator app (TOTP): optional for everyone, required for staff."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.helpers import PASSWORD, add_totp, code, login_verified, make_user
from tests.web.conftest import visible_text

pytestmark = pytest.mark.django_db


def log_in(client, email="kari.nordmann@example.no", password=PASSWORD, next_url=None):
    data = {"email": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/konto/logg-inn/", data)


def logged_in_as(client) -> str:
    return client.session.get("_auth_user_id", "")


def set_up_two_factor(client) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/konto/sikkerhet/tofaktor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post("/konto/sikkerhet/tofaktor/", {"code": code(device)})
    assert response.status_code == 302, visible_text(response.content.decode())
    codes_page = client.get(response["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", codes_page.content.decode())
    return device, codes


def test_setup_shows_a_qr_code_and_the_key_then_turns_two_factor_on(client):
    from tilskudd.audit.models import AuditEvent

    user = make_user()
    client.force_login(user)

    html = client.get("/konto/sikkerhet/tofaktor/").content.decode()

    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    assert '<svg ' in html and 'role="img"' in html and 'aria-label="QR-kode for autentiseringsappen.' in html
    # The key as text for people who cannot scan: base32 in groups of four.
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html

    response = client.post("/konto/sikkerhet/tofaktor/", {"code": code(device)})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True
    codes_page = visible_text(client.get(response["Location"]).content.decode())
    assert "Tofaktorinnlogging er slått på." in codes_page
    assert StaticToken.objects.filter(device__user=user).count() == 10
    for token in StaticToken.objects.filter(device__user=user):
        assert token.token in codes_page
    # Shown once only.
    again = visible_text(client.get("/konto/sikkerhet/reservekoder/").content.decode())
    assert "Reservekodene vises bare én gang" in again
    assert StaticToken.objects.filter(device__user=user).first().token not in again
    assert AuditEvent.objects.filter(actor=user, action="account.two_factor_enabled").exists()


def test_a_wrong_code_at_setup_is_refused(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # seconds to wait after the first wrong code (1 by default)
    client.force_login(make_user())
    client.get("/konto/sikkerhet/tofaktor/")
    device = TOTPDevice.objects.get()
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"

    response = client.post("/konto/sikkerhet/tofaktor/", {"code": wrong})

    assert response.status_code == 200
    assert "Koden stemmer ikke." in visible_text(response.content.decode())
    device.refresh_from_db()
    assert device.confirmed is False

    # Guessing is slowed down: right after a wrong code even the right one must wait a moment.
    too_soon = client.post("/konto/sikkerhet/tofaktor/", {"code": code(device)})
    assert re.search(r"For mange feil koder\. Vent (59|60) sekunder og prøv igjen\.", visible_text(too_soon.content.decode()))


def test_after_setup_login_asks_for_the_code_before_the_person_is_logged_in(client):
    user = make_user()
    client.force_login(user)
    device, _ = set_up_two_factor(client)
    client.post("/konto/logg-ut/")

    first = log_in(client, next_url="/utlysninger/x/")

    assert first["Location"] == "/konto/logg-inn/kode/"
    assert logged_in_as(client) == ""
    assert client.get("/konto/sikkerhet/")["Location"].startswith("/konto/logg-inn/")
    page = visible_text(client.get("/konto/logg-inn/kode/").content.decode())
    assert "Skriv koden" in page

    second = client.post("/konto/logg-inn/kode/", {"code": code(device, steps_ahead=1)})

    assert second["Location"] == "/utlysninger/x/"
    assert logged_in_as(client) == str(user.pk)
    assert client.get("/konto/sikkerhet/").status_code == 200


def test_a_wrong_or_reused_code_does_not_log_in(client):
    user = make_user()
    device = add_totp(user)
    log_in(client)
    used = code(device)
    assert client.post("/konto/logg-inn/kode/", {"code": used})["Location"] == "/min-side/"
    client.post("/konto/logg-ut/")
    log_in(client)

    response = client.post("/konto/logg-inn/kode/", {"code": used})

    assert response.status_code == 200
    assert "Koden er feil eller brukt før." in visible_text(response.content.decode())
    assert logged_in_as(client) == ""


def test_a_backup_code_logs_in_once(client):
    user = make_user()
    client.force_login(user)
    _, codes = set_up_two_factor(client)
    assert len(codes) == 10
    client.post("/konto/logg-ut/")

    log_in(client)
    assert client.post("/konto/logg-inn/kode/", {"code": codes[0].upper()})["Location"] == "/min-side/"
    assert logged_in_as(client) == str(user.pk)
    client.post("/konto/logg-ut/")

    log_in(client)
    reused = client.post("/konto/logg-inn/kode/", {"code": codes[0]})
    assert reused.status_code == 200
    assert logged_in_as(client) == ""
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_the_code_page_without_a_password_step_goes_to_login(client):
    assert client.get("/konto/logg-inn/kode/")["Location"] == "/konto/logg-inn/"


def test_turning_two_factor_off_needs_a_current_code(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait after the wrong code in this test
    user = make_user()
    device = login_verified(client, user)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"

    refused = client.post("/konto/sikkerhet/tofaktor/fjern/", {"code": wrong})
    assert refused.status_code == 200
    assert "Koden er feil eller brukt før." in visible_text(refused.content.decode())
    assert TOTPDevice.objects.filter(user=user).exists()

    done = client.post("/konto/sikkerhet/tofaktor/fjern/", {"code": code(device)})
    assert done["Location"] == "/konto/sikkerhet/"
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert "Slått av" in visible_text(client.get("/konto/sikkerhet/").content.decode())


def test_a_session_from_before_setup_must_give_the_code(client):
    """Logged in elsewhere before two-factor was turned on: the next page asks for the code."""
    user = make_user()
    client.force_login(user)
    add_totp(user)

    response = client.get("/konto/sikkerhet/")

    assert response["Location"] == "/konto/logg-inn/kode/?next=%2Fkonto%2Fsikkerhet%2F"
    # … and cannot add a second device to get past the first.
    assert client.get("/konto/sikkerhet/tofaktor/")["Location"] == "/konto/logg-inn/kode/"


# --- grantor staff --------------------------------------------------------------------------


def test_staff_without_a_device_must_set_it_up_before_any_page(client):
    staff = make_user(email="saksbehandler@example.no", full_name="Siri Saksbehandler", is_staff=True)
    assert log_in(client, email=staff.email)["Location"] == "/saksbehandling/"  # their desk (issue #13, point 10)

    for path in ("/", "/min-side/", "/admin/", "/konto/sikkerhet/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/konto/sikkerhet/tofaktor/?next="), path
    page = visible_text(client.get("/konto/sikkerhet/tofaktor/").content.decode())
    assert "Som ansatt hos tilskuddsforvalteren må du bruke tofaktorinnlogging før du kan gå videre." in page
    # Static files, the language switch and logging out stay open.
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/konto/logg-ut/").status_code == 302

    client.force_login(staff)
    set_up_two_factor(client)
    assert client.get("/").status_code == 200


def test_staff_with_a_device_must_give_the_code(client):
    # The admin is for site administrators only (tests/test_production_defaults.py).
    staff = make_user(email="admin@example.no", full_name="Siri Saksbehandler", is_staff=True, is_superuser=True)
    device = add_totp(staff)
    client.force_login(staff)  # a session without the code

    assert client.get("/admin/")["Location"] == "/konto/logg-inn/kode/?next=%2Fadmin%2F"

    response = client.post("/konto/logg-inn/kode/?next=%2Fadmin%2F", {"code": code(device)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_log_in_with_password_and_code(client):
    # The admin is for site administrators only (tests/test_production_defaults.py).
    staff = make_user(email="admin@example.no", full_name="Siri Saksbehandler", is_staff=True, is_superuser=True)
    device = add_totp(staff)

    assert log_in(client, email=staff.email, next_url="/admin/")["Location"] == "/konto/logg-inn/kode/"
    assert client.post("/konto/logg-inn/kode/", {"code": code(device)})["Location"] == "/admin/"
    admin_page = client.get("/admin/")
    assert admin_page.status_code == 200
    assert "tilskudd – administrasjon" in admin_page.content.decode()


def test_the_admin_login_page_is_our_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == "/konto/logg-inn/?next=%2Fadmin%2F"


def test_the_admin_refuses_people_who_are_not_staff(client):
    client.force_login(make_user())
    assert client.get("/admin/login/").status_code == 403
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_the_admin_lists_people_by_e_mail(client):
    admin = make_user(email="admin@example.no", full_name="Ada Admin", is_staff=True, is_superuser=True)
    make_user(email="kari.nordmann@example.no")
    login_verified(client, admin)

    page = client.get("/admin/accounts/user/").content.decode()
    assert "kari.nordmann@example.no" in page
    add = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "Ny.Person@Example.no",
            "full_name": "Ny Person",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert add.status_code == 302, visible_text(add.content.decode())
    from tilskudd.accounts.models import User

    assert User.objects.filter(email="ny.person@example.no", full_name="Ny Person").exists()


def test_new_backup_codes_replace_the_old_ones(client):
    user = make_user()
    client.force_login(user)
    _, old_codes = set_up_two_factor(client)

    response = client.post("/konto/sikkerhet/reservekoder/")
    page = client.get(response["Location"]).content.decode()
    new_codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page)

    assert len(new_codes) == 10
    assert set(new_codes).isdisjoint(old_codes)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(new_codes)
