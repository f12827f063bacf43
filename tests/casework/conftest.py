"""The casework tests take the HTTPS client and the English switch from tests/conftest.py."""

from tests.web.conftest import visible_text  # noqa: F401 - a helper shared with tests/web
