"""Fixtures for the casework tests: the HTTPS client and the English switch of tests/web (plain HTTP is redirected)."""

from tests.web.conftest import client, english, visible_text  # noqa: F401 - fixtures and a helper shared with tests/web
