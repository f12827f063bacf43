"""The form builder on the five real calls: every field appears, conditions decide what is shown and
required, and what the form posts back is the application content again. Pure: no database."""

from __future__ import annotations

import functools
import json

import pytest

from tests.applications.conftest import EXAMPLES
from tests.web.conftest import REAL_CALLS, real_call
from tilskudd.applications import formbuilder as fb
from tilskudd.applications.formbuilder import kinds
from tilskudd.applications.formbuilder.kinds.base import Kind
from tilskudd.rules import load_call_file
from tilskudd.rules.schema import AreaSelection, Condition, FieldType


@functools.cache
def _load(path):
    return load_call_file(path)


def call_definition(call_id: str):
    return _load(real_call(call_id))


def document_showing(call, condition: Condition | None) -> dict:
    """A document for which ``condition`` holds: the areas, answer and partner it names."""
    document: dict = {"applicant": {"org_number": "964338531"}, "areas": [], "answers": {}, "partners": [], "budget": {}}
    if condition is None:
        return document
    if condition.areas:
        document["areas"] = list(condition.areas) if call.areas.select is AreaSelection.ONE_OR_MORE else condition.areas[:1]
    if condition.field:
        value = condition.equals if condition.equals is not None else (condition.in_ or [True])[0]
        if condition.truthy is not None:
            value = 1 if condition.truthy else None
        fb.set_path(document, condition.field, value)
    if condition.partner:
        document["partners"].append({"kind": condition.partner, "name": "x"})
    return document


@pytest.mark.parametrize("call_id", sorted(REAL_CALLS))
def test_every_field_of_the_call_appears(call_id):
    call = call_definition(call_id)
    for field in call.fields:
        form = fb.build_form(call, document_showing(call, field.shown_when))
        widget = form.widget(field.value_path)
        assert widget is not None, f"{call_id}: field {field.id} ({field.value_path}) is not on the form"
        assert widget.label == field.label
        section = next(s for s in form.sections if widget in s.widgets)
        assert section.id == field.section


@pytest.mark.parametrize("call_id", sorted(REAL_CALLS))
def test_sections_come_in_the_calls_order(call_id):
    call = call_definition(call_id)
    form = fb.build_form(call, document_showing(call, None))
    order = [s.id for s in form.sections if s.id != "areas"]
    expected = [s.id for s in call.sections]
    assert order == [s for s in expected if s in order]
    if call.areas:
        assert form.sections[0].id == "areas"
        assert form.sections[0].title == call.areas.label


@pytest.mark.parametrize("call_id", sorted(REAL_CALLS))
def test_fields_with_shown_when_are_hidden_when_it_does_not_hold(call_id):
    call = call_definition(call_id)
    empty = fb.build_form(call, document_showing(call, None))
    for field in call.fields:
        shown = empty.widget(field.value_path) is not None
        assert shown == (field.shown_when is None or fb.holds_on(field.shown_when, document_showing(call, None))), field.id


@pytest.mark.parametrize("call_id", sorted(REAL_CALLS))
def test_profile_fields_are_read_only_and_the_rest_is_editable(call_id):
    call = call_definition(call_id)
    for field in call.fields:
        form = fb.build_form(call, document_showing(call, field.shown_when))
        widget = form.widget(field.value_path)
        if field.value_path.startswith("applicant."):
            assert widget.kind == "readonly", field.id
            assert field.value_path not in form.field_paths
        elif field.type is FieldType.ATTACHMENT:
            assert widget.kind == "attachment"
        else:
            assert field.value_path in form.field_paths, field.id


def test_c0_area_specific_fields_appear_only_for_their_area():
    call = call_definition("C0")
    for area in call.areas.items:
        form = fb.build_form(call, {"areas": [area.id], "answers": {}, "budget": {}})
        paths = {w.path for w in form.widgets()}
        for field in call.fields:
            if field.shown_when and field.shown_when.areas and not field.shown_when.field:
                assert (field.value_path in paths) == (area.id in field.shown_when.areas), (area.id, field.id)


def test_c0_the_stipend_asks_for_the_years_beside_the_other_stipend_questions():
    call = call_definition("C0")
    form = fb.build_form(call, {"areas": ["1"], "answers": {}, "budget": {}})
    section = next(s for s in form.sections if s.id == "area_requirements")
    paths = [w.path for w in section.widgets]
    assert paths.index("budget.stipend.years") == paths.index("budget.stipend.amount_applied") + 1
    area3 = fb.build_form(call, {"areas": ["3"], "answers": {}, "budget": {}})
    assert area3.widget("budget.stipend.years") is None


