"""Fixtures for the grants tests: the HTTPS client and the English switch of tests/web (plain HTTP is redirected)."""

from tests.web.conftest import client, english  # noqa: F401 - fixtures shared with tests/web
