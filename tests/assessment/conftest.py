"""Fixtures for assessment tests: the casework world with applications accepted for assessment."""

from __future__ import annotations

import pytest

from tilskudd.applications.states import Status, check_transition


def accept(application):
    """Move a submitted application into assessment (screening is another area's service)."""
    check_transition(application.status, Status.IN_ASSESSMENT)
    application.status = Status.IN_ASSESSMENT
    application.save(update_fields=["status"])
    return application


@pytest.fixture
def world(casework_world):
    from tests.staff_world import C0, C2

    for application in casework_world.applications[C0] + casework_world.applications[C2]:
        accept(application)
    return casework_world


def c0(world, index: int = 0):
    from tests.staff_world import C0

    return world.applications[C0][index]


ALL_FOUR = {"purpose": (5, "God"), "capacity": (4, "Grei"), "transfer_value": (None, "Ikke aktuelt her")}
