"""The application format, version 2 (issue #10, point 9): what the seeds ask that version 1 could not say.

The members of a joint application with their applicant types (C0-R02, C3-R02), the grantor and status of
other funding (C2-R07), and the project's period (C0-R06: at most 3 years; C0-R04: a transition project
ends by June 2019). A version-1 document still reads, as version 2.
"""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from tests.conftest import CALLS_DIR, ROOT, oslo
from tilskudd.rules import Application, evaluate, load_call_file
from tilskudd.rules.application import FORMAT_VERSION, upgrade

C0 = "kommunale-integreringstiltak-2019"
C2 = "frivillige-organisasjoner-2020"
IMDI = "987879696"
BERGEN = "964338531"
TROMSO = "940101808"
AT_C0 = oslo(2019, 2, 20, 10, 0)
AT_C2 = oslo(2020, 2, 1, 10, 0)

#: A version-1 application as stored before version 2 existed: no project, members without types.
STORED_V1 = {
    "format": "tilskudd.application/1",
    "call": C0,
    "areas": ["4"],
    "applicant": {"org_number": "964965226", "name": "Stavanger kommune", "applicant_type": "municipality"},
    "joint": {"lead_org_number": "964965226", "members": [{"org_number": BERGEN, "name": "Bergen kommune"}]},
    "budget": {
        "lines": [{"category": "staff", "amount": 100000}],
        "funding_sources": [{"name": "Stavanger kommune, egne midler", "amount": 100000}],
        "amount_applied": 0,
    },
}


def example(call_id: str, name: str) -> dict:
    return json.loads((ROOT / "examples" / call_id / name).read_text(encoding="utf-8"))


def call(call_id: str):
    return load_call_file(CALLS_DIR / f"{call_id}.yaml")


def found(findings) -> list[tuple[str, str]]:
    return [(f.rule_id, f.field) for f in findings]


# --- versions ----------------------------------------------------------------------------


def test_a_stored_version_1_application_still_reads_as_version_2():
    application = Application.model_validate(STORED_V1)
    assert application.format == FORMAT_VERSION == "tilskudd.application/2"
    assert application.joint is not None
    assert application.joint.members[0].org_number == BERGEN
    assert application.joint.members[0].applicant_type is None
    assert application.project is None
    assert application.budget.funding_sources[0].grantor_org_number is None
    # the stored document itself is not changed by reading it
    assert STORED_V1["format"] == "tilskudd.application/1"
    assert upgrade(STORED_V1) == {**STORED_V1, "format": "tilskudd.application/2"}


def test_every_example_of_version_1_still_reads():
    old = [p for p in (ROOT / "examples").glob("*/*.json") if '"tilskudd.application/1"' in p.read_text()]
    assert old, "the examples keep some version-1 documents"
    for path in old:
        assert Application.model_validate(json.loads(path.read_text())).format == FORMAT_VERSION


def test_an_unknown_version_is_refused():
    with pytest.raises(ValidationError):
        Application.model_validate({**STORED_V1, "format": "tilskudd.application/3"})


def test_a_project_cannot_end_before_it_starts():
    with pytest.raises(ValidationError, match="ends_on is before starts_on"):
        Application.model_validate({**STORED_V1, "project": {"starts_on": "2019-03-01", "ends_on": "2019-02-28"}})


# --- joint members' applicant types (C0-R02, C3-R02) --------------------------------------------


def test_a_version_1_joint_application_is_asked_for_the_members_type():
    findings = evaluate(call(C0), Application.model_validate(STORED_V1), AT_C0)
    [member] = [f for f in findings if f.field.startswith("joint.members")]
    assert (member.rule_id, member.field) == ("C0-R02", "joint.members[0].applicant_type")
    assert member.message_nb == "Oppgi hva slags søker Bergen kommune er (for eksempel kommune)."


def test_a_municipality_or_city_district_may_join_c0():
    data = example(C0, "omrade-4-godkjent.json")
    for kind in ("municipality", "city_district"):
        data["joint"]["members"][0]["applicant_type"] = kind
        assert evaluate(call(C0), Application.model_validate(data), AT_C0) == []
    data["joint"]["members"][0]["applicant_type"] = "voluntary_organisation"
    findings = evaluate(call(C0), Application.model_validate(data), AT_C0)
    assert found(findings) == [("C0-R02", "joint.members[0].applicant_type")]
    assert "som frivillig organisasjon" in findings[0].message_nb


