"""Fixtures for the casework tests: an HTTPS client (plain HTTP is redirected when DEBUG is off)."""

import pytest

from tests.web.conftest import HttpsClient, visible_text  # noqa: F401 - re-exported for the tests


@pytest.fixture
def client():
    return HttpsClient()


@pytest.fixture
def english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client
