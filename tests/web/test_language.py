"""Bokmål first: English only when the person chooses it, then remembered."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_bokmal_first(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="nb"' in response.content.decode()
    assert response["Content-Language"] == "nb"


def test_the_switch_chooses_english_and_it_is_remembered(english):
    for _ in range(2):
        response = english.get("/")
        assert '<html lang="en"' in response.content.decode()
        assert response["Content-Language"] == "en"


def test_an_unknown_language_cookie_falls_back_to_bokmal(client):
    client.cookies["django_language"] = "xx"
    assert '<html lang="nb"' in client.get("/").content.decode()
