"""Duplicate funding (C2-R07): flagged to both grantors, with only the minimum about the other grantor's case."""

import copy
import datetime as dt
import importlib

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.accounts.helpers import login_verified
from tests.casework.conftest import visible_text
from tests.casework.helpers import applicant_of, queue_rows
from tests.staff_world import C0, C2, build_world
from tilskudd.applications import services as application_services
from tilskudd.applications.models import Application
from tilskudd.casework import duplicates, facts, services
from tilskudd.casework.models import Case
from tilskudd.demo import casework as demo

SECRET = "Hemmelig plan som bare IMDi skal lese"


def _second_application(world, *, grantor=demo.IMDI_ORG_NUMBER, declared=False):
    """Landås Nabolagsforening applies again in C2, to another grantor."""
    example = next(e for e in demo.passing_examples(C2) if e.data["applicant"]["name"] == "Landås Nabolagsforening")
    data = copy.deepcopy(example.data)
    data["grantor"] = grantor
    data["answers"]["goals_and_target_groups"] = SECRET
    data["answers"]["title"] = "Søndagsmiddag, del to"
    if declared:
        data["answers"]["same_activity_other_grantor"] = True
        data["answers"]["same_activity_other_grantor_details"] = "Bergen kommune, søkt februar 2020"
    data["budget"]["amount_applied"] = 70000
    # the financing plan still adds up to the costs (issue #10, point 7)
    costs = sum(line["amount"] for line in data["budget"]["lines"])
    others = sum(source["amount"] for source in data["budget"]["funding_sources"])
    data["budget"]["funding_sources"].append({"name": "Egne midler", "amount": costs - 70000 - others})
    second = demo.Example(C2, example.file, "Søndagsmiddag, del to", data)
    return demo.submit_example(second, world.calls[C2])


def _landas_at_bergen(world) -> Case:
    return Case.objects.get(application__call=world.calls[C2], grantor_org_number=demo.BERGEN_ORG_NUMBER)


def test_no_flag_without_another_case_or_declaration(casework_world):
    flags = duplicates.flags_for_call(casework_world.calls[C2])
    assert len(flags) == 4 and not any(flag.flagged for flag in flags.values())
    assert duplicates.flags_for_call(casework_world.calls[C0]) == {}  # C0 has no local grantors
    assert duplicates.flag_for(casework_world.applications[C0][0].case) is None


def test_the_same_organisation_at_imdi_and_bergen_is_flagged_to_both(casework_world):
    second = _second_application(casework_world)
    bergen_case = _landas_at_bergen(casework_world)
    imdi_flag = duplicates.flag_for(second.case)
    bergen_flag = duplicates.flag_for(bergen_case)
    assert imdi_flag.flagged and bergen_flag.flagged
    assert bergen_flag.other_cases == [
        duplicates.OtherCase(
            "Integrerings- og mangfoldsdirektoratet (IMDi)", second.case_number, "Søndagsmiddag, del to", 70000
        )
    ]
    assert imdi_flag.other_cases == [
        duplicates.OtherCase("Bergen kommune", bergen_case.application.case_number, "Søndagsmiddag på Landås", 85000)
    ]
    assert duplicates.flagged_case_ids(casework_world.calls[C2]) == {second.case.pk, bergen_case.pk}


def test_a_withdrawn_other_application_does_not_count(casework_world):
    second = _second_application(casework_world)
    second.status = "withdrawn"
    second.save(update_fields=["status"])
    assert not duplicates.flag_for(_landas_at_bergen(casework_world)).flagged


def test_the_applicants_own_answer_flags_the_case(casework_world):
    second = _second_application(casework_world, declared=True)
    flag = duplicates.flag_for(second.case)
    assert flag.declared and flag.declared_details == "Bergen kommune, søkt februar 2020"


def test_bergen_sees_the_flag_and_only_the_minimum_of_imdis_case(casework_world, client):
    second = _second_application(casework_world)
    bergen_case = _landas_at_bergen(casework_world)
    login_verified(client, casework_world.bergen_staff["caseworker"])
    page = client.get(f"/saksbehandling/saker/{bergen_case.pk}/").content.decode()
    text = visible_text(page).replace("\xa0", " ").replace("\u202f", " ")
    assert "Flagget:" in text
    assert f"Integrerings- og mangfoldsdirektoratet (IMDi) {second.case_number} Søndagsmiddag, del to 70 000 kr" in text
    assert SECRET not in text
    assert f"/saksbehandling/saker/{second.case.pk}/" not in page
    assert client.get(f"/saksbehandling/saker/{second.case.pk}/").status_code == 404
    rows = queue_rows(
        client.get(f"/saksbehandling/utlysninger/{casework_world.calls[C2].slug}/?flagged=on").content.decode()
    )
    assert len(rows) == 1 and "Landås Nabolagsforening" in rows[0] and "Flagget" in rows[0]


def test_imdi_sees_the_flag_on_its_case(casework_world, client):
    second = _second_application(casework_world)
    login_verified(client, casework_world.staff["caseworker"])
    text = visible_text(client.get(f"/saksbehandling/saker/{second.case.pk}/").content.decode())
    assert "Flagget:" in text and "Bergen kommune" in text and "Søndagsmiddag på Landås" in text
    rows = queue_rows(
        client.get(f"/saksbehandling/utlysninger/{casework_world.calls[C2].slug}/?flagged=on").content.decode()
    )
    assert [r.split()[0] for r in rows] == [second.case_number]


