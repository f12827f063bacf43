"""A malformed call file is refused whole, with the file, the path to the field and what was expected."""

from pathlib import Path

import pytest
import yaml

from tilskudd.rules import CallFileError, load_call_file, parse_call
from tilskudd.rules.loading import definition_hash
from tests.conftest import FIXTURES


def minimal_data() -> dict:
    return yaml.safe_load((FIXTURES / "minimal_call.yaml").read_text(encoding="utf-8"))


def problems_of(data) -> list[str]:
    with pytest.raises(CallFileError) as caught:
        parse_call(data, "calls/test.yaml")
    assert str(caught.value).startswith("calls/test.yaml: the call definition is not valid")
    return [str(problem) for problem in caught.value.problems]


def test_the_fixture_is_valid():
    call = load_call_file(FIXTURES / "minimal_call.yaml")
    assert call.id == "test-minimal"


def test_money_as_text_names_the_field_and_the_value():
    data = minimal_data()
    data["frame"]["amount"] = "52,3 mill."
    [problem] = problems_of(data)
    assert problem.startswith("frame.amount: Input should be a valid integer")
    assert "'52,3 mill.'" in problem


def test_every_problem_is_listed_at_once():
    data = minimal_data()
    data["frame"]["amount"] = -5
    del data["signing"]
    data["eligibility"]["applicant_types"]["allowed"] = ["church"]
    found = problems_of(data)
    assert any(p.startswith("frame.amount:") for p in found)
    assert "signing: Field required" in found
    assert any(p.startswith("eligibility.applicant_types.allowed.0:") for p in found)


def test_unknown_key_is_called_out():
    data = minimal_data()
    data["frmae"] = {}
    assert problems_of(data) == ["frmae: unknown key; check the spelling against docs/call-format.md"]


def test_rule_id_must_have_the_spec_shape():
    data = minimal_data()
    data["frame"]["rule"] = "R1"
    [problem] = problems_of(data)
    assert problem.startswith("frame.rule: String should match pattern")


def test_deadline_without_zone_is_refused():
    data = minimal_data()
    data["deadline"]["at"] = "2030-02-28T12:00:00"
    [problem] = problems_of(data)
    assert "time zone" in problem


def test_date_only_deadline_needs_time_given_false_and_then_closes_at_23_59_59_oslo():
    data = minimal_data()
    data["deadline"] = {"rule": "C0-R01", "at": "2030-02-10"}
    [problem] = problems_of(data)
    assert "time_given: false" in problem
    data["deadline"]["time_given"] = False
    call = parse_call(data)
    assert call.deadline.instant.isoformat() == "2030-02-10T23:59:59+01:00"


def test_references_to_unknown_areas_and_sections_are_refused():
    data = minimal_data()
    data["checks"][0]["when"] = {"areas": ["7"]}
    data["fields"][0]["section"] = "nowhere"
    [problem] = problems_of(data)
    assert "unknown section 'nowhere'" in problem
    assert "names unknown area '7'" in problem


def test_invalid_grantor_org_number_is_refused():
    data = minimal_data()
    data["grantor"]["org_number"] = "987879697"
    [problem] = problems_of(data)
    assert "not a valid organisation number" in problem


def test_a_key_written_twice_is_refused(tmp_path: Path):
    text = (FIXTURES / "minimal_call.yaml").read_text(encoding="utf-8") + "\nyear: 2031\n"
    path = tmp_path / "twice.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CallFileError) as caught:
        load_call_file(path)
    assert "the key 'year' is written twice" in str(caught.value)
    assert "line" in str(caught.value)


def test_broken_yaml_gives_the_line(tmp_path: Path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\ntitle: {nb: [unclosed\n", encoding="utf-8")
    with pytest.raises(CallFileError) as caught:
        load_call_file(path)
    assert "not valid YAML" in str(caught.value)
    assert "line 3" in str(caught.value) or "line 2" in str(caught.value)


def test_top_level_must_be_a_mapping():
    assert problems_of(["a", "list"]) == ["expected a mapping of keys (id, title, frame, …) at the top"]


def test_missing_file(tmp_path: Path):
    with pytest.raises(CallFileError) as caught:
        load_call_file(tmp_path / "nope.yaml")
    assert "cannot read the file" in str(caught.value)


def test_hash_is_stable_and_sees_changes():
    a = parse_call(minimal_data())
    b = parse_call(minimal_data())
    changed = minimal_data()
    changed["frame"]["amount"] = 999
    assert definition_hash(a) == definition_hash(b)
    assert definition_hash(a) != definition_hash(parse_call(changed))
