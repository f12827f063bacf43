import pytest
from django.test import Client

from tests.cli.conftest import MINIMAL

CHECK = "/api/v1/calls/test-minimal/check"


class HttpsClient(Client):
    """Every request over HTTPS: with DEBUG off, plain HTTP is redirected (SECURE_SSL_REDIRECT)."""

    def generic(self, *args, **kwargs):
        kwargs["secure"] = True
        return super().generic(*args, **kwargs)


@pytest.fixture
def loaded(db):
    """The minimal call loaded into the test database."""
    from tilskudd.calls.services import load_call_files

    load_call_files([MINIMAL])


@pytest.fixture
def client():
    return HttpsClient()
