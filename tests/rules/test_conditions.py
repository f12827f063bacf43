"""The one definition of when a condition holds (tilskudd.rules.conditions), for every reader."""

from types import SimpleNamespace

import pytest

from tilskudd.rules.conditions import holds, in_areas, is_empty, matches, names_partner, value_test
from tilskudd.rules.schema import Condition


def lookup_in(document: dict):
    def lookup(path: str):
        current = document
        for part in path.split("."):
            current = current.get(part) if isinstance(current, dict) else None
        return current

    return lookup


def test_no_condition_always_holds():
    assert holds(None, lookup_in({}))


def test_areas_need_one_in_common():
    condition = Condition(areas=["a", "b"])
    assert holds(condition, lookup_in({"areas": ["b"]}))
    assert not holds(condition, lookup_in({"areas": ["c"]}))
    assert not holds(condition, lookup_in({}))  # no areas named at all
    assert in_areas(Condition(field="answers.x", truthy=True), None)


def test_partner_as_object_or_mapping():
    condition = Condition(partner="municipality")
    assert holds(condition, lookup_in({"partners": [{"kind": "municipality"}]}))
    assert holds(condition, lambda path: [SimpleNamespace(kind="municipality")] if path == "partners" else None)
    assert not holds(condition, lookup_in({"partners": [{"kind": "school"}, "municipality"]}))
    assert not names_partner(None, "municipality")


@pytest.mark.parametrize(
    ("condition", "value", "expected"),
    [
        (Condition(field="answers.x", equals="ja"), "ja", True),
        (Condition(field="answers.x", equals="ja"), "nei", False),
        (Condition(field="answers.x", equals=0), 0, True),
        (Condition(field="answers.x", **{"in": [1, 2]}), 2, True),
        (Condition(field="answers.x", **{"in": [1, 2]}), None, False),
        (Condition(field="answers.x", truthy=True), "", False),
        (Condition(field="answers.x", truthy=False), None, True),
        (Condition(field="answers.x", truthy=True), [0], True),
        (Condition(field="answers.x", equals=3, **{"in": [3, 4]}), 3, True),
        (Condition(field="answers.x", equals=3, truthy=False), 3, False),
    ],
)
def test_field_part_means_the_same_compiled_or_not(condition, value, expected):
    assert matches(condition, value) is expected
    assert value_test(condition)(value) is expected
    assert holds(condition, lookup_in({"answers": {"x": value}})) is expected


def test_every_part_must_hold():
    condition = Condition(areas=["a"], partner="school", field="answers.x", truthy=True)
    document = {"areas": ["a"], "partners": [{"kind": "school"}], "answers": {"x": 1}}
    assert holds(condition, lookup_in(document))
    assert not holds(condition, lookup_in({**document, "answers": {"x": 0}}))
    assert not holds(condition, lookup_in({**document, "partners": []}))


def test_is_empty_means_no_answer():
    assert all(is_empty(value) for value in (None, "", "  \n", [], {}, (), set()))
    assert not any(is_empty(value) for value in ("x", 0, False, [0], {"a": 1}))
