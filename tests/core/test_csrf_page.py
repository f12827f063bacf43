"""A form refused for its CSRF token gets the site's own page (issue #8's leftover): styled by the site's
stylesheet, since the Content-Security-Policy blocks the inline styles of Django's page; in plain words; 403."""

from __future__ import annotations

from django.test import Client

from tests.web.conftest import visible_text


def test_a_form_sent_without_its_token_gets_the_sites_page_in_plain_words(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/konto/logg-inn/", {"username": "a@example.no", "password": "x"}, secure=True)
    html = response.content.decode()
    text = visible_text(html)
    assert response.status_code == 403
    assert "Skjemaet kunne ikke sendes" in text and "Ingenting er lagret" in text and "last inn siden på nytt" in text
    assert 'rel="stylesheet"' in html and "<style" not in html and "CSRF" not in text
