import pytest

from tests.builders import load_calls
from tests.cli.conftest import MINIMAL

CHECK = "/api/v1/calls/test-minimal/check"


@pytest.fixture
def loaded(db):
    """The minimal call loaded into the test database."""
    load_calls([MINIMAL])
