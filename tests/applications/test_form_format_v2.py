"""The web form asks what the application format's version 2 can say (issue #10, point 9). Pure: no database.

The members' applicant types in a joint application (C0-R02, C3-R02), the grantor and status of a funding
source (C2-R07), and the project's first and last day (C0-R06, C0-R04): shown by the form builder's kinds,
and read back from what the browser posts.
"""

from __future__ import annotations

from tests.web.conftest import real_call
from tilskudd.applications import formbuilder as fb
from tilskudd.rules import load_call_file

APPLICANT = {"org_number": "964965226", "applicant_type": "municipality"}


def inputs(form: fb.Form) -> dict[str, fb.Input]:
    return {path: item for path, item in form.anchors.items() if isinstance(item, fb.Input)}


def post(form: fb.Form, values: dict[str, str]) -> dict[str, list[str]]:
    return {"_fields": list(form.field_paths), **{key: [value] for key, value in values.items()}}


def test_a_joint_member_is_asked_what_kind_of_applicant_it_is_from_the_calls_member_types():
    call = load_call_file(real_call("C0"))
    document = {"applicant": APPLICANT, "areas": ["4"], "joint": {"lead_org_number": "964965226", "members": [{}]}}
    form = fb.build_form(call, document)
    kind = inputs(form)["joint.members[0].applicant_type"]
    assert kind.kind == "select"
    assert [(o.value, o.label.nb) for o in kind.options] == [
        ("", "Velg"),
        ("municipality", "Kommune"),
        ("city_district", "Bydel"),
    ]
    parsed = fb.apply_post(
        call,
        {"applicant": APPLICANT, "areas": ["4"]},
        post(
            form,
            {
                "joint.enabled": "true",
                "joint.members[0].org_number": "964 338 531",
                "joint.members[0].name": "Bergen kommune",
                "joint.members[0].applicant_type": "municipality",
            },
        ),
    )
    assert parsed.document["joint"]["members"] == [
        {"org_number": "964338531", "name": "Bergen kommune", "applicant_type": "municipality"}
    ]


def test_a_funding_source_names_its_grantor_and_whether_it_is_applied_for_or_granted():
    call = load_call_file(real_call("C2"))
    form = fb.build_form(call, {"applicant": APPLICANT, "areas": ["A"], "budget": {"funding_sources": [{}]}})
    fields = inputs(form)
    status = fields["budget.funding_sources[0].status"]
    assert [(o.value, o.label.nb) for o in status.options] == [
        ("", "Ikke et tilskudd"),
        ("applied", "Søkt om"),
        ("granted", "Fått (innvilget)"),
    ]
    assert "budget.funding_sources[0].grantor_org_number" in fields
    parsed = fb.apply_post(
        call,
        {"applicant": APPLICANT, "areas": ["A"]},
        post(
            form,
            {
                "budget.funding_sources[0].name": "IMDi",
                "budget.funding_sources[0].amount": "12 000",
                "budget.funding_sources[0].grantor_org_number": "987 879 696",
                "budget.funding_sources[0].status": "applied",
            },
        ),
    )
    assert parsed.document["budget"]["funding_sources"] == [
        {"name": "IMDi", "amount": 12000, "grantor_org_number": "987879696", "status": "applied"}
    ]


def test_c0_asks_for_the_projects_first_and_last_day_and_reads_them_into_project():
    call = load_call_file(real_call("C0"))
    form = fb.build_form(call, {"applicant": APPLICANT, "areas": ["5"]})
    fields = inputs(form)
    assert fields["project.starts_on"].label.nb == "Prosjektet starter"
    assert fields["project.ends_on"].label.nb == "Prosjektet slutter"
    parsed = fb.apply_post(
        call,
        {"applicant": APPLICANT, "areas": ["5"]},
        post(form, {"project.starts_on": "01.03.2019", "project.ends_on": "31.12.2021"}),
    )
    assert parsed.document["project"] == {"starts_on": "2019-03-01", "ends_on": "2021-12-31"}
