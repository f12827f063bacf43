"""The accessibility and privacy statements (issue #13, point 6): public, plain language in bokmål and
English, with whom to contact, and linked from the footer of every page."""

from __future__ import annotations

import re

import pytest

from tests.accounts.helpers import login_verified, make_user
from tests.web.conftest import MINIMAL, element, items, load, visible_text

pytestmark = pytest.mark.django_db

ACCESSIBILITY = "/tilgjengelighetserklaering/"
PRIVACY = "/personvern/"


def footer_links(html: str) -> dict[str, str]:
    footer = element(html, "footer")
    return {visible_text(text): href for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', footer)}


def test_the_accessibility_statement_says_what_we_follow_what_is_missing_and_whom_to_tell(client):
    html = client.get(ACCESSIBILITY).content.decode()
    text = visible_text(html)

    assert visible_text(element(html, "h1")) == "Tilgjengelighetserklæring"
    assert "WCAG) 2.1 på nivå AA" in text
    assert "Det vi vet ikke er bra nok ennå" in text
    assert "E-post post@imdi.no" in text and 'href="mailto:post@imdi.no"' in html
    assert "Telefon 24 16 88 00" in text
    assert "Uu-tilsynet" in text


def test_the_privacy_statement_says_what_is_kept_why_how_long_and_the_rights(client):
    load(MINIMAL)
    html = client.get(PRIVACY).content.decode()
    text = visible_text(html)

    assert visible_text(element(html, "h1")) == "Personvernerklæring"
    assert "søknaden din (IMDi)" in text  # the grantors of the calls on the site
    assert "artikkel 6 nr. 1 bokstav e" in text
    assert "utløper etter 8 timer uten bruk" in text
    assert "Etter 15 minutter oppheves sperren." in text
    assert "arkivloven" in text and "Datatilsynet" in text
    assert "E-post post@imdi.no" in text


def test_the_contact_comes_from_the_settings(client, settings):
    settings.SERVICE_CONTACT = {
        "name": "Bergen kommune",
        "email": "tilskudd@bergen.kommune.no",
        "phone": "",
        "address": "",
    }
    text = visible_text(client.get(ACCESSIBILITY).content.decode())
    assert "Ansvarlig Bergen kommune" in text and "tilskudd@bergen.kommune.no" in text
    assert "Telefon" not in text


@pytest.mark.parametrize("url", [ACCESSIBILITY, PRIVACY])
def test_the_statements_in_english(english, url):
    html = english.get(url).content.decode()
    heading = visible_text(element(html, "h1"))
    assert heading in {"Accessibility statement", "Privacy statement"}
    assert "Tilsynet for universell" in visible_text(html) or "Datatilsynet" in visible_text(html)
    assert "Vi " not in visible_text(element(html, "article"))


def test_every_page_links_to_both_statements_from_its_footer(client):
    load(MINIMAL)
    staff = make_user("sara.saksbehandler@imdi.example", is_staff=True)
    pages = [
        client.get(url).content.decode() for url in ("/", "/utlysninger/test-minimal/", "/konto/logg-inn/", PRIVACY)
    ]
    login_verified(client, staff)
    pages.append(client.get("/saksbehandling/").content.decode())
    for html in pages:
        links = footer_links(html)
        assert links["Tilgjengelighetserklæring"] == ACCESSIBILITY
        assert links["Personvernerklæring"] == PRIVACY


def test_the_headings_are_in_order(client):
    for url in (ACCESSIBILITY, PRIVACY):
        levels = [int(level) for level in re.findall(r"<h([1-6])\b", client.get(url).content.decode())]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(after <= before + 1 for before, after in zip(levels, levels[1:], strict=False))
        assert items(client.get(url).content.decode(), "section")
