"""A client over HTTPS (as on the public pages) and the language switch."""

from __future__ import annotations

import pytest

from tests.web.conftest import HttpsClient


@pytest.fixture
def client():
    return HttpsClient()


@pytest.fixture
def english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client
