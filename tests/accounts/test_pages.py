"""Every account page: bokmål, a label for every input, headings in order, and the header's user menu."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core import mail

from tests.accounts.helpers import PASSWORD, add_totp, login_verified, make_user
from tests.web.conftest import element, visible_text

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: list[dict] = []
        self.labels: set[str] = set()
        self.headings: list[int] = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit", "button"}:
            self.inputs.append(attrs)
        elif tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def check_page(html: str) -> _Form:
    page = _Form()
    page.feed(html)
    assert page.lang == "nb"
    unlabelled = [attrs.get("name") for attrs in page.inputs if not attrs.get("id") or attrs["id"] not in page.labels]
    assert unlabelled == []
    assert page.headings.count(1) == 1
    for before, after in zip(page.headings, page.headings[1:]):
        assert after <= before + 1, page.headings
    return page


def reset_confirm_url(client) -> str:
    make_user(email="glemsk@example.no")
    client.post("/konto/passord/glemt/", {"email": "glemsk@example.no"})
    link = re.search(r"https?://[^/\s]+(/konto/passord/nytt/\S+/)", mail.outbox[-1].body).group(1)
    return client.get(link, follow=True).redirect_chain[-1][0]


def pending_code_page(client) -> str:
    add_totp(make_user(email="kode@example.no"))
    client.post("/konto/logg-inn/", {"email": "kode@example.no", "password": PASSWORD})
    return "/konto/logg-inn/kode/"


ANONYMOUS_PAGES = {
    "sign-up": lambda client: "/konto/registrer/",
    "login": lambda client: "/konto/logg-inn/",
    "code": pending_code_page,
    "password reset": lambda client: "/konto/passord/glemt/",
    "reset sent": lambda client: "/konto/passord/glemt/sendt/",
    "new password": reset_confirm_url,
    "new password saved": lambda client: "/konto/passord/nytt/ferdig/",
}
LOGGED_IN_PAGES = [
    "/konto/sikkerhet/",
    "/konto/sikkerhet/passord/",
    "/konto/sikkerhet/passord/endret/",
    "/konto/sikkerhet/tofaktor/",
]
VERIFIED_PAGES = ["/konto/sikkerhet/", "/konto/sikkerhet/tofaktor/fjern/", "/konto/sikkerhet/reservekoder/"]


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_pages_for_people_not_logged_in(client, name):
    response = client.get(ANONYMOUS_PAGES[name](client))
    assert response.status_code == 200
    check_page(response.content.decode())


@pytest.mark.parametrize("path", LOGGED_IN_PAGES)
def test_pages_for_people_logged_in(client, path):
    client.force_login(make_user())
    response = client.get(path)
    assert response.status_code == 200
    check_page(response.content.decode())


@pytest.mark.parametrize("path", VERIFIED_PAGES)
def test_pages_for_people_with_two_factor(client, path):
    login_verified(client, make_user())
    response = client.get(path)
    assert response.status_code == 200
    check_page(response.content.decode())


def test_pages_with_errors_and_the_lockout_page(client):
    make_user()
    for data in ({}, {"email": "x", "password": "y"}):
        check_page(client.post("/konto/registrer/", data).content.decode())
        check_page(client.post("/konto/logg-inn/", data).content.decode())
    for _ in range(5):
        locked = client.post("/konto/logg-inn/", {"email": "kari.nordmann@example.no", "password": "feil-passord-her"})
    assert locked.status_code == 429
    check_page(locked.content.decode())


def test_error_messages_are_tied_to_their_inputs(client):
    html = client.post("/konto/registrer/", {"full_name": "", "email": "ikke-en-adresse"}).content.decode()
    assert 'aria-describedby="id_email-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_email-error"' in html
    summary = re.search(r'<div class="ds-error-summary".*?</div>', html, re.S).group(0)
    assert 'href="#id_full_name"' in summary and 'href="#id_email"' in summary


def test_the_header_offers_login_to_people_not_logged_in(client):
    html = client.get("/konto/registrer/").content.decode()
    menu = visible_text(element(html, "nav", aria_label="Konto"))
    assert menu == "Logg inn"
    front = client.get("/").content.decode()
    assert 'href="/konto/logg-inn/?next=/"' in front


def test_the_header_shows_the_person_and_their_links_when_logged_in(client):
    client.force_login(make_user())
    nav = element(client.get("/konto/sikkerhet/").content.decode(), "nav", aria_label="Konto")

    assert visible_text(nav) == "Kari Nordmann Min side Sikkerhet Logg ut"
    assert 'href="/min-side/"' in nav
    assert 'href="/konto/sikkerhet/"' in nav
    assert re.search(r'<form action="/konto/logg-ut/" method="post"', nav)
    assert 'name="csrfmiddlewaretoken"' in nav


def test_the_header_in_english(english):
    html = english.get("/konto/logg-inn/").content.decode()
    assert '<html lang="en"' in html
    assert visible_text(element(html, "nav", aria_label="Account")) == "Log in"
