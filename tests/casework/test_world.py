"""The casework world and demo data: cases are opened and routed on submission (C0-R27, C2-R02)."""

from tilskudd.casework import scope
from tilskudd.casework.models import Case
from tests.staff_world import C0, C2


def test_every_submitted_example_has_a_case_routed_to_its_grantor(casework_world):
    c0 = casework_world.applications[C0]
    c2 = casework_world.applications[C2]
    assert len(c0) == 6 and len(c2) == 4
    bergen_case = Case.objects.get(application__organisation__org_number="964338531", application__call__slug=f"{C0}-demo")
    assert (bergen_case.office, bergen_case.contact_name) == ("IMDi Vest", "Lubna Jaffery")
    grantors = sorted(Case.objects.filter(application__in=c2).values_list("grantor_name", flat=True))
    assert grantors == [
        "Bergen kommune",
        "Integrerings- og mangfoldsdirektoratet (IMDi)",
        "Integrerings- og mangfoldsdirektoratet (IMDi)",
        "Tromsø kommune",
    ]


def test_imdi_staff_see_imdi_cases_and_bergen_staff_only_bergens(casework_world):
    imdi_cases = scope.cases(casework_world.staff["caseworker"])
    bergen_cases = scope.cases(casework_world.bergen_staff["caseworker"])
    assert imdi_cases.count() == 6 + 2
    assert [c.application.organisation.name for c in bergen_cases] == ["Landås Nabolagsforening"]
    assert set(scope.calls(casework_world.bergen_staff["approver"]).values_list("slug", flat=True)) == {
        C2,
        f"{C2}-demo",
    }
