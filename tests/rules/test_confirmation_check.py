"""The ``confirmation`` check kind: a yes/no answer the call requires to be yes.

Built on the small test call (tests/fixtures/minimal_call.yaml) with one
confirmation added, so that it does not depend on a real call file.
"""

import pytest
import yaml

from tilskudd.rules import Application, evaluate, parse_call
from tilskudd.rules.schema import ConfirmationCheck
from tests.conftest import FIXTURES, oslo

BEFORE = oslo(2030, 2, 1, 10, 0)


@pytest.fixture
def call():
    data = yaml.safe_load((FIXTURES / "minimal_call.yaml").read_text(encoding="utf-8"))
    data["fields"].append(
        {
            "id": "year_3_done",
            "section": "project",
            "type": "boolean",
            "label": {"nb": "Deltakerne har fullført tredje år", "en": "The participants have completed year three"},
            "required_when": {"areas": ["1"]},
            "rule": "C0-R16",
        }
    )
    data["checks"].append(
        {"kind": "confirmation", "rule": "C0-R16", "field": "answers.year_3_done", "when": {"areas": ["1"]}}
    )
    return parse_call(data, "test")


def make(answers: dict, areas=("1",)) -> Application:
    return Application.model_validate(
        {
            "call": "test-minimal",
            "areas": list(areas),
            "applicant": {"org_number": "964338531", "applicant_type": "municipality"},
            "answers": {"participants": 20, "needs_exemption": False, **answers},
            "budget": {"lines": [{"category": "staff", "amount": 100000}], "own_contribution": {"amount": 10000}},
        }
    )


def test_the_check_kind_is_part_of_the_format(call):
    assert any(isinstance(check, ConfirmationCheck) for check in call.checks)


def test_yes_passes(call):
    assert evaluate(call, make({"year_3_done": True}), BEFORE) == []


def test_no_is_an_error_that_names_the_question(call):
    [finding] = evaluate(call, make({"year_3_done": False}), BEFORE)
    assert (finding.rule_id, finding.severity.value, finding.field) == ("C0-R16", "error", "answers.year_3_done")
    assert "«Deltakerne har fullført tredje år»" in finding.message_nb
    assert "'The participants have completed year three'" in finding.message_en


def test_missing_answer_is_reported_once_as_required(call):
    [finding] = evaluate(call, make({}), BEFORE)
    assert (finding.rule_id, finding.field) == ("C0-R16", "answers.year_3_done")
    assert finding.message_nb.endswith("må fylles ut.")


def test_not_checked_outside_its_condition(call):
    assert evaluate(call, make({"year_3_done": False}, areas=("3",)), BEFORE) == []
