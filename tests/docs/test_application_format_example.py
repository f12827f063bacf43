"""docs/application-format.md stays true to the application model and the engine.

* The first ```json block is a valid Application, made for the example call of
  docs/call-format.md, and passes it before the deadline.
* The ``<!-- fragment -->`` blocks are valid when merged into the example.
* The findings shown are exactly what the engine gives for the change the doc
  describes.
* Every key of every element of the format is named in the doc.
"""

from __future__ import annotations

import copy
import datetime as dt
import inspect
import json
import typing

import pytest
from pydantic import BaseModel, ValidationError

from tilskudd.rules import Application, evaluate
from tilskudd.rules.findings import Finding, Severity
from tilskudd.rules.schema import OSLO
from tests.conftest import ROOT
from tests.docs.test_call_format_example import example_call, fenced_blocks

DOC = ROOT / "docs" / "application-format.md"


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def example_data() -> dict:
    return json.loads(fenced_blocks(doc_text(), "json")[0][1])


def fragments() -> list[dict]:
    return [json.loads(body) for marker, body in fenced_blocks(doc_text(), "json") if marker == "fragment"]


def merged(fragment: dict) -> dict:
    data = copy.deepcopy(example_data())
    for key, value in fragment.items():
        if key == "applicant":
            data["applicant"].update(value)
        else:
            data[key] = value
    return data


def test_the_full_example_is_a_valid_application():
    application = Application.model_validate(example_data())
    assert application.call == example_call().id
    # The same text read as JSON, as the API and the CLI read it.
    assert Application.model_validate_json(fenced_blocks(doc_text(), "json")[0][1]) == application


def test_the_example_passes_the_example_call_before_the_deadline():
    application = Application.model_validate(example_data())
    assert evaluate(example_call(), application, dt.datetime(2019, 2, 20, 9, 0, tzinfo=OSLO)) == []


def test_the_doc_has_fragments():
    assert len(fragments()) >= 4


@pytest.mark.parametrize("index", range(4))
def test_every_fragment_is_valid_in_the_example(index):
    Application.model_validate(merged(fragments()[index]))


def _models(annotation) -> list[type[BaseModel]]:
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for argument in typing.get_args(annotation):
        found += _models(argument)
    return found


def _all_models() -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []
    todo: list[type[BaseModel]] = [Application]
    while todo:
        model = todo.pop()
        if model not in seen:
            seen.append(model)
            for field in model.model_fields.values():
                todo += _models(field.annotation)
    return seen


def _keys_used(node, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key not in {"answers", "confirmations"}:  # keys chosen by the call, not the format
                _keys_used(value, found)
    elif isinstance(node, list):
        for value in node:
            _keys_used(value, found)
    return found


def test_example_and_fragments_use_every_key_of_the_format():
    used = _keys_used(example_data(), set())
    for fragment in fragments():
        _keys_used(fragment, used)
    every = {field.alias or name for model in _all_models() for name, field in model.model_fields.items()}
    assert sorted(every - used) == []


def test_every_key_of_the_format_is_documented():
    text = doc_text()
    undocumented = sorted(
        f"{model.__name__}.{name}"
        for model in _all_models()
        for name in model.model_fields
        if f"`{name}`" not in text
    )
    assert undocumented == []


def test_every_applicant_type_is_documented():
    from tilskudd.rules.application import ApplicantType

    assert [t.value for t in ApplicantType if f"`{t.value}`" not in doc_text()] == []


def test_the_findings_shown_are_what_the_engine_gives():
    # The change the doc describes: 12 participants, no partner, a line in an unknown category,
    # checked one second after the deadline.
    data = example_data()
    data["answers"]["participants"] = 12
    data["partners"] = []
    data["budget"]["lines"][2]["category"] = "equipment"
    at = dt.datetime(2019, 2, 28, 12, 0, 1, tzinfo=OSLO)
    found = [finding.as_dict() for finding in evaluate(example_call(), Application.model_validate(data), at)]
    shown = json.loads(dict(fenced_blocks(doc_text(), "json"))["findings-example"])
    assert found == shown


def test_a_finding_has_the_keys_the_doc_lists():
    keys = set(Finding("X-R01", Severity.ERROR, "nb", "en").as_dict())
    assert keys == {"rule_id", "severity", "message_nb", "message_en", "field"}
    for key in keys:
        assert f"| `{key}` |" in doc_text()


@pytest.mark.parametrize("amount", [350000.0, 350000.5, "350000", True, -1])
def test_money_that_is_not_a_whole_non_negative_integer_is_refused_as_the_doc_says(amount):
    data = example_data()
    data["budget"]["lines"][0]["amount"] = amount
    with pytest.raises(ValidationError) as raised:
        Application.model_validate(data)
    assert [error["loc"] for error in raised.value.errors()] == [("budget", "lines", 0, "amount")]


def test_the_doc_mentions_the_json_schema_file():
    assert "docs/application.schema.json" in doc_text()