def test_c0_required_when_follows_the_answer():
    call = call_definition("C0")
    field = next(f for f in call.fields if f.id == "language_helper_training")
    no = {"areas": ["3"], "answers": {"uses_language_helpers": False}}
    yes = {"areas": ["3"], "answers": {"uses_language_helpers": True}}
    assert not fb.is_shown(field, no) and not fb.is_required(field, no)
    assert fb.is_shown(field, yes) and fb.is_required(field, yes)
    item = fb.build_form(call, yes).anchors["answers.language_helper_training"]
    assert item.required


def test_c0_area_choice_is_one_radio_and_c2_c4_are_checkboxes():
    c0 = fb.build_form(call_definition("C0"), {"areas": []})
    assert c0.anchors["areas"].kind == "radio"
    for call_id in ("C2", "C4"):
        form = fb.build_form(call_definition(call_id), {"areas": []})
        assert form.anchors["areas"].kind == "checkboxes"


def test_c0_partner_kinds_and_confirmations_come_from_the_calls_checks():
    call = call_definition("C0")
    form = fb.build_form(call, {"areas": ["2"], "partners": [{"kind": "social_entrepreneur", "name": "Kafé"}]})
    row = form.widget("partners").rows[0]
    kinds = [o.value for o in row.inputs[0].options if o.value]
    assert kinds == ["social_entrepreneur"]
    confirmations = [i.name for i in row.inputs if i.kind == "checkbox"]
    assert confirmations == [
        "partners[0].confirmations.no_dividend_statutes",
        "partners[0].confirmations.viable_business_model",
    ]
    assert row.input("org_number").required and row.input("org_form").required
    area3 = fb.build_form(call, {"areas": ["3"], "partners": []})
    assert [o.value for o in area3.widget("partners").rows[0].inputs[0].options if o.value] == ["professional_supervisor"]


def test_c1_partner_kinds_are_the_four_the_call_requires():
    form = fb.build_form(call_definition("C1"), {"partners": []})
    kinds = [o.value for o in form.widget("partners").rows[0].inputs[0].options if o.value]
    assert kinds == ["employer", "training_office", "nav", "municipality"]


def test_joint_application_only_where_the_call_allows_it():
    for call_id, allowed in (("C0", True), ("C1", False), ("C2", False), ("C3", True), ("C4", False)):
        form = fb.build_form(call_definition(call_id), {"areas": []})
        assert (form.widget("joint") is not None) == allowed, call_id


def test_budget_categories_are_the_calls_and_ineligible_ones_are_marked():
    call = call_definition("C1")
    form = fb.build_form(call, {"budget": {}})
    options = form.widget("budget.lines").rows[0].inputs[0].options
    labels = {o.value: o.label.nb for o in options}
    assert set(labels) == {""} | {c.id for c in call.budget.categories}
    ineligible = [c for c in call.budget.categories if not c.eligible]
    assert ineligible and all(labels[c.id].endswith("(dekkes ikke)") for c in ineligible)


def test_every_field_type_has_one_kind_that_builds_and_reads_it():
    assert set(kinds.BY_TYPE) == set(FieldType)
    for kind in kinds.KINDS:
        assert all(kinds.BY_TYPE[t] is kind for t in kind.types)
        assert all(kinds.BY_PATH[p] is kind for p in kind.paths)
        assert type(kind).widget is not Kind.widget and type(kind).parse is not Kind.parse, type(kind).__name__


def test_a_post_is_read_by_the_kind_that_built_the_field():
    call = call_definition("C1")
    for field in call.fields:
        built = kinds.for_field(field)
        assert kinds.for_path(field.value_path, field) is built, field.id
    assert kinds.for_path("areas", None) is kinds.AREAS
    assert kinds.for_path("joint", None) is kinds.JOINT
    assert kinds.for_path("budget.stipend.years", None) is kinds.STIPEND_PART
    assert kinds.for_path("answers.not_on_the_call", None) is None


# --- the way back: what the form posts is the content again --------------------------------------


def posted(form: fb.Form, content: dict) -> dict[str, list[str]]:
    """What a browser posts from a form filled with ``content`` (only the inputs that are on the page)."""
    data: dict[str, list[str]] = {"_fields": list(form.field_paths)}
    names = set(form.anchors)

    def put(name, value):
        if name not in names or value is None:
            return
        if isinstance(value, bool):
            value = "true" if value else "false"
        data[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def walk(prefix, value):
        if isinstance(value, dict) and not isinstance(form.anchors.get(prefix), fb.Input):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else key, item)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, item in enumerate(value):
                walk(f"{prefix}[{index}]", item)
        else:
            put(prefix, value)

    walk("", content)
    if content.get("joint"):
        data["joint.enabled"] = ["true"]
    return data


