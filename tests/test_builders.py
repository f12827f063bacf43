"""The shared worlds of tests/builders.py: built once per module, each test alone in it.

The tests of this module depend on their order (pytest keeps a module's order, apart from
running first the tests that use no shared world): the first changes the world, the second finds
it as built.
"""

from __future__ import annotations

import pytest

from tests.builders import fresh
from tests.staff_world import C0, World


def test_a_test_may_change_the_world(casework_world):
    from tilskudd.applications.models import Application

    first = casework_world.applications[C0][0]
    first.title = "Endret i minnet"
    Application.objects.filter(pk=casework_world.applications[C0][1].pk).delete()
    casework_world.imdi.name = "Endret"
    casework_world.imdi.save()
    casework_world.frames = "added by a fixture"


def test_the_next_test_finds_the_world_as_built(casework_world):
    from tilskudd.applications.models import Application

    assert isinstance(casework_world, World)
    assert casework_world.applications[C0][0].title != "Endret i minnet"
    assert len(casework_world.applications[C0]) == 6
    assert Application.objects.filter(pk=casework_world.applications[C0][1].pk).exists()
    assert casework_world.imdi.name == "Integrerings- og mangfoldsdirektoratet (IMDi)"
    assert not hasattr(casework_world, "frames")


def test_each_test_gets_its_own_instances(casework_world, casework_world_built):
    assert casework_world.applications[C0][0] == casework_world_built.applications[C0][0]  # same rows …
    assert casework_world.applications[C0][0] is not casework_world_built.applications[C0][0]  # … new objects
    assert casework_world.staff["caseworker"] is not casework_world_built.staff["caseworker"]


def test_fresh_reads_again_what_is_inside_dicts_lists_tuples_and_dataclasses(casework_world):
    application = casework_world.applications[C0][0]
    application.title = "Bare i minnet"
    again = fresh(({"a": [application]}, 7, "tekst"))
    assert again[0]["a"][0].title != "Bare i minnet" and again[1:] == (7, "tekst")


@pytest.mark.django_db
def test_a_test_without_the_world_runs_first_and_sees_none_of_it():
    """Written last, run first: the module's world is not built yet."""
    from tilskudd.calls.models import Call

    assert not Call.objects.exists()
