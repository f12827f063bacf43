"""Where people land after logging in (issue #13, point 10): grantor staff on their desk
(/saksbehandling/), applicants on Min side — also after the two-factor code and after setting
two-factor up — unless a safe ``next`` on this site was given."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.helpers import PASSWORD, add_totp, code, make_user
from tests.web.conftest import visible_text

pytestmark = pytest.mark.django_db

DESK = "/saksbehandling/"
MY_PAGE = "/min-side/"


def log_in(client, email, next_url=None):
    data = {"email": email, "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/konto/logg-inn/", data)


@pytest.fixture
def caseworker():
    return make_user(email="siri.saksbehandler@imdi.example", full_name="Siri Saksbehandler", is_staff=True)


def test_an_applicant_lands_on_my_page(client):
    make_user()
    assert log_in(client, "kari.nordmann@example.no")["Location"] == MY_PAGE


def test_an_applicant_with_two_factor_lands_on_my_page_after_the_code(client):
    device = add_totp(make_user())
    assert log_in(client, "kari.nordmann@example.no")["Location"] == "/konto/logg-inn/kode/"
    assert client.post("/konto/logg-inn/kode/", {"code": code(device)})["Location"] == MY_PAGE


def test_a_caseworker_lands_on_the_desk_after_password_and_code(client, caseworker):
    device = add_totp(caseworker)
    assert log_in(client, caseworker.email)["Location"] == "/konto/logg-inn/kode/"
    assert client.post("/konto/logg-inn/kode/", {"code": code(device)})["Location"] == DESK


def test_a_caseworker_from_the_front_pages_login_link_still_lands_on_the_desk(client, caseworker):
    # The header's «Logg inn» on the front page carries next=/; that is no wish to see the front page again.
    device = add_totp(caseworker)
    log_in(client, caseworker.email, next_url="/")
    assert client.post("/konto/logg-inn/kode/", {"code": code(device)})["Location"] == DESK


def test_a_caseworker_setting_up_two_factor_ends_on_the_desk(client, caseworker):
    assert log_in(client, caseworker.email)["Location"] == DESK
    to_setup = client.get(DESK)
    assert to_setup["Location"] == "/konto/sikkerhet/tofaktor/?next=%2Fsaksbehandling%2F"
    client.get(to_setup["Location"])
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    done = client.post(to_setup["Location"], {"code": code(device)})
    assert done["Location"] == "/konto/sikkerhet/reservekoder/?next=%2Fsaksbehandling%2F"
    codes_page = client.get(done["Location"]).content.decode()
    assert "Tofaktorinnlogging er slått på." in visible_text(codes_page)
    assert f'href="{DESK}"' in codes_page


def test_a_safe_next_wins_for_both(client, caseworker):
    device = add_totp(caseworker)
    log_in(client, caseworker.email, next_url="/utlysninger/x/")
    assert client.post("/konto/logg-inn/kode/", {"code": code(device)})["Location"] == "/utlysninger/x/"

    client.post("/konto/logg-ut/")
    make_user()
    assert log_in(client, "kari.nordmann@example.no", next_url="/soknader/1/")["Location"] == "/soknader/1/"


def test_a_next_to_another_site_is_ignored(client, caseworker):
    device = add_totp(caseworker)
    log_in(client, caseworker.email, next_url="https://angriper.example/")
    assert client.post("/konto/logg-inn/kode/", {"code": code(device)})["Location"] == DESK
    client.post("/konto/logg-ut/")
    make_user()
    assert log_in(client, "kari.nordmann@example.no", next_url="//angriper.example/")["Location"] == MY_PAGE
