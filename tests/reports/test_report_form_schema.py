"""The report form in the call format (issue #12, point 2): ``reporting.form`` is checked as the call is loaded."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tests.conftest import CALLS_DIR
from tilskudd.rules.loading import load_call_file
from tilskudd.rules.schema import ReportForm

SECTION = {"id": "results", "title": {"nb": "Resultater", "en": "Results"}, "kinds": ["grant_report"]}
FIELD = {"id": "results", "section": "results", "type": "textarea", "label": {"nb": "Resultater"}}


def _form(**field):
    return ReportForm.model_validate({"sections": [SECTION], "fields": [{**FIELD, **field}]})


def test_a_section_with_kinds_is_shown_only_in_reports_of_those_kinds():
    form = ReportForm.model_validate(
        {"sections": [SECTION, {"id": "numbers", "title": {"nb": "Tall"}}], "fields": [FIELD]}
    )
    assert [s.id for s in form.sections_for("grant_report")] == ["results", "numbers"]
    assert [s.id for s in form.sections_for("status_report")] == ["numbers"]
    assert form.fields_for("status_report") == []


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ({"section": "nowhere"}, "names unknown section 'nowhere'"),
        ({"type": "attachment"}, "not one a report form uses"),
        ({"type": "budget"}, "not one a report form uses"),
        ({"path": "applicant.bank_account"}, "are not used here"),
        ({"required": True}, "is required but names no rule id"),
    ],
)
def test_a_report_field_the_form_cannot_hold_is_refused(field, message):
    with pytest.raises(ValidationError, match=message):
        _form(**field)


def test_every_call_has_a_report_form_for_each_of_its_duties_but_the_individual_reporting():
    for path in sorted(CALLS_DIR.glob("*.yaml")):
        call = load_call_file(path)
        assert call.reporting.form is not None, path.name
        for duty in call.reporting.duties:
            if duty.kind.value != "individual_report":
                assert call.reporting.form.fields_for(duty.kind.value), f"{path.name}: {duty.kind.value}"
