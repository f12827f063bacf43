"""Duplicate funding (C2-R07): flagged to both grantors, with only the minimum about the other grantor's case."""

import copy

from tilskudd.casework import duplicates
from tilskudd.casework.models import Case
from tilskudd.demo import casework as demo
from tests.accounts.helpers import login_verified
from tests.casework.conftest import visible_text
from tests.casework.helpers import queue_rows
from tests.staff_world import C0, C2

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
    rows = queue_rows(client.get(f"/saksbehandling/utlysninger/{casework_world.calls[C2].slug}/?flagged=on").content.decode())
    assert len(rows) == 1 and "Landås Nabolagsforening" in rows[0] and "Flagget" in rows[0]


def test_imdi_sees_the_flag_on_its_case(casework_world, client):
    second = _second_application(casework_world)
    login_verified(client, casework_world.staff["caseworker"])
    text = visible_text(client.get(f"/saksbehandling/saker/{second.case.pk}/").content.decode())
    assert "Flagget:" in text and "Bergen kommune" in text and "Søndagsmiddag på Landås" in text
    rows = queue_rows(client.get(f"/saksbehandling/utlysninger/{casework_world.calls[C2].slug}/?flagged=on").content.decode())
    assert [r.split()[0] for r in rows] == [second.case_number]



def test_the_flag_reads_the_answers_as_submitted_else_as_drafted_and_only_a_true_yes(casework_world):
    """What the flag shows of a case is read by the database from the answer documents: the submitted one, or the
    draft where nothing was submitted; a declaration counts only when the answer is JSON ``true``."""
    second = _second_application(casework_world, declared=True)
    bergen_case = _landas_at_bergen(casework_world)
    application = second
    submitted = copy.deepcopy(application.submitted_content)
    del submitted["answers"]["title"]
    submitted["answers"]["project_title"] = "Prosjekttittelen"
    submitted["answers"]["same_activity_other_grantor"] = 1  # a number, not a yes
    type(application).objects.filter(pk=application.pk).update(submitted_content=submitted)
    assert duplicates.flag_for(second.case).declared is False
    other = duplicates.flag_for(bergen_case).other_cases[0]
    assert other.title == "Prosjekttittelen"

    drafted = copy.deepcopy(application.content)
    drafted["answers"]["title"] = "Tittel i utkastet"
    drafted["answers"]["same_activity_other_grantor"] = True
    drafted["answers"]["same_activity_other_grantor_details"] = "Fra utkastet"
    type(application).objects.filter(pk=application.pk).update(submitted_content=None, content=drafted)
    flag = duplicates.flag_for(second.case)
    assert flag.declared and flag.declared_details == "Fra utkastet"
    assert duplicates.flag_for(bergen_case).other_cases[0].title == "Tittel i utkastet"
