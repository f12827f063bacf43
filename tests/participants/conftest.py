"""The participant tests' world: C0 with IMDi's staff (tests/staff_world.py)."""

from __future__ import annotations

import pytest

from tests.builders import fresh, shared_world
from tests.staff_world import C0, build_world

participants_world_built = shared_world(lambda: build_world((C0,)), name="participants_world_built")


@pytest.fixture
def world(participants_world_built, db):
    return fresh(participants_world_built)
