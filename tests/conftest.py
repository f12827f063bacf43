import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CALLS_DIR = ROOT / "calls"
SPEC_DIR = ROOT.parent / "shared" / "spec"


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
