"""docs/call-format.md stays true to the schema.

* The first ```yaml block is a complete call file: it must load with
  ``tilskudd.rules.parse_call``.
* The blocks marked ``<!-- fragment -->`` hold top-level keys from the other
  calls; every key must validate against the schema's type for that key.
* Together, the example and the fragments use every top-level key and every
  check kind, so a key or kind added to the schema fails here until the doc
  shows it.
* Every key of every element of the format is named in the doc.
* The validation error shown in the doc is the one the loader gives.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import typing

import pytest
from pydantic import BaseModel, TypeAdapter

from tilskudd.rules import parse_call
from tilskudd.rules.loading import CallFileError, load_call_file, read_yaml
from tilskudd.rules.schema import OSLO, CallDefinition
from tests.conftest import ROOT

DOC = ROOT / "docs" / "call-format.md"


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def fenced_blocks(text: str, language: str) -> list[tuple[str, str]]:
    """Every ```language block with the HTML comment marker just before it ('' if none)."""
    pattern = re.compile(r"(?:<!--\s*(?P<marker>[\w-]+)\s*-->\s*\n)?```" + language + r"\n(?P<body>.*?)\n```", re.S)
    return [(match["marker"] or "", match["body"]) for match in pattern.finditer(text)]


def first_block(text: str, language: str) -> str:
    blocks = fenced_blocks(text, language)
    assert blocks, f"no ```{language} block in the doc"
    return blocks[0][1]


def example_call() -> CallDefinition:
    return parse_call(read_yaml(first_block(doc_text(), "yaml"), "docs/call-format.md"), "docs/call-format.md")


def fragments() -> list[dict]:
    return [
        read_yaml(body, "docs/call-format.md fragment")
        for marker, body in fenced_blocks(doc_text(), "yaml")
        if marker == "fragment"
    ]


def test_the_full_example_is_a_valid_call_file():
    call = example_call()
    assert call.id == "eksempel-kommunale-integreringstiltak-2019"
    # The example is the doc's C0: its deadline is C0-R01's instant, in Oslo time.
    assert call.deadline.instant == dt.datetime(2019, 2, 28, 12, 0, tzinfo=OSLO)
    assert call.frame.amount == 52_300_000


def test_the_example_loads_from_a_file_as_a_call_file_would(tmp_path):
    path = tmp_path / "eksempel.yaml"
    path.write_text(first_block(doc_text(), "yaml"), encoding="utf-8")
    assert load_call_file(path) == example_call()


def test_the_doc_has_fragments():
    assert len(fragments()) >= 3


@pytest.mark.parametrize("index", range(3))
def test_every_fragment_key_validates_against_the_schema(index):
    fragment = fragments()[index]
    assert isinstance(fragment, dict) and fragment
    for key, value in fragment.items():
        assert key in CallDefinition.model_fields, f"fragment {index}: '{key}' is not a top-level key"
        annotation = CallDefinition.model_fields[key].annotation
        TypeAdapter(annotation).validate_python(value)


def test_example_and_fragments_show_every_top_level_key():
    shown = set(read_yaml(first_block(doc_text(), "yaml"), "example"))
    for fragment in fragments():
        shown |= set(fragment)
    missing = set(CallDefinition.model_fields) - shown
    assert not missing, f"docs/call-format.md shows no example of: {sorted(missing)}"


def _check_kinds() -> set[str]:
    check_union = typing.get_args(CallDefinition.model_fields["checks"].annotation)[0]
    members = typing.get_args(typing.get_args(check_union)[0])
    return {typing.get_args(model.model_fields["kind"].annotation)[0] for model in members}


def test_example_and_fragments_show_every_check_kind():
    shown = {check.kind for check in example_call().checks}
    for fragment in fragments():
        shown |= {check["kind"] for check in fragment.get("checks", [])}
    missing = _check_kinds() - shown
    assert not missing, f"docs/call-format.md shows no check of kind: {sorted(missing)}"


def _models(annotation) -> list[type[BaseModel]]:
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for argument in typing.get_args(annotation):
        found += _models(argument)
    return found


def _all_models() -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []
    todo = [CallDefinition]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.append(model)
        for field in model.model_fields.values():
            todo += _models(field.annotation)
    return seen


def test_every_key_of_the_format_is_documented():
    text = doc_text()
    undocumented = sorted(
        f"{model.__name__}.{field.alias or name}"
        for model in _all_models()
        for name, field in model.model_fields.items()
        if f"`{field.alias or name}`" not in text
    )
    assert not undocumented, f"keys not named in docs/call-format.md: {undocumented}"


def test_every_field_type_and_check_kind_is_documented():
    from tilskudd.rules.schema import FieldType

    text = doc_text()
    assert [t.value for t in FieldType if f"`{t.value}`" not in text] == []
    assert sorted(kind for kind in _check_kinds() if f"| `{kind}` |" not in text) == []


def test_the_validation_error_shown_is_the_one_the_loader_gives(tmp_path):
    blocks = dict((marker, body) for marker, body in fenced_blocks(doc_text(), "yaml") if marker)
    broken = tmp_path / "calls" / "eksempel-feil.yaml"
    broken.parent.mkdir()
    broken.write_text(blocks["error-example"], encoding="utf-8")
    with pytest.raises(CallFileError) as raised:
        load_call_file(broken)
    shown = dict(fenced_blocks(doc_text(), "text"))["error-output"]
    shown_problems = [line.strip()[2:] for line in shown.splitlines() if line.startswith("  - ")]
    assert [str(problem) for problem in raised.value.problems] == shown_problems
    assert f"({len(shown_problems)} problem(s))" in shown.splitlines()[0]


def test_a_date_only_deadline_closes_at_23_59_59_oslo_as_the_doc_says():
    c1 = fragments()[0]
    deadline = TypeAdapter(CallDefinition.model_fields["deadline"].annotation).validate_python(c1["deadline"])
    assert deadline.instant == dt.datetime(2025, 2, 10, 23, 59, 59, tzinfo=OSLO)
    assert "23:59:59 Europe/Oslo" in doc_text()


def test_links_to_other_docs_point_at_files_that_exist_or_are_being_written():
    linked = set(re.findall(r"\]\(([a-z-]+\.md)", doc_text()))
    assert linked <= {"application-format.md", "glossary.md", "rules.md"}
    for name in linked:
        assert (DOC.parent / name).exists(), f"docs/{name} is linked but missing"



@pytest.mark.parametrize(
    ("at", "accepted"),
    [("2025-02-10T23:59:59+01:00", True), ("2025-02-10T12:00:00+01:00", False)],
)
def test_a_date_time_with_time_given_false_is_refused_unless_it_is_the_end_of_the_day(at, accepted):
    from pydantic import ValidationError

    adapter = TypeAdapter(CallDefinition.model_fields["deadline"].annotation)
    data = {"rule": "C1-R01", "at": at, "time_given": False}
    if accepted:
        assert adapter.validate_python(data).instant == dt.datetime(2025, 2, 10, 23, 59, 59, tzinfo=OSLO)
    else:
        with pytest.raises(ValidationError):
            adapter.validate_python(data)