def _flagged_queue(case_ids) -> set[int]:
    """The cases among ``case_ids`` the queue's flagged filter keeps (in the database)."""
    return set(Case.objects.filter(duplicates.flagged_filter(), pk__in=case_ids).values_list("pk", flat=True))


def test_the_declaration_is_written_at_submission_and_again_at_resubmission(casework_world):
    second = _second_application(casework_world, declared=True)
    case = Case.objects.get(pk=second.case.pk)
    assert case.declared_other_funding is True
    assert duplicates.flag_for(case).declared and _flagged_queue([case.pk]) == {case.pk}

    services.request_completion(
        casework_world.staff["caseworker"], case.pk, "Stemmer det?", timezone.now() + dt.timedelta(days=5)
    )
    application = Application.objects.get(pk=case.application_id)
    applicant = applicant_of(application)
    answers = dict(application.content["answers"])
    answers["same_activity_other_grantor"] = False
    answers.pop("same_activity_other_grantor_details", None)
    application = application_services.save_draft(applicant, application.pk, {"answers": answers}, application.revision)
    application_services.sign(applicant, application.pk, application.revision)
    application_services.submit(applicant, application.pk)
    case.refresh_from_db()
    assert case.declared_other_funding is False
    flag = duplicates.flag_for(case)
    assert not flag.declared and flag.declared_details == ""
    assert flag.flagged  # still: Landås's case at Bergen


def test_the_flag_shows_the_answers_as_submitted_and_only_a_true_yes_declares(casework_world):
    """The title shown is read from the submitted document (``project_title`` when there is no ``title``); a
    submission answering ``1`` is not a declaration."""
    second = _second_application(casework_world, declared=True)
    bergen_case = _landas_at_bergen(casework_world)
    submitted = copy.deepcopy(second.submitted_content)
    del submitted["answers"]["title"]
    submitted["answers"]["project_title"] = "Prosjekttittelen"
    submitted["answers"]["same_activity_other_grantor"] = 1  # a number, not a yes
    Application.objects.filter(pk=second.pk).update(submitted_content=submitted)
    case = Case.objects.get(pk=second.case.pk)
    facts.write(case, Application.objects.get(pk=second.pk))  # as its submission writes it
    assert case.declared_other_funding is False
    flag = duplicates.flag_for(case)
    assert flag.declared is False and flag.declared_details == ""
    assert duplicates.flag_for(bergen_case).other_cases[0].title == "Prosjekttittelen"


MIGRATION = importlib.import_module("tilskudd.casework.migrations.0013_case_declared_other_funding")


def test_a_case_opened_without_a_submission_shows_what_the_draft_declares(casework_world):
    """A case whose application has no submitted document (opened before submissions were kept): the migration's
    fill takes the draft's declaration, and the flag shows the draft's title and details."""
    second = _second_application(casework_world)
    bergen_case = _landas_at_bergen(casework_world)
    drafted = copy.deepcopy(second.content)
    drafted["answers"]["title"] = "Tittel i utkastet"
    drafted["answers"]["same_activity_other_grantor"] = True
    drafted["answers"]["same_activity_other_grantor_details"] = "Fra utkastet"
    Application.objects.filter(pk=second.pk).update(submitted_content=None, content=drafted)
    assert Case.objects.get(pk=second.case.pk).declared_other_funding is False
    MIGRATION.fill(connection)
    case = Case.objects.get(pk=second.case.pk)
    assert case.declared_other_funding is True
    flag = duplicates.flag_for(case)
    assert flag.declared and flag.declared_details == "Fra utkastet"
    assert duplicates.flag_for(bergen_case).other_cases[0].title == "Tittel i utkastet"
    assert _flagged_queue([case.pk]) == {case.pk}


BEFORE = [("casework", "0012_case_tally_application")]
AFTER = [("casework", "0013_case_declared_other_funding")]


def test_the_migration_writes_the_declarations_of_the_cases_already_open(every_migration_after):
    """Every case open before the column gets the declaration the flag read from the documents: the submitted
    one, else (null or ``{}``) the draft; a yes only when JSON ``true``."""
    build_world((C0, C2))
    cases = list(Case.objects.order_by("pk").values_list("pk", "application_id"))
    assert len(cases) >= 6
    yes = {"same_activity_other_grantor": True}
    documents = {
        "submitted yes": ({"answers": yes}, {"answers": {}}),
        "drafted yes, nothing submitted": (None, {"answers": yes}),
        "1 is not a yes": ({"answers": {"same_activity_other_grantor": 1}}, {"answers": yes}),
        "empty submission, drafted yes": ({}, {"answers": yes}),
        "submitted no, drafted yes": ({"answers": {"same_activity_other_grantor": False}}, {"answers": yes}),
        "a text yes is not a yes": ({"answers": {"same_activity_other_grantor": "true"}}, {"answers": {}}),
    }
    expected = {
        "submitted yes": True,
        "drafted yes, nothing submitted": True,
        "1 is not a yes": False,
        "empty submission, drafted yes": True,
        "submitted no, drafted yes": False,
        "a text yes is not a yes": False,
    }
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    named = dict(zip(documents, cases, strict=False))
    for name, (submitted, drafted) in documents.items():
        Application.objects.filter(pk=named[name][1]).update(submitted_content=submitted, content=drafted)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    declared = dict(Case.objects.values_list("pk", "declared_other_funding"))
    assert {name: declared[pk] for name, (pk, _) in named.items()} == expected
    assert not any(declared[pk] for pk, _ in cases[len(documents) :])  # the demo's examples declare nothing
