"""Fixtures for the grants tests: an HTTPS client (plain HTTP is redirected when DEBUG is off)."""

import pytest

from tests.web.conftest import HttpsClient


@pytest.fixture
def client():
    return HttpsClient()
