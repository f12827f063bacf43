"""A case's facts (issue #9): written at submission and resubmission, by the migration for older cases, filtered on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.casework.helpers import applicant_of
from tests.staff_world import C0, C2, build_world
from tilskudd.applications import services as application_services
from tilskudd.applications.models import Application
from tilskudd.casework import facts, services
from tilskudd.casework.models import Case, CaseArea
from tilskudd.rules import Application as Submitted


def _from_json(application: Application) -> dict:
    """The facts as the code before issue #9 read them from the submitted JSON (the reference)."""
    content = application.submitted_content or {}
    applicant = content.get("applicant") or {}
    value = (content.get("budget") or {}).get("amount_applied")
    return {
        "amount_applied": value if isinstance(value, int) else None,
        "areas": [str(a) for a in content.get("areas") or []],
        "county": str(applicant.get("county") or application.organisation.county or ""),
    }


def _facts(case: Case) -> dict:
    return {"amount_applied": case.amount_applied, "areas": case.area_codes, "county": case.county}


def _all_cases():
    return Case.objects.select_related("application", "application__organisation").order_by("pk")


def test_submitted_is_the_typed_submission_parsed_once_and_none_for_a_draft(casework_world):
    application = Application.objects.get(pk=casework_world.applications[C0][0].pk)
    submitted = application.submitted()
    assert isinstance(submitted, Submitted)
    assert submitted.budget.amount_applied == application.submitted_content["budget"]["amount_applied"]
    assert application.submitted() is submitted  # cached on the instance
    application.submitted_content = {**application.submitted_content, "areas": ["2"]}
    assert application.submitted() is not submitted and application.submitted().areas == ["2"]  # replaced: parsed again
    application.submitted_content = None  # never submitted: None, whatever the draft holds
    assert application.content and application.submitted() is None


def test_every_case_gets_its_facts_at_submission(casework_world):
    cases = list(_all_cases())
    assert len(cases) >= 7
    for case in cases:
        assert _facts(case) == _from_json(case.application), case.application.case_number
        submitted = case.application.submitted()
        assert case.org_form == (submitted.applicant.org_form or "")
        assert case.applicant_type == submitted.applicant.applicant_type.value
    assert any(case.amount_applied for case in cases) and any(case.area_codes for case in cases)


def test_the_facts_are_rewritten_when_the_completed_application_is_resubmitted(casework_world):
    case = Case.objects.get(pk=casework_world.applications[C2][1].case.pk)
    before = case.amount_applied
    services.request_completion(
        casework_world.staff["caseworker"], case.pk, "Søk om mindre.", timezone.now() + dt.timedelta(days=5)
    )
    application = Application.objects.get(pk=case.application_id)
    applicant = applicant_of(application)
    budget = dict(application.content["budget"])
    budget["amount_applied"] = before - 1000
    # the financing plan still adds up to the costs (issue #10, point 7)
    budget["funding_sources"] = [*budget.get("funding_sources", []), {"name": "Egne midler", "amount": 1000}]
    application = application_services.save_draft(applicant, application.pk, {"budget": budget}, application.revision)
    application_services.sign(applicant, application.pk, application.revision)
    application_services.submit(applicant, application.pk)
    case.refresh_from_db()
    assert case.amount_applied == before - 1000
    assert _facts(case) == _from_json(Application.objects.get(pk=case.application_id))
    assert facts.applied_for(Application.objects.get(pk=case.application_id)) == before - 1000


QUEUE_FILTERS = [
    {},
    {"area": "1"},
    {"area": "4"},
    {"area": "A"},
    {"county": "50"},
    {"county": "46"},
    {"amount_from": 1_000_000},
    {"amount_from": 700_000, "amount_to": 950_000},
    {"amount_to": 0},
    {"area": "3", "amount_from": 1},
]


def _old_queue(user, call, filters):
    """The case numbers the queue gave before issue #9: every row decoded and filtered in Python."""
    rows = []
    for row in services.queue(user, call):
        application = row.application
        old = _from_json(application)
        if filters.get("area") and filters["area"] not in old["areas"]:
            continue
        if filters.get("county") and old["county"] != filters["county"]:
            continue
        if filters.get("amount_from") is not None and (old["amount_applied"] or 0) < filters["amount_from"]:
            continue
        if filters.get("amount_to") is not None and (old["amount_applied"] or 0) > filters["amount_to"]:
            continue
        rows.append(application.case_number)
    return rows


@pytest.mark.parametrize("slug", [C0, C2])
def test_the_queue_filters_in_the_database_and_gives_the_rows_it_gave_before(casework_world, slug):
    user = casework_world.staff["caseworker"]
    call = casework_world.calls[slug]
    for filters in QUEUE_FILTERS:
        rows = services.queue(user, call, filters)
        assert [row.application.case_number for row in rows] == _old_queue(user, call, filters), filters
        for row in rows:
            assert (row.areas, row.county, row.amount_applied) == (
                _from_json(row.application)["areas"],
                _from_json(row.application)["county"],
                _from_json(row.application)["amount_applied"],
            )


BEFORE = [("casework", "0004_case_facts")]
AFTER = [("casework", "0005_case_facts_for_existing_cases")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_writes_the_facts_of_the_cases_already_open(every_migration_after):
    build_world((C0,))
    expected = {case.pk: _facts(case) for case in _all_cases()}
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    # cases opened before the facts existed: the columns at their defaults, no area rows
    Case.objects.update(amount_applied=None, county="", org_form="", applicant_type="")
    CaseArea.objects.all().delete()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    at_0005 = _all_cases().defer("declared_other_funding")  # a later migration's column (0013) is not there yet
    assert expected and {case.pk: _facts(case) for case in at_0005} == expected
    assert all(case.applicant_type for case in at_0005)


def test_without_a_case_the_readers_take_the_submission_never_the_draft(casework_world):
    stored = Application.objects.get(pk=casework_world.applications[C0][0].pk)
    submitted = Application(submitted_content=stored.submitted_content, content={"areas": ["9"]})  # no case yet
    assert facts.applied_for(submitted) == stored.submitted_content["budget"]["amount_applied"]
    assert facts.areas_of(submitted) == stored.submitted_content["areas"]
    draft = Application(content=stored.submitted_content)
    assert (facts.applied_for(draft), facts.areas_of(draft)) == (0, [])
