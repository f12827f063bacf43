import datetime as dt
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CALLS_DIR = ROOT / "calls"
# The specification the calls were written from lives beside the repository (../shared/spec),
# not in it: a clone of the project alone has none. TILSKUDD_SPEC_DIR points elsewhere (or at
# a missing folder, to run the suite as a clone would). Tests that compare the project with it
# take it through spec_file(), which skips them, with the reason, when it is absent.
SPEC_DIR = Path(os.environ.get("TILSKUDD_SPEC_DIR") or ROOT.parent / "shared" / "spec")


def spec_absent(name: str) -> str:
    """Why a test that compares the project with ``SPEC_DIR / name`` is skipped; "" when the file is there."""
    path = SPEC_DIR / name
    if path.is_file():
        return ""
    return f"{path} is absent (the specification is not part of the repository; set TILSKUDD_SPEC_DIR)"


def spec_file(name: str) -> Path:
    """``SPEC_DIR / name``; skips the calling test when the specification is not beside the project."""
    if reason := spec_absent(name):
        pytest.skip(reason)
    return SPEC_DIR / name


@pytest.fixture
def minimal_call():
    from tilskudd.rules import load_call_file

    return load_call_file(FIXTURES / "minimal_call.yaml")


def oslo(*args) -> dt.datetime:
    from tilskudd.rules.schema import OSLO

    return dt.datetime(*args, tzinfo=OSLO)


@pytest.fixture
def casework_world(db):
    """C0 and C2 with submitted demo applications and the grantors' staff (see tests/staff_world.py)."""
    from tests.staff_world import build_world

    return build_world()


def pytest_collection_modifyitems(config, items):
    """Mark the browser tests, so the fast lane for development can leave them out (-m "not browser")."""
    for item in items:
        if "/tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)
