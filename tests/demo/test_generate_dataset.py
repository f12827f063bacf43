"""generate_dataset: a data set of any size from a seed, for measuring the caseworker pages (issue #14, point 4)."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from tests.builders import load_calls
from tests.conftest import CALLS_DIR
from tilskudd.applications.models import Application
from tilskudd.calls.services import call_files_in
from tilskudd.casework.models import Case, CaseArea

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_it_refuses_outside_the_demo():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("generate_dataset", applications=5)


@override_settings(DEBUG=True)
def test_it_makes_submitted_applications_with_cases_facts_and_decisions_across_the_calls():
    load_calls(call_files_in(CALLS_DIR))
    call_command("generate_dataset", applications=40, seed=7, stdout=None)
    made = Application.objects.filter(case_number__startswith="D")
    assert made.count() == 40
    assert made.values("call").distinct().count() >= 4  # spread across the five demo calls
    assert all(slug.endswith("-demo") for slug in made.values_list("call__slug", flat=True))
    cases = Case.objects.filter(application__in=made)
    assert cases.count() == 40
    assert not cases.filter(amount_applied__isnull=True).exists()
    with_areas = cases.filter(application__call__slug__startswith="kommunale-integreringstiltak")
    assert CaseArea.objects.filter(case__in=with_areas).count() >= with_areas.count()
    assert (
        made.filter(status="granted").count()
        == made.filter(decisions__status="published", decisions__kind="grant").count()
    )
    for application in made[:5]:
        assert application.submitted() is not None  # the rule engine's model reads the generated application


@override_settings(DEBUG=True)
def test_it_can_fill_one_call_to_measure_its_exports_at_any_size():
    load_calls(call_files_in(CALLS_DIR))
    call_command("generate_dataset", applications=12, seed=8, call="kommunale-integreringstiltak-2019-demo")
    made = Application.objects.filter(case_number__startswith="D")
    assert set(made.values_list("call__slug", flat=True)) == {"kommunale-integreringstiltak-2019-demo"}
    assert made.count() == 12
    with pytest.raises(CommandError, match="no demo call"):
        call_command("generate_dataset", applications=1, call="finnes-ikke")