def godkjent_examples():
    for call_id, file_name in sorted(REAL_CALLS.items()):
        call_slug = file_name.removesuffix(".yaml")
        for path in sorted((EXAMPLES / call_slug).glob("*godkjent*.json")):
            yield pytest.param(call_id, path, id=f"{call_id}-{path.stem}")


@pytest.mark.parametrize("call_id,path", list(godkjent_examples()))
def test_the_form_gives_back_the_content_of_a_valid_example(call_id, path):
    call = call_definition(call_id)
    document = json.loads(path.read_text(encoding="utf-8"))
    form = fb.build_form(call, document)
    content = {key: document[key] for key in fb.EDITABLE_KEYS if key in document}
    empty = {"applicant": document["applicant"], "attachments": document.get("attachments", []), "areas": [], "answers": {}, "budget": {}}
    parsed = fb.apply_post(call, empty, posted(form, content))
    for key, value in content.items():
        if value in (None, [], {}):
            continue
        got = parsed.document.get(key)
        if key == "answers":
            shown = {f.id for f in call.fields if f.value_path.startswith("answers.") and fb.is_shown(f, document)}
            value = {k: v for k, v in value.items() if k in shown}
        if key == "budget":
            value = {k: v for k, v in value.items() if v not in (None, [], {})}
            got = {k: v for k, v in (got or {}).items() if k in value}
            for line in value.get("lines", []):
                line.setdefault("description", "")
        assert got == value, f"{path.name}: {key}"
    assert fb.format_errors({**document, **parsed.document}) == []


def test_readings_of_what_people_type():
    assert fb.parse_nok("150 000 kr") == 150000
    assert fb.parse_nok("150.000") == 150000
    assert fb.parse_nok("150000,-") == 150000
    assert fb.parse_nok("150,50") == "150,50"
    assert fb.parse_nok("") is None
    assert fb.parse_int("1 200") == 1200
    assert fb.parse_date("20.04.2017") == "2017-04-20"
    assert fb.parse_date("2017-04-20") == "2017-04-20"
    assert fb.parse_date("i fjor") == "i fjor"
    assert fb.parse_identifier("964 338 531") == "964338531"
    assert fb.parse_decimal("0,5") == 0.5


def test_format_errors_point_at_the_field_in_plain_words():
    document = {
        "format": "tilskudd.application/1",
        "call": "x",
        "applicant": {"org_number": "964338531", "applicant_type": "municipality"},
        "budget": {"lines": [{"category": "staff", "description": "Lønn"}], "amount_applied": "mye"},
    }
    errors = {m.path: m for m in fb.format_errors(document)}
    assert errors["budget.lines[0].amount"].nb == "Må fylles ut."
    assert errors["budget.amount_applied"].nb.startswith("Må være et helt tall")
    assert errors["budget.amount_applied"].en.startswith("Must be a whole number")


def test_a_finding_lands_beside_its_input_row_or_widget():
    call = call_definition("C0")
    document = {"areas": ["2"], "partners": [{"kind": "social_entrepreneur", "name": "Kafé"}], "budget": {"lines": [{"category": "staff", "amount": 1}]}}
    form = fb.build_form(call, document)
    messages = [
        fb.Message("C0-R20", "error", "a", "a", "answers.participants"),
        fb.Message("C0-R19", "error", "b", "b", "partners[0].confirmations.no_dividend_statutes"),
        fb.Message("C0-R09", "error", "c", "c", "budget.lines[0].category"),
        fb.Message("X-R02", "error", "d", "d", "applicant.bank_account"),
        fb.Message("C0-R17", "error", "e", "e", "budget.own_contribution.in_kind_amount"),
        fb.Message("C0-R03", "error", "f", "f", "areas"),
        fb.Message("X-R01", "error", "g", "g", ""),
        fb.Message("C0-R02", "error", "h", "h", "applicant.applicant_type"),
    ]
    form.place(messages)
    anchors = {m.rule_id + m.nb: m.anchor for m in messages}
    assert anchors["C0-R20a"] == "f-answers-participants"
    assert anchors["C0-R19b"] == "f-partners-0-confirmations-no-dividend-statutes"
    assert anchors["C0-R09c"] == "f-budget-lines-0-category"
    assert anchors["X-R02d"] == "f-applicant-bank-account"
    assert anchors["C0-R17e"] == "f-budget-own-contribution-in-kind-amount"
    assert anchors["C0-R03f"] == "f-areas-0"
    assert [m.rule_id for m in form.general] == ["X-R01", "C0-R02"]
    assert [m.rule_id for m in form.errors][:2] == ["X-R01", "C0-R02"]