# --- the project's period (C0-R06, C0-R04) ------------------------------------------------


@pytest.mark.parametrize(
    ("ends_on", "too_long"),
    [("2022-02-28", False), ("2022-03-01", True)],
)
def test_a_project_lasts_at_most_three_years_to_the_day(ends_on, too_long):
    data = example(C0, "omrade-5-godkjent.json")
    data["project"] = {"starts_on": "2019-03-01", "ends_on": ends_on}
    findings = evaluate(call(C0), Application.model_validate(data), AT_C0)
    assert found(findings) == ([("C0-R06", "project.ends_on")] if too_long else [])
    if too_long:
        assert findings[0].message_nb == (
            "Prosjektet kan vare i høyst 3 år. Det går fra 01.03.2019 til 01.03.2022, og må slutte senest 28.02.2022."
        )


@pytest.mark.parametrize(("ends_on", "late"), [("2019-06-30", False), ("2019-07-01", True)])
def test_a_transition_project_ends_by_30_june_2019(ends_on, late):
    data = example(C0, "overgangsordning-godkjent.json")
    data["project"] = {"starts_on": "2019-03-01", "ends_on": ends_on}
    findings = evaluate(call(C0), Application.model_validate(data), AT_C0)
    assert found(findings) == ([("C0-R04", "project.ends_on")] if late else [])
    if late:
        assert findings[0].message_nb == "Prosjektet må avsluttes senest 30.06.2019. Det slutter 01.07.2019."


def test_an_ordinary_c0_project_may_run_past_june():
    data = example(C0, "omrade-5-godkjent.json")
    data["project"] = {"starts_on": "2019-03-01", "ends_on": "2020-12-31"}
    assert evaluate(call(C0), Application.model_validate(data), AT_C0) == []


def test_c0_asks_for_the_period():
    data = example(C0, "omrade-5-godkjent.json")
    del data["project"]
    findings = evaluate(call(C0), Application.model_validate(data), AT_C0)
    assert found(findings) == [("C0-R06", "project.starts_on"), ("C0-R06", "project.ends_on")]


# --- other funding for the same activity (C2-R07) ---------------------------------------------


def c2_with_source(grantor: str | None, source_grantor: str, status: str | None = "applied"):
    data = example(C2, "delmal-a-bergen-moteplass-godkjent.json")
    data["grantor"] = grantor
    source = data["budget"]["funding_sources"][0]
    source.update({"grantor_org_number": source_grantor})
    if status:
        source["status"] = status
    return evaluate(call(C2), Application.model_validate(data), AT_C2)


@pytest.mark.parametrize(
    ("grantor", "source", "status", "error"),
    [
        (BERGEN, IMDI, "applied", True),  # to a municipality, with IMDi's grant applied for
        (IMDI, TROMSO, "granted", True),  # to IMDi, with a municipality's grant received
        (BERGEN, TROMSO, "granted", False),  # two municipalities: not what the rule forbids
        (BERGEN, "974760673", "granted", False),  # a grantor outside the scheme
        (BERGEN, BERGEN, None, False),  # the grantor applied to: the same grant
    ],
)
def test_the_same_activity_is_not_funded_by_both_imdi_and_a_municipality(grantor, source, status, error):
    findings = c2_with_source(grantor, source, status)
    c2_r07 = [f for f in findings if f.rule_id == "C2-R07"]
    assert found(c2_r07) == ([("C2-R07", "budget.funding_sources[0].grantor_org_number")] if error else [])
    if error:
        text = c2_r07[0].message_nb
        assert text.startswith("Den samme aktiviteten kan ikke få tilskudd både fra IMDi og fra en kommune.")
        assert (
            "søkt om tilskudd fra Integrerings- og mangfoldsdirektoratet (IMDi)"
            if status == "applied"
            else "fått tilskudd fra Tromsø kommune"
        ) in text
        assert "via det sentrale leddet" in text
